import { randomBytes } from 'node:crypto';
import { startRedis, type TestRedis } from './redis.js';
import { spawnServer, startServer, tempDir, type ChildServer, type TestServer } from './server.js';

/** Settings every node of a test cluster shares; presence timings are short so tests wait little. */
export function clusterEnv(redisUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    PRESENCE_GRACE_MS: '200',
    PRESENCE_TTL_MS: '1500',
    TYPING_EXPIRE_MS: '1000',
    ...extra,
  };
}

export interface InProcessCluster {
  redis: TestRedis;
  nodes: TestServer[];
  dataDir: string;
  stop(): Promise<void>;
}

/** `n` in-process nodes on one SQLite DATA_DIR and one spawned redis-server (its own, never 6379). */
export async function startCluster(n: number, env: Record<string, string> = {}): Promise<InProcessCluster> {
  const redis = await startRedis();
  const data = tempDir('menteo-cluster-');
  const jwt = randomBytes(32).toString('base64url');
  const nodes: TestServer[] = [];
  for (let i = 0; i < n; i++) {
    nodes.push(await startServer({ dataDir: data.dir, env: { ...clusterEnv(redis.url, env), JWT_SECRET: jwt, NODE_ID: `node-${i}` } }));
  }
  return {
    redis,
    nodes,
    dataDir: data.dir,
    async stop() {
      await Promise.allSettled(nodes.map((node) => node.stop()));
      await redis.close();
      data.remove();
    },
  };
}

export interface ProcessCluster {
  redis: TestRedis;
  dataDir: string;
  nodes: ChildServer[];
  /** Spawns node `i` again (after a kill) on a new port; replaces nodes[i]. */
  restart(i: number): Promise<ChildServer>;
  stop(): Promise<void>;
}

/**
 * `n` server processes (`spawnServer`) on one SQLite DATA_DIR with one REDIS_URL and one
 * JWT_SECRET, and their own redis-server: each can be SIGKILLed and restarted.
 */
export async function spawnCluster(n: number, env: Record<string, string> = {}): Promise<ProcessCluster> {
  const redis = await startRedis();
  const data = tempDir('menteo-cluster-');
  const jwt = randomBytes(32).toString('base64url');
  const envOf = (i: number) => ({ ...clusterEnv(redis.url, env), JWT_SECRET: jwt, NODE_ID: `node-${i}` });
  // One after another, with a generous start timeout: tsx compiling the server in several processes
  // at once on a busy 2-core machine can take longer than the helper's default 20 s.
  const start = (i: number) => spawnServer(data.dir, envOf(i), { readyTimeoutMs: 60_000 });
  const nodes: ChildServer[] = [];
  for (let i = 0; i < n; i++) nodes.push(await start(i));
  return {
    redis,
    dataDir: data.dir,
    nodes,
    async restart(i) {
      nodes[i] = await start(i);
      return nodes[i]!;
    },
    async stop() {
      await Promise.allSettled(nodes.map((node) => node.kill('SIGKILL')));
      await redis.close();
      data.remove();
    },
  };
}
