/**
 * Storage sizing (docs/STORAGE.md): bytes per message, per doc update and per thread entry.
 *   npx tsx scripts/bench/store-size.ts [--n 2000]
 * SQLite: growth of the database file (pages in use after a checkpoint) over N writes, indexes included.
 * MongoDB: with MONGODB_URL, growth of storageSize + totalIndexSize ($collStats) over the same writes;
 * without it, on the test emulator, only the BSON size of each stored document (no indexes, no
 * WiredTiger compression): a document-size figure, not a MongoDB disk figure, and labelled so.
 */
import Database from 'better-sqlite3';
import { calculateObjectSize } from 'bson';
import mongoose from 'mongoose';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { newId, nowIso } from '../../server/ids.js';
import { openMongoStore } from '../../server/store/mongo/index.js';
import type { Store } from '../../server/store/port.js';
import { openSqliteStore } from '../../server/store/sqlite/index.js';
import { startEmulator } from '../../test/helpers/mongo.js';
import { sampleRoom } from '../../test/store/contract/fixtures.js';
import { tempDir } from '../../test/helpers/server.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '2000' } } });
const N = Number(values.n);
const body = (len: number, i: number) => `${i} `.padEnd(len, 'lorem ipsum dolor sit amet ');

/** One typical roadmap edit: a few characters typed into a milestone's notes (one Yjs update each). */
function yjsUpdates(n: number): Uint8Array[] {
  const doc = new Y.Doc();
  const notes = new Y.Text();
  doc.getMap('roadmap').set('notes', notes);
  const out: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => out.push(u));
  for (let i = 0; i < n; i++) notes.insert(notes.length, 'word ');
  return out;
}

type Workload = { name: string; run: (store: Store) => Promise<void> };
const workloads = (updates: Uint8Array[]): Workload[] => [
  {
    name: 'message (100-char body)',
    run: async (store) => {
      const room = await store.rooms.create(sampleRoom({ id: newId() }));
      for (let i = 0; i < N; i += 50) {
        await Promise.all(Array.from({ length: 50 }, (_, k) => store.messages.append({ createdAt: nowIso(), roomId: room.id, authorId: k % 2 ? room.mentorId : room.menteeId, clientMsgId: newId(), kind: 'text', body: body(100, i + k) })));
      }
    },
  },
  {
    name: `doc update (typing: ${Math.round(updates.reduce((s, u) => s + u.byteLength, 0) / updates.length)} B Yjs update)`,
    run: async (store) => {
      for (let i = 0; i < N; i += 50) await Promise.all(updates.slice(i, i + 50).map((u) => store.docs.append('sizing-doc', u)));
    },
  },
  {
    name: 'thread entry (200-char body)',
    run: async (store) => {
      const thread = await store.threads.createThread({ id: newId(), ownerId: 'u', title: 'Journey', visibility: 'public', createdAt: nowIso() });
      for (let i = 0; i < N; i++) await store.threads.addEntry({ id: newId(), threadId: thread.id, kind: 'progress', body: body(200, i), createdAt: nowIso() });
    },
  },
];

async function sqliteSizes(updates: Uint8Array[]): Promise<string[]> {
  const rows: string[] = [];
  for (const w of workloads(updates)) {
    const temp = tempDir('menteo-size-');
    const file = join(temp.dir, 'menteo.sqlite');
    const store = openSqliteStore({ file });
    const used = () => {
      const db = new Database(file);
      db.pragma('wal_checkpoint(TRUNCATE)');
      const pages = (db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number);
      const size = pages * (db.pragma('page_size', { simple: true }) as number);
      db.close();
      return size;
    };
    const before = used();
    await w.run(store);
    await store.close();
    rows.push(`| ${w.name} | SQLite file (tables + indexes) | ${Math.round((used() - before) / N)} |`);
    temp.remove();
  }
  return rows;
}

async function mongoSizes(updates: Uint8Array[]): Promise<string[]> {
  const real = process.env.MONGODB_URL;
  const emulator = real ? null : await startEmulator();
  const rows: string[] = [];
  const collections: Record<string, string[]> = { message: ['messages', 'read_markers'], doc: ['doc_updates'], thread: ['thread_entries'] };
  try {
    for (const w of workloads(updates)) {
      const url = new URL(real ?? emulator!.url);
      url.pathname = `/menteo_size_${newId().replace(/[^a-zA-Z0-9]/g, '')}`;
      const store = await openMongoStore({ url: url.toString() });
      const conn = await mongoose.createConnection(url.toString()).asPromise();
      const names = collections[w.name.split(' ')[0]!]!;
      const measure = async () => {
        let total = 0;
        for (const name of names) {
          if (real) {
            const [stats] = await conn.db!.collection(name).aggregate<{ storageStats: { storageSize: number; totalIndexSize: number } }>([{ $collStats: { storageStats: {} } }]).toArray();
            total += (stats?.storageStats.storageSize ?? 0) + (stats?.storageStats.totalIndexSize ?? 0);
          } else {
            for (const d of await conn.db!.collection(name).find().toArray()) total += calculateObjectSize(d);
          }
        }
        return total;
      };
      const before = await measure();
      await w.run(store);
      const per = Math.round(((await measure()) - before) / N);
      rows.push(`| ${w.name} | ${real ? 'MongoDB storageSize + totalIndexSize' : 'BSON document size only (emulator: no indexes, no compression)'} | ${per} |`);
      await conn.db!.dropDatabase();
      await conn.close();
      await store.close();
    }
  } finally {
    await emulator?.stop();
  }
  return rows;
}

const updates = yjsUpdates(N);
const out = [`Store sizing: ${N} writes of each kind (npx tsx scripts/bench/store-size.ts --n ${N})`, '', '| write | measured as | bytes per write |', '|---|---|---|'];
out.push(...(await sqliteSizes(updates)), ...(await mongoSizes(updates)));
console.log(out.join('\n'));
