import { expect } from 'chai';
import { activeRoom, api, register, type Session } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** The record of achievement reads real growth threads: the two features wired together. */
describe('record of achievement from the real roadmap and growth threads', () => {
  let server: TestServer;
  let mentor: Session;
  let mentee: Session;
  let room: { id: string };
  before(async () => {
    server = await startServer();
    mentor = await register(server.url, 'Mentor');
    mentee = await register(server.url, 'Mentee');
    room = await activeRoom(server.url, mentor, mentee);
  });
  after(() => server.stop());

  const thread = async (title: string, visibility: string) =>
    (await api(server.url, 'POST', '/api/threads', { token: mentee.token, body: { title, visibility, roomId: room.id } })).body.thread;
  const entry = async (threadId: string, kind: string, body: string) =>
    (await api(server.url, 'POST', `/api/threads/${threadId}/entries`, { token: mentee.token, body: { kind, body } })).body;

  it('shows the progress of the room\'s real roadmap', async () => {
    const applied = await api(server.url, 'POST', `/api/rooms/${room.id}/roadmap/template`, { token: mentor.token, body: { templateId: 'launch-mvp' } });
    expect(applied.status).to.equal(200);
    const total = applied.body.roadmap.milestones.length as number;
    expect(total).to.be.greaterThan(0);
    const res = await api(server.url, 'GET', `/api/rooms/${room.id}/record`, { token: mentee.token });
    expect(res.body.record.roadmap).to.deep.equal({ done: 0, total });
  });

  it('lists breakthroughs from room and public threads, never private ones, in JSON and Markdown', async () => {
    const shared = await thread('Becoming a director', 'room');
    const open = await thread('Public journey', 'public');
    const secret = await thread('Diary', 'private');
    await entry(shared.id, 'breakthrough', 'First skip-level meeting went well');
    await entry(shared.id, 'note', 'Just a note, not a highlight');
    await entry(open.id, 'breakthrough', 'Gave the keynote');
    await entry(secret.id, 'breakthrough', 'Secret win nobody should see');

    const res = await api(server.url, 'GET', `/api/rooms/${room.id}/record`, { token: mentor.token });
    expect(res.status).to.equal(200);
    const highlights = res.body.record.highlights as Array<{ threadTitle: string; excerpt: string; kind: string }>;
    expect(highlights.map((h) => [h.threadTitle, h.kind, h.excerpt])).to.have.deep.members([
      ['Becoming a director', 'breakthrough', 'First skip-level meeting went well'],
      ['Public journey', 'breakthrough', 'Gave the keynote'],
    ]);
    const md = await api(server.url, 'GET', `/api/rooms/${room.id}/record?format=md`, { token: mentee.token });
    expect(md.body).to.contain('First skip-level meeting went well').and.contain('Gave the keynote');
    expect(md.body).not.to.contain('Secret win');
  });
});
