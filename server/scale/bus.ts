/**
 * The Bus port: typed publish/subscribe between the nodes of one deployment (DESIGN §1,
 * server/scale/). What goes over it is a hint that something changed, never the truth: the store
 * is the only source of truth, and a node that may have missed messages (`onResync`) catches up
 * from the store, not from another node's memory.
 *
 * Channels are named by the `BusChannels` map; a message may also carry a topic (a document or a
 * user id) so a node subscribes only to what it holds open: channel `doc` with topic `<docId>`.
 * A node never receives its own messages (echoes are dropped by node id).
 */
export type NodeId = string;

export interface BusChannels {
  // Filled by the features that use the bus, by declaration merging:
  //   declare module '../scale/bus.js' { interface BusChannels { doc: DocBusMessage } }
}

export type Channel = keyof BusChannels & string;

export type BusHandler<C extends Channel> = (message: BusChannels[C], from: NodeId) => void;

export interface Bus {
  readonly nodeId: NodeId;
  /** Sends to every other node subscribed to (channel, topic). Never throws; a message published while down is lost (see onResync). */
  publish<C extends Channel>(channel: C, topic: string, message: BusChannels[C]): void;
  /** Receives other nodes' messages on (channel, topic) until the returned function is called. */
  subscribe<C extends Channel>(channel: C, topic: string, handler: BusHandler<C>): () => void;
  /** Called when messages may have been missed (the connection came back after an outage). */
  onResync(listener: () => void): () => void;
  /** Resolves when the bus works; rejects with the reason otherwise (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The wire name of (channel, topic); one place, so every adapter names them alike. */
export const wireChannel = (prefix: string, channel: string, topic: string): string => `${prefix}:${channel}:${topic}`;

/**
 * Messages as JSON with binary fields (Yjs updates) as base64, so any payload made of plain data
 * and Uint8Arrays crosses a byte-oriented transport and comes back as the same types.
 */
export function encodeEnvelope(from: NodeId, message: unknown): string {
  return JSON.stringify({ from, message }, (_key, value: unknown) =>
    value instanceof Uint8Array ? { $bin: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') } : value,
  );
}

export function decodeEnvelope(raw: string): { from: NodeId; message: unknown } {
  return JSON.parse(raw, (_key, value: unknown) => {
    if (value && typeof value === 'object' && typeof (value as { $bin?: unknown }).$bin === 'string' && Object.keys(value).length === 1) {
      return new Uint8Array(Buffer.from((value as { $bin: string }).$bin, 'base64'));
    }
    return value;
  }) as { from: NodeId; message: unknown };
}
