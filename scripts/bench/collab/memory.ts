/**
 * Server memory per idle loaded roadmap: N rooms, each with a templated roadmap (7 milestones with
 * notes), loaded by a REST read and left idle (no connections). The server is restarted after the
 * roadmaps are written, and a full GC (through the inspector) runs before each reading, so the
 * figure is what loaded documents keep, not garbage that writing or reading them left behind.
 */
import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { activeRoom, api, register, type Session } from '../../../test/helpers/clients.js';
import { metric, openEditor, type Editor } from '../../../test/helpers/collab.js';
import { startPinned, type Proc } from './procs.js';

export interface MemoryFigures {
  docs: number;
  rssPerDocKiB: number;
  heapPerDocKiB: number;
}

/** Runs `fn` over `items` with at most `width` in flight. */
async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** Resident set size of a process, bytes (/proc: the relay serves no /metrics). */
const rssBytes = (pid: number): number => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;

export interface ConnectedMemoryFigures {
  docs: number;
  /** Menteo: RSS per loaded roadmap with one idle stock provider connected to it, KiB. */
  menteoKiB: number;
  /** The bare y-protocols relay, the same document content and one provider per document, KiB. */
  relayKiB: number;
  /** The same two, V8 heap after a full GC (RSS also holds the allocator's and V8's unreturned pages), KiB. */
  menteoHeapKiB: number;
  relayHeapKiB: number;
}

/**
 * Memory per idle document **with one connection** (issue 17): the server restarted on the
 * roadmaps `runMemory` wrote, one stock provider connected to each and synced, a full GC, the RSS
 * growth per document; then the same on the bare relay, each provider's document holding the
 * same roadmap (the relay learns it from the provider's sync).
 */
async function connectedFigure(server: Proc, open: (i: number) => Editor, warm: number, docs: number): Promise<{ perDoc: number; heapPerDoc: number; editors: Editor[] }> {
  const editors: Editor[] = [];
  const connect = async (from: number, to: number) => {
    await pool(Array.from({ length: to - from }, (_, i) => from + i), 16, async (i) => {
      const e = open(i);
      editors.push(e);
      await e.synced;
    });
  };
  await connect(0, warm); // warm the upgrade, auth and sync paths first
  const heap0 = await server.collectGarbage();
  const rss0 = rssBytes(server.child.pid!);
  await connect(warm, warm + docs);
  await new Promise((resolve) => setTimeout(resolve, 500)); // the last frames written, buffers returned
  const heap1 = await server.collectGarbage();
  return { perDoc: (rssBytes(server.child.pid!) - rss0) / docs / 1024, heapPerDoc: (heap1 - heap0) / docs / 1024, editors };
}

export async function runConnectedMemory(dataDir: string, seeded: Seeded): Promise<ConnectedMemoryFigures> {
  const { rooms, tokens, warm } = seeded;
  const docs = rooms.length - warm;
  const env = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', COLLAB_IDLE_MS: '600000', AUTH_RATE_PER_MIN: '1000000' };
  let template: Uint8Array;
  let menteoKiB: number;
  let menteoHeapKiB: number;
  const menteo = await startPinned('server/main.ts', env, { inspect: true });
  try {
    const m = await connectedFigure(menteo, (i) => openEditor(menteo.url, rooms[i]!, tokens[i]!), warm, docs);
    menteoKiB = m.perDoc;
    menteoHeapKiB = m.heapPerDoc;
    template = Y.encodeStateAsUpdate(m.editors[0]!.doc);
    for (const e of m.editors) e.destroy();
  } finally {
    await menteo.stop();
  }
  const relay = await startPinned('scripts/bench/collab/relay.ts', {}, { inspect: true });
  try {
    const withTemplate = () => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, template);
      return doc;
    };
    const r = await connectedFigure(relay, (i) => openEditor(relay.url, `memory-${i}`, 'none', withTemplate()), warm, docs);
    for (const e of r.editors) e.destroy();
    return { docs, menteoKiB, relayKiB: r.perDoc, menteoHeapKiB, relayHeapKiB: r.heapPerDoc };
  } finally {
    await relay.stop();
  }
}

/** What runMemory leaves for runConnectedMemory: the rooms (warm-up ones first) and a member's token. */
export interface Seeded {
  rooms: string[];
  /** tokens[i]: the mentee of rooms[i]. */
  tokens: string[];
  warm: number;
}

export async function runMemory(dataDir: string, docs: number): Promise<MemoryFigures & { seeded: Seeded }> {
  const env = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', COLLAB_IDLE_MS: '600000', AUTH_RATE_PER_MIN: '1000000' };
  const warm = Math.min(50, Math.floor(docs / 10));
  let server = await startPinned('server/main.ts', env);
  const mentor = await register(server.url, 'Mentor');
  const mentees: Session[] = [];
  const rooms: string[] = [];
  try {
    // One active mentorship per pair: each room has a mentee of its own (a registration hashes a password: ~80 ms each).
    await pool(Array.from({ length: docs + warm }, (_, i) => i), 4, async (i) => {
      mentees[i] = await register(server.url, `Mentee${i}`);
    });
    for (let i = 0; i < docs + warm; i++) rooms.push((await activeRoom(server.url, mentor, mentees[i]!, `Memory room ${i}`)).id);
    await pool(rooms, 16, async (id) => {
      const res = await api(server.url, 'POST', `/api/rooms/${id}/roadmap/template`, { token: mentor.token, body: { templateId: 'director-role' } });
      if (res.status !== 200) throw new Error(`template: ${res.status}`);
    });
  } finally {
    await server.stop();
  }

  server = await startPinned('server/main.ts', env, { inspect: true });
  try {
    const load = (ids: string[]) =>
      pool(ids, 16, async (id) => {
        const res = await api(server.url, 'GET', `/api/rooms/${id}/roadmap`, { token: mentor.token });
        if (res.status !== 200) throw new Error(`read: ${res.status}`);
      });
    // Warm the read path (JIT, caches, pools) on other rooms before the baseline.
    await load(rooms.slice(0, warm));
    const heap0 = await server.collectGarbage();
    const rss0 = await metric(server.url, 'process_resident_memory_bytes');
    await load(rooms.slice(warm));
    const heap1 = await server.collectGarbage();
    const loaded = await metric(server.url, 'menteo_collab_docs_loaded');
    if (loaded !== docs + warm) throw new Error(`expected ${docs + warm} loaded documents, found ${loaded}`);
    const rss1 = await metric(server.url, 'process_resident_memory_bytes');
    return { docs, rssPerDocKiB: (rss1 - rss0) / docs / 1024, heapPerDocKiB: (heap1 - heap0) / docs / 1024, seeded: { rooms, tokens: mentees.map((m) => m.token), warm } };
  } finally {
    await server.stop();
  }
}
