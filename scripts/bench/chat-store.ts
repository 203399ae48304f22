/**
 * The durable chat write path in-process, for figures that do not depend on machine load:
 * bytes written to storage and CPU time per `messages.append`, on the real SQLite store (WAL,
 * group commit, fsync before settle) in a DATA_DIR on the real disk.
 *
 *   npx tsx scripts/bench/chat-store.ts [--rooms 1000] [--preload 100] [--n 20000] [--batch 6] [--repeat 3]
 *
 * Setup: `--rooms` rooms, each with `--preload` messages already stored (so the indexes have the
 * depth of a used store), then a checkpoint. Measured: `--n` appends to random rooms by
 * alternating members, in waves of `--batch` concurrent appends (each wave one write-queue batch,
 * as at ~2,000 msg/s with the 2 ms group-commit delay). Bytes are /proc/self/io write_bytes
 * (WAL frames, checkpoints copying them into the database file), CPU is process.cpuUsage
 * (user + system of this process, the fsync thread included). Each figure is the best of
 * `--repeat` measured rounds on the same store.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Room } from '../../shared/types.js';
import { newId, nowIso } from '../../server/ids.js';
import { openSqliteStore } from '../../server/store/sqlite/index.js';
import { sampleRoom } from '../../test/store/contract/fixtures.js';

const { values } = parseArgs({
  options: {
    rooms: { type: 'string', default: '1000' },
    preload: { type: 'string', default: '100' },
    n: { type: 'string', default: '20000' },
    batch: { type: 'string', default: '6' },
    repeat: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});
const ROOMS = Number(values.rooms);
const PRELOAD = Number(values.preload);
const N = Number(values.n);
const BATCH = Number(values.batch);
const REPEAT = Number(values.repeat);

const writeBytes = (): number => Number(/^write_bytes:\s+(\d+)/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1]);
const cpuMicros = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const body = (i: number) => `${i} `.padEnd(100, 'lorem ipsum dolor sit amet ');

// On the real disk (not a tmpfs /tmp): write_bytes and fsyncs are the point.
const dir = (mkdirSync('.bench-out', { recursive: true }), mkdtempSync(join('.bench-out', 'chat-store-')));
const store = openSqliteStore({ file: join(dir, 'menteo.sqlite') });
const rooms: Room[] = [];
for (let r = 0; r < ROOMS; r++) rooms.push(await store.rooms.create(sampleRoom({ id: newId(), mentorId: newId(), menteeId: newId(), status: 'active' })));

let sent = 0;
async function appendWave(size: number): Promise<void> {
  const wave = [];
  for (let k = 0; k < size; k++, sent++) {
    const room = rooms[Math.floor(Math.random() * rooms.length)]!;
    wave.push(store.messages.append({ createdAt: nowIso(), roomId: room.id, authorId: sent % 2 ? room.mentorId : room.menteeId, clientMsgId: newId(), kind: 'text', body: body(sent) }));
  }
  await Promise.all(wave);
}

for (let i = 0; i < ROOMS * PRELOAD; i += 500) await appendWave(500);
const batches0 = store.writeStats.batches;

const rounds: Array<{ bytes: number; cpu: number; perBatch: number }> = [];
for (let round = 0; round < REPEAT; round++) {
  const b0 = store.writeStats.batches;
  const w0 = writeBytes();
  const c0 = cpuMicros();
  for (let i = 0; i < N; i += BATCH) await appendWave(BATCH);
  rounds.push({ bytes: (writeBytes() - w0) / N, cpu: (cpuMicros() - c0) / N, perBatch: N / (store.writeStats.batches - b0) });
}
await store.close();
if (!values.keep) rmSync(dir, { recursive: true, force: true });

const best = (k: 'bytes' | 'cpu') => Math.min(...rounds.map((r) => r[k]));
console.log(`chat-store: ${ROOMS} rooms × ${PRELOAD} preloaded, ${N} appends in waves of ${BATCH} (${rounds[0]!.perBatch.toFixed(1)} per batch), ${REPEAT} rounds; setup batches ${batches0}`);
console.log('| round | bytes written per message | CPU µs per message |');
console.log('|---:|---:|---:|');
rounds.forEach((r, i) => console.log(`| ${i + 1} | ${Math.round(r.bytes)} | ${r.cpu.toFixed(1)} |`));
console.log(`| best | ${Math.round(best('bytes'))} | ${best('cpu').toFixed(1)} |`);
