/**
 * A fresh idempotency key for one outgoing message (an RFC 4122 v4 UUID). `crypto.randomUUID`
 * exists only in secure contexts in browsers (https or localhost), so a page served over plain
 * http on a LAN address falls back to `getRandomValues`, which is always there.
 */
export function newClientMsgId(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
