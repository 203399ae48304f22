import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import type { Bus, BusHandler, Channel, BusChannels } from '../../server/scale/bus.js';
import { startRedis, type TestRedis } from './redis.js';
import { metricsText, sharedData, spawnServer, startServer, type ChildServer, type TestServer } from './server.js';

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

/**
 * `n` in-process nodes on one store (one DATA_DIR: its SQLite file, or on TEST_STORE=mongo its MongoDB
 * database) and one spawned redis-server (its own, never 6379).
 */
export async function startCluster(n: number, env: Record<string, string> = {}): Promise<InProcessCluster> {
  const redis = await startRedis();
  const data = sharedData('menteo-cluster-');
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
      await data.remove();
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
 * `n` server processes (`spawnServer`) on one store (one DATA_DIR, as startCluster) with one REDIS_URL and one
 * JWT_SECRET, and their own redis-server: each can be SIGKILLed and restarted.
 */
export async function spawnCluster(n: number, env: Record<string, string> = {}): Promise<ProcessCluster> {
  const redis = await startRedis();
  const data = sharedData('menteo-cluster-');
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
      await data.remove();
    },
  };
}


/**
 * Several real Menteo nodes in this process on one store (one DATA_DIR, as startCluster), each with its own bus (e.g.
 * `hub.bus()` of one LocalHub, or a RedisBus each), as in a deployment of N nodes on one host.
 */
export async function startNodes(buses: Bus[], env: Record<string, string> = {}): Promise<{ nodes: TestServer[]; stop(): Promise<void> }> {
  const data = sharedData('menteo-cluster-');
  const nodes: TestServer[] = [];
  // One after the other: the first one runs the migrations.
  for (const bus of buses) nodes.push(await startServer({ dataDir: data.dir, env, parts: { bus } }));
  return {
    nodes,
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      await data.remove();
    },
  };
}

/**
 * A node's bus that can lose messages the way a real outage does: `deaf` drops what arrives,
 * `mute` drops what it publishes, and `resync()` tells the node it may have missed something (as
 * RedisBus does when its connection comes back).
 */
export class LossyBus implements Bus {
  deaf = false;
  mute = false;
  private readonly resyncListeners = new Set<() => void>();

  constructor(private readonly inner: Bus) {}

  get nodeId(): string {
    return this.inner.nodeId;
  }

  publish<C extends Channel>(channel: C, topic: string, message: BusChannels[C]): void {
    if (!this.mute) this.inner.publish(channel, topic, message);
  }

  subscribe<C extends Channel>(channel: C, topic: string, handler: BusHandler<C>): () => void {
    return this.inner.subscribe(channel, topic, (message, from) => {
      if (!this.deaf) handler(message, from);
    });
  }

  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    const off = this.inner.onResync(listener);
    return () => {
      this.resyncListeners.delete(listener);
      off();
    };
  }

  resync(): void {
    for (const listener of [...this.resyncListeners]) listener();
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** A copy of node's live document `name` as it is in memory now (no catch-up), or null when it is not loaded. */
export function liveCopy(node: TestServer, name: string): Y.Doc | null {
  if (!node.collab.docs.loaded().includes(name)) return null;
  const live = node.collab.docs.acquire(name);
  try {
    if (live.state !== 'ready') return null;
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(live.doc));
    return copy;
  } finally {
    node.collab.docs.release(live);
  }
}

/** Sum of a labelled Prometheus counter (e.g. every `reason` of menteo_collab_catch_ups_total), from /metrics. */
export async function counterSum(httpUrl: string, name: string, labels = ''): Promise<number> {
  const text = await metricsText(httpUrl);
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && l.includes(labels))
    .reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
}
