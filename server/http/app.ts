import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from '../log.js';
import { ServerLimits } from '../limits.js';
import type { Services } from '../services.js';
import { apiNotFound, errorHandler } from './errors.js';
import { authRoutes } from './routes/auth.js';
import { healthRoutes, type ReadinessCheck } from './routes/health.js';
import { lifecycleRoutes } from './routes/lifecycle.js';
import { mentorRoutes } from './routes/mentors.js';
import { roomRoutes } from './routes/rooms.js';
import { roadmapRoutes } from './routes/roadmap.js';
import { threadRoutes } from './routes/threads.js';

export interface HttpDeps {
  services: Services;
  log: Logger;
  registry: Registry;
  readiness: ReadinessCheck[];
  isDraining: () => boolean;
  /** Bearer token /metrics requires; without one /metrics is not served. */
  metricsToken?: string;
  /** Built web app (vite output); served at / when present. */
  webRoot: string;
}

export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    // The path only: query strings may carry tokens (the collab URL does).
    res.on('finish', () =>
      deps.log.debug({ method: req.method, path: req.path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request'),
    );
    next();
  });
  app.use(healthRoutes(deps.readiness, deps.registry, deps.isDraining, deps.log, deps.metricsToken));

  const api = express.Router();
  api.use(express.json({ limit: ServerLimits.restBodyBytes }));
  api.use(authRoutes(deps.services));
  api.use(roomRoutes(deps.services));
  api.use(lifecycleRoutes(deps.services));
  api.use(mentorRoutes(deps.services));
  api.use(roadmapRoutes(deps.services));
  api.use(threadRoutes(deps.services));
  api.use(apiNotFound);
  app.use('/api', api);

  if (existsSync(join(deps.webRoot, 'index.html'))) {
    app.use(express.static(deps.webRoot, { index: 'index.html', maxAge: '1h' }));
    // The web app routes on the client: any other GET that is not an API call gets index.html.
    app.get(/^(?!\/(api|socket\.io|collab)\b).*/, (_req, res) => res.sendFile(join(deps.webRoot, 'index.html')));
  }
  app.use(errorHandler(deps.log));
  return app;
}
