import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from '../../log.js';

/** Constant-time comparison of `Authorization: Bearer <token>` with the expected token. */
function bearerMatches(header: string | undefined, expected: string): boolean {
  const [scheme, token] = (header ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token) return false;
  const a = createHash('sha256').update(token).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Something /readyz asks: resolves when healthy, throws (with a short reason) when not. A check
 * whose failure is `degraded` (Redis in cluster mode) is reported but keeps the node ready: it
 * still serves its own clients, so a balancer should keep sending them (docs/DEPLOY.md).
 */
export type ReadinessCheck = { name: string; check: () => Promise<void>; onFailure?: 'failed' | 'degraded' };

/**
 * Liveness, readiness (store and, in cluster mode, Redis) and Prometheus metrics. /readyz is
 * unauthenticated, so a failed check answers just 'failed'; its reason (paths, hosts) goes to the log.
 */
export function healthRoutes(checks: ReadinessCheck[], registry: Registry, isDraining: () => boolean, log: Logger, metricsToken?: string): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  r.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      checks.map(async ({ name, check, onFailure = 'failed' }) => {
        try {
          await check();
          return [name, 'ok'] as const;
        } catch (err) {
          log.warn({ err, check: name }, 'readiness check failed');
          return [name, onFailure] as const;
        }
      }),
    );
    const ready = !isDraining() && results.every(([, v]) => v !== 'failed');
    const degraded = results.some(([, v]) => v === 'degraded');
    res.status(ready ? 200 : 503).json({ ok: ready, draining: isDraining(), degraded, checks: Object.fromEntries(results) });
  });
  // Metrics reveal load, users online and internals: served only to a scraper holding METRICS_TOKEN.
  // Without one configured it answers 404 (explicitly: the web app's catch-all would answer 200).
  r.get('/metrics', async (req, res) => {
    if (!metricsToken) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'no route GET /metrics' } });
      return;
    }
    if (!bearerMatches(req.headers.authorization, metricsToken)) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: { code: 'UNAUTHENTICATED', message: 'Authorization: Bearer <METRICS_TOKEN> is required' } });
      return;
    }
    res.type(registry.contentType).send(await registry.metrics());
  });
  return r;
}
