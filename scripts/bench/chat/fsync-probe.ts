/**
 * The disk's own fsync distribution: the physical floor under every durable ack (issue 17).
 * Writes like Menteo's WAL does under load: a few 4 KiB pages appended per batch (a 4 MiB file
 * reused from its start once full, as the WAL restarts after a checkpoint), then one fsync on the
 * libuv pool, then the next batch `intervalMs` later. Nothing else runs, so the figures are the
 * disk's (and other tenants' I/O), not SQLite's or Node's.
 *
 * `--checkpoint-mib N` adds what the checkpoint worker does beside it: on a thread of its own,
 * every `--checkpoint-every` ms (500), N MiB of 4 KiB pages written at random places of a 256 MiB
 * "database" file, then its fsync; so the WAL's fsyncs can be read with and without that I/O on
 * the same disk.
 *
 * `--datasync` syncs the WAL stand-in with fdatasync instead of fsync (no journal commit for the
 * mtime alone, once the file has its size), to see whether the store's fsync pays for that.
 *
 *   npx tsx scripts/bench/chat/fsync-probe.ts [--seconds 20] [--pages 12] [--interval 2] [--datasync] [--checkpoint-mib 4 [--checkpoint-every 500]]
 */
import { closeSync, fdatasync, fsync, openSync, rmSync, writeSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { summarize, type Summary } from './stats.js';

export interface FsyncFloor {
  seconds: number;
  pagesPerSync: number;
  intervalMs: number;
  /** MiB the checkpoint stand-in wrote and fsynced every `checkpointEveryMs` beside it (0: none). */
  checkpointMiB: number;
  checkpointEveryMs: number;
  /** fdatasync instead of fsync. */
  datasync: boolean;
  fsync: Summary;
  over25Ms: number;
  /** How long each batch's page writes (on the calling thread, like SQLite's COMMIT on the event loop) took. */
  writes: Summary;
  writesOver10Ms: number;
}

const PAGE = 4096;
const FILE_BYTES = 4 * 1024 * 1024;

/** The checkpoint's I/O: random pages into a large file and its fsync, every `everyMs`, off the main thread. */
const CHECKPOINT_SOURCE = `
const { openSync, writeSync, fsyncSync, closeSync, ftruncateSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const PAGE = 4096, PAGES = (256 * 1024 * 1024) / PAGE;
const fd = openSync(workerData.file, 'w');
ftruncateSync(fd, PAGES * PAGE);
const page = Buffer.alloc(PAGE, 0x3c);
let stop = false;
parentPort.on('message', () => { stop = true; });
const round = () => {
  if (stop) { closeSync(fd); parentPort.postMessage('closed'); return; }
  for (let i = 0; i < workerData.pages; i++) writeSync(fd, page, 0, PAGE, Math.floor(Math.random() * PAGES) * PAGE);
  fsyncSync(fd);
  setTimeout(round, workerData.everyMs);
};
round();
`;

/** Runs the probe in a temp directory under `dir` (on the disk under test, not a tmpfs). */
export async function probeFsync(opts: { dir: string; seconds: number; pagesPerSync?: number; intervalMs?: number; checkpointMiB?: number; checkpointEveryMs?: number; datasync?: boolean }): Promise<FsyncFloor> {
  const pagesPerSync = opts.pagesPerSync ?? 12;
  const intervalMs = opts.intervalMs ?? 2;
  const checkpointMiB = opts.checkpointMiB ?? 0;
  const checkpointEveryMs = opts.checkpointEveryMs ?? 500;
  const datasync = opts.datasync ?? false;
  const sync = datasync ? fdatasync : fsync;
  const tmp = mkdtempSync(join(opts.dir, 'fsync-probe-'));
  const fd = openSync(join(tmp, 'probe-wal'), 'w');
  const checkpoint = checkpointMiB > 0 ? new Worker(CHECKPOINT_SOURCE, { eval: true, workerData: { file: join(tmp, 'probe-db'), pages: Math.round((checkpointMiB * 1024 * 1024) / PAGE), everyMs: checkpointEveryMs } }) : null;
  const page = Buffer.alloc(PAGE, 0x5a);
  const times: number[] = [];
  const writeTimes: number[] = [];
  let offset = 0;
  const end = performance.now() + opts.seconds * 1000;
  try {
    while (performance.now() < end) {
      const w = performance.now();
      for (let i = 0; i < pagesPerSync; i++) {
        writeSync(fd, page, 0, PAGE, offset);
        offset = (offset + PAGE) % FILE_BYTES;
      }
      writeTimes.push(performance.now() - w);
      const t = performance.now();
      await new Promise<void>((resolve, reject) => sync(fd, (err) => (err ? reject(err) : resolve())));
      times.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  } finally {
    closeSync(fd);
    if (checkpoint) {
      await new Promise((resolve) => {
        checkpoint.once('message', resolve);
        checkpoint.postMessage('stop');
      });
      await checkpoint.terminate();
    }
    rmSync(tmp, { recursive: true, force: true });
  }
  return { seconds: opts.seconds, pagesPerSync, intervalMs, checkpointMiB, checkpointEveryMs, datasync, fsync: summarize(times), over25Ms: times.filter((t) => t > 25).length, writes: summarize(writeTimes), writesOver10Ms: writeTimes.filter((t) => t > 10).length };
}

export const floorLine = (f: FsyncFloor): string =>
  `disk ${f.datasync ? 'fdatasync' : 'fsync'} floor (${f.fsync.count} ${f.datasync ? 'fdatasyncs' : 'fsyncs'} of ${f.pagesPerSync} × 4 KiB appended pages, one every ~${f.intervalMs} ms for ${f.seconds} s${f.checkpointMiB > 0 ? `, beside ${f.checkpointMiB} MiB of random pages + fsync every ${f.checkpointEveryMs} ms` : ''}): ` +
  `p50 ${f.fsync.p50.toFixed(2)} ms, p99 ${f.fsync.p99.toFixed(2)} ms, p99.9 ${f.fsync.p999.toFixed(1)} ms, max ${f.fsync.max.toFixed(1)} ms, ${f.over25Ms} over 25 ms; ` +
  `the page writes before each (on this thread, as COMMIT on the event loop): p99 ${f.writes.p99.toFixed(2)} ms, max ${f.writes.max.toFixed(1)} ms, ${f.writesOver10Ms} over 10 ms`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' }, pages: { type: 'string', default: '12' }, interval: { type: 'string', default: '2' }, dir: { type: 'string', default: '.' }, 'checkpoint-mib': { type: 'string', default: '0' }, 'checkpoint-every': { type: 'string', default: '500' }, datasync: { type: 'boolean', default: false } } });
  const floor = await probeFsync({ dir: values.dir!, seconds: Number(values.seconds), pagesPerSync: Number(values.pages), intervalMs: Number(values.interval), checkpointMiB: Number(values['checkpoint-mib']), checkpointEveryMs: Number(values['checkpoint-every']), datasync: values.datasync! });
  console.log(floorLine(floor));
}
