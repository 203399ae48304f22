import * as Y from 'yjs';
import { AppError } from '../../shared/errors.js';
import { CollabClose } from '../../shared/events.js';
import type { Logger } from '../log.js';
import { LiveDoc, type LiveDocOptions } from './live-doc.js';
import { replay } from './update-check.js';
import { newYDoc } from './ydoc.js';

export interface RegistryOptions extends LiveDocOptions {
  /** How long a document with no holders stays loaded, in ms (0 = unload as soon as it settles). */
  idleUnloadMs: number;
  log: Logger;
}

/**
 * Server-side access to collaborative documents, loaded or not: what RoadmapService (and any
 * other feature) uses. Reads see the stored state; edits are persisted and relayed like any update.
 */
export interface DocAccess {
  /** Runs `fn` on the document (loading it first when needed). Do not keep `doc` past the call. */
  read<T>(name: string, fn: (doc: Y.Doc) => T): Promise<T>;
  /**
   * Like read, for background readers that walk every room (the reminder scheduler): a document
   * nobody holds is read from the store into a scratch copy instead of being loaded, so a walk
   * neither keeps N documents in memory nor makes them all unload at the same moment later (a
   * 51 ms event-loop stall for 1,000 documents, measured).
   */
  peek<T>(name: string, fn: (doc: Y.Doc) => T): Promise<T>;
  /** Applies `fn`'s changes as one server update: stored, then applied and relayed to editors. */
  edit<T>(name: string, fn: (doc: Y.Doc) => T): Promise<T>;
}

/**
 * The documents this node holds in memory, one LiveDoc per name. A document is loaded by its
 * first holder (a connection, a read or an edit) and unloaded once it has had no holder for
 * `idleUnloadMs` and nothing is in flight, so memory is returned.
 */
export class DocRegistry implements DocAccess {
  private readonly docs = new Map<string, LiveDoc>();
  private closed = false;

  constructor(private readonly opts: RegistryOptions) {}

  /** The live document for `name`, loading it when needed. Every acquire needs one release. */
  acquire(name: string): LiveDoc {
    if (this.closed) throw new AppError('INTERNAL', 'the server is shutting down');
    let doc = this.docs.get(name);
    if (!doc) {
      // However it closes (a failed load included), it is forgotten, so the next holder loads afresh.
      doc = new LiveDoc(name, this.opts, (closed) => this.forget(closed));
      this.docs.set(name, doc);
      this.opts.metrics.docsLoaded.set(this.docs.size);
      doc.load().catch(() => {}); // logged, counted and closed inside; holders see `ready` reject
    }
    doc.refs += 1;
    if (doc.idleTimer) {
      clearTimeout(doc.idleTimer);
      doc.idleTimer = null;
    }
    return doc;
  }

  /** Gives back what `acquire` returned; the last release starts the idle countdown. */
  release(doc: LiveDoc): void {
    doc.refs -= 1;
    if (doc.refs > 0 || doc.state === 'closed' || this.closed) return;
    doc.idleTimer = setTimeout(() => void this.unloadIfIdle(doc), this.opts.idleUnloadMs);
    doc.idleTimer.unref();
  }

  async read<T>(name: string, fn: (doc: Y.Doc) => T): Promise<T> {
    const doc = this.acquire(name);
    try {
      await doc.ready;
      // Loaded here for a while: another node may have stored since; a fresh load is current anyway.
      await doc.catchUp();
      return fn(doc.doc);
    } finally {
      this.release(doc);
    }
  }

  async peek<T>(name: string, fn: (doc: Y.Doc) => T): Promise<T> {
    if (this.docs.has(name)) return this.read(name, fn);
    if (this.closed) throw new AppError('INTERNAL', 'the server is shutting down');
    const stored = await this.opts.store.load(name);
    const scratch = newYDoc();
    const { doc } = replay(scratch, stored.snapshot, stored.updates);
    try {
      return fn(doc);
    } finally {
      doc.destroy();
      if (doc !== scratch) scratch.destroy(); // replay rebuilt it into a new document
    }
  }

  async edit<T>(name: string, fn: (doc: Y.Doc) => T): Promise<T> {
    const doc = this.acquire(name);
    try {
      await doc.ready;
      return await doc.edit(fn);
    } finally {
      this.release(doc);
    }
  }

  /** Names of the documents in memory (for metrics and tests). */
  loaded(): string[] {
    return [...this.docs.keys()];
  }

  /**
   * Shutdown: refuses new holders, lets every in-flight update, edit and compaction finish, then
   * closes each document's connections with 1001 so providers reconnect elsewhere or later.
   */
  async close(): Promise<void> {
    this.closed = true;
    const docs = [...this.docs.values()];
    await Promise.all(docs.map((d) => d.settled()));
    for (const doc of docs) doc.close(CollabClose.GOING_AWAY, 'server shutting down');
  }

  private async unloadIfIdle(doc: LiveDoc): Promise<void> {
    doc.idleTimer = null;
    await doc.ready.catch(() => {});
    await doc.settled();
    // A new holder may have come while we waited; it keeps the document.
    if (doc.refs > 0 || doc.state === 'closed') return;
    doc.close(CollabClose.GOING_AWAY, 'document unloaded');
    this.opts.log.debug({ doc: doc.name }, 'collab document unloaded');
  }

  private forget(doc: LiveDoc): void {
    if (this.docs.get(doc.name) === doc) this.docs.delete(doc.name);
    this.opts.metrics.docsLoaded.set(this.docs.size);
  }
}
