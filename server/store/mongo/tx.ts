import type { ClientSession, Connection } from 'mongoose';
import type { TransactionOptions } from 'mongodb';

/** What an ack depends on: acknowledged by a majority of the replica set, and in its journal. */
export const DURABLE = { w: 'majority', j: true } as const;

const TX_OPTIONS: TransactionOptions = { readConcern: { level: 'snapshot' }, writeConcern: DURABLE, readPreference: 'primary' };

/** The duplicate-key error of a unique index. */
export const isDuplicateKey = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === 11000;

/**
 * Transactions, with two jobs:
 * - `session.withTransaction` retries the whole callback on TransientTransactionError (a write
 *   conflict with another node, a primary step-down) and the commit on UnknownTransactionCommitResult;
 *   callbacks only touch the database through the session, so a retry is safe.
 * - Writers of this process that touch the same counter (one room, one doc, the feed) queue per
 *   key first: they would only write-conflict and retry against each other. Across processes
 *   MongoDB's conflict detection does that job.
 */
export class Transactions {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly conn: Connection) {}

  async run<T>(key: string, fn: (session: ClientSession) => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await this.once(fn);
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** A consistent read of several collections (a snapshot), without queueing behind writers. */
  read<T>(fn: (session: ClientSession) => Promise<T>): Promise<T> {
    return this.once(fn);
  }

  private async once<T>(fn: (session: ClientSession) => Promise<T>): Promise<T> {
    const session = await this.conn.startSession();
    try {
      let result!: T;
      await session.withTransaction(async (s) => {
        result = await fn(s);
      }, TX_OPTIONS);
      return result;
    } finally {
      await session.endSession();
    }
  }
}

/** Next value of a counter, allocated inside the caller's transaction. */
export async function nextCounter(m: { counters: import('./models.js').Models['counters'] }, id: string, session: ClientSession): Promise<number> {
  const doc = await m.counters.findOneAndUpdate({ _id: id }, { $inc: { seq: 1 } }, { upsert: true, new: true, session, lean: true });
  return doc!.seq;
}

/** One item's outcome in a batch: its value, or the error that item alone fails with. */
export type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

/**
 * Group commit per key: items submitted while a batch of the same key is in its transaction wait
 * and go together in the next one, so N concurrent appends to one room (or one document) cost one
 * transaction and one majority commit instead of N serialised ones. `run` is given the items in
 * submission order and returns one outcome per item; it may be called again for the same items
 * when the driver retries a transient transaction error.
 */
export class GroupCommit<I, O> {
  private readonly pending = new Map<string, Array<{ item: I; resolve: (o: O) => void; reject: (e: unknown) => void }>>();

  constructor(
    private readonly tx: Transactions,
    private readonly run: (key: string, items: I[], session: ClientSession) => Promise<Array<Outcome<O>>>,
    /** A batch failed as a whole (a cross-node race on a unique index, say): items are retried one by one. */
    private readonly retryAlone: (err: unknown) => boolean = isDuplicateKey,
    private readonly maxBatch = 256,
  ) {}

  submit(key: string, item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      let queue = this.pending.get(key);
      const idle = !queue;
      if (!queue) this.pending.set(key, (queue = []));
      queue.push({ item, resolve, reject });
      if (idle) void this.drain(key, queue);
    });
  }

  /** Runs batches of this key until its queue is empty; items that arrive meanwhile join the next batch. */
  private async drain(key: string, queue: Array<{ item: I; resolve: (o: O) => void; reject: (e: unknown) => void }>): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, this.maxBatch);
      await this.commit(key, batch);
    }
    this.pending.delete(key);
  }

  private async commit(key: string, batch: Array<{ item: I; resolve: (o: O) => void; reject: (e: unknown) => void }>): Promise<void> {
    try {
      const outcomes = await this.tx.run(key, (session) => this.run(key, batch.map((b) => b.item), session));
      outcomes.forEach((o, i) => (o.ok ? batch[i]!.resolve(o.value) : batch[i]!.reject(o.error)));
    } catch (err) {
      if (batch.length > 1 && this.retryAlone(err)) {
        for (const b of batch) await this.commit(key, [b]);
        return;
      }
      for (const b of batch) b.reject(err);
    }
  }
}
