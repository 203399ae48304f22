/** Processes for the collab bench: the server under test pinned to core 0, the load generator on core 1. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { TEST_METRICS_TOKEN } from '../../../test/helpers/server.js';
import { benchStoreEnv, type BenchStore } from '../store.js';

export const repoRoot = join(import.meta.dirname, '..', '..', '..');

export interface Proc {
  url: string;
  child: ChildProcess;
  /** Forces a full garbage collection in the process (only when started with `inspect`); resolves to the V8 heap then in use, bytes. */
  collectGarbage(): Promise<number>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Whether both cores exist and taskset works here; without them the bench still runs, unpinned. */
export const canPin = (() => {
  if (availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Moves this process (every thread) to `core`. */
export function pinSelf(core: number): void {
  if (canPin) execFileSync('taskset', ['-a', '-cp', String(core), String(process.pid)], { stdio: 'ignore' });
}

let store: BenchStore = 'sqlite';
/** The store every Menteo server this bench starts runs on (--store; scripts/bench/store.ts). */
export const setPinnedStore = (s: BenchStore): void => {
  store = s;
};

/**
 * Starts `node --import tsx <script>` on `core` and resolves once it prints its port: a pino line
 * with `"port"` (Menteo) or `PORT <n>` (the bare relay).
 */
export async function startPinned(script: string, env: Record<string, string>, opts: { core?: number; inspect?: boolean } = {}): Promise<Proc> {
  const core = opts.core ?? 0;
  const node = [process.execPath, ...(opts.inspect ? ['--inspect=127.0.0.1:0'] : []), '--import', 'tsx', join(repoRoot, script)];
  const [cmd, ...args] = canPin ? ['taskset', '-c', String(core), ...node] : node;
  // Menteo servers (those given a DATA_DIR) run on the chosen store, their data tied to the DATA_DIR.
  // /metrics is served only with a token: the one test/helpers' metric() reads with.
  const storeEnv = env.DATA_DIR ? { ...benchStoreEnv(store, env.DATA_DIR), METRICS_TOKEN: TEST_METRICS_TOKEN } : {};
  const child = spawn(cmd!, args, { cwd: repoRoot, env: { ...process.env, ...storeEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start: ${stderr}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"port":(\d+)/.exec(out) ?? /^PORT (\d+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    void exited.then(() => reject(new Error(`${script} exited before listening: ${stderr}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    async collectGarbage() {
      const debuggerUrl = /Debugger listening on (ws:\/\/\S+)/.exec(stderr)?.[1];
      if (!debuggerUrl) throw new Error(`${script} was not started with inspect`);
      const ws = new WebSocket(debuggerUrl);
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      // The inspector answers each command with its id once done: the GC first, then the heap's use.
      const used = await new Promise<number>((resolve) => {
        ws.on('message', (data: Buffer) => {
          const reply = JSON.parse(data.toString()) as { id?: number; result?: { usedSize: number } };
          if (reply.id === 1) ws.send(JSON.stringify({ id: 2, method: 'Runtime.getHeapUsage' }));
          if (reply.id === 2) resolve(reply.result!.usedSize);
        });
        ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
      });
      ws.close();
      return used;
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU seconds (user + system) a process has used so far, from /proc (taskset execs, so the pid is node's). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}
