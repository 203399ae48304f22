/**
 * K stock y-websocket providers on one document, each typing into its own milestone's notes at an
 * offered rate (open loop: every edit has an intended time, and latency counts from it, so a stall
 * in the server or in this generator shows up instead of slowing the load down).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import { eventually } from '../../../test/helpers/clients.js';
import { addMilestone, milestones, openEditor, type Editor } from '../../../test/helpers/collab.js';
import { cpuSeconds } from './procs.js';

export interface EditingRun {
  /** Offered edits per second, all clients together. */
  offered: number;
  /** Edit → every other client, in ms, from the intended send time. */
  p50: number;
  p99: number;
  max: number;
  samples: number;
  /** From the last intended edit until every client had every edit, in ms. */
  convergeMs: number;
  /** Whether all clients ended with the same state vector. */
  converged: boolean;
  /** Longest event-loop stall of this (generator) process during the run, ms: a stall here delays edits and receipts alike. */
  generatorStallMs: number;
  /** Server CPU while the edits ran, as a share of one core. */
  serverCpu: number;
  /** Server CPU time per edit (until every client had every edit), ms: what fan-out and storage cost per edit. */
  cpuMsPerEdit: number;
}

export interface Target {
  /** http://host:port of the server. */
  url: string;
  /** The server's process id (for its CPU time). */
  pid: number;
  /** Several nodes: client i connects to urls[i % urls.length] (default: every client to `url`). */
  urls?: string[];
  /** Every server process whose CPU counts (default: `pid`). */
  pids?: number[];
  /** A room (doc) name and a token per client for one run. */
  room(): Promise<{ name: string; tokens: string[] }>;
}

export const percentile = (sorted: Float64Array, p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Resolves once `check` holds (polled every 5 ms); rejects after `ms`. */
const until = (check: () => boolean, ms: number, what: string) =>
  eventually(() => {
    if (!check()) throw new Error(`${what}: not within ${ms} ms`);
  }, ms, 5);

/** One run: `k` clients, `offered` edits/s in total, for `seconds`. */
export async function runEditing(target: Target, k: number, offered: number, seconds: number): Promise<EditingRun> {
  const { name, tokens } = await target.room();
  const editors: Editor[] = [];
  try {
    const urls = target.urls ?? [target.url];
    for (let i = 0; i < k; i++) editors.push(openEditor(urls[i % urls.length]!, name, tokens[i % tokens.length]!));
    await Promise.all(editors.map((e) => e.synced));
    const first = editors[0]!.doc;
    const root = first.getMap('roadmap');
    // The bare relay has no server-side init: the first client creates the list there.
    if (!(root.get('milestones') instanceof Y.Array)) root.set('milestones', new Y.Array());
    for (let i = 0; i < k; i++) addMilestone(first, `bench-${i}`, `client ${i}`);
    await until(() => editors.every((e) => e.doc.getMap('roadmap').get('milestones') instanceof Y.Array && milestones(e.doc).length === k), 10_000, 'setup sync');

    const notes = editors.map((e) => milestones(e.doc).toArray().map((m) => m.get('notes') as Y.Text));
    const perClient = Math.max(1, Math.round((offered / k) * seconds));
    const interval = (1000 * k) / offered; // ms between two edits of one client
    const sentAt = editors.map(() => new Float64Array(perClient + 1));
    const latencies = new Float64Array(perClient * k * (k - 1));
    let samples = 0;
    const doneAt = new Float64Array(k);
    const expected = perClient * (k - 1);

    editors.forEach((e, r) => {
      const seen = new Int32Array(k);
      let total = 0;
      e.doc.on('update', (_u: Uint8Array, origin: unknown) => {
        if (origin !== e.provider) return; // only what came from the server
        const now = performance.now();
        for (let c = 0; c < k; c++) {
          if (c === r) continue;
          const len = Math.min(notes[r]![c]!.length, perClient);
          while (seen[c]! < len) {
            seen[c]! += 1;
            total += 1;
            latencies[samples++] = now - sentAt[c]![seen[c]!]!;
          }
        }
        if (total === expected && doneAt[r] === 0) doneAt[r] = now;
      });
    });

    const stalls = monitorEventLoopDelay({ resolution: 5 });
    stalls.enable();
    const pids = target.pids ?? [target.pid];
    const cpuOf = () => pids.reduce((n, pid) => n + cpuSeconds(pid), 0);
    const cpu0 = cpuOf();
    const wall0 = performance.now();
    // Open loop: client c's n-th edit is due at t0 + c·interval/k + n·interval.
    const t0 = performance.now() + 50;
    const next = new Int32Array(k).fill(1);
    const lastIntended = t0 + ((k - 1) * interval) / k + (perClient - 1) * interval;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        let remaining = false;
        for (let c = 0; c < k; c++) {
          for (;;) {
            const n = next[c]!;
            if (n > perClient) break;
            const due = t0 + (c * interval) / k + (n - 1) * interval;
            if (due > now) {
              remaining = true;
              break;
            }
            sentAt[c]![n] = due;
            const text = notes[c]![c]!;
            text.insert(text.length, 'x');
            next[c] = n + 1;
          }
        }
        if (remaining) setTimeout(tick, 1);
        else resolve();
      };
      tick();
    });
    // A run that never converges is reported as such (converged: false), not thrown away.
    await until(() => doneAt.every((t) => t > 0), 60_000, 'every client received every edit').catch(() => {});
    stalls.disable();
    const cpuUsed = cpuOf() - cpu0;
    const serverCpu = cpuUsed / ((performance.now() - wall0) / 1000);
    const convergeMs = Math.max(...doneAt) - lastIntended;
    // State vectors are encoded in map order; compare them decoded and sorted.
    const norm = (doc: Y.Doc) => JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(doc))].sort((a, b) => a[0] - b[0]));
    const converged = doneAt.every((t) => t > 0) && editors.every((e) => norm(e.doc) === norm(first));
    const sorted = latencies.slice(0, samples).sort();
    return {
      offered,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1] ?? NaN,
      samples,
      convergeMs,
      converged,
      generatorStallMs: stalls.max / 1e6,
      serverCpu,
      cpuMsPerEdit: (cpuUsed * 1000) / (perClient * k),
    };
  } finally {
    for (const e of editors) e.destroy();
  }
}
