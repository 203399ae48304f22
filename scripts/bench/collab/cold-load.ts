/**
 * Cold load of a roadmap with a 10,000-update history: first as a raw log (compaction held off),
 * then after the server compacted it into one snapshot. A load is timed twice: on the server
 * (menteo_collab_doc_load_seconds: read snapshot and log, apply) and by a client (provider created
 * → first sync complete, which adds the upgrade, auth and the transfer).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import * as Y from 'yjs';
import { activeRoom, eventually, register } from '../../../test/helpers/clients.js';
import { addMilestone, metric, milestone, openEditor } from '../../../test/helpers/collab.js';
import { startPinned, type Proc } from './procs.js';

export interface LoadFigures {
  /** Log entries and snapshot size on disk when the loads were timed. */
  logEntries: number;
  logBytes: number;
  snapshotBytes: number;
  /** Mean server-side load, ms. */
  serverMs: number;
  /** Client-observed connect → synced, ms (median of the runs). */
  clientMedianMs: number;
  runs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function diskStats(dataDir: string, doc: string): { logEntries: number; logBytes: number; snapshotBytes: number } {
  const db = new Database(join(dataDir, 'menteo.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const log = db.prepare('SELECT count(*) AS n, coalesce(sum(length(data)), 0) AS b FROM doc_updates WHERE doc = ?').get(doc) as { n: number; b: number };
    const snap = db.prepare('SELECT length(data) AS b FROM doc_snapshots WHERE doc = ?').get(doc) as { b: number } | undefined;
    return { logEntries: log.n, logBytes: log.b, snapshotBytes: snap?.b ?? 0 };
  } finally {
    db.close();
  }
}

/** Resolves once `check` holds (polled every 20 ms); rejects after `ms`. */
const waitFor = (check: () => Promise<boolean>, ms: number, what: string) =>
  eventually(async () => {
    if (!(await check())) throw new Error(`${what}: not within ${ms} ms`);
  }, ms, 20);

const unloaded = (server: Proc) => waitFor(async () => (await metric(server.url, 'menteo_collab_docs_loaded')) === 0, 10_000, 'unload');

/** Times `runs` cold loads of `roomId` (the document is unloaded before each). */
async function timeLoads(server: Proc, roomId: string, token: string, runs: number): Promise<{ serverMs: number; clientMedianMs: number }> {
  const client: number[] = [];
  const sum0 = await metric(server.url, 'menteo_collab_doc_load_seconds_sum');
  const count0 = await metric(server.url, 'menteo_collab_doc_load_seconds_count');
  for (let i = 0; i < runs; i++) {
    await unloaded(server);
    const started = performance.now();
    const e = openEditor(server.url, roomId, token);
    await e.synced;
    client.push(performance.now() - started);
    e.destroy();
  }
  const sum = (await metric(server.url, 'menteo_collab_doc_load_seconds_sum')) - sum0;
  const count = (await metric(server.url, 'menteo_collab_doc_load_seconds_count')) - count0;
  client.sort((a, b) => a - b);
  return { serverMs: (sum / count) * 1000, clientMedianMs: client[Math.floor(client.length / 2)]! };
}

export async function runColdLoad(dataDir: string, historyUpdates: number, runs: number): Promise<{ before: LoadFigures; after: LoadFigures }> {
  const env = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', COLLAB_IDLE_MS: '100' };
  // Compaction held off while the history is written, so the first figures load the raw log.
  let server = await startPinned('server/main.ts', { ...env, COLLAB_COMPACT_AFTER: String(10 * historyUpdates) });
  let room: { id: string };
  let token: string;
  let before: LoadFigures;
  try {
    const mentor = await register(server.url, 'Mentor');
    const mentee = await register(server.url, 'Mentee');
    room = await activeRoom(server.url, mentor, mentee);
    token = mentee.token;
    const writer = openEditor(server.url, room.id, mentor.token);
    await writer.synced;
    const startEntries = diskStats(dataDir, room.id).logEntries;
    addMilestone(writer.doc, 'history', 'A long history');
    const notes = milestone(writer.doc, 'history').get('notes') as Y.Text;
    // One update per edit: mostly typing, a deletion every 20th, a new milestone every 500th.
    for (let i = 1; i < historyUpdates; i++) {
      if (i % 500 === 0) addMilestone(writer.doc, `h${i}`, `milestone ${i}`);
      else if (i % 20 === 0) notes.delete(Math.floor(notes.length / 2), 1);
      else notes.insert(notes.length, String.fromCharCode(97 + (i % 26)));
      if (i % 1000 === 0) await sleep(1);
    }
    await waitFor(async () => diskStats(dataDir, room.id).logEntries >= startEntries + historyUpdates, 60_000, 'history stored');
    writer.destroy();
    before = { ...diskStats(dataDir, room.id), ...(await timeLoads(server, room.id, token, runs)), runs };
  } finally {
    await server.stop();
  }

  // Default threshold: the first load finds the log past it and compacts.
  server = await startPinned('server/main.ts', env);
  try {
    const opened = openEditor(server.url, room.id, token);
    await opened.synced;
    opened.destroy();
    await waitFor(async () => diskStats(dataDir, room.id).logEntries === 0, 10_000, 'compaction');
    const after = { ...diskStats(dataDir, room.id), ...(await timeLoads(server, room.id, token, runs)), runs };
    return { before, after };
  } finally {
    await server.stop();
  }
}
