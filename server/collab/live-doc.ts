import { uint32 } from 'lib0/random';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { AppError } from '../../shared/errors.js';
import { CollabClose } from '../../shared/events.js';
import type { Logger } from '../log.js';
import type { Bus } from '../scale/bus.js';
import type { DocStore, StoredDoc } from '../store/port.js';
import type { CollabMetrics } from './metrics.js';
import { encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate } from './protocol.js';
import { findDefect, replay } from './update-check.js';
import { filterAwarenessUpdate } from './awareness-filter.js';
import { ServerLimits } from '../limits.js';
import { DocSync, REMOTE_ORIGIN } from './doc-sync.js';
import { newYDoc } from './ydoc.js';

/** One client connection, as a document sees it. */
export interface Peer {
  /** Queues a frame to the client (dropped once the connection is closing). */
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
  /** The document is ready and the peer was greeted: it may now process the frames it holds. */
  start(): void;
}

/** Who made an update: a connection, or the server itself (templates, evidence links). */
export const SERVER_ORIGIN = Symbol('server');
export type Origin = Peer | typeof SERVER_ORIGIN;

/** Prepares a freshly loaded document before its first client syncs (e.g. creates the root structure). */
export interface DocInit {
  needed(doc: Y.Doc): boolean;
  apply(doc: Y.Doc): void;
  /** Why a client's decoded update would leave the document's schema, or null: such updates are refused before they are stored. */
  offSchema?(decoded: ReturnType<typeof Y.decodeUpdate>, doc: Y.Doc, pending: Iterable<ReturnType<typeof Y.decodeUpdate>>): string | null;
}

export interface LiveDocOptions {
  store: DocStore;
  log: Logger;
  metrics: CollabMetrics;
  /** Compact the log once it holds this many entries, or this many bytes. */
  compactAfterUpdates: number;
  compactAfterBytes: number;
  /** Largest encoded document; an update that would pass it is refused. */
  maxDocBytes: number;
  init?: DocInit;
  /** How this node hears other nodes' updates and awareness (absent: a node alone). */
  bus?: Bus;
}

export type LiveDocState = 'loading' | 'ready' | 'closed';

interface PeerState {
  started: boolean;
  /** Awareness client ids this connection announced: removed for everyone when it closes. */
  clients: Set<number>;
}

/** hasRoomFor re-measures the document once the log grew by this share of the last measured size. */
const MEASURE_MARGIN = 0.1;

/** How long to wait before retrying a compaction that failed, in ms. */
const COMPACT_RETRY_MS = 5_000;

/**
 * One collaborative document in memory: the Y.Doc, its connections and its awareness.
 *
 * Invariant: the Y.Doc holds exactly the stored state. An update is appended to the store first
 * and applied (then relayed) only once the append resolved, in arrival order; so a client syncing
 * against this document never receives anything that is not durable, and a failed load or a
 * failed append leaves nothing behind that the store lacks.
 */
export class LiveDoc {
  /**
   * The document. Replaced (only while loading, before anyone else sees it) when a stored entry
   * failed to apply and the replay had to start over on a fresh document.
   */
  doc = newYDoc();
  state: LiveDocState = 'loading';
  /** Holders: connections plus server-side reads and edits in progress (managed by the registry). */
  refs = 0;
  idleTimer: NodeJS.Timeout | null = null;
  /** Settles when the load finished: resolves when ready, rejects with AppError INTERNAL when it failed. */
  readonly ready: Promise<void>;

  private readonly peers = new Map<Peer, PeerState>();
  /** Relays each change of the live document (registered once it is loaded). */
  private readonly onUpdate = (update: Uint8Array, origin: unknown) => this.relay(encodeUpdate(update), origin as Origin);
  /** Decoded client updates accepted but not applied yet (being stored), for the schema check. */
  private readonly unapplied = new Set<ReturnType<typeof Y.decodeUpdate>>();
  private awareness: Awareness | null = null;
  /** Which connection announced each awareness client id (an id has one owner at a time). */
  private readonly owners = new Map<number, Peer>();
  private prepared: Promise<void> | null = null;
  /** The apply-and-relay chain: one link per submitted update, in arrival order. */
  private tail: Promise<void> = Promise.resolve();
  /** Server edits run one after another, each on the state the previous one left. */
  private edits: Promise<unknown> = Promise.resolve();
  private compaction: Promise<void> | null = null;
  /**
   * The Yjs client id of this document's server edits. One per load rather than one per edit, so
   * server edits do not add a state-vector entry each; safe because edits run one at a time, each
   * on a copy that already holds the previous one.
   */
  private readonly serverClientId = uint32();
  private compactNotBefore = 0;
  private compactRetry: NodeJS.Timeout | null = null;
  /** Keeps the document current with what other nodes store (see doc-sync.ts). */
  private readonly sync: DocSync;
  /** Estimates (other nodes append and compact too): entries and bytes applied since the snapshot. */
  private logCount = 0;
  private logBytes = 0;
  private snapshotBytes = 0;
  private inflightBytes = 0;
  /** The last measured encoded size, and snapshot + log bytes at that moment (see hasRoomFor). */
  private measured: { docBytes: number; atStored: number } | null = null;
  private resolveReady!: () => void;
  private rejectReady!: (err: unknown) => void;

  constructor(
    readonly name: string,
    private readonly opts: LiveDocOptions,
    /** Called once when the document closes, whatever the reason (unload, failure, shutdown). */
    private readonly onClose: (doc: LiveDoc) => void = () => {},
  ) {
    this.ready = new Promise<void>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // Nobody may be waiting when a load fails; the rejection is still delivered to later awaits.
    this.ready.catch(() => {});
    this.sync = new DocSync(
      name,
      {
        applyRemote: (updates, entries, bytes) => this.applyRemote(updates, entries, bytes),
        applyRemoteAwareness: (update) => this.applyRemoteAwareness(update),
        localAwareness: () => this.localAwareness(),
        fail: (err) => this.failRemote(err),
      },
      opts,
    );
  }

  /**
   * Reads snapshot and log and applies them. On failure the document is closed (its connections
   * get 1011) and nothing is written: the stored state stays as it was for the next attempt.
   */
  async load(): Promise<void> {
    const started = performance.now();
    let upTo = 0;
    try {
      // Before the read: an entry another node stores after it is then heard on the bus.
      this.sync.start();
      const stored = await this.opts.store.load(this.name);
      if (this.state !== 'loading') return;
      const { doc, skipped } = replay(this.doc, stored.snapshot, stored.updates);
      if (doc !== this.doc) {
        this.doc.destroy();
        this.doc = doc;
      }
      for (const { id, err } of skipped) {
        // Kept in the store (never delete on a read); the next compaction leaves it out of its snapshot.
        this.opts.log.error({ err, doc: this.name, entry: id }, 'a stored collab update does not apply; skipped');
        this.opts.metrics.entriesSkipped.inc();
      }
      upTo = stored.updates.at(-1)?.id ?? stored.snapshotUpTo;
      this.logCount = stored.updates.length;
      this.logBytes = stored.updates.reduce((n, u) => n + u.update.byteLength, 0);
      this.snapshotBytes = stored.snapshot?.byteLength ?? 0;
    } catch (err) {
      this.opts.metrics.loadFailures.inc();
      this.opts.log.error({ err, doc: this.name }, 'collab document failed to load');
      this.rejectReady(new AppError('INTERNAL', 'the document could not be loaded'));
      this.close(CollabClose.INTERNAL, 'document failed to load');
      throw err;
    }
    this.opts.metrics.loadSeconds.observe((performance.now() - started) / 1000);
    this.state = 'ready';
    // Registered only now: applying the stored state above must not be relayed to anyone.
    this.doc.on('update', this.onUpdate);
    // Now, not at the first greeting: other nodes' awareness may arrive from here on.
    this.awareness ??= this.createAwareness();
    this.sync.loaded(upTo);
    this.resolveReady();
    this.maybeCompact();
    for (const peer of this.peers.keys()) this.startWhenPrepared(peer);
  }

  /** Adds a connection. It is greeted (sync step 1, awareness) once the document is ready and prepared. */
  attach(peer: Peer): void {
    if (this.state === 'closed') {
      peer.close(CollabClose.INTERNAL, 'document is closed');
      return;
    }
    this.peers.set(peer, { started: false, clients: new Set() });
    if (this.state === 'ready') this.startWhenPrepared(peer);
  }

  /** Removes a connection and, for everyone else, the awareness states it announced. */
  detach(peer: Peer): void {
    const state = this.peers.get(peer);
    if (!state) return;
    this.peers.delete(peer);
    if (this.awareness && state.clients.size > 0) removeAwarenessStates(this.awareness, [...state.clients], null);
  }

  /** The reply to a peer's sync step 1: what our (durable) state has that its state vector lacks. */
  syncStep2(stateVector: Uint8Array): Uint8Array {
    return encodeSyncStep2(this.doc, stateVector);
  }

  /**
   * An update from a client (sync step 2 or update). Rejected with INVALID_INPUT when it does not
   * decode, before anything is stored; an update that carries nothing is dropped.
   */
  submitFromPeer(update: Uint8Array, peer: Peer): Promise<void> {
    let decoded;
    try {
      decoded = Y.decodeUpdate(update);
    } catch {
      return Promise.reject(new AppError('INVALID_INPUT', 'the update does not decode'));
    }
    if (decoded.structs.length === 0 && decoded.ds.clients.size === 0) return Promise.resolve();
    // Decodes but would throw when applied: refused before it is stored.
    const defect = findDefect(decoded);
    if (defect) return Promise.reject(new AppError('INVALID_INPUT', `the update cannot be applied: ${defect}`));
    // Off-schema structure (issue 13: 20,000 nested maps under an unknown key) is refused before it is stored.
    const offSchema = this.state === 'ready' ? (this.opts.init?.offSchema?.(decoded, this.doc, this.unapplied) ?? null) : null;
    if (offSchema) return Promise.reject(new AppError('INVALID_INPUT', `the update leaves the document's schema: ${offSchema}`));
    // Until applied, later updates from the same editor may build on this one: the check looks here too.
    this.unapplied.add(decoded);
    const applied = this.submit(update, peer);
    void applied.finally(() => this.unapplied.delete(decoded)).catch(() => {});
    return applied;
  }

  /**
   * Stores `update`, then applies it and relays it to every other started connection. Appends
   * start at once (they share the store's group commit); applying follows arrival order. Resolves
   * once applied; rejects when the append failed (the document itself is unchanged then).
   */
  submit(update: Uint8Array, origin: Origin): Promise<void> {
    if (this.state !== 'ready') return Promise.reject(new AppError('INTERNAL', 'the document is not open'));
    if (this.compaction) this.opts.metrics.appendsDuringCompaction.inc();
    const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', `the document would exceed ${this.opts.maxDocBytes} bytes`);
    // Well within the limit even if everything in flight only added bytes: store at once. Otherwise
    // judge it on the document it builds on, once the updates before it were applied: counting them
    // in full refused a valid burst (eight 1 MB replacements of one key on a 1 MB document; issue 13).
    const fits = this.snapshotBytes + this.logBytes + this.inflightBytes + update.byteLength <= this.opts.maxDocBytes;
    this.inflightBytes += update.byteLength;
    const appended = fits
      ? this.opts.store.append(this.name, update)
      : this.tail.then(() => {
          if (this.state !== 'ready') throw new AppError('INTERNAL', 'the document is not open');
          if (!this.hasRoomFor(update.byteLength)) throw tooLarge();
          return this.opts.store.append(this.name, update);
        });
    appended.catch(() => {}); // awaited in order below; this only stops an early rejection counting as unhandled
    const applied = this.tail.then(async () => {
      let id: number;
      try {
        id = await appended;
      } finally {
        this.inflightBytes -= update.byteLength;
      }
      this.opts.metrics.updatesStored.inc();
      // Closed meanwhile (shutdown, idle unload cannot happen with updates in flight): the update is
      // durable and the next load applies it.
      if (this.state !== 'ready') return;
      this.logCount += 1;
      this.logBytes += update.byteLength;
      // What Yjs integrated before an apply throws is emitted (and relayed) all the same: kept here.
      const integrated: Uint8Array[] = [];
      const keep = (u: Uint8Array) => integrated.push(u);
      this.doc.on('update', keep);
      try {
        Y.applyUpdate(this.doc, update, origin);
      } catch (err) {
        await this.failedApply(update, id, origin, integrated, err);
        throw new AppError('INVALID_INPUT', 'the update could not be applied');
      } finally {
        this.doc.off('update', keep);
      }
      // Only now, with the store's id: other nodes apply it as stored.
      this.sync.stored(id, update);
      this.maybeCompact();
    });
    this.tail = applied.catch(() => {});
    return applied;
  }

  /**
   * An update was stored and passed every check, yet threw when applied (a defect the checks do not
   * know; issue 13 found them by mutating 1–3 bytes of a valid update). Its entry is taken back out
   * of the store (loads would skip it anyway) and only its author is refused (4400): the others
   * stay connected. A throwing apply may leave part of itself in the live document (or break its
   * internals), so the document is rebuilt from the store; whatever Yjs had already integrated and
   * relayed to the others is stored too (Yjs's own encoding of it), so the live document still holds
   * exactly the stored state. Only if that fails is the document closed (1011 for everyone).
   */
  private async failedApply(update: Uint8Array, id: number, origin: Origin, integrated: Uint8Array[], err: unknown): Promise<void> {
    this.opts.log.warn({ err, doc: this.name, entry: id }, 'a stored update failed to apply; removing it and refusing its sender');
    this.opts.metrics.entriesSkipped.inc();
    this.logCount -= 1;
    this.logBytes -= update.byteLength;
    if (origin !== SERVER_ORIGIN) origin.close(CollabClose.INVALID_INPUT, 'update cannot be applied');
    try {
      await this.opts.store.remove(this.name, id);
      const stored = await this.opts.store.load(this.name);
      if (this.state !== 'ready') return;
      // Entries after this one were appended but are applied (and relayed) by their own links.
      const { doc, skipped } = replay(newYDoc({ gc: this.doc.gc }), stored.snapshot, stored.updates.filter((u) => u.id < id));
      if (skipped.length > 0) this.opts.metrics.entriesSkipped.inc(skipped.length);
      if (integrated.length > 0) {
        const part = integrated.length === 1 ? integrated[0]! : Y.mergeUpdates(integrated);
        Y.applyUpdate(doc, part);
        const partId = await this.opts.store.append(this.name, part);
        this.logCount += 1;
        this.logBytes += part.byteLength;
        // Already relayed to this node's connections; the other nodes apply it as stored.
        this.sync.stored(partId, part);
      }
      if (this.state !== 'ready') return;
      // Root types come out of a replay as untyped placeholders until someone asks for them by
      // type; ask as the old document had them, so checks that look for a Y.Map root still find it.
      for (const [key, type] of this.doc.share) doc.get(key, type.constructor as new () => Y.AbstractType<unknown>);
      // The old document is dropped, not destroyed: the awareness instance still refers to it.
      this.doc.off('update', this.onUpdate);
      this.doc = doc;
      this.doc.on('update', this.onUpdate);
      this.measured = null;
      // The rebuilt document holds only entries below the failed one: whatever this node had applied
      // above it (other nodes' entries, the part kept above) comes back from the store. Entries of
      // this node still in the apply chain are applied again by their links, a no-op in Yjs.
      this.sync.rebuilt(id - 1);
      void this.sync.catchUp('rebuild');
    } catch (e) {
      this.opts.log.error({ err: e, doc: this.name, entry: id }, 'could not restore the document after a failed update; closing it');
      this.close(CollabClose.INTERNAL, 'document error');
    }
  }

  /**
   * Runs `fn` on a copy of the current state and submits what it changed as one server update, so
   * the live document still only ever holds stored state. Edits run one at a time, each after the
   * updates submitted before it were applied. A throw from `fn` submits nothing.
   */
  edit<T>(fn: (doc: Y.Doc) => T, clientIdIfEmpty?: number): Promise<T> {
    const run = this.edits.then(async () => {
      await this.tail;
      // On what every node stored so far, not only what this one heard of.
      await this.sync.catchUp('edit');
      if (this.state !== 'ready') throw new AppError('INTERNAL', 'the document is not open');
      const scratch = newYDoc();
      try {
        Y.applyUpdate(scratch, Y.encodeStateAsUpdate(this.doc));
        // Only now: Yjs gives a doc a fresh id when a remote update carries structs of its own id.
        scratch.clientID = clientIdIfEmpty !== undefined && scratch.store.clients.size === 0 ? clientIdIfEmpty : this.serverClientId;
        const changes: Uint8Array[] = [];
        scratch.on('update', (u: Uint8Array) => changes.push(u));
        const result = scratch.transact(() => fn(scratch));
        if (changes.length > 0) await this.submit(changes.length === 1 ? changes[0]! : Y.mergeUpdates(changes), SERVER_ORIGIN);
        return result;
      } finally {
        scratch.destroy();
      }
    });
    this.edits = run.catch(() => {});
    return run;
  }

  /**
   * Applies a peer's awareness update; the change is relayed to every connection, the sender
   * included. Entries are dropped (the rest applies) when the client id belongs to another
   * connection (no speaking for someone else), when the connection already owns
   * `collabAwarenessClientsPerConnection` ids, or when the state is larger than
   * `collabAwarenessStateBytes`. Throws on an update that does not decode.
   */
  applyAwareness(peer: Peer, update: Uint8Array): void {
    const awareness = this.awareness;
    const mine = this.peers.get(peer);
    if (!awareness || !mine) return;
    let owned = mine.clients.size;
    const kept = filterAwarenessUpdate(update, ({ clientId, stateBytes, removal }) => {
      const owner = this.owners.get(clientId);
      if (owner !== undefined && owner !== peer) return false;
      if (removal) return owner === peer;
      if (stateBytes > ServerLimits.collabAwarenessStateBytes) return false;
      if (owner === peer) return true;
      if (owned >= ServerLimits.collabAwarenessClientsPerConnection) return false;
      owned += 1;
      return true;
    });
    if (kept) applyAwarenessUpdate(awareness, kept, peer);
  }

  /** Answers a query-awareness: every state we know. */
  sendAwareness(peer: Peer): void {
    const awareness = this.awareness;
    if (awareness) peer.send(encodeAwareness(awareness, [...awareness.getStates().keys()]));
  }

  /**
   * Applies what other nodes stored since the last entry this document is sure of (one indexed
   * read): a server read after an edit acked on another node then sees it, bus messages in flight or not.
   */
  catchUp(): Promise<void> {
    return this.state === 'ready' ? this.sync.catchUp('read') : Promise.resolve();
  }

  /** Resolves when no update, edit or compaction is in flight. */
  async settled(): Promise<void> {
    for (;;) {
      const [tail, edits, compaction] = [this.tail, this.edits, this.compaction];
      await Promise.all([tail, edits, compaction]);
      if (tail === this.tail && edits === this.edits && compaction === this.compaction) return;
    }
  }

  /** Closes every connection with `code` and frees the document. Idempotent. */
  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.sync.close();
    this.rejectReady(new AppError('INTERNAL', 'the document was closed'));
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.compactRetry) clearTimeout(this.compactRetry);
    for (const peer of [...this.peers.keys()]) peer.close(code, reason);
    this.peers.clear();
    this.awareness?.destroy();
    this.awareness = null;
    this.doc.destroy();
    this.onClose(this);
  }

  /**
   * The one place frames go out to this node's connections: document updates (except to their
   * origin) and awareness changes. A cross-node bus would publish from here too.
   */
  private relay(frame: Uint8Array, except: Origin | null): void {
    for (const [peer, state] of this.peers) {
      if (state.started && peer !== except) peer.send(frame);
    }
  }

  private createAwareness(): Awareness {
    const awareness = new Awareness(this.doc);
    // The server is not a participant: it must not announce a presence of its own.
    awareness.setLocalState(null);
    awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      const from = this.peers.get(origin as Peer);
      if (from) {
        for (const id of added) {
          from.clients.add(id);
          this.owners.set(id, origin as Peer);
        }
      }
      for (const id of removed) {
        // Whoever removed it (its owner, a disconnect, the 30 s timeout): the id is free again, and
        // its meta entry goes too, below (y-protocols keeps one per id ever seen otherwise).
        const owner = this.owners.get(id);
        if (owner) this.peers.get(owner)?.clients.delete(id);
        this.owners.delete(id);
      }
      // To the sender too: its own state coming back is what keeps the provider's 30 s watchdog quiet.
      const changed = [...added, ...updated, ...removed];
      this.relay(encodeAwareness(awareness, changed), null);
      // This node's connections' changes (a disconnect's removal included) go to the other nodes;
      // theirs came from there, and a timeout happens on every node by itself.
      if (origin !== REMOTE_ORIGIN && origin !== 'timeout') this.sync.publishAwareness(encodeAwarenessUpdate(awareness, changed));
      // Encoding a removal reads the meta entry's clock, so it is dropped only after the relay.
      for (const id of removed) awareness.meta.delete(id);
    });
    return awareness;
  }

  /** Greets `peer` once the one-time preparation (DocInit) of this load is applied. */
  private startWhenPrepared(peer: Peer): void {
    this.prepared ??= this.opts.init?.needed(this.doc) ? this.prepare(this.opts.init) : Promise.resolve();
    this.prepared.then(
      () => {
        const state = this.peers.get(peer);
        if (!state || state.started || this.state !== 'ready') return;
        state.started = true;
        // Made when the first connection is greeted (the load may still replace the doc before
        // that) and kept until the document closes: an Awareness hooks the doc's destroy event for
        // good, so making one per connection would pile up listeners.
        this.awareness ??= this.createAwareness();
        peer.send(encodeSyncStep1(this.doc));
        const awareness = this.awareness;
        if (awareness && awareness.getStates().size > 0) peer.send(encodeAwareness(awareness, [...awareness.getStates().keys()]));
        peer.start();
      },
      (err: unknown) => {
        this.opts.log.error({ err, doc: this.name }, 'collab document could not be prepared');
        this.prepared = null; // the next connection tries again
        peer.close(CollabClose.INTERNAL, 'document could not be prepared');
      },
    );
  }

  /**
   * Whether `bytes` more keep the document (as applied so far: called once the updates before it
   * were applied) within its size limit. The cheap estimate (snapshot +
   * log) counts superseded entries too, so past it the document is measured (encoded); that
   * measurement is reused, plus whatever the log grew by since, until the log grew by
   * MEASURE_MARGIN of the measured size: re-encoding a large document on every keystroke would
   * stall the event loop. The reuse only over-counts (growth is added in full), never lets a
   * document pass the limit.
   */
  private hasRoomFor(bytes: number): boolean {
    const max = this.opts.maxDocBytes;
    const stored = this.snapshotBytes + this.logBytes;
    if (stored + bytes <= max) return true;
    const m = this.measured;
    if (!m || stored < m.atStored || stored - m.atStored > m.docBytes * MEASURE_MARGIN) {
      this.opts.metrics.docMeasures.inc();
      this.measured = { docBytes: Y.encodeStateAsUpdate(this.doc).byteLength, atStored: stored };
    }
    const { docBytes, atStored } = this.measured!;
    return docBytes + (stored - atStored) + bytes <= max;
  }

  /**
   * Past the threshold, asks the store to replace the log with a snapshot. Other nodes append and
   * compact the same log, so the local counts only say when to look: the store's figures decide,
   * after a catch-up, and the log is compacted up to the highest entry this node knows. The snapshot
   * is built from what is stored (stored snapshot + entries up to that bound, read inside the
   * compaction's write transaction), not from this process's doc: entries it never applied are
   * merged, never deleted unmerged. Entries appended meanwhile have higher ids and stay in the log.
   * Only a node's own appends (and its load) trigger it, so the nodes holding one document do not
   * all compact at once on every update.
   */
  private maybeCompact(): void {
    if (this.compaction || this.state !== 'ready' || Date.now() < this.compactNotBefore) return;
    if (this.logCount < this.opts.compactAfterUpdates && this.logBytes < this.opts.compactAfterBytes) return;
    this.compaction = this.compact().then(
      () => {
        this.compaction = null;
        this.maybeCompact();
      },
      (err: unknown) => {
        this.opts.log.warn({ err, doc: this.name }, 'collab compaction failed; will retry');
        this.compaction = null;
        this.retryCompactLater();
      },
    );
  }

  private async compact(): Promise<void> {
    await this.sync.catchUp('compaction');
    let stats = await this.opts.store.stats(this.name);
    if (stats.updates >= this.opts.compactAfterUpdates || stats.updateBytes >= this.opts.compactAfterBytes) {
      const build = (stored: StoredDoc): Uint8Array => {
        const { doc, skipped } = replay(newYDoc(), stored.snapshot, stored.updates);
        try {
          for (const { id, err } of skipped) {
            this.opts.log.error({ err, doc: this.name, entry: id }, 'a stored collab update does not apply; compaction leaves it out');
            this.opts.metrics.entriesSkipped.inc();
          }
          return Y.encodeStateAsUpdate(doc);
        } finally {
          doc.destroy();
        }
      };
      const { compacted } = await this.opts.store.compact(this.name, build, this.sync.highest);
      if (compacted) {
        this.opts.metrics.compactions.inc();
        stats = await this.opts.store.stats(this.name);
      } else {
        // Another node's snapshot already covers it: look again later rather than at every update.
        this.retryCompactLater();
      }
    }
    this.logCount = stats.updates;
    this.logBytes = stats.updateBytes;
    this.snapshotBytes = stats.snapshotBytes;
  }

  /** Holds compaction off for COMPACT_RETRY_MS, then looks again even if no update comes meanwhile. */
  private retryCompactLater(): void {
    this.compactNotBefore = Date.now() + COMPACT_RETRY_MS;
    if (this.compactRetry) return;
    this.compactRetry = setTimeout(() => {
      this.compactRetry = null;
      this.maybeCompact();
    }, COMPACT_RETRY_MS + 1);
    this.compactRetry.unref();
  }

  /** Applies entries (and maybe a snapshot) another node stored, as one change relayed to every local connection. */
  private applyRemote(updates: Uint8Array[], entries: number, bytes: number): { pending: boolean } {
    if (this.state !== 'ready') return { pending: false };
    this.doc.transact(() => {
      for (const update of updates) Y.applyUpdate(this.doc, update);
    }, REMOTE_ORIGIN);
    this.logCount += entries;
    this.logBytes += bytes;
    return { pending: this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null };
  }

  /** A stored entry from another node does not apply: the doc may hold part of it, so it reloads (skipping the entry). */
  private failRemote(err: unknown): void {
    this.opts.log.error({ err, doc: this.name }, 'a collab update stored by another node does not apply; closing the document');
    this.opts.metrics.entriesSkipped.inc();
    this.close(CollabClose.INTERNAL, 'document error');
  }

  private applyRemoteAwareness(update: Uint8Array): void {
    if (!this.awareness) return;
    try {
      applyAwarenessUpdate(this.awareness, update, REMOTE_ORIGIN);
    } catch (err) {
      this.opts.log.warn({ err, doc: this.name }, 'an awareness update from another node does not decode; dropped');
    }
  }

  /** The states this node's own connections announced (what another node asks for when it loads). */
  private localAwareness(): Uint8Array | null {
    const awareness = this.awareness;
    const ids = [...this.owners.keys()].filter((id) => awareness?.getStates().has(id));
    return awareness && ids.length > 0 ? encodeAwarenessUpdate(awareness, ids) : null;
  }

  /**
   * The one-time DocInit of a load, checked again inside the edit (after its catch-up: another node
   * may have prepared the document already). On an empty document the edit writes with a client id
   * every node derives alike from the name, so two nodes preparing it at once store identical items,
   * which Yjs merges into one (two random ids would race on the root keys and one list would be lost).
   */
  private prepare(init: DocInit): Promise<void> {
    return this.edit((d) => {
      if (init.needed(d)) init.apply(d);
    }, initClientId(this.name)).then(() => {});
  }
}

/** A Yjs client id from a document name (FNV-1a, 32 bits): the same on every node. */
function initClientId(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}
