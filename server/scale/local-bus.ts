import { newId } from '../ids.js';
import { decodeEnvelope, encodeEnvelope, wireChannel, type Bus, type BusHandler, type Channel, type NodeId } from './bus.js';

type RawHandler = (raw: string) => void;

/**
 * The in-process transport several LocalBus nodes share, the way socket.io tests its cluster
 * adapter on an event emitter. Delivery is asynchronous (a later macrotask) and in publish order,
 * as over Redis, and goes through the same encoding, so a test on LocalHub exercises what Redis
 * would carry.
 */
export class LocalHub {
  private readonly subscribers = new Map<string, Set<RawHandler>>();

  /** A node's bus on this hub. */
  bus(nodeId: NodeId = newId()): LocalBus {
    return new LocalBus(nodeId, this);
  }

  /** @internal */
  deliver(wire: string, raw: string): void {
    const handlers = this.subscribers.get(wire);
    if (!handlers) return;
    setImmediate(() => {
      for (const handler of handlers) handler(raw);
    });
  }

  /** @internal */
  listen(wire: string, handler: RawHandler): () => void {
    let set = this.subscribers.get(wire);
    if (!set) this.subscribers.set(wire, (set = new Set()));
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size === 0) this.subscribers.delete(wire);
    };
  }
}

/** One node on a LocalHub; with a hub of its own, the single-node bus that reaches nobody. */
export class LocalBus implements Bus {
  private readonly unsubscribes = new Set<() => void>();

  constructor(
    readonly nodeId: NodeId = newId(),
    private readonly hub: LocalHub = new LocalHub(),
  ) {}

  publish<C extends Channel>(channel: C, topic: string, message: unknown): void {
    this.hub.deliver(wireChannel('menteo', channel, topic), encodeEnvelope(this.nodeId, message));
  }

  subscribe<C extends Channel>(channel: C, topic: string, handler: BusHandler<C>): () => void {
    const off = this.hub.listen(wireChannel('menteo', channel, topic), (raw) => {
      const { from, message } = decodeEnvelope(raw);
      if (from !== this.nodeId) handler(message as Parameters<BusHandler<C>>[0], from);
    });
    const unsubscribe = () => {
      off();
      this.unsubscribes.delete(unsubscribe);
    };
    this.unsubscribes.add(unsubscribe);
    return unsubscribe;
  }

  /** An in-process hub never loses messages. */
  onResync(): () => void {
    return () => {};
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    for (const unsubscribe of [...this.unsubscribes]) unsubscribe();
  }
}
