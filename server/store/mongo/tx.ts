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
