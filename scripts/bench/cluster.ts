/**
 * Cluster bench (issue 12): the chat bench's workload (scripts/bench/chat/*: N rooms × 2 clients,
 * open-loop `message:send` with acks) on one node, and on two nodes sharing one SQLite file and a
 * redis-server with the two members of every room on different nodes, so every delivery crosses
 * Redis. Both systems run in the same run, interleaved per rate. Prints send→receive p50/p99 and
 * CPU per message (the cluster's figure sums both nodes and Redis) per rate, and the cross-node ÷
 * single-node p99 ratio. Not part of `npm test`.
 *
 *   npm run bench:cluster -- [--rooms 500] [--rates 500,1000,2000] [--warmup 2] [--duration 8] [--drain 5]
 *                            [--layout spread|shared] [--away] [--cpu-prof] [--skip-build]
 *
 * Clients show their room (room:view), as the web app does for the room on screen; with --away
 * they do not, so every message also writes its recipient's coalesced inbox entry. With --cpu-prof
 * every server writes a V8 CPU profile into .bench-out/prof/cluster-<time>/ (scripts/bench/profile-summary.ts).
 *
 * The load generator runs on CPU 1 and the single node on CPU 0, as in the chat bench. The cluster's
 * layout: `spread` (the default, what a cluster is for) gives node A CPU 0 and node B CPU 1 with
 * Redis (node B and Redis share that core with the generator); `shared` pins both nodes and Redis to
 * CPU 0, so the cluster has the single node's one core for about twice the work. Each rate runs
 * one node, cluster, cluster, one node, and each system keeps the run in which the generator lagged
 * least (its p99 lag is in the tables), so one disturbed run does not decide a cell. On this shared
 * machine other tenants' load shows in the `other CPU %` column.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { storeFile } from '../../server/ops/sqlite-backup.js';
import { freePort } from '../../test/helpers/redis.js';
import { ChatLoad, storeCountersOf, type StepResult, type Viewing } from './chat/load.js';
import { pin, waitQuiet } from './chat/proc.js';
import { markdown, stepTable } from './chat/report.js';
import { BENCH_METRICS_TOKEN, killAllServers, spawnServer, type ServerProcess } from './chat/server-process.js';
import { copySeed, menteoSeed } from './chat/setup.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const outRoot = join(repoRoot, '.bench-out');
const { values: flags } = parseArgs({
  options: {
    rooms: { type: 'string', default: '500' },
    rates: { type: 'string', default: '500,1000,2000' },
    warmup: { type: 'string', default: '2' },
    duration: { type: 'string', default: '8' },
    drain: { type: 'string', default: '5' },
    layout: { type: 'string', default: 'spread' },
    away: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
  },
});
const rooms = Number(flags.rooms);
const rates = flags.rates!.split(',').map(Number);
const step = { warmupS: Number(flags.warmup), durationS: Number(flags.duration), drainS: Number(flags.drain) };
const log = (line: string) => process.stderr.write(`${line}\n`);
const pinned = availableParallelism() >= 2;
const serverCpus = pinned ? '0' : undefined;
if (flags.layout !== 'spread' && flags.layout !== 'shared') throw new Error('--layout is spread or shared');
/** CPUs of node A, node B and Redis. */
const clusterCpus = !pinned ? [undefined, undefined, undefined] : flags.layout === 'spread' ? ['0', '1', '1'] : ['0', '0', '0'];
const profDir = flags['cpu-prof'] ? join(outRoot, 'prof', `cluster-${new Date().toISOString().replace(/[:.]/g, '-')}`) : undefined;
const command = ['node', ...(profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []), 'dist/server/main.js'];
const viewing: Viewing = flags.away ? 'away' : 'shown';

/** A redis-server of the bench's own on a free port (never 6379), pinned with the servers. */
async function startRedis(cpus: string | undefined): Promise<{ url: string; pid: number; child: ChildProcess }> {
  const port = await freePort();
  const argv = ['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn(cpus ? 'taskset' : argv[0]!, cpus ? ['-c', cpus, ...argv] : argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
  });
  child.stdout!.resume();
  return { url: `redis://127.0.0.1:${port}`, pid: child.pid!, child };
}

interface System {
  name: 'one node' | 'two nodes, cross-node';
  load: ChatLoad;
  pids: number[];
  metricsUrl: string;
  /** Every node's base URL (their /metrics are summed for the lock-wait figures). */
  urls: string[];
  /** The system's DATA_DIR (its WAL's size is logged per step: two writers can starve checkpoints). */
  dataDir: string;
  /** The cluster's Redis (commands per message are logged per step). */
  redisUrl?: string;
  steps: StepResult[];
  /** Per step: BEGINs that found the other node holding the SQLite write lock, and the time waited in all (ms). */
  lockWaits: Array<{ n: number; ms: number; rewinds: number }>;
  stop: () => Promise<void>;
}

/** menteo_store_lock_wait_seconds count and sum (ms), and the WAL rewinds (RESTART checkpoints that ran), summed over the nodes. */
async function storeCounters(urls: string[]): Promise<{ n: number; ms: number; rewinds: number }> {
  let n = 0;
  let ms = 0;
  let rewinds = 0;
  for (const url of urls) {
    const c = storeCountersOf(await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } })).text());
    n += c.lockWaits;
    ms += c.lockWaitMs;
    rewinds += c.rewinds;
  }
  return { n, ms, rewinds };
}

/** Size of the store's WAL file in MiB (0 when there is none). */
function walMiB(dataDir: string): number {
  try {
    return statSync(`${storeFile(dataDir)}-wal`).size / 2 ** 20;
  } catch {
    return 0;
  }
}

/** Calls per command the Redis server has processed so far (INFO commandstats). */
async function redisCommands(url: string | undefined): Promise<Map<string, number>> {
  const calls = new Map<string, number>();
  if (!url) return calls;
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for (const [, name, n] of (await redis.info('commandstats')).matchAll(/^cmdstat_(\S+?):calls=(\d+)/gm)) calls.set(name!, Number(n));
    return calls;
  } finally {
    redis.disconnect();
  }
}

/** Commands per message between two commandstats readings, the busiest first ("evalsha 1.0, publish 2.0"). */
function perMessage(before: Map<string, number>, after: Map<string, number>, messages: number): string {
  return [...after]
    .map(([name, n]) => [name, (n - (before.get(name) ?? 0)) / messages] as const)
    .filter(([, n]) => n >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${n.toFixed(1)}`)
    .join(', ');
}

async function main(): Promise<void> {
  if (!flags['skip-build']) execFileSync(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'inherit' });
  const seed = await menteoSeed({ rooms, cacheRoot: outRoot, fresh: false, command: ['node', 'dist/server/main.js'], cwd: repoRoot, log });
  if (pinned) pin(process.pid, '1');
  const env = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', METRICS_TOKEN: BENCH_METRICS_TOKEN };
  const systems: System[] = [];
  const servers: ServerProcess[] = [];
  try {
    const single = copySeed(seed);
    const one = await spawnServer({ command, cwd: repoRoot, cpus: serverCpus, env: { ...env, LOG_LEVEL: 'info', DATA_DIR: single.dir } });
    servers.push(one);
    systems.push({ name: 'one node', load: new ChatLoad(one.url, seed.pairs, viewing), pids: [one.pid], metricsUrl: `${one.url}/metrics`, urls: [one.url], dataDir: single.dir, steps: [], lockWaits: [], stop: async () => { await one.stop(); single.remove(); } });

    const redis = await startRedis(clusterCpus[2]);
    const shared = copySeed(seed);
    // The seed's tokens were signed with the secret generated into its DATA_DIR: both nodes share that directory, hence the secret.
    const nodes = await Promise.all(['a', 'b'].map((id, i) => spawnServer({ command, cwd: repoRoot, cpus: clusterCpus[i], env: { ...env, LOG_LEVEL: 'info', DATA_DIR: shared.dir, REDIS_URL: redis.url, NODE_ID: `bench-${id}` } })));
    servers.push(...nodes);
    systems.push({
      name: 'two nodes, cross-node',
      load: new ChatLoad(nodes.map((n) => n.url), seed.pairs, viewing),
      pids: [...nodes.map((n) => n.pid), redis.pid],
      metricsUrl: `${nodes[0]!.url}/metrics`,
      urls: nodes.map((n) => n.url),
      dataDir: shared.dir,
      redisUrl: redis.url,
      steps: [],
      lockWaits: [],
      stop: async () => {
        await Promise.all(nodes.map((n) => n.stop()));
        redis.child.kill('SIGKILL');
        shared.remove();
      },
    });
    for (const sys of systems) {
      await sys.load.connect();
      log(`${sys.name}: ${sys.load.clients} clients connected`);
    }
    for (const rate of rates) {
      const runs = new Map<System, Array<{ r: StepResult; waits: { n: number; ms: number; rewinds: number } }>>(systems.map((s) => [s, []]));
      for (const sys of [...systems, ...[...systems].reverse()]) {
        await waitQuiet([process.pid, ...systems.flatMap((s) => s.pids)], 25, 10_000);
        const waits0 = await storeCounters(sys.urls);
        const commands0 = await redisCommands(sys.redisUrl);
        const r = await sys.load.step({ rate, ...step, pid: sys.pids, metricsUrl: sys.metricsUrl });
        const waits1 = await storeCounters(sys.urls);
        const redisPerMsg = perMessage(commands0, await redisCommands(sys.redisUrl), rate * (step.warmupS + step.durationS));
        const waits = { n: waits1.n - waits0.n, ms: waits1.ms - waits0.ms, rewinds: waits1.rewinds - waits0.rewinds };
        runs.get(sys)!.push({ r, waits });
        log(`${sys.name} @ ${rate}: e2e p50 ${r.e2e.p50.toFixed(1)} p99 ${r.e2e.p99.toFixed(1)} ms, CPU ${r.cpuPct.toFixed(0)}%, ${r.cpuUsPerMsg.toFixed(0)} µs/msg, lost ${r.lost}, errors ${JSON.stringify(r.errors)}, gen lag p99 ${r.genLagP99.toFixed(1)} ms, loop stall max ${r.loopStallMaxMs.toFixed(0)} ms, fsyncs > 25 ms ${r.fsyncsOver25Ms}, other CPU ${r.otherCpuPct.toFixed(0)}%, WAL ${walMiB(sys.dataDir).toFixed(1)} MiB, lock waits ${waits.n} (${waits.ms.toFixed(0)} ms), WAL rewinds ${waits.rewinds}${sys.redisUrl ? `, Redis commands/msg: ${redisPerMsg}` : ''}`);
      }
      for (const sys of systems) {
        const [a, b] = runs.get(sys)!;
        const kept = a!.r.genLagP99 <= b!.r.genLagP99 ? a! : b!;
        // A message lost in either run must show, whichever run is kept.
        sys.steps.push({ ...kept.r, lost: a!.r.lost + b!.r.lost });
        sys.lockWaits.push(kept.waits);
      }
    }
  } finally {
    for (const sys of systems) {
      sys.load.close();
      await sys.stop();
    }
    for (const s of servers) await s.stop();
  }

  const argv = process.argv.slice(2).join(' ');
  const out = [`Cluster bench: ${rooms} rooms × 2 clients, warm-up ${step.warmupS} s + ${step.durationS} s per rate, cluster layout ${flags.layout}, rooms ${viewing}, better of two runs; command: npm run bench:cluster -- ${argv}`.trim()];
  for (const sys of systems) out.push('', `### ${sys.name}`, '', stepTable(sys.steps));
  const [one, two] = systems;
  const rows = one!.steps.map((s, i) => {
    const c = two!.steps[i]!;
    const w = two!.lockWaits[i]!;
    return [String(s.offered), s.e2e.p50.toFixed(1), s.e2e.p99.toFixed(1), c.e2e.p50.toFixed(1), c.e2e.p99.toFixed(1), (c.e2e.p99 / s.e2e.p99).toFixed(2), s.cpuUsPerMsg.toFixed(0), c.cpuUsPerMsg.toFixed(0), String(w.n), w.ms.toFixed(0)];
  });
  out.push('', '### Summary', '', markdown(['offered msg/s', 'one node p50 ms', 'one node p99 ms', 'cross-node p50 ms', 'cross-node p99 ms', 'p99 ×', 'one node CPU µs/msg', 'cluster CPU µs/msg', 'lock waits (both nodes)', 'lock wait total ms'], rows));
  console.log(out.join('\n'));
  mkdirSync(outRoot, { recursive: true });
  writeFileSync(join(outRoot, `cluster-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify({ rooms, rates, step, layout: flags.layout, viewing, systems: systems.map((s) => ({ name: s.name, steps: s.steps, lockWaits: s.lockWaits })) }, null, 2));
}

process.on('exit', killAllServers);
main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
