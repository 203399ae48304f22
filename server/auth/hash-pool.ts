import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors.js';

/** One scrypt derivation, as the worker receives it. */
export interface ScryptJob {
  password: string;
  salt: Uint8Array;
  keyLen: number;
  N: number;
  r: number;
  p: number;
  maxmem: number;
}

/** How guessable a password is (zxcvbn): score 0 (trivial) … 4 (strong), and its warning key. */
export interface Strength {
  score: number;
  warning: string | null;
}

type Job = { kind: 'scrypt'; scrypt: ScryptJob } | { kind: 'strength'; password: string; userInputs: string[] };

/** The strength library's entry points, resolved here because an evaluated worker has no module path of its own. */
const require = createRequire(import.meta.url);
const zxcvbnPaths = { core: require.resolve('@zxcvbn-ts/core'), common: require.resolve('@zxcvbn-ts/language-common') };

/**
 * The worker's code, evaluated (not a file) so it runs the same from the TypeScript sources under
 * tsx and from dist/. scryptSync blocks only this worker's thread: the libuv pool, which the SQLite
 * WAL fsync needs before every ack, never sees a password hash (issue 13). zxcvbn runs here too: it
 * takes 50–400 ms of CPU for a 24–64 character password, too long for the event loop.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
let zxcvbn = null;
function strength(password, userInputs) {
  if (!zxcvbn) {
    const core = require(workerData.core);
    const common = require(workerData.common);
    core.zxcvbnOptions.setOptions({ dictionary: common.dictionary, graphs: common.adjacencyGraphs });
    zxcvbn = core.zxcvbn;
  }
  const r = zxcvbn(password, userInputs);
  return { score: r.score, warning: r.feedback.warning || null };
}
parentPort.on('message', ({ id, job }) => {
  try {
    if (job.kind === 'strength') {
      parentPort.postMessage({ id, strength: strength(job.password, job.userInputs) });
      return;
    }
    const s = job.scrypt;
    const key = scryptSync(s.password, Buffer.from(s.salt), s.keyLen, { N: s.N, r: s.r, p: s.p, maxmem: s.maxmem });
    parentPort.postMessage({ id, key });
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});
`;

interface Task {
  id: number;
  job: Job;
  resolve: (result: Buffer | Strength) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
}

export interface HashPoolOptions {
  /** Worker threads, each hashing one password at a time. */
  workers: number;
  /** Jobs that may wait for a free worker; one more is refused with RATE_LIMITED. */
  maxQueued: number;
}

/**
 * scrypt on worker threads of its own, with a bounded queue in front. A flood of sign-ins waits
 * here (or is refused at once when the queue is full) instead of filling the libuv pool.
 */
export class HashPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  /** Moving average of one job's time in ms, for Retry-After. */
  private avgMs = 100;

  constructor(private readonly opts: HashPoolOptions) {
    for (let i = 0; i < Math.max(1, opts.workers); i++) this.slots.push(this.spawn());
  }

  /** Jobs waiting plus running, for tests and metrics. */
  get load(): number {
    return this.queue.length + this.slots.filter((s) => s.task).length;
  }

  /** Derives a key; throws AppError RATE_LIMITED (details.retryAfterMs; REST sends it as Retry-After) when the queue is full. */
  derive(job: ScryptJob): Promise<Buffer> {
    return this.submit({ kind: 'scrypt', scrypt: job }) as Promise<Buffer>;
  }

  /** Rates a password with zxcvbn (`userInputs`: the user's own words, which make it weak); same queue and limit. */
  strength(password: string, userInputs: string[]): Promise<Strength> {
    return this.submit({ kind: 'strength', password, userInputs }) as Promise<Strength>;
  }

  private submit(job: Job): Promise<Buffer | Strength> {
    if (this.closed) return Promise.reject(new AppError('INTERNAL', 'the server is shutting down'));
    const free = this.slots.find((s) => !s.task);
    if (!free && this.queue.length >= this.opts.maxQueued) {
      const retryAfterMs = 1000 * Math.max(1, Math.ceil(((this.load + 1) * this.avgMs) / this.slots.length / 1000));
      return Promise.reject(new AppError('RATE_LIMITED', 'too many sign-ins in progress; try again shortly', { retryAfterMs }));
    }
    return new Promise<Buffer | Strength>((resolve, reject) => {
      const task: Task = { id: this.nextId++, job, resolve, reject };
      if (free) this.run(free, task);
      else this.queue.push(task);
    });
  }

  /** Stops the workers; queued and running jobs are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const gone = new AppError('INTERNAL', 'the server is shutting down');
    for (const task of this.queue.splice(0)) task.reject(gone);
    await Promise.all(
      this.slots.map(async (slot) => {
        slot.task?.reject(gone);
        slot.task = null;
        await slot.worker.terminate();
      }),
    );
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(WORKER_SOURCE, { eval: true, workerData: zxcvbnPaths }), task: null };
    // Idle workers must not keep the process alive; a pending job's promise is held by a request anyway.
    slot.worker.unref();
    slot.worker.on('message', (msg: { id: number; key?: Uint8Array; strength?: Strength; error?: string }) => {
      const task = slot.task;
      if (!task || task.id !== msg.id) return;
      slot.task = null;
      if (msg.key) task.resolve(Buffer.from(msg.key.buffer, msg.key.byteOffset, msg.key.byteLength));
      else if (msg.strength) task.resolve(msg.strength);
      else task.reject(new Error(msg.error ?? 'scrypt failed'));
      this.next(slot);
    });
    // A crashed worker (out of memory, say) fails its job and is replaced; the pool keeps its size.
    slot.worker.on('error', (err) => {
      slot.task?.reject(err);
      slot.task = null;
    });
    slot.worker.on('exit', () => {
      if (this.closed) return;
      slot.task?.reject(new Error('hash worker exited'));
      const i = this.slots.indexOf(slot);
      if (i >= 0) {
        this.slots[i] = this.spawn();
        this.next(this.slots[i]!);
      }
    });
    return slot;
  }

  private run(slot: Slot, task: Task): void {
    slot.task = task;
    const started = performance.now();
    const settle = <T>(fn: (v: T) => void) => (v: T) => {
      this.avgMs = this.avgMs * 0.8 + (performance.now() - started) * 0.2;
      fn(v);
    };
    task.resolve = settle(task.resolve);
    task.reject = settle(task.reject);
    slot.worker.postMessage({ id: task.id, job: task.job });
  }

  private next(slot: Slot): void {
    const task = this.queue.shift();
    if (task) this.run(slot, task);
  }
}
