/**
 * Server memory per idle loaded roadmap: N rooms, each with a templated roadmap (7 milestones with
 * notes), loaded by a REST read and left idle (no connections). The server is restarted after the
 * roadmaps are written, and a full GC (through the inspector) runs before each reading, so the
 * figure is what loaded documents keep, not garbage that writing or reading them left behind.
 */
import { activeRoom, api, register } from '../../../test/helpers/clients.js';
import { metric } from '../../../test/helpers/collab.js';
import { startPinned } from './procs.js';

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

export async function runMemory(dataDir: string, docs: number): Promise<MemoryFigures> {
  const env = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', COLLAB_IDLE_MS: '600000' };
  const warm = Math.min(50, Math.floor(docs / 10));
  let server = await startPinned('server/main.ts', env);
  const mentor = await register(server.url, 'Mentor');
  const mentee = await register(server.url, 'Mentee');
  const rooms: string[] = [];
  try {
    await pool(Array.from({ length: docs + warm }, (_, i) => i), 16, async (i) => {
      const room = await activeRoom(server.url, mentor, mentee, `Memory room ${i}`);
      const res = await api(server.url, 'POST', `/api/rooms/${room.id}/roadmap/template`, { token: mentor.token, body: { templateId: 'director-role' } });
      if (res.status !== 200) throw new Error(`template: ${res.status}`);
      rooms.push(room.id);
    });
  } finally {
    await server.stop();
  }

  server = await startPinned('server/main.ts', env, { inspect: true });
  try {
    const load = (ids: string[]) =>
      pool(ids, 16, async (id) => {
        const res = await api(server.url, 'GET', `/api/rooms/${id}/roadmap`, { token: mentee.token });
        if (res.status !== 200) throw new Error(`read: ${res.status}`);
      });
    // Warm the read path (JIT, caches, pools) on other rooms before the baseline.
    await load(rooms.slice(0, warm));
    await server.collectGarbage();
    const rss0 = await metric(server.url, 'process_resident_memory_bytes');
    const heap0 = await metric(server.url, 'nodejs_heap_size_used_bytes');
    await load(rooms.slice(warm));
    await server.collectGarbage();
    const loaded = await metric(server.url, 'menteo_collab_docs_loaded');
    if (loaded !== docs + warm) throw new Error(`expected ${docs + warm} loaded documents, found ${loaded}`);
    const rss1 = await metric(server.url, 'process_resident_memory_bytes');
    const heap1 = await metric(server.url, 'nodejs_heap_size_used_bytes');
    return { docs, rssPerDocKiB: (rss1 - rss0) / docs / 1024, heapPerDocKiB: (heap1 - heap0) / docs / 1024 };
  } finally {
    await server.stop();
  }
}
