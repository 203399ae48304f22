import type { Database } from 'better-sqlite3';

interface Pending {
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** Caps one batch so a flood cannot make a single transaction (and its callers' wait) unbounded. */
const MAX_BATCH = 1000;

/**
 * Group commit. Writes queued during one turn of the event loop run in a single IMMEDIATE
 * transaction, each inside its own savepoint, and share one fsync; every caller's promise settles
 * only after that COMMIT returned, so an ack that follows it is durable. One write failing rolls
 * back its savepoint only; a failed COMMIT rejects the whole batch.
 *
 * While a commit's fsync blocks the thread, new socket data waits in the kernel and is picked up
 * by the next poll phase: the batch size grows with load, which is what keeps throughput up.
 */
export class WriteQueue {
  private pending: Pending[] = [];
  private scheduled = false;
  private idle: Array<() => void> = [];
  private readonly begin;
  private readonly commit;
  private readonly rollback;
  private readonly savepoint;
  private readonly release;
  private readonly rollbackTo;

  /** Number of batches and writes committed (exported as metrics). */
  readonly stats = { batches: 0, writes: 0 };

  constructor(private readonly db: Database) {
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
    this.savepoint = db.prepare('SAVEPOINT w');
    this.release = db.prepare('RELEASE w');
    this.rollbackTo = db.prepare('ROLLBACK TO w');
  }

  /** Runs `fn` inside the next batch's transaction; resolves with its result after the commit. */
  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Resolves once every write queued so far has been committed (or failed). */
  drain(): Promise<void> {
    if (!this.scheduled && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private flush(): void {
    const batch = this.pending.splice(0, MAX_BATCH);
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; err: unknown }> = [];
    try {
      this.begin.run();
      try {
        for (const item of batch) {
          this.savepoint.run();
          try {
            outcomes.push({ ok: true, value: item.fn() });
            this.release.run();
          } catch (err) {
            this.rollbackTo.run();
            this.release.run();
            outcomes.push({ ok: false, err });
          }
        }
        this.commit.run();
      } catch (err) {
        if (this.db.inTransaction) this.rollback.run();
        throw err;
      }
    } catch (err) {
      for (const item of batch) item.reject(err);
      this.afterFlush();
      return;
    }
    this.stats.batches += 1;
    this.stats.writes += batch.length;
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.err);
    });
    this.afterFlush();
  }

  private afterFlush(): void {
    if (this.pending.length > 0) {
      setImmediate(() => this.flush());
      return;
    }
    this.scheduled = false;
    const waiters = this.idle.splice(0);
    for (const resolve of waiters) resolve();
  }
}
