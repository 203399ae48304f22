import type { Express } from 'express';
import type { ApiRoute } from './routes.js';

/** The parts of Express 5's router (the `router` package) that list what is mounted. */
interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
  slash?: boolean;
}

export interface MountedRoute {
  method: string;
  path: string;
}

const key = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;

/**
 * Every route an Express app mounts with a string path, sub-routers included (their mount paths
 * prefixed). Routes on a RegExp (the web app's fallback) are not API routes and are left out.
 */
export function mountedRoutes(app: Express): MountedRoute[] {
  const found: MountedRoute[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        if (typeof layer.route.path !== 'string') continue;
        for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') found.push({ method, path: prefix + layer.route.path });
      } else if (Array.isArray(layer.handle?.stack)) {
        const mount = layer.slash || typeof layer.rawPath !== 'string' ? '' : layer.rawPath.replace(/\/$/, '');
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return found;
}

/** What is mounted but not in the table, and what is in the table but not mounted. */
export function routeDrift(mounted: readonly MountedRoute[], table: readonly ApiRoute[]): { undocumented: string[]; missing: string[] } {
  const listed = new Set(table.map(key));
  const live = new Set(mounted.map(key));
  return { undocumented: [...live].filter((k) => !listed.has(k)), missing: [...listed].filter((k) => !live.has(k)) };
}

/** Throws (so the server does not start) when a mounted route has no entry in server/http/openapi/routes.ts. */
export function assertRoutesDescribed(app: Express, table: readonly ApiRoute[]): void {
  const { undocumented, missing } = routeDrift(mountedRoutes(app), table);
  if (undocumented.length > 0 || missing.length > 0) {
    throw new Error(
      `HTTP routes and server/http/openapi/routes.ts disagree (add each route there with its schemas): ` +
        [...undocumented.map((r) => `${r} is mounted but not described`), ...missing.map((r) => `${r} is described but not mounted`)].join('; '),
    );
  }
}
