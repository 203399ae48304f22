/**
 * Collab bench (`npm run bench:collab`; DESIGN §5). Prints markdown tables:
 *   1. K stock providers editing one roadmap at rising offered rates, against Menteo and against a
 *      bare y-protocols relay started in the same run: edit → remote p50/p99, time to converge,
 *      and the ratio of the p99s. The knee is the highest rate whose p99 stays ≤ 25 ms.
 *   2. Cold load of a roadmap with a 10,000-update history, before and after compaction.
 *   3. Server RSS per idle loaded roadmap.
 * Servers run pinned to core 0 (`taskset -c 0`); this process, the load, moves to core 1.
 * Options: --clients K (20) --seconds S per rate (5) --rates a,b,c (edits/s, all clients together)
 *          --history N (10000) --docs N (1000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { activeRoom, register } from '../../test/helpers/clients.js';
import { runColdLoad } from './collab/cold-load.js';
import { runEditing, type EditingRun, type Target } from './collab/editing.js';
import { runMemory } from './collab/memory.js';
import { canPin, pinSelf, startPinned } from './collab/procs.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '5' },
    rates: { type: 'string', default: '100,200,400,800,1600' },
    history: { type: 'string', default: '10000' },
    docs: { type: 'string', default: '1000' },
  },
});
const K = Number(values.clients);
const SECONDS = Number(values.seconds);
const RATES = values.rates.split(',').map(Number);
const KNEE_P99_MS = 25;

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const temp = () => mkdtempSync(join(tmpdir(), 'menteo-bench-collab-'));

async function editingPhase(): Promise<void> {
  const dataDir = temp();
  const menteo = await startPinned('server/main.ts', { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  const relay = await startPinned('scripts/bench/collab/relay.ts', {});
  try {
    const mentor = await register(menteo.url, 'Mentor');
    const mentee = await register(menteo.url, 'Mentee');
    const menteoTarget: Target = {
      url: menteo.url,
      room: async () => ({ name: (await activeRoom(menteo.url, mentor, mentee)).id, tokens: [mentor.token, mentee.token] }),
    };
    let n = 0;
    const relayTarget: Target = { url: relay.url, room: async () => ({ name: `bench-${++n}`, tokens: ['none'] }) };

    // Warm both servers and this process (JIT, pools) at the lowest rate; not reported.
    await runEditing(menteoTarget, K, RATES[0]!, 1);
    await runEditing(relayTarget, K, RATES[0]!, 1);

    console.log(`\n### Live editing: ${K} providers on one roadmap, ${SECONDS} s per rate\n`);
    console.log('| offered edits/s | deliveries/s | Menteo p50 ms | Menteo p99 ms | Menteo converge ms | relay p50 ms | relay p99 ms | relay converge ms | p99 ratio | generator stall ms (Menteo / relay run) |');
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    const runs: Array<{ menteo: EditingRun; relay: EditingRun }> = [];
    for (const rate of RATES) {
      const m = await runEditing(menteoTarget, K, rate, SECONDS);
      const r = await runEditing(relayTarget, K, rate, SECONDS);
      runs.push({ menteo: m, relay: r });
      const flag = (x: EditingRun) => (x.converged ? '' : ' (did not converge)');
      console.log(
        `| ${rate} | ${rate * (K - 1)} | ${ms(m.p50)} | ${ms(m.p99)} | ${ms(m.convergeMs)}${flag(m)} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.convergeMs)}${flag(r)} | ${(m.p99 / r.p99).toFixed(2)} | ${ms(m.generatorStallMs)} / ${ms(r.generatorStallMs)} |`,
      );
    }
    const knee = (pick: (x: { menteo: EditingRun; relay: EditingRun }) => EditingRun) =>
      runs.filter((x) => pick(x).converged && pick(x).p99 <= KNEE_P99_MS).map((x) => pick(x).offered).pop() ?? 'below the lowest rate';
    console.log(`\nKnee (highest offered rate with p99 ≤ ${KNEE_P99_MS} ms): Menteo ${knee((x) => x.menteo)} edits/s; bare relay ${knee((x) => x.relay)} edits/s.`);
  } finally {
    await Promise.all([menteo.stop(), relay.stop()]);
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
    console.log('| RSS per doc KiB | V8 heap used per doc KiB |');
    console.log('|---:|---:|');
    console.log(`| ${m.rssPerDocKiB.toFixed(1)} | ${m.heapPerDocKiB.toFixed(1)} |`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  pinSelf(1);
  // Each provider in Node adds a process 'exit' listener.
  process.setMaxListeners(K + 10);
  const started = Date.now();
  console.log(`collab bench: node ${process.version}, ${canPin ? 'servers on core 0, load on core 1' : 'NOT pinned (taskset or a second core missing)'}`);
  await editingPhase();
  await coldLoadPhase(Number(values.history));
  await memoryPhase(Number(values.docs));
  console.log(`\n(total ${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
