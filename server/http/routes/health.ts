import { Router } from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from '../../log.js';

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
export function healthRoutes(checks: ReadinessCheck[], registry: Registry, isDraining: () => boolean, log: Logger): Router {
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
  r.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return r;
}
