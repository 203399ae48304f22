import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ; 100 on every Linux we run). */
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU seconds (user + system) the process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields we need follow its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / CLK_TCK;
}

/** CPU seconds all CPUs of the machine spent busy (everything but idle and iowait), from /proc/stat. */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  // cpu user nice system idle iowait irq softirq steal ...
  const [user, nice, system, , , irq, softirq] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user! + nice! + system! + irq! + softirq!) / CLK_TCK;
}

/** Bytes the process has caused to be written to storage so far (/proc/<pid>/io write_bytes). */
export function writeBytes(pid: number): number {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  return Number(/^write_bytes:\s+(\d+)/m.exec(io)?.[1] ?? Number.NaN);
}

/** Bytes written to the machine's whole disks so far (/proc/diskstats; partitions and loop devices skipped). */
export function machineDiskWriteBytes(): number {
  let sectors = 0;
  for (const line of readFileSync('/proc/diskstats', 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length > 9 && /^(?:[vsh]d[a-z]+|xvd[a-z]+|nvme\d+n\d+)$/.test(f[2]!)) sectors += Number(f[9]);
  }
  return sectors * 512;
}

/** Resident set size in MiB, from /proc/<pid>/status. */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return kb ? Number(kb) / 1024 : Number.NaN;
}

/** Pins every thread of `pid` (and the threads it starts later) to the given CPU list, e.g. "1". */
export function pin(pid: number, cpus: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
}

/**
 * Measures one process (or several together: the nodes of a cluster and their Redis) over a
 * window: CPU % of one core (100 = one core saturated, summed over the processes) and the peak
 * RSS (summed) seen by sampling every `everyMs`.
 */
export class ProcSampler {
  private readonly pids: number[];
  private cpu0 = 0;
  private busy0 = 0;
  private written0 = 0;
  private disk0 = 0;
  private t0 = 0;
  private peakRss = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    pid: number | number[],
    private readonly everyMs = 250,
  ) {
    this.pids = Array.isArray(pid) ? pid : [pid];
  }

  private sum(f: (pid: number) => number): number {
    return this.pids.reduce((total, pid) => total + f(pid), 0);
  }

  start(): void {
    this.cpu0 = this.sum(cpuSeconds);
    this.busy0 = machineBusySeconds();
    this.written0 = this.sum(writeBytes);
    this.disk0 = machineDiskWriteBytes();
    this.t0 = performance.now();
    this.peakRss = this.sum(rssMiB);
    this.timer = setInterval(() => {
      this.peakRss = Math.max(this.peakRss, this.sum(rssMiB));
    }, this.everyMs);
  }

  /**
   * Stops sampling; returns the processes' CPU % over the window, the whole machine's busy CPU %
   * (both in % of one core), the peak RSS in MiB, their storage writes and the whole machine's
   * disk writes in MiB/s.
   */
  stop(): { cpuPct: number; machinePct: number; rssMiB: number; writeMiBps: number; diskMiBps: number } {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const seconds = (performance.now() - this.t0) / 1000;
    const cpuPct = ((this.sum(cpuSeconds) - this.cpu0) / seconds) * 100;
    const machinePct = ((machineBusySeconds() - this.busy0) / seconds) * 100;
    this.peakRss = Math.max(this.peakRss, this.sum(rssMiB));
    const writeMiBps = (this.sum(writeBytes) - this.written0) / 1024 / 1024 / seconds;
    const diskMiBps = (machineDiskWriteBytes() - this.disk0) / 1024 / 1024 / seconds;
    return { cpuPct, machinePct, rssMiB: this.peakRss, writeMiBps, diskMiBps };
  }
}

/**
 * CPU the rest of the machine uses over `ms`, in % of one core: all busy CPU minus the listed
 * processes (the servers and this generator).
 */
export async function otherCpuPct(pids: number[], ms: number): Promise<number> {
  const ours = () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const busy0 = machineBusySeconds();
  const ours0 = ours();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const seconds = (performance.now() - t0) / 1000;
  return Math.max(0, ((machineBusySeconds() - busy0 - (ours() - ours0)) / seconds) * 100);
}

/**
 * Waits (at most `maxWaitMs`) until other processes use at most `maxPct` % CPU over a 500 ms
 * window, so a step does not start in the middle of another tenant's burst. Returns the last
 * figure seen.
 */
export async function waitQuiet(pids: number[], maxPct: number, maxWaitMs: number): Promise<number> {
  const deadline = performance.now() + maxWaitMs;
  for (;;) {
    const other = await otherCpuPct(pids, 500);
    if (other <= maxPct || performance.now() >= deadline) return other;
  }
}
