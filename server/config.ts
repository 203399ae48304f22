import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { normaliseOrigin } from './http/origins.js';

/** Environment variables (DESIGN §2), validated once at start-up. */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  STORE: z.enum(['sqlite', 'mongo']).default('sqlite'),
  MONGODB_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
  COLLAB_IDLE_MS: z.coerce.number().int().min(0).default(30_000),
  COLLAB_COMPACT_AFTER: z.coerce.number().int().min(1).default(1000),
  NODE_ID: z.string().regex(/^[\w.-]{1,64}$/, 'NODE_ID: 1–64 letters, digits, _ . -').optional(),
  TRUST_PROXY: z.string().min(1).optional(),
  PRESENCE_GRACE_MS: z.coerce.number().int().min(0).default(5_000),
  PRESENCE_TTL_MS: z.coerce.number().int().min(1_000).default(15_000),
  TYPING_EXPIRE_MS: z.coerce.number().int().min(100).default(6_000),
  AUTH_RATE_PER_MIN: z.coerce.number().int().min(1).default(120),
  ALLOWED_ORIGINS: z.string().default(''),
  // Empty counts as unset (a blank line in an env file must not make /metrics public with token '').
  ACCESS_TOKEN_TTL_S: z.coerce.number().int().min(1).max(24 * 3600).default(15 * 60),
  METRICS_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional()),
  AUTH_HASH_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  AUTH_HASH_QUEUE: z.coerce.number().int().min(0).default(32),
  NOTIFY_WEBHOOK_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
  NOTIFY_WEBHOOK_SECRET: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(16, 'NOTIFY_WEBHOOK_SECRET must be at least 16 characters').optional()),
  NOTIFY_TICK_MS: z.coerce.number().int().min(10).default(60_000),
  NOTIFY_LEASE_MS: z.coerce.number().int().min(100).default(120_000),
  NOTIFY_WEBHOOK_RETRY_MS: z.coerce.number().int().min(1).default(10_000),
  NOTIFY_WEBHOOK_POLL_MS: z.coerce.number().int().min(10).default(5_000),
  NOTIFY_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(20),
  NOTIFY_TEST_HOLD_CLAIM_MS: z.coerce.number().int().min(0).default(0),
});

export interface Config {
  port: number;
  host: string | undefined;
  dataDir: string;
  store: 'sqlite' | 'mongo';
  mongodbUrl: string | undefined;
  redisUrl: string | undefined;
  jwtSecret: Uint8Array;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  production: boolean;
  /** This node's id (NODE_ID, else random per start): the bus drops its own echoes by it; logs and metrics name it. */
  nodeId: string;
  /**
   * Express `trust proxy` (TRUST_PROXY): which X-Forwarded-For hops to believe for the client IP
   * (login throttle, per-IP limits). Unset: none (the socket's peer address is the client).
   */
  trustProxy: boolean | number | string;
  /**
   * Presence: `graceMs` an offline is held back (a reload must not flap); `ttlMs` after which a
   * node that stopped heartbeating counts as dead and its users go offline (cluster mode).
   */
  presence: { graceMs: number; ttlMs: number };
  /** A `typing: true` with no `typing: false` after it expires (typing:false to the room) after this, in ms. */
  typingExpireMs: number;
  /** Requests per minute one client IP may make to /api/auth/* (429 with Retry-After above it). */
  authRatePerMinute: number;
  /** Collab documents: unload after `idleUnloadMs` without connections; compact the log after `compactAfterUpdates` entries. */
  collab: { idleUnloadMs: number; compactAfterUpdates: number };
  /**
   * Browser origins besides the server's own that may call it (REST with CORS, Socket.IO, collab),
   * normalised (`https://app.example.com`). Empty: same origin only. Requests without Origin pass.
   */
  allowedOrigins: string[];
  /** Lifetime of an access token in seconds; a refresh token renews it (30 days without use ends the session). */
  accessTokenTtlSeconds: number;
  /** Bearer token for GET /metrics; undefined: /metrics is not served. */
  metricsToken: string | undefined;
  /** Password hashing: worker threads of its own, and how many hashes may wait for one (more: 429). */
  authHash: { workers: number; maxQueued: number };
  /**
   * Notifications (issue 15): the reminder scheduler's tick and claim lease, and the optional
   * webhook (url and secret both set, or neither) with its retry base, poll interval and attempts.
   * `holdClaimMs` is test-only fault injection (a claimer that stalls before delivering).
   */
  notify: {
    tickMs: number;
    leaseMs: number;
    holdClaimMs: number;
    webhook: { url: string; secret: string; retryBaseMs: number; pollMs: number; maxAttempts: number } | null;
  };
}

/** Thrown for a bad environment: main prints it and exits 1 without a stack trace. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (e.STORE === 'mongo' && !e.MONGODB_URL) throw new ConfigError('STORE=mongo needs MONGODB_URL');
  const allowedOrigins = e.ALLOWED_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  const badOrigin = allowedOrigins.find((o) => normaliseOrigin(o) === null);
  if (badOrigin !== undefined) throw new ConfigError(`ALLOWED_ORIGINS: "${badOrigin}" is not an http(s) origin`);
  if ((e.NOTIFY_WEBHOOK_URL === undefined) !== (e.NOTIFY_WEBHOOK_SECRET === undefined)) {
    throw new ConfigError('NOTIFY_WEBHOOK_URL and NOTIFY_WEBHOOK_SECRET go together: set both or neither');
  }
  if (production && !e.JWT_SECRET) throw new ConfigError('JWT_SECRET is required when NODE_ENV=production');
  mkdirSync(e.DATA_DIR, { recursive: true });
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    store: e.STORE,
    mongodbUrl: e.MONGODB_URL,
    redisUrl: e.REDIS_URL,
    jwtSecret: new TextEncoder().encode(e.JWT_SECRET ?? devSecret(e.DATA_DIR)),
    logLevel: e.LOG_LEVEL,
    production,
    nodeId: e.NODE_ID ?? `node-${randomBytes(4).toString('hex')}`,
    trustProxy: trustProxy(e.TRUST_PROXY),
    presence: { graceMs: e.PRESENCE_GRACE_MS, ttlMs: e.PRESENCE_TTL_MS },
    typingExpireMs: e.TYPING_EXPIRE_MS,
    authRatePerMinute: e.AUTH_RATE_PER_MIN,
    collab: { idleUnloadMs: e.COLLAB_IDLE_MS, compactAfterUpdates: e.COLLAB_COMPACT_AFTER },
    allowedOrigins: allowedOrigins.map((o) => normaliseOrigin(o)!),
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_S,
    metricsToken: e.METRICS_TOKEN,
    // One core is left to the event loop; more than 4 hashers would only queue on the cores.
    authHash: { workers: e.AUTH_HASH_WORKERS ?? Math.max(1, Math.min(4, availableParallelism() - 1)), maxQueued: e.AUTH_HASH_QUEUE },
    notify: {
      tickMs: e.NOTIFY_TICK_MS,
      leaseMs: e.NOTIFY_LEASE_MS,
      holdClaimMs: e.NOTIFY_TEST_HOLD_CLAIM_MS,
      webhook:
        e.NOTIFY_WEBHOOK_URL && e.NOTIFY_WEBHOOK_SECRET
          ? { url: e.NOTIFY_WEBHOOK_URL, secret: e.NOTIFY_WEBHOOK_SECRET, retryBaseMs: e.NOTIFY_WEBHOOK_RETRY_MS, pollMs: e.NOTIFY_WEBHOOK_POLL_MS, maxAttempts: e.NOTIFY_WEBHOOK_MAX_ATTEMPTS }
          : null,
    },
  };
}

/**
 * A development secret generated once into DATA_DIR (mode 0600), so tokens survive restarts
 * without any set-up. `wx` makes two processes starting together agree on one secret.
 */
function devSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  try {
    writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return readFileSync(file, 'utf8').trim();
}

/** TRUST_PROXY as Express takes it: true/false, a hop count, or a list of addresses/subnets ("loopback, 10.0.0.0/8"). */
function trustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}
