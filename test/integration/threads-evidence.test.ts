import { expect } from 'chai';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { activeRoom, api, eventually, register, type Session } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';

/**
 * Acceptance 2 of issue 5: an entry linked to a milestone shows up in that milestone's evidence in
 * GET /api/rooms/:id/roadmap and, live, in a connected y-websocket client's doc.
 *
 * Enabled when the roadmap branch is merged: it needs the collab endpoint, the roadmap routes and
 * ThreadService constructed with the RoadmapService as its MilestoneLinks in server/app.ts
 * (`new ThreadService(store, broadcast, log, roadmap)`). It uses only the wire contract (DESIGN §3,
 * §4): milestones come from a template, the doc is read as JSON, so it does not depend on whether
 * `evidence` is a Y.Array or a plain array inside the milestone's Y.Map.
 */
interface MilestoneJson {
  id: string;
  title: string;
  evidence?: string[];
}

describe('growth thread entries as roadmap evidence', () => {
  let server: TestServer;
  let mentee: Session;
  let mentor: Session;
  let stranger: Session;
  let roomId: string;
  let otherRoomId: string;
  let threadId: string;
  const providers: WebsocketProvider[] = [];

  /** A synced y-websocket client on the room's roadmap doc (STACK.md: Node needs the ws polyfill). */
  const openDoc = async (s: Session, room: string) => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`${server.url.replace(/^http/, 'ws')}/collab`, room, doc, {
      params: { token: s.token },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    });
    providers.push(provider);
    await eventually(() => expect(provider.synced).to.equal(true), 10_000);
    return doc;
  };
  const docMilestones = (doc: Y.Doc) => ((doc.getMap('roadmap').toJSON() as { milestones?: MilestoneJson[] }).milestones ?? []);
  const restMilestones = async (s: Session, room: string) => {
    const res = await api(server.url, 'GET', `/api/rooms/${room}/roadmap`, { token: s.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return (res.body.roadmap.milestones ?? []) as MilestoneJson[];
  };
  const evidenceIn = (milestones: MilestoneJson[], id: string) => milestones.find((m) => m.id === id)?.evidence ?? [];
  /** Fills a room's roadmap from the first template and returns its milestone ids. */
  const withTemplate = async (s: Session, room: string) => {
    const templates = await api(server.url, 'GET', '/api/templates', { token: s.token });
    expect(templates.status).to.equal(200);
    const applied = await api(server.url, 'POST', `/api/rooms/${room}/roadmap/template`, { token: s.token, body: { templateId: templates.body.templates[0].id } });
    expect([200, 201], JSON.stringify(applied.body)).to.include(applied.status);
    const ids = (await restMilestones(s, room)).map((m) => m.id);
    expect(ids.length).to.be.at.least(2);
    return ids;
  };
  const addEntry = (body: Record<string, unknown>) => api(server.url, 'POST', `/api/threads/${threadId}/entries`, { token: mentee.token, body: { kind: 'progress', body: 'Ran my first 1:1s', ...body } });

  beforeEach(async () => {
    server = await startServer();
    mentee = await register(server.url, 'Mentee');
    mentor = await register(server.url, 'Mentor');
    stranger = await register(server.url, 'Stranger');
    roomId = (await activeRoom(server.url, mentor, mentee)).id;
    otherRoomId = (await activeRoom(server.url, mentor, stranger)).id;
    threadId = (await api(server.url, 'POST', '/api/threads', { token: mentee.token, body: { title: 'Becoming a lead', visibility: 'room', roomId } })).body.thread.id;
  });
  afterEach(async () => {
    for (const p of providers.splice(0)) {
      p.destroy();
      p.awareness.destroy(); // destroy() leaves the awareness timer running (STACK.md)
    }
    await server.stop();
  });

  it("shows a linked entry in the milestone's evidence over REST and live in a connected editor's doc", async () => {
    const [m1] = await withTemplate(mentee, roomId);
    const mentorDoc = await openDoc(mentor, roomId);
    const res = await addEntry({ milestoneId: m1 });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const entryId = res.body.entry.id as string;
    expect(evidenceIn(await restMilestones(mentor, roomId), m1!)).to.deep.equal([entryId]);
    await eventually(() => expect(evidenceIn(docMilestones(mentorDoc), m1!)).to.deep.equal([entryId]));
  });

  it('moves the evidence when the entry is relinked and removes it when the entry is deleted', async () => {
    const [m1, m2] = await withTemplate(mentee, roomId);
    const doc = await openDoc(mentee, roomId);
    const entryId = (await addEntry({ milestoneId: m1 })).body.entry.id as string;
    const moved = await api(server.url, 'PATCH', `/api/threads/${threadId}/entries/${entryId}`, { token: mentee.token, body: { milestoneId: m2 } });
    expect(moved.status).to.equal(200);
    const rest = await restMilestones(mentee, roomId);
    expect([evidenceIn(rest, m1!), evidenceIn(rest, m2!)]).to.deep.equal([[], [entryId]]);
    await eventually(() => expect([evidenceIn(docMilestones(doc), m1!), evidenceIn(docMilestones(doc), m2!)]).to.deep.equal([[], [entryId]]));
    expect((await api(server.url, 'DELETE', `/api/threads/${threadId}/entries/${entryId}`, { token: mentee.token })).status).to.equal(200);
    expect(evidenceIn(await restMilestones(mentee, roomId), m2!)).to.deep.equal([]);
    await eventually(() => expect(evidenceIn(docMilestones(doc), m2!)).to.deep.equal([]));
  });

  it('refuses a milestone of another room: nothing stored, no evidence anywhere', async () => {
    await withTemplate(mentee, roomId);
    // A co-editor of the other room adds a milestone there, by hand, as DESIGN §3 describes it.
    const otherDoc = await openDoc(stranger, otherRoomId);
    const foreignId = `foreign-${Date.now()}`;
    otherDoc.transact(() => {
      const roadmap = otherDoc.getMap('roadmap');
      if (!roadmap.has('milestones')) roadmap.set('milestones', new Y.Array<Y.Map<unknown>>());
      const milestone = new Y.Map<unknown>();
      milestone.set('id', foreignId);
      milestone.set('title', 'Not yours');
      milestone.set('status', 'todo');
      milestone.set('evidence', new Y.Array<string>());
      milestone.set('notes', new Y.Text());
      (roadmap.get('milestones') as Y.Array<Y.Map<unknown>>).push([milestone]);
    });
    await eventually(async () => expect((await restMilestones(stranger, otherRoomId)).map((m) => m.id)).to.include(foreignId));
    const res = await addEntry({ milestoneId: foreignId });
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('INVALID_INPUT');
    const thread = await api(server.url, 'GET', `/api/threads/${threadId}`, { token: mentee.token });
    expect(thread.body.entries).to.deep.equal([]);
    expect(evidenceIn(await restMilestones(stranger, otherRoomId), foreignId)).to.deep.equal([]);
    for (const m of await restMilestones(mentee, roomId)) expect(m.evidence ?? []).to.deep.equal([]);
  });
});
