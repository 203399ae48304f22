import { expect } from 'chai';
import WebSocket from 'ws';
import { MenteoClient, RoadmapSession, RoomWatch, SdkError } from '../../client/src/sdk/index.js';
import type { ClientEvents } from '../../client/src/sdk/index.js';
import { activeRoom, eventually, register, type Session } from '../helpers/clients.js';
import { contractBody } from '../helpers/lifecycle.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('client SDK: lifecycle, roadmap and growth threads against the real server', () => {
  let server: TestServer;
  let mentor: Session;
  let mentee: Session;
  let roomId: string;
  const clients: MenteoClient[] = [];
  const sessions: RoadmapSession[] = [];

  const sdk = async (session: Session) => {
    const client = new MenteoClient({ session, baseUrl: server.url });
    clients.push(client);
    client.connect();
    await eventually(() => expect(client.state).to.equal('connected'));
    return client;
  };
  const roadmap = (session: Session) => {
    const s = new RoadmapSession({
      baseUrl: server.url,
      roomId,
      token: session.token,
      user: { id: session.user.id, name: session.user.displayName },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    });
    sessions.push(s);
    return s;
  };

  before(async () => {
    server = await startServer();
  });
  beforeEach(async () => {
    mentor = await register(server.url, 'Maya Mentor');
    mentee = await register(server.url, 'Theo Mentee');
    roomId = (await activeRoom(server.url, mentor, mentee)).id;
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
    for (const s of sessions.splice(0)) s.destroy();
  });
  after(async () => {
    await server.stop();
  });

  it('drafts, accepts and moves a room through the lifecycle; a refused move is GUARD_FAILED with the reason; the other side follows live', async () => {
    const a = await sdk(mentee);
    const b = await sdk(mentor);
    const watch = new RoomWatch(b, roomId, 10);
    await watch.refresh();
    expect(watch.nextSteps.join(' ')).to.match(/contract/);

    const early = await a.rest.lifecycle.changeStage(roomId, { to: 'cultivation' }).catch((e: unknown) => e);
    expect(early).to.be.instanceOf(SdkError);
    expect((early as SdkError).code).to.equal('GUARD_FAILED');
    expect((early as SdkError).message).to.match(/contract/);

    const drafted = await a.rest.lifecycle.putContract(roomId, contractBody(3));
    await a.rest.lifecycle.acceptContract(roomId, { version: drafted.contract!.version });
    await b.rest.lifecycle.acceptContract(roomId, { version: drafted.contract!.version });
    await eventually(() => expect(watch.nextSteps.join(' ')).to.match(/move to Cultivation/));
    await a.rest.lifecycle.changeStage(roomId, { to: 'cultivation' });
    await eventually(() => expect(watch.room?.stage).to.equal('cultivation'));
    const goal = watch.room!.contract!.goals[0]!;
    const after = await b.rest.lifecycle.patchGoal(roomId, goal.id, { status: 'achieved' });
    expect(after.contract!.goals[0]!.status).to.equal('achieved');
    const record = await a.rest.lifecycle.record(roomId);
    expect(record.goals[0]!.outcome).to.equal('achieved');
    expect(await a.rest.lifecycle.recordMarkdown(roomId)).to.match(/^# /);
    watch.dispose();
  });

  it('searches mentors by skill and words and pages through them with the cursor', async () => {
    const client = await sdk(mentee);
    const names = ['Ada Rust', 'Bo Rust', 'Cy Rust'];
    for (const name of names) {
      const s = await register(server.url, name);
      await new MenteoClient({ session: s, baseUrl: server.url }).rest.updateProfile({ mentoring: true, expertise: ['Rust-Lang'], bio: 'systems programming' });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.rest.searchMentors({ skill: 'rust-lang', q: 'systems', limit: 2, ...(cursor && { cursor }) });
      seen.push(...page.mentors.map((m) => m.displayName));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).to.deep.equal(names);
    expect((await client.rest.searchMentors({ q: 'nobody-matches-this' })).mentors).to.deep.equal([]);
  });

  it('two roadmap sessions co-edit: milestones, status and notes sync, a REST template shows up live, and each sees the other by name', async () => {
    const one = roadmap(mentee);
    const two = roadmap(mentor);
    await Promise.all([one.synced, two.synced]);
    expect(one.roadmap.ready()).to.equal(true);

    const id = one.roadmap.add('Mock interviews');
    await eventually(() => expect(two.roadmap.milestones().map((m) => m.title)).to.deep.equal(['Mock interviews']));
    two.roadmap.update(id, { status: 'doing' });
    two.roadmap.setNotes(id, 'Ask Sam for a slot');
    await eventually(() => expect(one.roadmap.read().milestones[0]).to.include({ status: 'doing', notes: 'Ask Sam for a slot' }));

    const client = await sdk(mentor);
    const templates = await client.rest.roadmap.templates();
    expect(templates.map((t) => t.id)).to.include('launch-mvp');
    await client.rest.roadmap.applyTemplate(roomId, { templateId: 'launch-mvp' });
    await eventually(() => expect(one.roadmap.milestones().length).to.be.above(1));
    const stored = await client.rest.roadmap.read(roomId);
    expect(stored.roadmap.milestones.map((m) => m.id)).to.deep.equal(one.roadmap.milestones().map((m) => m.id));

    await eventually(() => expect(one.collaborators().map((c) => c.name)).to.deep.equal(['Maya Mentor']));
    expect(two.collaborators().map((c) => c.name)).to.deep.equal(['Theo Mentee']);
    expect(one.status).to.equal('live');
  });

  it('a thread entry and a comment made over REST reach the other member as typed thread events', async () => {
    const a = await sdk(mentee);
    const b = await sdk(mentor);
    const seen: ClientEvents['thread'][] = [];
    b.on('thread', (ev) => seen.push(ev));
    const entryNew = b.once('thread:entry:new');
    const thread = await a.rest.threads.create({ title: 'Week by week', visibility: 'room', roomId });
    const entry = await a.rest.threads.addEntry(thread.id, { kind: 'breakthrough', body: 'First **paying** customer' });
    expect((await entryNew).entry.id).to.equal(entry.id);
    await b.rest.threads.addComment(thread.id, entry.id, { body: 'Great work' });
    await eventually(() => expect(seen.map((e) => e.type)).to.deep.equal(['thread:new', 'thread:entry:new', 'thread:comment:new']));
    expect((await a.rest.threads.list({ roomId })).map((t) => t.id)).to.deep.equal([thread.id]);
    const page = await b.rest.threads.get(thread.id);
    expect(page.entries[0]!.comments.map((c) => c.body)).to.deep.equal(['Great work']);
  });
});
