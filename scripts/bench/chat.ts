/**
 * Chat bench (DESIGN §5): N rooms × 2 connected clients sending `message:send` with acks at a
 * sweep of offered rates, open loop, against the real Menteo server and against a bare Socket.IO
 * relay under the same load. Prints one table per system, the knee (highest offered rate whose
 * send→receive p99 ≤ 25 ms) and Menteo/baseline ratios. Not part of `npm test`.
 *
 *   npm run bench:chat -- [--rooms 1000] [--rates 500,1000,2000,...] [--warmup 2] [--duration 8]
 *                         [--drain 5] [--systems menteo,baseline] [--server dist|tsx] [--skip-build]
 *                         [--fresh-setup] [--full] [--cpu-prof] [--server-stderr]
 *
 * Each flag can also come from the environment (BENCH_ROOMS, BENCH_RATES, ...). The server under
 * test is pinned to CPU 0 (`taskset -c 0`) and this load generator to CPU 1. Only 127.0.0.1
 * traffic. Results are also written as JSON under .bench-out/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, release } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ServerLimits } from '../../server/limits.js';
import { ChatLoad, type StepResult } from './chat/load.js';
import { pin } from './chat/proc.js';
import { knee, passes, ratioTable, stepTable, TARGET_P99_MS } from './chat/report.js';
import { killAllServers, spawnServer, type ServerProcess } from './chat/server-process.js';
import { copySeed, menteoSeed, relayPairs, type Pair } from './chat/setup.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const outRoot = join(repoRoot, '.bench-out');

const { values: flags } = parseArgs({
  options: {
    rooms: { type: 'string' },
    rates: { type: 'string' },
    warmup: { type: 'string' },
    duration: { type: 'string' },
    drain: { type: 'string' },
    pause: { type: 'string' },
    systems: { type: 'string' },
    server: { type: 'string' },
    'skip-build': { type: 'boolean' },
    'fresh-setup': { type: 'boolean' },
    full: { type: 'boolean' },
    'cpu-prof': { type: 'boolean' },
    'server-stderr': { type: 'boolean' },
  },
});

/** A flag, else BENCH_<NAME>, else the default. */
const opt = (name: keyof typeof flags, fallback: string): string => {
  const flag = flags[name];
  if (typeof flag === 'string') return flag;
  return process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`] ?? fallback;
};
const bool = (name: keyof typeof flags): boolean => flags[name] === true || ['1', 'true'].includes(process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`] ?? '');

const options = {
  rooms: Number(opt('rooms', '1000')),
  rates: opt('rates', '500,1000,2000,3000,4000,6000,8000').split(',').map(Number),
  warmupS: Number(opt('warmup', '2')),
  durationS: Number(opt('duration', '8')),
  drainS: Number(opt('drain', '5')),
  pauseS: Number(opt('pause', '1')),
  systems: opt('systems', 'menteo,baseline').split(','),
  server: opt('server', 'dist') as 'dist' | 'tsx',
  build: !bool('skip-build'),
  freshSetup: bool('fresh-setup'),
  full: bool('full'),
  cpuProf: bool('cpu-prof'),
  serverStderr: bool('server-stderr'),
};
for (const [k, v] of Object.entries(options)) {
  if (typeof v === 'number' && !(v >= 0)) throw new Error(`--${k} must be a non-negative number`);
}
if (options.rates.some((r) => !(r > 0)) || options.rooms < 1) throw new Error('--rates must be positive numbers and --rooms ≥ 1');
if (!['dist', 'tsx'].includes(options.server)) throw new Error('--server is dist or tsx');

const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How Menteo is started: the compiled build (what `npm start` runs) or the TypeScript sources through tsx. */
function menteoCommand(profDir?: string): string[] {
  const prof = profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [];
  return options.server === 'dist' ? ['node', ...prof, 'dist/server/main.js'] : ['node', ...prof, '--import', 'tsx', 'server/main.ts'];
}

function machine(): Record<string, string> {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: repoRoot }).toString().trim();
    } catch {
      return '?';
    }
  };
  return {
    cpus: String(availableParallelism()),
    model: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? '?',
    node: process.version,
    kernel: release(),
    commit: `${git(['rev-parse', '--short', 'HEAD'])}${git(['status', '--porcelain', '--', 'server', 'shared']) ? ' (dirty)' : ''}`,
  };
}

interface SystemRun {
  name: string;
  steps: StepResult[];
  knee: number;
}

/** Connects the clients, sweeps the rates (stopping past saturation unless --full), then stops the server. */
async function sweep(name: string, server: ServerProcess, pairs: Pair[]): Promise<SystemRun> {
  const load = new ChatLoad(server.url, pairs);
  const steps: StepResult[] = [];
  try {
    const t = performance.now();
    await load.connect();
    log(`${name}: ${2 * pairs.length} clients connected in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await sleep(1000);
    for (const rate of options.rates) {
      const r = await load.step({ rate, warmupS: options.warmupS, durationS: options.durationS, drainS: options.drainS, pid: server.pid });
      steps.push(r);
      log(
        `${name} @ ${rate} msg/s: achieved ${r.achieved.toFixed(0)}, e2e p50 ${r.e2e.p50.toFixed(1)} p99 ${r.e2e.p99.toFixed(1)} max ${r.e2e.max.toFixed(1)} ms, ` +
          `ack p99 ${r.ack.p99.toFixed(1)} ms, server CPU ${r.cpuPct.toFixed(0)}%, lost ${r.lost}, errors ${JSON.stringify(r.errors)}, gen CPU ${r.genCpuPct.toFixed(0)}%`,
      );
      const saturated = r.achieved < 0.95 * rate || r.lost > 0 || r.e2e.p99 > 4 * TARGET_P99_MS;
      if (!passes(r) && saturated && !options.full) {
        log(`${name}: saturated at ${rate} msg/s; higher rates skipped (--full sweeps them all)`);
        break;
      }
      await sleep(options.pauseS * 1000);
    }
  } finally {
    load.close();
    await server.stop();
  }
  return { name, steps, knee: knee(steps) };
}

async function main(): Promise<void> {
  const m = machine(); // before pinning: afterwards this process sees one CPU
  const cores = availableParallelism();
  const pinned = cores >= 2;
  const perClient = Math.max(...options.rates) / (2 * options.rooms);
  if (perClient > ServerLimits.socketEventsPerSecond) {
    log(`warning: ${perClient.toFixed(0)} msg/s per client exceeds Menteo's per-connection limit (${ServerLimits.socketEventsPerSecond}/s): expect RATE_LIMITED`);
  }
  if (options.build && options.systems.includes('menteo') && options.server === 'dist') {
    log('build: tsc -p tsconfig.build.json');
    execFileSync(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'inherit' });
  }
  if (pinned) pin(process.pid, '1');
  else log('warning: fewer than 2 CPUs: server and load generator are not pinned apart');
  const serverCpus = pinned ? '0' : undefined;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const profDir = options.cpuProf ? join(outRoot, 'prof', stamp) : undefined;

  const runs: SystemRun[] = [];
  for (const system of options.systems) {
    if (system === 'menteo') {
      const seed = await menteoSeed({ rooms: options.rooms, cacheRoot: outRoot, fresh: options.freshSetup, command: menteoCommand(), cwd: repoRoot, log });
      const data = copySeed(seed);
      process.once('exit', data.remove);
      try {
        const server = await spawnServer({ command: menteoCommand(profDir), cwd: repoRoot, cpus: serverCpus, echoStderr: options.serverStderr, env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: data.dir } });
        runs.push(await sweep('menteo', server, seed.pairs));
      } finally {
        data.remove();
      }
    } else if (system === 'baseline') {
      const server = await spawnServer({ command: ['node', '--import', 'tsx', 'scripts/bench/baseline-relay.ts'], cwd: repoRoot, cpus: serverCpus, env: { PORT: '0', HOST: '127.0.0.1' } });
      runs.push(await sweep('baseline', server, relayPairs(options.rooms)));
    } else {
      throw new Error(`unknown system ${system} (menteo, baseline)`);
    }
  }

  const command = `npm run bench:chat -- ${process.argv.slice(2).join(' ')}`.trim();
  const out: string[] = [];
  out.push(`Chat bench: ${options.rooms} rooms × 2 clients, warm-up ${options.warmupS} s + ${options.durationS} s per rate, open loop, websocket transport`);
  out.push(`command: ${command}`);
  out.push(`machine: ${m.cpus} CPUs (${m.model}), Node ${m.node}, Linux ${m.kernel}; server ${pinned ? 'pinned to CPU 0, load generator to CPU 1' : 'unpinned'}; Menteo from ${options.server === 'dist' ? 'dist/ (tsc build)' : 'server/*.ts via tsx'}; commit ${m.commit}`);
  for (const run of runs) {
    out.push('', `### ${run.name === 'menteo' ? 'Menteo (sqlite, synchronous=FULL, ack after commit)' : 'Baseline: bare Socket.IO relay (no auth, no storage)'}`, '', stepTable(run.steps), '');
    out.push(`knee (highest offered rate with e2e p99 ≤ ${TARGET_P99_MS} ms): ${run.knee ? `${run.knee} msg/s` : `none of the rates swept`}`);
  }
  const menteo = runs.find((r) => r.name === 'menteo');
  const baseline = runs.find((r) => r.name === 'baseline');
  if (menteo && baseline) {
    out.push('', '### Menteo ÷ baseline', '', ratioTable(menteo.steps, baseline.steps), '');
    out.push(`knee ratio: ${menteo.knee} / ${baseline.knee} = ${baseline.knee ? (menteo.knee / baseline.knee).toFixed(2) : '–'}`);
  }
  console.log(out.join('\n'));

  mkdirSync(outRoot, { recursive: true });
  const file = join(outRoot, `chat-${stamp}.json`);
  writeFileSync(file, JSON.stringify({ command, machine: m, options, runs }, null, 2));
  log(`\nresults: ${file}${profDir ? `\nserver CPU profile: ${profDir}` : ''}`);
}

process.on('exit', killAllServers);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
