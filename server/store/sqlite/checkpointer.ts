import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** One checkpoint's outcome, as SQLite's `wal_checkpoint` reports it, and how long it took. */
export interface CheckpointResult {
  /** The checkpoint ran (false: another connection held the checkpoint lock, or it failed). */
  ran: boolean;
  /** A RESTART (the WAL had grown past restartBytes), not a PASSIVE one. */
  restart: boolean;
  /** How many times it tried (a RESTART tries again while readers hold the WAL, see the worker). */
  attempts: number;
  /** Frames in the WAL, and how many of them are now copied into the database file. */
  walFrames: number;
  checkpointed: number;
  seconds: number;
}

export interface CheckpointerOptions {
  file: string;
  /** How often to look for committed writes to checkpoint, in ms. */
  intervalMs: number;
  /** WAL content (frames since it was last rewound, in bytes) from which a checkpoint is a RESTART (see the worker), and how long it may wait for the lock, ms. */
  restartBytes: number;
  restartWaitMs: number;
  /** How long a RESTART keeps trying without waiting on the lock before it leaves it to the next interval, ms. */
  restartTryMs: number;
  /** Whether anything was committed since the last look (the write queue's batch count moved). */
  committed: () => boolean;
  onCheckpoint?: (r: CheckpointResult) => void;
  /** The worker could not run: the caller turns SQLite's own autocheckpoint back on. */
  onUnavailable: (err: unknown) => void;
}

/**
 * The worker: its own connection to the file, running a checkpoint when asked. PASSIVE never
 * waits for readers or writers (it copies what it can; busy_timeout 0 skips it when another
 * process is checkpointing). But a WAL is only rewound to its start when a checkpoint has copied
 * every frame and no writer came in between, which under steady writes a PASSIVE checkpoint
 * beside the writer never achieves: the file would grow without end. So once the WAL holds more
 * than `restartBytes` of frames, the checkpoint is a RESTART: it takes the write lock, copies the
 * rest and then needs every reader that still reads frames of the WAL to finish, so that the next
 * writer starts the WAL over. Waiting for those readers through busy_timeout holds the write lock
 * for SQLite's busy-handler sleeps (1, 2, 5, 10, 15, 20 ms…): with a second process reading all
 * the time that was a ~60 ms stall of every writer of both processes. So a RESTART follows a
 * PASSIVE (it only copies what came since, under the lock), and does not wait:
 * busy_timeout 0, and if a reader was there it lets go of the lock and tries again 2 ms later
 * (the readers are short), for up to `restartTryMs`, then again at the next interval. Only a WAL
 * past 4× the bound (readers never let it rewind) gets a RESTART that waits (restartWaitMs).
 * The store's BEGIN meanwhile retries from a timer, the event loop keeps serving. CommonJS
 * (`eval`), so it loads the same better-sqlite3 build from the path it is given, under tsx and
 * from dist/ alike.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
const pageBytes = db.pragma('page_size', { simple: true }) + 24; // a WAL frame: its header and one page
const pause = new Int32Array(new SharedArrayBuffer(4));
// The frames in the WAL at the last checkpoint, from its own report: what the WAL holds since it
// was last rewound. Not the file's size: a RESTART rewinds the WAL but leaves the file as large as
// it grew, so by size every checkpoint after the first RESTART would be one too. And not the
// report alone either: until the next writer starts the WAL over, a checkpoint still reports the
// frames the RESTART already copied (rewoundAt); those are no content.
let walFrames = 0;
let rewoundAt = -1;
const checkpoint = (mode, waitMs) => {
  db.pragma('busy_timeout = ' + waitMs);
  return db.pragma('wal_checkpoint(' + mode + ')')[0];
};
parentPort.on('message', (msg) => {
  if (msg === 'close') { db.close(); parentPort.close(); return; }
  const started = performance.now();
  const walBytes = walFrames * pageBytes;
  const restart = walBytes > workerData.restartBytes;
  let attempts = 1;
  try {
    let r;
    if (!restart) r = checkpoint('PASSIVE', 0);
    else if (walBytes > 4 * workerData.restartBytes) r = checkpoint('RESTART', workerData.restartWaitMs);
    else {
      // Copy what can be copied first without the write lock, so that the RESTART holds it only
      // for the frames committed since (holding it through copying 500 ms of frames and the
      // database file's fsync was ~25 ms of every writer waiting, one node included).
      checkpoint('PASSIVE', 0);
      r = checkpoint('RESTART', 0);
      while (r.busy !== 0 && performance.now() - started < workerData.restartTryMs) {
        Atomics.wait(pause, 0, 0, 2);
        r = checkpoint('RESTART', 0);
        attempts++;
      }
    }
    // After a RESTART that ran, the next writer starts the WAL over.
    if (restart && r.busy === 0) rewoundAt = r.log;
    else if (r.log !== rewoundAt) rewoundAt = -1;
    walFrames = rewoundAt >= 0 ? 0 : r.log;
    parentPort.postMessage({ ran: r.busy === 0, restart, attempts, walFrames: r.log, checkpointed: r.checkpointed, seconds: (performance.now() - started) / 1000 });
  } catch (err) {
    parentPort.postMessage({ ran: false, restart, attempts, walFrames: -1, checkpointed: -1, seconds: (performance.now() - started) / 1000, error: String(err) });
  }
});
`;

/**
 * Checkpoints the WAL from a worker thread instead of inside a COMMIT (issue 17). SQLite's
 * autocheckpoint runs in the COMMIT that crosses 1,000 WAL pages, on the event loop: it copies
 * every page dirtied since the last one and fsyncs the database file, stalling every socket of
 * the node meanwhile. With two processes on one file a checkpoint cannot finish while the other
 * reads, so every later COMMIT tried again: the cluster bench's tails grew run after run. Here the
 * store's connection has autocheckpoint off, and every `intervalMs` (when something was committed)
 * a worker's connection runs a PASSIVE checkpoint, on the second core when there is one.
 * Durability is untouched: acks still wait for their WAL fsync; a checkpoint only moves committed
 * pages into the database file. The worker starts with the first checkpoint, so a store that
 * never writes never starts one.
 */
export class Checkpointer {
  private worker: Worker | null = null;
  private inFlight: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly opts: CheckpointerOptions) {
    this.timer = setInterval(() => {
      if (!this.inFlight && opts.committed()) void this.checkpoint();
    }, opts.intervalMs);
    this.timer.unref();
  }

  /** Runs one checkpoint now (resolves when it finished; at most one at a time). */
  checkpoint(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.inFlight) return this.inFlight;
    const worker = this.start();
    if (!worker) return Promise.resolve();
    this.inFlight = new Promise<void>((resolve) => {
      const done = (r: CheckpointResult) => {
        worker.off('error', failed);
        this.inFlight = null;
        this.opts.onCheckpoint?.(r);
        resolve();
      };
      const failed = () => done({ ran: false, restart: false, attempts: 0, walFrames: -1, checkpointed: -1, seconds: 0 });
      worker.once('message', done);
      worker.once('error', failed);
      worker.postMessage('checkpoint');
    });
    return this.inFlight;
  }

  /** Stops the timer, lets a running checkpoint finish and closes the worker's connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    // The worker is unref'd so that an idle store does not keep a process alive; while closing it
    // must, or a script with nothing else on the loop exits before the store has closed.
    this.worker?.ref();
    await this.inFlight;
    const worker = this.worker;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.postMessage('close');
    });
  }

  private start(): Worker | null {
    if (this.worker) return this.worker;
    try {
      const driver = createRequire(import.meta.url).resolve('better-sqlite3');
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file: this.opts.file, driver, restartBytes: this.opts.restartBytes, restartWaitMs: this.opts.restartWaitMs, restartTryMs: this.opts.restartTryMs } });
      worker.unref();
      worker.on('error', (err) => {
        if (this.worker !== worker) return;
        this.worker = null;
        this.closed = true;
        clearInterval(this.timer);
        this.opts.onUnavailable(err);
      });
      this.worker = worker;
      return worker;
    } catch (err) {
      this.closed = true;
      clearInterval(this.timer);
      this.opts.onUnavailable(err);
      return null;
    }
  }
}
