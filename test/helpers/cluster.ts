import * as Y from 'yjs';
import type { Bus, BusHandler, Channel, BusChannels } from '../../server/scale/bus.js';
import { startServer, tempDir, type TestServer } from './server.js';

/**
 * Several real Menteo nodes in this process on one SQLite DATA_DIR, each with its own bus (e.g.
 * `hub.bus()` of one LocalHub, or a RedisBus each), as in a deployment of N nodes on one host.
 */
export async function startNodes(buses: Bus[], env: Record<string, string> = {}): Promise<{ nodes: TestServer[]; stop(): Promise<void> }> {
  const data = tempDir('menteo-cluster-');
  const nodes: TestServer[] = [];
  // One after the other: the first one runs the migrations.
  for (const bus of buses) nodes.push(await startServer({ dataDir: data.dir, env, parts: { bus } }));
  return {
    nodes,
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      data.remove();
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
  const text = await fetch(`${httpUrl}/metrics`).then((r) => r.text());
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && l.includes(labels))
    .reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
}
