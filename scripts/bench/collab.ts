/**
 * Collab bench (`npm run bench:collab`; DESIGN §5). Prints markdown tables:
 *   1. K stock providers editing one roadmap at rising offered rates, against Menteo and against a
 *      bare y-protocols relay started in the same run: edit → remote p50/p99, time to converge,
 *      server CPU, and the ratio of the p99s. The knee is the highest rate whose p99 stays ≤ 25 ms.
 *      Two scenarios: many editors (fan-out) and few editors typing fast (the store-before-relay path).
 *   1b. Across nodes (phase `cluster`): two Menteo processes on one SQLite file joined by a spawned
 *      redis-server; the same K providers split across the two nodes, beside all K on one of those
 *      nodes, in the same run: edit → remote p50/p99 and the ratio of the p99s.
 *   2. Cold load of a roadmap with a 10,000-update history, before and after compaction.
 *   3. Server RSS per idle loaded roadmap.
 * Servers run pinned to core 0 (`taskset -c 0`); this process, the load, moves to core 1.
 * Each cell is the better of two runs, interleaved Menteo, relay, relay, Menteo: the one in which
 * this generator stalled least, since a stall here (a busy neighbour on a shared host) delays
 * edits and receipts alike and says nothing about the server.
 * Options: --scenarios "K:rate,rate;K:rate" (edits/s, all clients together) --seconds S per run (3)
 *          --cluster-scenarios (same form, for the cluster phase) --history N (10000) --docs N (1000)
 *          --phases editing,cluster,cold,memory --store sqlite|mongo.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { activeRoom, register } from '../../test/helpers/clients.js';
import { startRedis } from '../../test/helpers/redis.js';
import { metricsText } from '../../test/helpers/server.js';
import { runColdLoad } from './collab/cold-load.js';
import { runEditing, type EditingRun, type Target } from './collab/editing.js';
import { runConnectedMemory, runMemory } from './collab/memory.js';
import { canPin, pinSelf, setPinnedStore, startPinned } from './collab/procs.js';
import { parseBenchStore } from './store.js';

const { values } = parseArgs({
  options: {
    scenarios: { type: 'string', default: '20:200,800,1600;4:1000,4000,8000;50:100,200' },
    seconds: { type: 'string', default: '3' },
    history: { type: 'string', default: '10000' },
    docs: { type: 'string', default: '1000' },
    'cluster-scenarios': { type: 'string', default: '4:1000,4000;20:200,800' },
    phases: { type: 'string', default: 'editing,cluster,cold,memory' },
    store: { type: 'string', default: 'sqlite' },
  },
});
const scenarios = (spec: string) =>
  spec.split(';').map((part) => {
    const [k, rates] = part.split(':');
    return { k: Number(k), rates: rates!.split(',').map(Number) };
  });
const SCENARIOS = scenarios(values.scenarios);
const CLUSTER_SCENARIOS = scenarios(values['cluster-scenarios']);
const SECONDS = Number(values.seconds);
/** --store sqlite|mongo (mongo: against MONGODB_URL, scripts/bench/store.ts); every Menteo server of the run gets it. */
const STORE = parseBenchStore(values.store);
setPinnedStore(STORE);
const KNEE_P99_MS = 25;

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const pct = (x: number) => `${Math.round(x * 100)}%`;
const temp = () => mkdtempSync(join(tmpdir(), 'menteo-bench-collab-'));

async function editingPhase(): Promise<void> {
  const dataDir = temp();
  const menteo = await startPinned('server/main.ts', { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', AUTH_RATE_PER_MIN: '1000000' });
  const relay = await startPinned('scripts/bench/collab/relay.ts', {});
  try {
    const mentor = await register(menteo.url, 'Mentor');
    const menteoTarget: Target = {
      url: menteo.url,
      pid: menteo.child.pid!,
      // One active mentorship per pair: every run's room gets a mentee of its own.
      room: async () => {
        const mentee = await register(menteo.url, 'Mentee');
        return { name: (await activeRoom(menteo.url, mentor, mentee)).id, tokens: [mentor.token, mentee.token] };
      },
    };
    let n = 0;
    const relayTarget: Target = { url: relay.url, pid: relay.child.pid!, room: async () => ({ name: `bench-${++n}`, tokens: ['none'] }) };

    // Warm both servers and this process (JIT, pools); not reported.
    await runEditing(menteoTarget, SCENARIOS[0]!.k, SCENARIOS[0]!.rates[0]!, 1);
    await runEditing(relayTarget, SCENARIOS[0]!.k, SCENARIOS[0]!.rates[0]!, 1);
    for (const { k, rates } of SCENARIOS) await editingTable(menteoTarget, relayTarget, k, rates);
  } finally {
    await Promise.all([menteo.stop(), relay.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One table: `k` providers at each offered rate, Menteo then the relay. */
async function editingTable(menteoTarget: Target, relayTarget: Target, k: number, rates: number[]): Promise<void> {
  console.log(`\n### Live editing: ${k} providers on one roadmap, ${SECONDS} s per run, better of two runs\n`);
  console.log(
    '| offered edits/s | deliveries/s | Menteo p50 ms | Menteo p99 ms | Menteo converge ms | Menteo CPU | Menteo CPU ms/edit | relay p50 ms | relay p99 ms | relay converge ms | relay CPU | relay CPU ms/edit | p99 ratio | CPU/edit ratio | generator stall ms (Menteo / relay run) |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const runs: Array<{ menteo: EditingRun; relay: EditingRun }> = [];
  const flag = (x: EditingRun) => (x.converged ? '' : ' (did not converge)');
  const calmer = (a: EditingRun, b: EditingRun) => (a.generatorStallMs <= b.generatorStallMs ? a : b);
  for (const rate of rates) {
    const m1 = await runEditing(menteoTarget, k, rate, SECONDS);
    const r1 = await runEditing(relayTarget, k, rate, SECONDS);
    const r2 = await runEditing(relayTarget, k, rate, SECONDS);
    const m2 = await runEditing(menteoTarget, k, rate, SECONDS);
    const [m, r] = [calmer(m1, m2), calmer(r1, r2)];
    runs.push({ menteo: m, relay: r });
    console.log(
      `| ${rate} | ${rate * (k - 1)} | ${ms(m.p50)} | ${ms(m.p99)} | ${ms(m.convergeMs)}${flag(m)} | ${pct(m.serverCpu)} | ${m.cpuMsPerEdit.toFixed(2)} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.convergeMs)}${flag(r)} | ${pct(r.serverCpu)} | ${r.cpuMsPerEdit.toFixed(2)} | ${(m.p99 / r.p99).toFixed(2)} | ${(m.cpuMsPerEdit / r.cpuMsPerEdit).toFixed(2)} | ${ms(m.generatorStallMs)} / ${ms(r.generatorStallMs)} |`,
    );
  }
  const knee = (pick: (x: { menteo: EditingRun; relay: EditingRun }) => EditingRun) =>
    runs.filter((x) => pick(x).converged && pick(x).p99 <= KNEE_P99_MS).map((x) => pick(x).offered).pop() ?? 'below the lowest rate';
  console.log(`\nKnee (highest offered rate with p99 ≤ ${KNEE_P99_MS} ms): Menteo ${knee((x) => x.menteo)} edits/s; bare relay ${knee((x) => x.relay)} edits/s.`);
}

/**
 * Two nodes on one SQLite file and one Redis (all pinned to core 0, as the single server is): the
 * providers split across both nodes, beside all of them on node A, interleaved as above.
 */
async function clusterPhase(): Promise<void> {
  const dataDir = temp();
  const redis = await startRedis();
  const redisPid = Number(execFileSync('pgrep', ['-f', `redis-server 127.0.0.1:${redis.port}`]).toString().trim().split('\n')[0]);
  if (canPin && redisPid) execFileSync('taskset', ['-a', '-cp', '0', String(redisPid)], { stdio: 'ignore' });
  const env = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', REDIS_URL: redis.url, AUTH_RATE_PER_MIN: '1000000' };
  const a = await startPinned('server/main.ts', env);
  const b = await startPinned('server/main.ts', env);
  try {
    const mentor = await register(a.url, 'Mentor');
    const room = async () => {
      const mentee = await register(a.url, 'Mentee'); // one active mentorship per pair
      return { name: (await activeRoom(a.url, mentor, mentee)).id, tokens: [mentor.token, mentee.token] };
    };
    const pids = [a.child.pid!, b.child.pid!, ...(redisPid ? [redisPid] : [])];
    const oneNode: Target = { url: a.url, pid: a.child.pid!, pids, room };
    const twoNodes: Target = { url: a.url, pid: a.child.pid!, urls: [a.url, b.url], pids, room };
    await runEditing(twoNodes, CLUSTER_SCENARIOS[0]!.k, CLUSTER_SCENARIOS[0]!.rates[0]!, 1); // warm-up, not reported
    for (const { k, rates } of CLUSTER_SCENARIOS) {
      console.log(`\n### Across nodes: ${k} providers on one roadmap split over 2 nodes (Redis bus, one SQLite file) vs all on one of them, ${SECONDS} s per run, better of two runs\n`);
      console.log('| offered edits/s | one node p50 ms | one node p99 ms | two nodes p50 ms | two nodes p99 ms | p99 ratio (two / one) | two nodes converge ms | CPU (both nodes + Redis), one / two | generator stall ms (one / two) |');
      console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
      const flag = (x: EditingRun) => (x.converged ? '' : ' (did not converge)');
      const calmer = (x: EditingRun, y: EditingRun) => (x.generatorStallMs <= y.generatorStallMs ? x : y);
      for (const rate of rates) {
        const o1 = await runEditing(oneNode, k, rate, SECONDS);
        const t1 = await runEditing(twoNodes, k, rate, SECONDS);
        const t2 = await runEditing(twoNodes, k, rate, SECONDS);
        const o2 = await runEditing(oneNode, k, rate, SECONDS);
        const [o, t] = [calmer(o1, o2), calmer(t1, t2)];
        console.log(
          `| ${rate} | ${ms(o.p50)} | ${ms(o.p99)}${flag(o)} | ${ms(t.p50)} | ${ms(t.p99)}${flag(t)} | ${(t.p99 / o.p99).toFixed(2)} | ${ms(t.convergeMs)} | ${pct(o.serverCpu)} / ${pct(t.serverCpu)} | ${ms(o.generatorStallMs)} / ${ms(t.generatorStallMs)} |`,
        );
      }
    }
    // Catch-ups read the store; on a healthy bus they should be few (gaps, missing dependencies).
    for (const [label, node] of [['A', a], ['B', b]] as const) {
      const text = await metricsText(node.url);
      const lines = text.split('\n').filter((l) => /^menteo_collab_(catch_ups_total|remote_updates_total|updates_stored_total)/.test(l));
      console.log(`\nnode ${label}: ${lines.map((l) => l.replace('menteo_collab_', '')).join(', ')}`);
    }
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await redis.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function coldLoadPhase(history: number): Promise<void> {
  const dataDir = temp();
  try {
    const { before, after } = await runColdLoad(dataDir, history, 5);
    console.log(`\n### Cold load of a roadmap with a ${history.toLocaleString('en')}-update history (median of ${before.runs} loads)\n`);
    console.log('| stored as | log entries | log KiB | snapshot KiB | server load ms (mean) | client connect → synced ms |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const [label, f] of [['update log (before compaction)', before], ['snapshot (after compaction)', after]] as const) {
      console.log(`| ${label} | ${f.logEntries} | ${(f.logBytes / 1024).toFixed(1)} | ${(f.snapshotBytes / 1024).toFixed(1)} | ${ms(f.serverMs)} | ${ms(f.clientMedianMs)} |`);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function memoryPhase(docs: number): Promise<void> {
  const dataDir = temp();
  try {
    const m = await runMemory(dataDir, docs);
    console.log(`\n### Memory per idle loaded roadmap (${m.docs} roadmaps of 7 templated milestones, no connections)\n`);
    // The same roadmap as bare Y.Docs in a process of their own: what holding the document costs by itself.
    const bare = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'scripts/bench/collab/ydoc-heap.ts', '--docs', String(m.docs)], { encoding: 'utf8' })) as { heapPerDocKiB: number };
    console.log('| RSS per doc KiB | V8 heap used per doc KiB | bare Y.Doc of the same roadmap, V8 heap KiB |');
    console.log('|---:|---:|---:|');
    console.log(`| ${m.rssPerDocKiB.toFixed(1)} | ${m.heapPerDocKiB.toFixed(1)} | ${bare.heapPerDocKiB.toFixed(1)} |`);
    process.setMaxListeners(docs + 100); // each provider adds a process 'exit' listener
    const c = await runConnectedMemory(dataDir, m.seeded);
    console.log(`\n### Memory per idle loaded roadmap with one connection (${c.docs} roadmaps, one stock provider each, synced and idle)\n`);
    console.log('| | Menteo KiB per doc + connection | bare relay KiB per doc + connection |');
    console.log('|---|---:|---:|');
    console.log(`| RSS | ${c.menteoKiB.toFixed(1)} | ${c.relayKiB.toFixed(1)} |`);
    console.log(`| V8 heap used | ${c.menteoHeapKiB.toFixed(1)} | ${c.relayHeapKiB.toFixed(1)} |`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  pinSelf(1);
  // Each provider in Node adds a process 'exit' listener.
  process.setMaxListeners(Math.max(...[...SCENARIOS, ...CLUSTER_SCENARIOS].map((x) => x.k)) + 10);
  const started = Date.now();
  console.log(`collab bench: node ${process.version}, ${canPin ? 'servers on core 0, load on core 1' : 'NOT pinned (taskset or a second core missing)'}`);
  const phases = new Set(values.phases.split(','));
  if (phases.has('editing')) await editingPhase();
  if (phases.has('cluster')) await clusterPhase();
  if (phases.has('cold')) await coldLoadPhase(Number(values.history));
  if (phases.has('memory')) await memoryPhase(Number(values.docs));
  console.log(`\n(total ${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
