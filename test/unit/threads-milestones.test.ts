import Database from 'better-sqlite3';
import { expect } from 'chai';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { AppError, isAppError } from '../../shared/errors.js';
import type { Contract, Room } from '../../shared/types.js';
import type { AuthUser } from '../../server/auth/tokens.js';
import { nowIso } from '../../server/ids.js';
import type { Broadcaster } from '../../server/realtime/broadcast.js';
import { openSqliteStore, type SqliteStore } from '../../server/store/sqlite/index.js';
import type { MilestoneLinks } from '../../server/threads/milestone-links.js';
import { ThreadService } from '../../server/threads/service.js';
import { tempDir } from '../helpers/server.js';

/**
 * ThreadService against a stand-in for the roadmap (the real RoadmapService lives on another
 * branch; test/integration/threads-evidence.test.ts covers the real one once merged). The store is
 * the real SQLite adapter on a temp file.
 */
class InTestRoadmap implements MilestoneLinks {
  readonly evidence = new Map<string, string[]>(); // `${roomId}/${milestoneId}` → entry ids
  failNextAdd: Error | null = null;
  failRemove: Error | null = null;
  /** Called on every addEvidence before it changes anything (the test checks durability there). */
  onAdd: (entryId: string) => void = () => {};

  constructor(milestones: Record<string, string[]>) {
    for (const [roomId, ids] of Object.entries(milestones)) for (const id of ids) this.evidence.set(`${roomId}/${id}`, []);
  }
  of(roomId: string, milestoneId: string): string[] | undefined {
    return this.evidence.get(`${roomId}/${milestoneId}`);
  }
  async milestoneExists(roomId: string, milestoneId: string) {
    return this.evidence.has(`${roomId}/${milestoneId}`);
  }
  async addEvidence(roomId: string, milestoneId: string, entryId: string) {
    this.onAdd(entryId);
    if (this.failNextAdd) {
      const err = this.failNextAdd;
      this.failNextAdd = null;
      throw err;
    }
    const list = this.evidence.get(`${roomId}/${milestoneId}`);
    if (!list) throw new AppError('NOT_FOUND', 'milestone not found');
    if (!list.includes(entryId)) list.push(entryId);
  }
  async removeEvidence(roomId: string, milestoneId: string, entryId: string) {
    if (this.failRemove) throw this.failRemove;
    const list = this.evidence.get(`${roomId}/${milestoneId}`);
    if (list) list.splice(0, list.length, ...list.filter((id) => id !== entryId));
  }
}

const silentBroadcast: Broadcaster = { toUsers() {}, toRoom() {} };

async function codeOf(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (err) {
    return isAppError(err) ? err.code : `unexpected: ${String(err)}`;
  }
}

describe('ThreadService with a roadmap: milestone evidence and goals', () => {
  let temp: ReturnType<typeof tempDir>;
  let store: SqliteStore;
  let reader: Database.Database;
  let roadmap: InTestRoadmap;
  let threads: ThreadService;
  let logLines: string[];
  const mentee: AuthUser = { id: 'mentee' };
  const mentor: AuthUser = { id: 'mentor' };
  const room = (id: string, contract: Contract | null): Room => ({
    id,
    title: id,
    focus: 'focus',
    mentorId: mentor.id,
    menteeId: mentee.id,
    requestedBy: mentee.id,
    status: 'active',
    stage: 'cultivation',
    stageHistory: [],
    contract,
    contractHistory: [],
    lastSeq: 0,
    createdAt: nowIso(),
    updatedAt: nowIso(),
    rev: 1,
  });
  const contract = { goals: [{ id: 'g1', title: 'Lead a team', metric: 'm', target: 't', dueDate: '2030-01-01', status: 'open', acknowledgedBy: [] }] } as unknown as Contract;
  const storedEntryIds = () => (reader.prepare('SELECT id FROM thread_entries ORDER BY position').all() as Array<{ id: string }>).map((r) => r.id);

  beforeEach(async () => {
    temp = tempDir('menteo-threads-unit-');
    const file = join(temp.dir, 'menteo.sqlite');
    store = openSqliteStore({ file });
    reader = new Database(file, { readonly: true });
    await store.rooms.create(room('room-a', contract));
    await store.rooms.create(room('room-b', null));
    roadmap = new InTestRoadmap({ 'room-a': ['m1', 'm2'], 'room-b': ['mb'] });
    logLines = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) });
    threads = new ThreadService(store, silentBroadcast, pino({ level: 'warn' }, sink), roadmap);
  });
  afterEach(async () => {
    reader.close();
    await store.close();
    temp.remove();
  });

  const roomThread = (visibility: 'public' | 'room' | 'private' = 'room') => threads.create(mentee, { title: 'Journey', visibility, roomId: 'room-a' });

  it('refuses any milestone when no roadmap is wired in, and stores nothing', async () => {
    const bare = new ThreadService(store, silentBroadcast, pino({ level: 'silent' }));
    const t = await bare.create(mentee, { title: 'J', visibility: 'room', roomId: 'room-a' });
    const err = await bare.addEntry(mentee, t.id, { kind: 'progress', body: 'x', milestoneId: 'm1' }).catch((e: unknown) => e);
    expect(isAppError(err, 'INVALID_INPUT')).to.equal(true);
    expect((err as AppError).message).to.include('roadmap not available');
    expect(storedEntryIds()).to.deep.equal([]);
  });

  it('adds a linked entry to its milestone’s evidence only after the entry is committed', async () => {
    const t = await roomThread();
    let committedWhenLinked = false;
    roadmap.onAdd = (entryId) => (committedWhenLinked = storedEntryIds().includes(entryId)); // a second connection sees only committed rows
    const entry = await threads.addEntry(mentee, t.id, { kind: 'progress', body: 'Ran the first retro', milestoneId: 'm1' });
    expect(committedWhenLinked).to.equal(true);
    expect(roadmap.of('room-a', 'm1')).to.deep.equal([entry.id]);
    expect(entry.milestoneId).to.equal('m1');
  });

  it("refuses a milestone of another room's roadmap, and stores nothing", async () => {
    const t = await roomThread();
    const err = await threads.addEntry(mentee, t.id, { kind: 'progress', body: 'x', milestoneId: 'mb' }).catch((e: unknown) => e);
    expect(isAppError(err, 'INVALID_INPUT')).to.equal(true);
    expect((err as AppError).message).to.include("this room's roadmap");
    expect(storedEntryIds()).to.deep.equal([]);
    expect(roadmap.of('room-b', 'mb')).to.deep.equal([]);
  });

  it('removes the entry again when the roadmap fails to record the evidence', async () => {
    const t = await roomThread();
    roadmap.failNextAdd = new AppError('NOT_FOUND', 'milestone not found'); // deleted by a co-editor meanwhile
    expect(await codeOf(threads.addEntry(mentee, t.id, { kind: 'progress', body: 'x', milestoneId: 'm1' }))).to.equal('NOT_FOUND');
    expect(storedEntryIds()).to.deep.equal([]);
    expect(roadmap.of('room-a', 'm1')).to.deep.equal([]);
  });

  it('moves the evidence when an edit changes the milestone, and removes it when the link is cleared', async () => {
    const t = await roomThread();
    const e = await threads.addEntry(mentee, t.id, { kind: 'progress', body: 'x', milestoneId: 'm1' });
    await threads.editEntry(mentee, t.id, e.id, { milestoneId: 'm2' });
    expect([roadmap.of('room-a', 'm1'), roadmap.of('room-a', 'm2')]).to.deep.equal([[], [e.id]]);
    await threads.editEntry(mentee, t.id, e.id, { body: 'only the body' });
    expect(roadmap.of('room-a', 'm2')).to.deep.equal([e.id]);
    const unlinked = await threads.editEntry(mentee, t.id, e.id, { milestoneId: null });
    expect(unlinked).to.not.have.property('milestoneId');
    expect(roadmap.of('room-a', 'm2')).to.deep.equal([]);
  });

  it('rolls an edit back, body included, when the new milestone cannot take the evidence', async () => {
    const t = await roomThread();
    const e = await threads.addEntry(mentee, t.id, { kind: 'progress', body: 'before', milestoneId: 'm1' });
    roadmap.failNextAdd = new Error('roadmap store down');
    expect(await codeOf(threads.editEntry(mentee, t.id, e.id, { body: 'after', milestoneId: 'm2' }))).to.match(/^unexpected/);
    const stored = await store.threads.getEntry(t.id, e.id);
    expect(stored).to.include({ body: 'before', milestoneId: 'm1' });
    expect(stored).to.not.have.property('editedAt');
    expect(roadmap.of('room-a', 'm1')).to.deep.equal([e.id]);
    expect(roadmap.of('room-a', 'm2')).to.deep.equal([]);
  });

  it('takes deleted entries, and every linked entry of a deleted thread, out of the evidence', async () => {
    const t = await roomThread();
    const a = await threads.addEntry(mentee, t.id, { kind: 'progress', body: 'a', milestoneId: 'm1' });
    const b = await threads.addEntry(mentee, t.id, { kind: 'progress', body: 'b', milestoneId: 'm1' });
    const c = await threads.addEntry(mentee, t.id, { kind: 'progress', body: 'c', milestoneId: 'm2' });
    await threads.removeEntry(mentee, t.id, a.id);
    expect(roadmap.of('room-a', 'm1')).to.deep.equal([b.id]);
    await threads.remove(mentee, t.id);
    expect([roadmap.of('room-a', 'm1'), roadmap.of('room-a', 'm2')]).to.deep.equal([[], []]);
    expect(storedEntryIds()).to.not.include(c.id);
  });

  it('logs, and does not fail the delete, when the roadmap cannot drop the evidence', async () => {
    const t = await roomThread();
    const e = await threads.addEntry(mentee, t.id, { kind: 'progress', body: 'x', milestoneId: 'm1' });
    roadmap.failRemove = new Error('roadmap store down');
    await threads.removeEntry(mentee, t.id, e.id);
    expect(storedEntryIds()).to.deep.equal([]);
    expect(logLines.join('')).to.include('could not remove milestone evidence');
  });

  it("accepts a goal of the room's contract and refuses any other", async () => {
    const t = await roomThread();
    const ok = await threads.addEntry(mentee, t.id, { kind: 'progress', body: 'x', goalId: 'g1' });
    expect(ok.goalId).to.equal('g1');
    expect(await codeOf(threads.addEntry(mentee, t.id, { kind: 'progress', body: 'x', goalId: 'g9' }))).to.equal('INVALID_INPUT');
    expect(await codeOf(threads.editEntry(mentee, t.id, ok.id, { goalId: 'g9' }))).to.equal('INVALID_INPUT');
    expect((await store.threads.getEntry(t.id, ok.id))!.goalId).to.equal('g1');
  });

  it('keeps private threads out of the evidence: no link on them, no turning private while linked', async () => {
    const priv = await roomThread('private');
    expect(await codeOf(threads.addEntry(mentee, priv.id, { kind: 'progress', body: 'x', milestoneId: 'm1' }))).to.equal('INVALID_INPUT');
    const t = await roomThread('room');
    const e = await threads.addEntry(mentee, t.id, { kind: 'progress', body: 'x', milestoneId: 'm1' });
    expect(await codeOf(threads.update(mentee, t.id, { visibility: 'private' }))).to.equal('GUARD_FAILED');
    await threads.editEntry(mentee, t.id, e.id, { milestoneId: null });
    expect((await threads.update(mentee, t.id, { visibility: 'private' })).visibility).to.equal('private');
  });

  it("lists a room's highlights: breakthroughs and evidence from room and public threads, never private", async () => {
    const roomT = await roomThread('room');
    const pubT = await roomThread('public');
    const privT = await roomThread('private');
    const brk = await threads.addEntry(mentee, roomT.id, { kind: 'breakthrough', body: '## Got it\n\nDelegation **works**' });
    await threads.addEntry(mentee, roomT.id, { kind: 'note', body: 'plain note' });
    const ev = await threads.addEntry(mentee, pubT.id, { kind: 'progress', body: 'Evidence', milestoneId: 'm2', goalId: 'g1' });
    await threads.addEntry(mentee, privT.id, { kind: 'breakthrough', body: 'secret' });
    const highlights = await threads.highlights('room-a');
    expect(highlights).to.deep.equal([
      { threadId: roomT.id, threadTitle: roomT.title, entryId: brk.id, kind: 'breakthrough', excerpt: 'Got it Delegation works', createdAt: brk.createdAt },
      { threadId: pubT.id, threadTitle: pubT.title, entryId: ev.id, kind: 'progress', excerpt: 'Evidence', milestoneId: 'm2', goalId: 'g1', createdAt: ev.createdAt },
    ]);
    expect(await threads.highlights('room-b')).to.deep.equal([]);
  });

  it('a mentor may comment on a room thread but not write entries in it', async () => {
    const t = await roomThread('room');
    const e = await threads.addEntry(mentee, t.id, { kind: 'failure', body: 'Missed a deadline' });
    expect((await threads.addComment(mentor, t.id, e.id, { body: 'What did you learn?' })).authorId).to.equal('mentor');
    expect(await codeOf(threads.addEntry(mentor, t.id, { kind: 'note', body: 'x' }))).to.equal('FORBIDDEN');
  });
});
