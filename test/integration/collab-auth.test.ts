import { expect } from 'chai';
import WebSocket from 'ws';
import { activeRoom, api, connect, register, type Session } from '../helpers/clients.js';
import { openEditor, rawRoadmap, within, wsBase, type Editor } from '../helpers/collab.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** What a raw WebSocket client gets from an upgrade: the HTTP refusal, or the frames after an accept. */
function tryUpgrade(url: string, ms = 1000): Promise<{ status: number | null; body: string; frames: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    let frames = 0;
    ws.on('message', () => (frames += 1));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        ws.terminate();
        resolve({ status: res.statusCode ?? null, body, frames });
      });
    });
    ws.on('error', () => {});
    ws.on('open', () =>
      setTimeout(() => {
        ws.terminate();
        resolve({ status: null, body: '', frames });
      }, ms),
    );
  });
}

describe('collab: who may open a roadmap', () => {
  let server: TestServer;
  let mentor: Session;
  let mentee: Session;
  let stranger: Session;
  let room: { id: string };
  const editors: Editor[] = [];
  const collabUrl = (roomId: string, token?: string) => `${wsBase(server.url)}/collab/${roomId}${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`;

  beforeEach(async () => {
    server = await startServer();
    [mentor, mentee, stranger] = await Promise.all([register(server.url, 'Mentor'), register(server.url, 'Mentee'), register(server.url, 'Stranger')]);
    room = await activeRoom(server.url, mentor, mentee);
    // Give the roadmap content, so a leak would be visible.
    const applied = await api(server.url, 'POST', `/api/rooms/${room.id}/roadmap/template`, { token: mentor.token, body: { templateId: 'launch-mvp' } });
    expect(applied.status).to.equal(200);
  });
  afterEach(async () => {
    for (const e of editors.splice(0)) e.destroy();
    await server.stop();
  });

  it('a member gets the document over a raw WebSocket (the baseline the refusals are measured against)', async () => {
    const res = await tryUpgrade(collabUrl(room.id, mentee.token), 300);
    expect(res.status).to.equal(null);
    expect(res.frames).to.be.greaterThan(0);
  });

  for (const [name, token, status, code] of [
    ['no token', () => undefined, 401, 'UNAUTHENTICATED'],
    ['a forged token', () => `${mentor.token.slice(0, -4)}AAAA`, 401, 'UNAUTHENTICATED'],
    ['garbage for a token', () => 'not-a-jwt', 401, 'UNAUTHENTICATED'],
    ['a non-member', () => stranger.token, 403, 'FORBIDDEN'],
  ] as const) {
    it(`${name} is refused with HTTP ${status} during the upgrade and receives no frame`, async () => {
      const res = await tryUpgrade(collabUrl(room.id, token()));
      expect(res.status).to.equal(status);
      expect(JSON.parse(res.body).error.code).to.equal(code);
      expect(res.frames).to.equal(0);
    });
  }

  it('an unknown room is 404 and a malformed room id is 400', async () => {
    expect((await tryUpgrade(collabUrl('no-such-room', mentor.token))).status).to.equal(404);
    expect((await tryUpgrade(collabUrl('bad%20id!', mentor.token))).status).to.equal(400);
    expect((await tryUpgrade(`${wsBase(server.url)}/collab/${room.id}/extra?token=${mentor.token}`)).status).to.equal(400);
  });

  it('a declined room refuses its members (403) while a pending room admits them', async () => {
    const pending = await api(server.url, 'POST', '/api/rooms', { token: mentee.token, body: { mentorId: stranger.user.id, focus: 'Pending' } });
    // Another mentor: the pair's own room is open, and a second open room per pair is refused.
    const other = await register(server.url, 'Other Mentor');
    const declinedReq = await api(server.url, 'POST', '/api/rooms', { token: mentee.token, body: { mentorId: other.user.id, focus: 'Declined' } });
    await api(server.url, 'POST', `/api/rooms/${declinedReq.body.room.id}/decline`, { token: other.token });
    const declined = await tryUpgrade(collabUrl(declinedReq.body.room.id, mentee.token));
    expect(declined.status).to.equal(403);
    expect(declined.frames).to.equal(0);
    const admitted = openEditor(server.url, pending.body.room.id, stranger.token);
    editors.push(admitted);
    await within(admitted.synced, 3000, 'sync of a pending room');
  });

  it('a stock provider with a non-member token never syncs and its document stays empty', async () => {
    const intruder = openEditor(server.url, room.id, stranger.token);
    editors.push(intruder);
    await new Promise((r) => setTimeout(r, 800));
    // It tried and was refused, yet no socket ever opened or carried a frame.
    expect(intruder.closes.length).to.be.at.least(1);
    expect(intruder.provider.wsLastMessageReceived).to.equal(0);
    expect(intruder.provider.synced).to.equal(false);
    expect(rawRoadmap(intruder.doc)).to.deep.equal({});
    const member = openEditor(server.url, room.id, mentor.token);
    editors.push(member);
    await member.synced;
    expect((rawRoadmap(member.doc) as { milestones: unknown[] }).milestones).to.have.length(7);
  });

  it('Socket.IO keeps working beside the collab endpoint', async () => {
    const socket = await connect(server.url, mentee.token);
    try {
      expect(socket.connected).to.equal(true);
      expect(socket.io.engine.transport.name).to.equal('websocket');
    } finally {
      socket.close();
    }
  });
});
