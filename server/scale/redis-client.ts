import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../log.js';

/**
 * An ioredis connection for cluster mode that never crashes nor floods the log while Redis is
 * down: every error is logged at debug (without a listener ioredis prints each failed reconnect
 * to stderr), the first loss of a ready connection and its return once each at warn/info. It
 * reconnects by itself (ioredis' retry strategy, capped at 2 s between attempts).
 *
 * `enableOfflineQueue: false` by default: while Redis is down a command fails at once, so callers
 * fall back (presence to local counts, limits to their insurance limiter) instead of waiting.
 */
export function redisClient(url: string, name: string, log: Logger, options: RedisOptions = {}): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectionName: name,
    retryStrategy: (times) => Math.min(times * 100, 2_000),
    ...options,
  });
  let wasReady = false;
  let down = false;
  client.on('error', (err: Error) => log.debug({ err: err.message, client: name }, 'redis connection error'));
  client.on('ready', () => {
    if (down) log.info({ client: name }, 'redis connection is back');
    wasReady = true;
    down = false;
  });
  client.on('close', () => {
    if (wasReady && !down) log.warn({ client: name }, 'redis connection lost; reconnecting');
    down = true;
  });
  return client;
}

/** Resolves when the client answers PING within `ms`; rejects otherwise (readiness). */
export async function pingRedis(client: Redis, ms = 1_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.ping(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('redis did not answer PING in time')), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Ends a client: QUIT when connected, then drop the socket and stop reconnecting. */
export async function closeRedis(client: Redis): Promise<void> {
  await Promise.allSettled([client.quit()]);
  client.disconnect();
}
