import { z } from 'zod';
import { newId } from '../ids.js';
import type { Logger } from '../log.js';
import type { Bus } from '../scale/bus.js';
import type { DocStore, StoredDoc } from '../store/port.js';
import type { CollabMetrics } from './metrics.js';

/**
 * The transaction origin of updates this node did not store itself (another node's, read from the
 * bus or the store): they are relayed to this node's connections, never stored or published again.
 */
export const REMOTE_ORIGIN = Symbol('remote');

/**
 * What nodes tell each other about one document (channel `doc`, topic = the document name). A
 * hint, never the truth: every update in it was committed to the store before it was published.
 * - update: a stored log entry (`id`) with its bytes; `epoch` names the publishing load of the
 *   document and `seq` numbers its messages 1, 2, … so a receiver sees one that went missing.
 * - mark: "my epoch published up to `seq`" (sent after a bus outage, so a lost tail shows too).
 * - awareness: a y-protocols awareness update of the sender's own connections.
 * - awareness-query: a node just loaded the document; the others answer with their states.
 */
export type DocBusMessage =
  | { kind: 'update'; id: number; epoch: string; seq: number; update: Uint8Array }
  | { kind: 'mark'; epoch: string; seq: number }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'awareness-query' };

declare module '../scale/bus.js' {
  interface BusChannels {
    doc: DocBusMessage;
  }
}

const Bytes = z.instanceof(Uint8Array);
const Epoch = z.string().min(1).max(64);
const Seq = z.number().int().positive();
/** Bus payloads are validated like any input: another node's bug must not break this one. */
export const DocBusMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('update'), id: z.number().int().positive(), epoch: Epoch, seq: Seq, update: Bytes }),
  z.object({ kind: z.literal('mark'), epoch: Epoch, seq: z.number().int().nonnegative() }),
  z.object({ kind: z.literal('awareness'), update: Bytes }),
  z.object({ kind: z.literal('awareness-query') }),
]);

export type CatchUpReason = 'read' | 'edit' | 'compaction' | 'gap' | 'resync' | 'invalid' | 'pending' | 'rebuild';

/** What DocSync needs from the document it keeps current (LiveDoc). */
export interface SyncTarget {
  /**
   * Applies stored updates (a snapshot and/or entries) under REMOTE_ORIGIN, as one change. Throws
   * when one does not apply. Returns whether the document now waits for missing dependencies.
   */
  applyRemote(updates: Uint8Array[], entries: number, bytes: number): { pending: boolean };
  /** Applies another node's awareness update (a bad one is dropped by the target). */
  applyRemoteAwareness(update: Uint8Array): void;
  /** The awareness states of this node's own connections, or null when there are none. */
  localAwareness(): Uint8Array | null;
  /** A stored entry does not apply: the document must be reloaded from the store. */
  fail(err: unknown): void;
}

export interface DocSyncOptions {
  store: DocStore;
  log: Logger;
  metrics: CollabMetrics;
  /** Absent: a node alone (nothing to hear; catching up still reads the store). */
  bus?: Bus;
}

/**
 * Keeps one loaded document current with what other nodes store (DESIGN §7): applies their
 * published updates at once, and re-reads the store (`since` the last entry it is sure of) when it
 * may have missed something: a gap in a publisher's sequence, a bus outage, a message that does not
 * validate, an update whose dependencies are missing; and before a server read or edit, so a REST
 * read after an edit acked on another node sees it (read-your-writes). Never from another node's memory.
 *
 * `caughtUpTo` is the watermark: every stored entry with an id up to it is applied. It moves only
 * on a store read (load or catch-up), since ids are global and a bus message alone cannot prove
 * that nothing lower is missing; entries applied above it are remembered in `ahead` so a catch-up
 * does not apply them twice.
 */
export class DocSync {
  /** Highest entry id this node knows of (the compaction bound). */
  highest = 0;
  private caughtUpTo = 0;
  private readonly ahead = new Set<number>();
  private readonly epoch = newId();
  private seq = 0;
  /** Last seq seen per publishing epoch. */
  private readonly heard = new Map<string, number>();
  /** Messages that arrived while the document loaded: handled right after it. */
  private buffered: DocBusMessage[] | null = [];
  private running: Promise<void> | null = null;
  /** A catch-up asked for while one runs: it must start after the running one (its read may be too early). */
  private queued: Promise<void> | null = null;
  private readonly offs: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly name: string,
    private readonly target: SyncTarget,
    private readonly opts: DocSyncOptions,
  ) {}

  /** Subscribes; call before reading the store, so nothing stored after that read goes unheard. */
  start(): void {
    const bus = this.opts.bus;
    if (!bus) return;
    this.offs.push(bus.subscribe('doc', this.name, (message) => this.receive(message)));
    this.offs.push(
      bus.onResync(() => {
        void this.catchUp('resync');
        // Our own publishes during the outage may be lost too: tell the others how far we got.
        if (this.seq > 0) bus.publish('doc', this.name, { kind: 'mark', epoch: this.epoch, seq: this.seq });
      }),
    );
  }

  /** The document loaded everything up to `upTo`; handles what arrived meanwhile and asks for awareness. */
  loaded(upTo: number): void {
    this.caughtUpTo = upTo;
    this.highest = Math.max(this.highest, upTo);
    const held = this.buffered ?? [];
    this.buffered = null;
    for (const message of held) this.handle(message);
    this.opts.bus?.publish('doc', this.name, { kind: 'awareness-query' });
  }

  /**
   * The document was rebuilt from the stored entries up to `upTo` (after an update failed to
   * apply): forget what was applied above it, so the next catch-up brings all of that back.
   */
  rebuilt(upTo: number): void {
    this.caughtUpTo = Math.min(this.caughtUpTo, upTo);
    this.ahead.clear();
  }

  /** This node stored entry `id` and applied it: tell the others. */
  stored(id: number, update: Uint8Array): void {
    this.note(id);
    this.seq += 1;
    this.opts.bus?.publish('doc', this.name, { kind: 'update', id, epoch: this.epoch, seq: this.seq, update });
  }

  /** An awareness change of this node's connections: tell the others. */
  publishAwareness(update: Uint8Array): void {
    this.opts.bus?.publish('doc', this.name, { kind: 'awareness', update });
  }

  /**
   * Reads what was stored since the watermark and applies what this node lacks. Concurrent calls
   * share one read, except that a call made while a read runs gets the next one.
   */
  catchUp(reason: CatchUpReason): Promise<void> {
    if (this.closed || this.buffered) return Promise.resolve();
    this.opts.metrics.catchUps.inc({ reason });
    if (!this.running) return (this.running = this.read());
    return (this.queued ??= this.running.then(() => {
      this.queued = null;
      return (this.running = this.read());
    }));
  }

  close(): void {
    this.closed = true;
    for (const off of this.offs.splice(0)) off();
  }

  private async read(): Promise<void> {
    try {
      const stored = await this.opts.store.since(this.name, this.caughtUpTo);
      if (!this.closed) this.applyStored(stored);
    } catch (err) {
      // The store is the one to ask; the next trigger (a read, a gap) asks again.
      this.opts.log.warn({ err, doc: this.name }, 'collab catch-up from the store failed');
    } finally {
      this.running = null;
    }
  }

  private applyStored(stored: StoredDoc): void {
    const fresh = stored.updates.filter((u) => !this.ahead.has(u.id));
    const updates = [...(stored.snapshot ? [stored.snapshot] : []), ...fresh.map((u) => u.update)];
    const top = Math.max(stored.snapshot ? stored.snapshotUpTo : 0, stored.updates.at(-1)?.id ?? 0);
    if (updates.length > 0) {
      try {
        const bytes = fresh.reduce((n, u) => n + u.update.byteLength, 0);
        this.target.applyRemote(updates, fresh.length, bytes);
      } catch (err) {
        this.target.fail(err);
        return;
      }
    }
    if (top > this.caughtUpTo) this.caughtUpTo = top;
    this.highest = Math.max(this.highest, top);
    for (const id of this.ahead) if (id <= this.caughtUpTo) this.ahead.delete(id);
  }

  private receive(raw: unknown): void {
    if (this.closed) return;
    const parsed = DocBusMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.opts.log.warn({ doc: this.name, issues: parsed.error.issues.slice(0, 3) }, 'collab bus message does not validate; catching up from the store');
      void this.catchUp('invalid');
      return;
    }
    if (this.buffered) this.buffered.push(parsed.data);
    else this.handle(parsed.data);
  }

  private handle(message: DocBusMessage): void {
    switch (message.kind) {
      case 'update': {
        const gap = this.hear(message.epoch, message.seq);
        if (message.id > this.caughtUpTo && !this.ahead.has(message.id)) {
          let pending = false;
          try {
            ({ pending } = this.target.applyRemote([message.update], 1, message.update.byteLength));
          } catch (err) {
            // Stored, yet does not apply here: reload from the store (the load skips a bad entry).
            this.target.fail(err);
            return;
          }
          this.opts.metrics.remoteUpdates.inc();
          this.note(message.id);
          if (pending) void this.catchUp('pending');
        }
        if (gap) void this.catchUp('gap');
        break;
      }
      case 'mark':
        if (this.hear(message.epoch, message.seq, true)) void this.catchUp('gap');
        break;
      case 'awareness':
        this.target.applyRemoteAwareness(message.update);
        break;
      case 'awareness-query': {
        const mine = this.target.localAwareness();
        if (mine) this.publishAwareness(mine);
        break;
      }
    }
  }

  /**
   * Records `seq` from `epoch`; true when messages before it may be missing. A first message from
   * an epoch past seq 1 counts too (its earlier entries may predate our load, or may be lost).
   */
  private hear(epoch: string, seq: number, isMark = false): boolean {
    const last = this.heard.get(epoch) ?? 0;
    if (seq > last) this.heard.set(epoch, seq);
    return isMark ? seq > last : seq > last + 1;
  }

  private note(id: number): void {
    if (id > this.caughtUpTo) this.ahead.add(id);
    if (id > this.highest) this.highest = id;
  }
}
