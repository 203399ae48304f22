import type { StepResult } from './load.js';

/** The target of the foundation issue: send→receive p99 at or below this is a pass. */
export const TARGET_P99_MS = 25;

/** A step passes when every measured message arrived, none was refused, and p99 ≤ target. */
export function passes(r: StepResult): boolean {
  return r.lost === 0 && Object.keys(r.errors).length === 0 && r.e2e.p99 <= TARGET_P99_MS;
}

/** The highest offered rate such that it and every lower rate swept passed (0 when none did). */
export function knee(steps: StepResult[]): number {
  let best = 0;
  for (const r of [...steps].sort((a, b) => a.offered - b.offered)) {
    if (!passes(r)) break;
    best = r.offered;
  }
  return best;
}

const ms = (v: number): string => (Number.isFinite(v) ? (v < 10 ? v.toFixed(1) : v.toFixed(0)) : v > 0 ? 'lost' : '–');
const int = (v: number): string => (Number.isFinite(v) ? Math.round(v).toString() : '–');

/** A Markdown table (readable in a terminal too) of one system's sweep. */
export function stepTable(steps: StepResult[]): string {
  const head = [
    'offered msg/s', 'achieved msg/s', 'e2e p50 ms', 'e2e p99 ms', 'e2e max ms', 'ack p50 ms', 'ack p99 ms',
    'server CPU %', 'loop stall p99/max ms', 'fsync p99 ms', 'fsyncs > 25 ms', 'lock waits (ms)', 'WAL rewinds', 'CPU µs/msg', 'RSS MiB', 'server disk write MiB/s', 'written KiB/msg', 'machine disk write MiB/s', 'lost', 'errors', 'gen CPU %', 'gen lag p99 ms', 'other CPU %', 'tries', 'p99 ≤ 25',
  ];
  const rows = steps.map((r) => [
    int(r.offered), int(r.achieved), ms(r.e2e.p50), ms(r.e2e.p99), ms(r.e2e.max), ms(r.ack.p50), ms(r.ack.p99),
    int(r.cpuPct), Number.isNaN(r.loopStallMaxMs) ? '–' : `${int(r.loopStallP99Ms)}/${int(r.loopStallMaxMs)}`,
    Number.isNaN(r.fsyncP99Ms) ? '–' : `≤ ${r.fsyncP99Ms}`, Number.isNaN(r.fsyncsOver25Ms) ? '–' : `${r.fsyncsOver25Ms} of ${r.fsyncs}`, Number.isNaN(r.lockWaits) ? '–' : `${r.lockWaits} (${r.lockWaitMs.toFixed(0)})`, Number.isNaN(r.walRewinds) ? '–' : String(r.walRewinds), int(r.cpuUsPerMsg), int(r.rssMiB), r.writeMiBps.toFixed(1), Number.isFinite(r.writeBytesPerMsg) ? (r.writeBytesPerMsg / 1024).toFixed(1) : '–', r.diskMiBps.toFixed(1), String(r.lost),
    Object.entries(r.errors).map(([c, n]) => `${c}×${n}`).join(' ') || '0',
    int(r.genCpuPct), ms(r.genLagP99), int(r.otherCpuPct), String(r.attempts), passes(r) ? 'yes' : 'no',
  ]);
  return markdown(head, rows);
}

/** Menteo ÷ baseline per rate both swept: latency and CPU cost ratios. */
export function ratioTable(menteo: StepResult[], baseline: StepResult[]): string {
  const head = ['offered msg/s', 'e2e p50 ×', 'e2e p99 ×', 'server CPU ×', 'CPU µs/msg ×', 'RSS ×'];
  const rows: string[][] = [];
  for (const m of menteo) {
    const b = baseline.find((x) => x.offered === m.offered);
    if (!b) continue;
    const x = (a: number, c: number) => (Number.isFinite(a) && Number.isFinite(c) && c > 0 ? (a / c).toFixed(1) : '–');
    rows.push([int(m.offered), x(m.e2e.p50, b.e2e.p50), x(m.e2e.p99, b.e2e.p99), x(m.cpuPct, b.cpuPct), x(m.cpuUsPerMsg, b.cpuUsPerMsg), x(m.rssMiB, b.rssMiB)]);
  }
  return markdown(head, rows);
}

export function markdown(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 1) + ':').join('|')}|`, ...rows.map(line)].join('\n');
}
