import type { Database } from 'better-sqlite3';

interface Pending {
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown };

/** Caps one batch so a flood cannot make a single transaction (and its callers' wait) unbounded. */
const MAX_BATCH = 1000;

const settled = Promise.resolve();

export interface WriteQueueOptions {
  /**
   * Makes every transaction committed so far durable (an fsync of the WAL), without blocking the
   * event loop. When given, the connection runs with synchronous=NORMAL (COMMIT only writes the
   * WAL) and each batch settles after `sync` resolved. Without it, COMMIT itself must be durable
   * (synchronous=FULL) and blocks the thread for its fsync.
   */
  sync?: () => Promise<void>;
  /**
   * Least time between the starts of two batches, in ms (0: start as soon as the previous one is
   * durable). Waiting a little lets more writes share a BEGIN/COMMIT and an fsync, each costing
   * the event loop about as much CPU as the writes themselves when batches hold 2–3 writes. A
   * write never waits longer than this, and under light load not at all (the previous batch
   * started long ago).
   */
  minIntervalMs?: number;
  /**
   * How long a batch may wait for another process's write lock (two nodes on one file), in ms.
   * When given, BEGIN IMMEDIATE runs with busy_timeout 0 and a BEGIN that finds the lock held is
   * retried from a timer (1, 2, 5, 10, 10… ms) until this long has passed, so the event loop keeps
   * serving meanwhile; SQLite's own busy handler would sleep on this thread instead (issue 17).
   * Without it, BEGIN waits in the busy handler for the connection's busy_timeout.
   */
  lockTimeoutMs?: number;
  /** Told each time a BEGIN found the write lock held, and how long the batch waited for it in all (s). */
  onLockWait?: (seconds: number) => void;
}

/** Waits between BEGIN attempts while another process holds the write lock, ms (the last one repeats). */
const LOCK_RETRY_MS = [1, 2, 5, 10];

const isBusy = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === 'SQLITE_BUSY';

/**
 * Group commit. Writes queued while the previous batch was committing run in a single IMMEDIATE
 * transaction, each inside its own savepoint, and share one fsync; every caller's promise settles
 * only after that fsync returned, so an ack that follows it is durable. One write failing rolls
 * back its savepoint only; a failed COMMIT rejects the whole batch.
 *
 * With `sync`, the fsync runs on the libuv pool while the event loop keeps serving sockets and
 * queueing the next batch (one batch is in flight at a time, so commits stay in order). Reads
 * outside a write await `durable()` first, so no client is shown a row that a power loss could
 * still take back (SQLite makes a commit visible when COMMIT returns, before our fsync).
 */
export class WriteQueue {
  private pending: Pending[] = [];
  /** A batch is scheduled, committing or syncing. */
  private busy = false;
  /** When the last batch started (performance.now()). */
  private lastStart = Number.NEGATIVE_INFINITY;
  /** Settles once the batch committed last is durable; null when nothing is waiting for its fsync. */
  private syncing: Promise<void> | null = null;
  /** A failed fsync: what the disk holds is unknown, so every later write is refused (until restart). */
  private failure: Error | null = null;
  private idle: Array<() => void> = [];
  private readonly begin;
  private readonly commit;
  private readonly rollback;
  private readonly savepoint;
  private readonly release;
  private readonly rollbackTo;
  private readonly busyTimeout: number;

  /** Number of batches and writes committed (exported as metrics). */
  readonly stats = { batches: 0, writes: 0, lockWaits: 0 };

  constructor(
    private readonly db: Database,
    private readonly opts: WriteQueueOptions = {},
  ) {
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
    this.savepoint = db.prepare('SAVEPOINT w');
    this.release = db.prepare('RELEASE w');
    this.rollbackTo = db.prepare('ROLLBACK TO w');
    this.busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
  }

  /** Runs `fn` inside the next batch's transaction; resolves with its result once it is durable. */
  run<T>(fn: () => T): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  /**
   * Resolves once nothing committed is still waiting for its fsync. A read run right after it
   * (before yielding to the event loop) sees only durable data. Immediate when no fsync is in flight.
   */
  durable(): Promise<void> {
    return this.syncing ?? settled;
  }

  /** Resolves once every write queued so far has been committed and synced (or failed). */
  drain(): Promise<void> {
    if (!this.busy && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** The fsync failure that stopped this queue, if any (readiness reports it). */
  get failed(): Error | null {
    return this.failure;
  }

  private schedule(): void {
    if (this.busy || this.pending.length === 0) return;
    this.busy = true;
    // setTimeout cannot wait less than 1 ms; below that the next turn of the loop is as good.
    const wait = this.lastStart + (this.opts.minIntervalMs ?? 0) - performance.now();
    if (wait >= 1) setTimeout(() => this.flush(), wait);
    else setImmediate(() => this.flush());
  }

  private flush(waitedSince?: number, attempt = 0): void {
    this.lastStart = performance.now();
    if (this.opts.lockTimeoutMs !== undefined) {
      let began: true | { err: unknown };
      try {
        began = this.tryBegin();
      } catch (err) {
        for (const item of this.pending.splice(0, MAX_BATCH)) item.reject(err);
        this.done();
        return;
      }
      if (began !== true) {
        const since = waitedSince ?? this.lastStart;
        const waited = performance.now() - since;
        if (attempt === 0) this.stats.lockWaits += 1;
        if (waited < this.opts.lockTimeoutMs) {
          const delay = Math.min(LOCK_RETRY_MS[Math.min(attempt, LOCK_RETRY_MS.length - 1)]!, this.opts.lockTimeoutMs - waited);
          setTimeout(() => this.flush(since, attempt + 1), delay);
          return;
        }
        this.opts.onLockWait?.(waited / 1000);
        for (const item of this.pending.splice(0, MAX_BATCH)) item.reject(began.err);
        this.done();
        return;
      }
      if (waitedSince !== undefined) this.opts.onLockWait?.((performance.now() - waitedSince) / 1000);
    }
    // Taken once the lock is ours: writes that arrived while waiting for it join this batch.
    const batch = this.pending.splice(0, MAX_BATCH);
    let outcomes: Outcome[];
    try {
      outcomes = this.commitBatch(batch, this.opts.lockTimeoutMs === undefined);
    } catch (err) {
      for (const item of batch) item.reject(err);
      this.done();
      return;
    }
    this.stats.batches += 1;
    this.stats.writes += batch.length;
    if (!this.opts.sync) {
      settle(batch, outcomes);
      this.done();
      return;
    }
    this.syncing = this.opts.sync().then(
      () => {
        this.syncing = null;
        settle(batch, outcomes);
        this.done();
      },
      (err: unknown) => {
        this.syncing = null;
        this.failure = new Error('the database could not sync its write-ahead log; writes are refused until a restart', { cause: err });
        for (const item of batch) item.reject(this.failure);
        this.done();
      },
    );
  }

  /** BEGIN IMMEDIATE without waiting in SQLite's busy handler: true, or the SQLITE_BUSY error when another process holds the lock. */
  private tryBegin(): true | { err: unknown } {
    // Not prepared once: SQLite applies this pragma when the statement is compiled, not when it runs.
    this.db.pragma('busy_timeout = 0');
    try {
      this.begin.run();
      return true;
    } catch (err) {
      if (isBusy(err)) return { err };
      throw err;
    } finally {
      this.db.pragma(`busy_timeout = ${this.busyTimeout}`); // reads outside a write keep SQLite's own wait
    }
  }

  /** (BEGIN unless already begun,) each write in its savepoint, COMMIT: synchronous, on the one connection. */
  private commitBatch(batch: Pending[], begin: boolean): Outcome[] {
    const outcomes: Outcome[] = [];
    if (begin) {
      // SQLite's busy handler sleeps at least 1 ms when the lock is held: a BEGIN this slow waited for it.
      const t = performance.now();
      this.begin.run();
      const took = performance.now() - t;
      if (took >= 1) {
        this.stats.lockWaits += 1;
        this.opts.onLockWait?.(took / 1000);
      }
    }
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
    return outcomes;
  }

  /** After a batch settled: start the next one, or wake drain() callers. */
  private done(): void {
    this.busy = false;
    if (this.failure) {
      for (const item of this.pending.splice(0)) item.reject(this.failure);
    }
    if (this.pending.length > 0) {
      this.schedule();
      return;
    }
    for (const resolve of this.idle.splice(0)) resolve();
  }
}

function settle(batch: Pending[], outcomes: Outcome[]): void {
  batch.forEach((item, i) => {
    const outcome = outcomes[i]!;
    if (outcome.ok) item.resolve(outcome.value);
    else item.reject(outcome.err);
  });
}
