/**
 * Which browser origins may call this server (ALLOWED_ORIGINS). Pure: REST (CORS), the Socket.IO
 * handshake and the collab upgrade all ask here, so one rule holds for every entry point.
 */

/** An origin as browsers send it (`scheme://host[:port]`), lower-cased; null when it is not one. */
export function normaliseOrigin(raw: string): string | null {
  try {
    const url = new URL(raw.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin.toLowerCase() : null;
  } catch {
    return null;
  }
}

/**
 * Whether a request with this `Origin` header may proceed. No Origin header (native and mobile
 * clients, Node, curl) is allowed: the header is what browsers add, and only browsers carry
 * someone else's cookies or page. Otherwise the origin must be the server's own (same host as the
 * `Host` header) or listed in ALLOWED_ORIGINS.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  const normalised = normaliseOrigin(origin);
  if (normalised === null) return false;
  if (host !== undefined && new URL(normalised).host === host.toLowerCase()) return true;
  return allowed.includes(normalised);
}
