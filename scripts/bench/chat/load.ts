import { writeFileSync } from 'node:fs';
import { io, type Socket } from 'socket.io-client';
import { ProcSampler } from './proc.js';
import { BENCH_METRICS_TOKEN } from './server-process.js';
import { pool, type Pair } from './setup.js';
import { summarize, type Summary } from './stats.js';

/** A chat line of typical length (98 characters). */
const BODY = 'Bench message: how did the review with your manager go, and what would you do differently next time?';

/** One offered rate, measured. Latencies are in ms from each message's intended send time. */
export interface StepResult {
  offered: number;
  /** Messages delivered to the other member per second over the measured window (and its tail). */
  achieved: number;
  /** Measured messages (the warm-up's are sent but not counted). */
  sent: number;
  delivered: number;
  /** Not delivered to the other member within the drain time. */
  lost: number;
  /** Acks with ok: false, by error code; acks never received are counted as `NO_ACK`. */
  errors: Record<string, number>;
  /** send → receive at the other member's socket. */
  e2e: Summary;
  /** send → ack at the sender. */
  ack: Summary;
  /** How late the load generator actually sent (p99, ms): large values mean the generator, not the server, fell behind. */
  genLagP99: number;
  /** Server CPU, % of one core, over the measured window. */
  cpuPct: number;
  /** Server CPU time per delivered message, in µs. */
  cpuUsPerMsg: number;
  /** Peak server RSS over the window, MiB. */
  rssMiB: number;
  /** Server writes to storage (SQLite WAL and checkpoints), MiB/s. */
  writeMiBps: number;
  /** Server writes to storage per delivered message, bytes (issue 17's target: ≤ 8 KiB). */
  writeBytesPerMsg: number;
  /** Writes reaching the machine's disks from everyone (this server, the journal, other tenants), MiB/s. */
  diskMiBps: number;
  /** Load generator CPU, % of one core. */
  genCpuPct: number;
  /**
   * CPU the rest of the machine used meanwhile (busy CPU minus server minus generator), % of one
   * core: on a shared machine, other tenants' work shows up here and explains noisy steps.
   */
  otherCpuPct: number;
  /**
   * The server's event-loop stalls over the window (p99 and max of monitorEventLoopDelay's 10 ms
   * ticks, minus the 10 ms), from Menteo's /metrics; NaN for the relay, which has none.
   */
  loopStallP99Ms: number;
  loopStallMaxMs: number;
  /**
   * The server's WAL fsyncs over the window (menteo_store_sync_seconds from /metrics): how many,
   * the bucket holding the 99th percentile (upper bound, ms) and how many took over 25 ms. Every
   * ack waits for one, so slow ones show up directly in the ack and send→receive tails.
   */
  fsyncs: number;
  fsyncP99Ms: number;
  fsyncsOver25Ms: number;
  /** Batches whose BEGIN found the write lock held (the checkpoint worker's RESTART, another node), and their wait in all (ms). */
  lockWaits: number;
  lockWaitMs: number;
  /** RESTART checkpoints that ran (the WAL rewound) over the window. */
  walRewinds: number;
  /** Which attempt this is (a step disturbed by other tenants is run again; see chat.ts). */
  attempts: number;
}

export interface StepOptions {
  rate: number;
  warmupS: number;
  durationS: number;
  drainS: number;
  /** Server pid to sample (several: a cluster's nodes and Redis, summed). */
  pid: number | number[];
  /** Where to write this step's per-message timings (JSON), for looking at when the slow ones happened. */
  samplesFile?: string;
  /** Prometheus endpoint of the server (Menteo's /metrics), read at the window's start and end. */
  metricsUrl?: string;
}

/** prom-client's event-loop histogram ticks every 10 ms and records whole intervals. */
const LOOP_RESOLUTION_MS = 10;

interface Scrape {
  loopP99: number;
  loopMax: number;
  /** Cumulative fsync counts by bucket upper bound in ms (Infinity for +Inf). */
  sync: Array<[number, number]>;
  lockWaits: number;
  lockWaitMs: number;
  rewinds: number;
}

const NO_SCRAPE: Scrape = { loopP99: Number.NaN, loopMax: Number.NaN, sync: [], lockWaits: Number.NaN, lockWaitMs: Number.NaN, rewinds: Number.NaN };

/**
 * The store's lock waits (count and ms in all, `menteo_store_lock_wait_seconds`) and WAL rewinds
 * (RESTART checkpoints that ran) from one /metrics text; NaN for a lock-wait metric that is absent,
 * 0 rewinds before the first (its label appears with it).
 */
export function storeCountersOf(text: string): { lockWaits: number; lockWaitMs: number; rewinds: number } {
  return {
    lockWaits: Number(/^menteo_store_lock_wait_seconds_count(?:\{[^}]*\})? (\S+)$/m.exec(text)?.[1] ?? Number.NaN),
    lockWaitMs: Number(/^menteo_store_lock_wait_seconds_sum(?:\{[^}]*\})? (\S+)$/m.exec(text)?.[1] ?? Number.NaN) * 1000,
    rewinds: Number(/^menteo_store_checkpoint_seconds_count\{mode="restart"\} (\S+)$/m.exec(text)?.[1] ?? 0),
  };
}

/** Reads the event-loop delay gauges (reading also resets prom-client's histogram) and the fsync histogram. */
async function scrape(url: string): Promise<Scrape> {
  try {
    const text = await (await fetch(url, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } })).text();
    const gauge = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text)?.[1] ?? Number.NaN) * 1000;
    const sync = [...text.matchAll(/^menteo_store_sync_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)].map(
      (m) => [m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]) * 1000, Number(m[2])] as [number, number],
    );
    return {
      loopP99: gauge('nodejs_eventloop_lag_p99_seconds') - LOOP_RESOLUTION_MS,
      loopMax: gauge('nodejs_eventloop_lag_max_seconds') - LOOP_RESOLUTION_MS,
      sync,
      ...storeCountersOf(text),
    };
  } catch {
    return NO_SCRAPE;
  }
}

/** The fsyncs between two scrapes: count, the bucket bound holding the 99th percentile, and those over 25 ms. */
function fsyncsBetween(a: Scrape, b: Scrape): { n: number; p99: number; over25: number } {
  if (a.sync.length === 0 || b.sync.length !== a.sync.length) return { n: Number.NaN, p99: Number.NaN, over25: Number.NaN };
  const delta = b.sync.map(([le, c], i) => [le, c - a.sync[i]![1]] as [number, number]);
  const n = delta[delta.length - 1]![1];
  const p99 = delta.find(([, c]) => c >= 0.99 * n)?.[0] ?? Number.NaN;
  const upTo25 = delta.find(([le]) => le >= 25)?.[1] ?? n;
  return { n, p99: n > 0 ? p99 : Number.NaN, over25: n - upTo25 };
}

interface Recorder {
  prefix: string;
  recvAt: Float64Array;
}

/** Whether each client shows its room (room:view, as the web app does with the room on screen). */
export type Viewing = 'shown' | 'away';

/**
 * The clients of one run: 2 sockets per pair (websocket transport, one connection each), and the
 * open-loop load they send. With `shown` each socket sends room:view for its pair's room after
 * connecting, as the web app does for the room on screen, so a live conversation is seen, not
 * notified; `away` leaves every room unshown, so each message also makes (coalesced) inbox
 * writes for its recipient. The bare relay knows no room:view: it runs `away`. Socket 2r is the first member of pair r, 2r+1 the second. With two
 * URLs (two cluster nodes) the first member of every pair connects to the first, the second
 * member to the second, so every message crosses nodes.
 */
export class ChatLoad {
  private sockets: Socket[] = [];
  private recorder: Recorder | null = null;
  private stepNo = 0;

  private readonly urls: string[];

  constructor(
    url: string | string[],
    private readonly pairs: Pair[],
    private readonly viewing: Viewing = 'away',
    /** Send without `echo: false`, so the sending socket also gets its own `message:new` (clients before the SDK's echo: false). */
    private readonly echo = false,
  ) {
    this.urls = Array.isArray(url) ? url : [url];
  }

  get clients(): number {
    return this.pairs.length * 2;
  }

  /** Connects every client (bounded concurrency); rejects on the first connect_error. */
  async connect(concurrency = 50): Promise<void> {
    const slots = this.pairs.flatMap((p) => p.auth);
    this.sockets = await pool(slots, concurrency, (auth, j) => this.open(auth, j));
    if (this.viewing === 'shown') await pool(this.sockets, concurrency, (socket, j) => this.show(socket, this.pairs[j >> 1]!.roomId, j));
  }

  private show(socket: Socket, roomId: string, j: number): Promise<void> {
    return new Promise((resolve, reject) => {
      socket.timeout(20_000).emit('room:view', { roomId }, (err: Error | null, ack: { ok?: boolean } | undefined) => {
        if (err || !ack?.ok) reject(new Error(`client ${j} could not show room ${roomId}: ${err?.message ?? JSON.stringify(ack)}`));
        else resolve();
      });
    });
  }

  private open(auth: Record<string, unknown>, j: number): Promise<Socket> {
    const socket = io(this.urls[j % this.urls.length]!, { auth, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 20_000 });
    socket.on('message:new', (payload: { message?: { clientMsgId?: string } }) => this.received(j, payload.message?.clientMsgId));
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', (err) => reject(new Error(`client ${j} could not connect: ${err.message}`)));
    });
  }

  /** Records a delivery at the other member's socket; echoes to the sender's own socket are ignored. */
  private received(j: number, clientMsgId: string | undefined): void {
    const rec = this.recorder;
    if (!rec || !clientMsgId?.startsWith(rec.prefix)) return;
    const k = Number(clientMsgId.slice(rec.prefix.length));
    if (((k % this.sockets.length) ^ 1) !== j) return;
    if (Number.isNaN(rec.recvAt[k])) rec.recvAt[k] = performance.now();
  }

  close(): void {
    for (const s of this.sockets) s.close();
    this.sockets = [];
  }

  /**
   * Sends at `rate` msg/s for warm-up + duration on a fixed schedule (message k is due at
   * t0 + k/rate, from client k mod 2N to its partner), whatever the server's answers: open loop,
   * so a stalled server accumulates latency instead of slowing the sender (no coordinated
   * omission). Only the messages due after the warm-up are measured; then waits up to `drainS`
   * for their deliveries and acks.
   */
  async step(opts: StepOptions): Promise<StepResult> {
    const n = this.sockets.length;
    const total = Math.round(opts.rate * (opts.warmupS + opts.durationS));
    const first = Math.round(opts.rate * opts.warmupS);
    const interval = 1000 / opts.rate;
    const prefix = `b${++this.stepNo}-`;
    const recvAt = new Float64Array(total).fill(Number.NaN);
    const ackAt = new Float64Array(total).fill(Number.NaN);
    const sentAt = new Float64Array(total).fill(Number.NaN);
    const errors: Record<string, number> = {};
    this.recorder = { prefix, recvAt };

    const sampler = new ProcSampler(opts.pid);
    let gen0 = process.cpuUsage();
    let genT0 = 0;
    let genCpuPct = 0;
    let server = { cpuPct: 0, machinePct: 0, rssMiB: 0, writeMiBps: 0, diskMiBps: 0 };
    let scrapeStart: Promise<Scrape> = Promise.resolve(NO_SCRAPE);
    let scrapeEnd: Promise<Scrape> = Promise.resolve(NO_SCRAPE);

    const t0 = performance.now() + 20;
    const due = (k: number) => t0 + k * interval;
    const send = (k: number) => {
      const s = k % n;
      // As the SDK does: the ack carries the message, so the sending socket asks for no echo.
      const payload = { roomId: this.pairs[s >> 1]!.roomId, clientMsgId: prefix + k, body: BODY, ...(!this.echo && { echo: false }) };
      sentAt[k] = performance.now();
      this.sockets[s]!.emit('message:send', payload, (ack: { ok?: boolean; error?: { code?: string } } | undefined) => {
        ackAt[k] = performance.now();
        if (!ack?.ok && k >= first) {
          const code = ack?.error?.code ?? 'BAD_ACK';
          errors[code] = (errors[code] ?? 0) + 1;
        }
      });
    };

    await new Promise<void>((resolve) => {
      let next = 0;
      const tick = () => {
        const now = performance.now();
        while (next < total && due(next) <= now) {
          if (next === first) {
            if (opts.metricsUrl) scrapeStart = scrape(opts.metricsUrl); // also resets the loop-delay histogram
            sampler.start();
            gen0 = process.cpuUsage();
            genT0 = performance.now();
          }
          send(next++);
        }
        if (next < total) {
          setTimeout(tick, Math.max(0, Math.min(1, due(next) - performance.now())));
          return;
        }
        const gen = process.cpuUsage(gen0);
        genCpuPct = ((gen.user + gen.system) / 1000 / (performance.now() - genT0)) * 100;
        server = sampler.stop();
        if (opts.metricsUrl) scrapeEnd = scrape(opts.metricsUrl);
        resolve();
      };
      setTimeout(tick, Math.max(0, t0 - performance.now()));
    });

    // Drain: wait for the measured messages' deliveries and acks, bounded in time.
    const deadline = performance.now() + opts.drainS * 1000;
    const settled = () => {
      for (let k = first; k < total; k++) if (Number.isNaN(recvAt[k]) || Number.isNaN(ackAt[k])) return false;
      return true;
    };
    while (!settled() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    this.recorder = null;

    const e2e: number[] = [];
    const ack: number[] = [];
    const lag: number[] = [];
    let delivered = 0;
    let lastRecv = 0;
    for (let k = first; k < total; k++) {
      const r = recvAt[k]!;
      if (Number.isNaN(r)) e2e.push(Number.POSITIVE_INFINITY);
      else {
        e2e.push(r - due(k));
        delivered++;
        lastRecv = Math.max(lastRecv, r);
      }
      ack.push(Number.isNaN(ackAt[k]!) ? Number.POSITIVE_INFINITY : ackAt[k]! - due(k));
      if (Number.isNaN(ackAt[k]!)) errors.NO_ACK = (errors.NO_ACK ?? 0) + 1;
      lag.push(sentAt[k]! - due(k));
    }
    const [s0, s1] = await Promise.all([scrapeStart, scrapeEnd]);
    const syncs = fsyncsBetween(s0, s1);
    if (opts.samplesFile) {
      const rows = [];
      for (let k = first; k < total; k++) rows.push([Math.round((due(k) - due(first)) * 100) / 100, Math.round((recvAt[k]! - due(k)) * 100) / 100, Math.round((ackAt[k]! - due(k)) * 100) / 100, Math.round((sentAt[k]! - due(k)) * 100) / 100]);
      const startEpochMs = performance.timeOrigin + due(first);
      writeFileSync(opts.samplesFile, JSON.stringify({ startEpochMs, columns: ['due ms', 'e2e ms', 'ack ms', 'send lag ms'], rows }));
    }
    const sent = total - first;
    const windowStart = due(first);
    const windowEnd = due(total);
    const achieved = delivered / ((Math.max(windowEnd, lastRecv) - windowStart) / 1000);
    return {
      offered: opts.rate,
      achieved,
      sent,
      delivered,
      lost: sent - delivered,
      errors,
      e2e: summarize(e2e),
      ack: summarize(ack),
      genLagP99: summarize(lag).p99,
      cpuPct: server.cpuPct,
      cpuUsPerMsg: achieved > 0 ? (server.cpuPct / 100) * 1e6 / achieved : Number.NaN,
      rssMiB: server.rssMiB,
      writeMiBps: server.writeMiBps,
      writeBytesPerMsg: achieved > 0 ? (server.writeMiBps * 1024 * 1024) / achieved : Number.NaN,
      diskMiBps: server.diskMiBps,
      genCpuPct,
      otherCpuPct: Math.max(0, server.machinePct - server.cpuPct - genCpuPct),
      loopStallP99Ms: s1.loopP99,
      loopStallMaxMs: s1.loopMax,
      fsyncs: syncs.n,
      fsyncP99Ms: syncs.p99,
      fsyncsOver25Ms: syncs.over25,
      lockWaits: s1.lockWaits - s0.lockWaits,
      lockWaitMs: s1.lockWaitMs - s0.lockWaitMs,
      walRewinds: s1.rewinds - s0.rewinds,
      attempts: 1,
    };
  }
}
