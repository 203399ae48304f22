/**
 * (From the security review, fixed: compaction now builds its snapshot from the stored rows.) Finding: two server processes on one SQLite file (the deployment test/integration/
 * shared-file.test.ts supports for chat) each keep their own LiveDoc for a roadmap. Neither applies
 * the other's log entries, yet LiveDoc.maybeCompact (server/collab/live-doc.ts:345-365) compacts
 * with `upTo = lastId` (its own last id) and the store deletes every entry with id ≤ upTo
 * (server/store/sqlite/docs.ts:49,82): entries the other process appended in between are deleted
 * without being in the snapshot. An edit that was stored and relayed is lost for good.
 * (Also, then: no cross-node relay at all; each process's editors diverged until they reconnected.
 * Relayed now with REDIS_URL: collab-cluster-processes.test.ts; this test runs without it.)
 */
import { expect } from 'chai';
import { activeRoom, api, eventually, register } from '../helpers/clients.js';
import { addMilestone, openEditor, type Editor } from '../helpers/collab.js';
import { spawnServer, tempDir, type ChildServer } from '../helpers/server.js';

describe('collab: two processes sharing one SQLite file', function () {
  this.timeout(60_000);
  const data = tempDir();
  const servers: ChildServer[] = [];
  const editors: Editor[] = [];
  after(async () => {
    for (const e of editors) e.destroy();
    await Promise.all(servers.map((s) => s.kill('SIGTERM')));
    data.remove();
  });

  it('a compaction on one process never deletes an edit stored by the other', async () => {
    const env = { COLLAB_COMPACT_AFTER: '5', COLLAB_IDLE_MS: '50' };
    servers.push(await spawnServer(data.dir, env), await spawnServer(data.dir, env));
    const [a, b] = servers as [ChildServer, ChildServer];
    const mentor = await register(a.url, 'Mentor');
    const mentee = await register(a.url, 'Mentee');
    const room = await activeRoom(a.url, mentor, mentee);
    const roadmapIds = async (url: string) =>
      ((await api(url, 'GET', `/api/rooms/${room.id}/roadmap`, { token: mentor.token })).body.roadmap.milestones as Array<{ id: string }>).map((m) => m.id);

    const onB = openEditor(b.url, room.id, mentee.token);
    editors.push(onB);
    await onB.synced;
    const onA = openEditor(a.url, room.id, mentor.token);
    editors.push(onA);
    await onA.synced;

    addMilestone(onA.doc, 'from-a', 'Stored by process A');
    await eventually(async () => expect(await roadmapIds(a.url)).to.include('from-a'));

    // Enough edits on B to make B compact its log (B never applied A's entry).
    for (let i = 0; i < 8; i++) {
      addMilestone(onB.doc, `from-b-${i}`, `Stored by process B ${i}`);
      await new Promise((r) => setTimeout(r, 30));
    }
    await eventually(async () => expect(await roadmapIds(b.url)).to.include('from-b-7'));
    await new Promise((r) => setTimeout(r, 500));

    for (const e of editors.splice(0)) e.destroy();
    await new Promise((r) => setTimeout(r, 1000)); // both processes unload the document

    const ids = await roadmapIds(a.url);
    expect(ids, 'roadmap after reload').to.include('from-a');
  });
});
