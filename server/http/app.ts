import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cors from 'cors';
import express from 'express';
import helmet from 'helmet';
import type { Registry } from 'prom-client';
import type { Logger } from '../log.js';
import type { Limiter } from '../rate/limiter.js';
import { ServerLimits } from '../limits.js';
import type { Services } from '../services.js';
import { apiNotFound, errorHandler } from './errors.js';
import { buildOpenApi } from './openapi/document.js';
import { assertRoutesDescribed } from './openapi/mounted.js';
import { API_ROUTES } from './openapi/routes.js';
import { perIp } from './rate.js';
import { normaliseOrigin } from './origins.js';
import { accountabilityRoutes } from './routes/accountability.js';
import { authRoutes } from './routes/auth.js';
import { healthRoutes, type ReadinessCheck } from './routes/health.js';
import { lifecycleRoutes } from './routes/lifecycle.js';
import { mentorRoutes } from './routes/mentors.js';
import { notificationRoutes } from './routes/notifications.js';
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
  /** Express `trust proxy` (TRUST_PROXY): which forwarded hops to believe for the client IP. */
  trustProxy: boolean | number | string;
  /** Requests to /api/auth/* per client IP, and REST message sends per user (both across nodes). */
  limits: { authPerIp: Limiter; sendsPerUser: Limiter };
  /** Origins besides our own that browsers may call the API from (CORS); see config ALLOWED_ORIGINS. */
  allowedOrigins: readonly string[];
}

/**
 * Security headers (helmet): a CSP the built web app passes (its scripts, style sheets and
 * connections are all its own origin; Vite emits no inline script), no framing, nosniff, no referrer.
 */
const securityHeaders = () =>
  helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // The web app sets style attributes (widths, colours) from script; attributes cannot run code.
        styleSrcAttr: ["'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Not forced: a plain-HTTP deployment (a LAN, the tests) would lose every asset.
        upgradeInsecureRequests: null,
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    // The API is called cross-origin by ALLOWED_ORIGINS; CORS decides that, not CORP.
    crossOriginResourcePolicy: false,
  });

export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.use(securityHeaders());
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
  // Same-origin calls need no CORS headers; other browser origins only when listed.
  api.use(cors({ origin: (origin, cb) => cb(null, origin !== undefined && deps.allowedOrigins.includes(normaliseOrigin(origin) ?? '')), maxAge: 600 }));
  api.use('/auth', perIp(deps.limits.authPerIp, 'sign-in'));
  api.use(express.json({ limit: ServerLimits.restBodyBytes }));
  api.use(authRoutes(deps.services));
  api.use(roomRoutes(deps.services, deps.limits.sendsPerUser));
  api.use(lifecycleRoutes(deps.services));
  api.use(mentorRoutes(deps.services));
  api.use(roadmapRoutes(deps.services));
  api.use(threadRoutes(deps.services));
  api.use(notificationRoutes(deps.services));
  api.use(accountabilityRoutes(deps.services));
  const openApi = buildOpenApi(API_ROUTES, '1.0.0');
  api.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  api.use(apiNotFound);
  app.use('/api', api);

  if (existsSync(join(deps.webRoot, 'index.html'))) {
    app.use(express.static(deps.webRoot, { index: 'index.html', maxAge: '1h' }));
    // The web app routes on the client: any other GET that is not an API call gets index.html.
    app.get(/^(?!\/(api|socket\.io|collab)\b).*/, (_req, res) => res.sendFile(join(deps.webRoot, 'index.html')));
  }
  app.use(errorHandler(deps.log));
  // Every route must be described (with its schemas) in the table the OpenAPI document comes from.
  assertRoutesDescribed(app, API_ROUTES);
  return app;
}
