import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

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
  // Empty counts as unset (a blank line in an env file must not make /metrics public with token '').
  ACCESS_TOKEN_TTL_S: z.coerce.number().int().min(1).max(24 * 3600).default(15 * 60),
  METRICS_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional()),
  AUTH_HASH_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  AUTH_HASH_QUEUE: z.coerce.number().int().min(0).default(32),
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
  /** Collab documents: unload after `idleUnloadMs` without connections; compact the log after `compactAfterUpdates` entries. */
  collab: { idleUnloadMs: number; compactAfterUpdates: number };
  /** Lifetime of an access token in seconds; a refresh token renews it (30 days without use ends the session). */
  accessTokenTtlSeconds: number;
  /** Bearer token for GET /metrics; undefined: /metrics is not served. */
  metricsToken: string | undefined;
  /** Password hashing: worker threads of its own, and how many hashes may wait for one (more: 429). */
  authHash: { workers: number; maxQueued: number };
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
  // Better no start than a "cluster" whose nodes silently do not see each other.
  if (e.REDIS_URL) throw new ConfigError('REDIS_URL is set, but cluster mode (Redis adapter and bus) is not built yet: run one node without REDIS_URL');
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
    collab: { idleUnloadMs: e.COLLAB_IDLE_MS, compactAfterUpdates: e.COLLAB_COMPACT_AFTER },
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_S,
    metricsToken: e.METRICS_TOKEN,
    // One core is left to the event loop; more than 4 hashers would only queue on the cores.
    authHash: { workers: e.AUTH_HASH_WORKERS ?? Math.max(1, Math.min(4, availableParallelism() - 1)), maxQueued: e.AUTH_HASH_QUEUE },
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
