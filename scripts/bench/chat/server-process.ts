import { spawn, type ChildProcess } from 'node:child_process';

/** The METRICS_TOKEN the bench gives Menteo, so it can scrape /metrics (served only with a token). */
export const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789';

/** A server under test running as a child process. */
export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** The last lines it printed (for error reports). */
  tail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  /** Executable and arguments, e.g. ['node', 'dist/server/main.js']. */
  command: string[];
  cwd: string;
  env: Record<string, string>;
  /** CPU list for `taskset -c` (e.g. "0"); undefined runs unpinned. */
  cpus?: string;
  /** Scheduling priority for `nice -n` (negative = ahead of other tenants' processes; needs root). */
  nice?: number;
  /** Copy the server's stderr to ours (for debugging the server under load). */
  echoStderr?: boolean;
  /** How long to wait for the ready line, in ms. */
  readyTimeoutMs?: number;
}

const TAIL_LINES = 40;

/**
 * Starts a server and resolves once it printed a JSON line with a numeric `port` (Menteo's pino
 * "listening" line; the relay prints the same shape). stdout and stderr are read to the end, so
 * a chatty server never blocks on a full pipe.
 */
export function spawnServer(opts: SpawnOptions): Promise<ServerProcess> {
  const pinned = opts.cpus === undefined ? opts.command : ['taskset', '-c', opts.cpus, ...opts.command];
  const argv = opts.nice ? ['nice', '-n', String(opts.nice), ...pinned] : pinned;
  // nice and taskset exec the command, so the child's pid is the server's pid.
  const child = spawn(argv[0]!, argv.slice(1), { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const lines: string[] = [];
  const remember = (line: string) => {
    lines.push(line);
    if (lines.length > TAIL_LINES) lines.shift();
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const tail = () => lines.join('\n');

  return new Promise<ServerProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Never leave a half-started server behind.
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${opts.readyTimeoutMs ?? 20_000} ms:\n${tail()}`));
    }, opts.readyTimeoutMs ?? 20_000);
    let ready = false;
    let partial = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      partial += chunk.toString();
      const complete = partial.split('\n');
      partial = complete.pop()!;
      for (const line of complete) {
        remember(line);
        if (ready || !line.includes('"port"')) continue;
        let port: unknown;
        try {
          port = (JSON.parse(line) as { port?: unknown }).port;
        } catch {
          continue;
        }
        if (typeof port !== 'number') continue;
        ready = true;
        clearTimeout(timer);
        resolve({
          url: `http://127.0.0.1:${port}`,
          pid: child.pid!,
          child,
          tail,
          async stop(graceMs = 15_000) {
            if (child.exitCode !== null || child.signalCode !== null) return;
            child.kill('SIGTERM');
            const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
            await exited;
            clearTimeout(killer);
          },
        });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      if (opts.echoStderr) process.stderr.write(chunk);
      chunk.toString().split('\n').filter(Boolean).forEach(remember);
    });
    void exited.then(() => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail()}`));
    });
  });
}

/** Every server child still running, so an interrupted bench can stop them on its way out. */
const live = new Set<ChildProcess>();

/** Kills every server this process started that is still running (SIGKILL; for exit paths). */
export function killAllServers(): void {
  for (const child of live) child.kill('SIGKILL');
}
