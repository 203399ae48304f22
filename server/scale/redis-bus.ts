import { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { newId } from '../ids.js';
import { decodeEnvelope, encodeEnvelope, wireChannel, type Bus, type BusHandler, type Channel, type NodeId } from './bus.js';

const PREFIX = 'menteo';
/** How long readiness waits for Redis to answer a PING, in ms. */
const PING_TIMEOUT_MS = 1_000;

/**
 * The Bus over Redis pub/sub: one connection publishes, one subscribes (a subscribed ioredis
 * connection can do nothing else). Both reconnect by themselves (ioredis' retry strategy) and the
 * subscriber re-subscribes on reconnect; what was published during the outage is lost, so every
 * reconnect after the first connection tells `onResync` listeners to catch up from the store.
 *
 * Publishing while Redis is down fails at once instead of queueing (enableOfflineQueue: false):
 * a queue that grows through an outage holds memory and replays stale hints after it.
 */
export class RedisBus implements Bus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly handlers = new Map<string, Set<(raw: string) => void>>();
  private readonly resyncListeners = new Set<() => void>();
  private wasReady = false;
  private closed = false;

  constructor(
    url: string,
    private readonly log: Logger,
    readonly nodeId: NodeId = newId(),
  ) {
    const options = { lazyConnect: false, enableOfflineQueue: false, maxRetriesPerRequest: 1 } as const;
    this.pub = new Redis(url, { ...options, connectionName: `menteo-bus-pub-${nodeId}` });
    // The subscriber's SUBSCRIBE commands must wait for the connection: it keeps its offline queue.
    this.sub = new Redis(url, { lazyConnect: false, connectionName: `menteo-bus-sub-${nodeId}` });
    for (const [name, client] of [['pub', this.pub], ['sub', this.sub]] as const) {
      // Without an error listener ioredis logs every failed reconnect attempt to stderr itself.
      client.on('error', (err: Error) => this.log.debug({ err: err.message, client: name }, 'redis bus connection error'));
    }
    this.sub.on('message', (wire: string, raw: string) => {
      for (const handler of this.handlers.get(wire) ?? []) handler(raw);
    });
    this.sub.on('ready', () => {
      if (this.wasReady && !this.closed) {
        this.log.info({ nodeId }, 'redis bus reconnected; resyncing from the store');
        for (const listener of [...this.resyncListeners]) listener();
      }
      this.wasReady = true;
    });
  }

  publish<C extends Channel>(channel: C, topic: string, message: unknown): void {
    if (this.closed) return;
    this.pub.publish(wireChannel(PREFIX, channel, topic), encodeEnvelope(this.nodeId, message)).catch((err: Error) => {
      // Lost: subscribers resync when their connection comes back (onResync).
      this.log.debug({ err: err.message, channel }, 'redis bus publish failed');
    });
  }

  subscribe<C extends Channel>(channel: C, topic: string, handler: BusHandler<C>): () => void {
    const wire = wireChannel(PREFIX, channel, topic);
    const raw = (text: string) => {
      let envelope;
      try {
        envelope = decodeEnvelope(text);
      } catch (err) {
        this.log.warn({ err, channel }, 'redis bus message does not decode; dropped');
        return;
      }
      if (envelope.from !== this.nodeId) handler(envelope.message as Parameters<BusHandler<C>>[0], envelope.from);
    };
    let set = this.handlers.get(wire);
    if (!set) {
      this.handlers.set(wire, (set = new Set()));
      this.sub.subscribe(wire).catch((err: Error) => this.log.warn({ err: err.message, channel }, 'redis bus subscribe failed'));
    }
    set.add(raw);
    return () => {
      set.delete(raw);
      if (set.size > 0 || this.handlers.get(wire) !== set) return;
      this.handlers.delete(wire);
      if (!this.closed) this.sub.unsubscribe(wire).catch(() => {});
    };
  }

  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.pub.ping(),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('redis did not answer PING in time')), PING_TIMEOUT_MS))),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.handlers.clear();
    this.resyncListeners.clear();
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
