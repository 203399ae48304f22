import { expect } from 'chai';
import type { Socket } from 'socket.io-client';
import { activeRoom, api, connect, eventually, register, TEST_PASSWORD, type Session } from '../helpers/clients.js';
import { openEditor, type Editor } from '../helpers/collab.js';
import { startServer, type TestServer } from '../helpers/server.js';

const login = async (url: string, s: Session): Promise<Session> => {
  const res = await api<Session>(url, 'POST', '/api/auth/login', { body: { email: s.user.email, password: TEST_PASSWORD } });
  if (res.status !== 200) throw new Error(`login failed: ${JSON.stringify(res.body)}`);
  return res.body;
};
const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sid: string; exp: number; iat: number; sub: string };

/** Resolves with the reason once the socket is disconnected. */
const disconnected = (socket: Socket) => new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

describe('sessions: access tokens, refresh rotation, sign-out (issue 13)', () => {
  let server: TestServer;
  const sockets: Socket[] = [];
  const editors: Editor[] = [];
  before(async () => (server = await startServer()));
  after(async () => server.stop());
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
    for (const e of editors.splice(0)) e.destroy();
  });
  const me = (token: string) => api(server.url, 'GET', '/api/me', { token });

  it('register and login return a 15-minute access token with a session id, and a refresh token', async () => {
    const a = await register(server.url, 'Ana');
    expect(a.refreshToken).to.be.a('string').with.length.above(30);
    const c = claims(a.token);
    expect(c.sid).to.be.a('string');
    expect(c.exp - c.iat).to.equal(15 * 60);
    const b = await login(server.url, a);
    expect(claims(b.token).sid, 'each login is a session of its own').not.to.equal(c.sid);
    expect((await me(b.token)).status).to.equal(200);
  });

  it('refresh rotates: the new pair works and rotates again; an unknown refresh token is refused', async () => {
    const a = await register(server.url, 'Ana');
    const r1 = await api(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken: a.refreshToken } });
    expect(r1.status, JSON.stringify(r1.body)).to.equal(200);
    expect(r1.body.refreshToken).not.to.equal(a.refreshToken);
    expect(claims(r1.body.token).sid).to.equal(claims(a.token).sid);
    expect((await me(r1.body.token)).status).to.equal(200);
    const r2 = await api(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken: r1.body.refreshToken } });
    expect(r2.status).to.equal(200);
    expect((await api(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken: 'made-up' } })).status).to.equal(401);
  });

  it('a reused old refresh token revokes the whole session: its newest tokens stop working too', async () => {
    const a = await register(server.url, 'Ana');
    const other = await login(server.url, a);
    const rotated = await api(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken: a.refreshToken } });
    expect(rotated.status).to.equal(200);
    const reuse = await api(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken: a.refreshToken } });
    expect(reuse.status).to.equal(401);
    expect(reuse.body.error.code).to.equal('UNAUTHENTICATED');
    expect((await api(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken: rotated.body.refreshToken } })).status).to.equal(401);
    expect((await me(rotated.body.token)).status).to.equal(401);
    expect((await me(a.token)).status).to.equal(401);
    // Another session of the same user is left alone.
    expect((await me(other.token)).status).to.equal(200);
  });

  it('logout ends this session only; logout-all ends every session of the user', async () => {
    const a = await register(server.url, 'Ana');
    const b = await login(server.url, a);
    const c = await login(server.url, a);
    const out = await api(server.url, 'POST', '/api/auth/logout', { token: a.token });
    expect(out.status).to.equal(200);
    expect((await me(a.token)).status).to.equal(401);
    expect((await api(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken: a.refreshToken } })).status).to.equal(401);
    expect((await me(b.token)).status).to.equal(200);
    const all = await api(server.url, 'POST', '/api/auth/logout-all', { token: b.token });
    expect(all.status).to.equal(200);
    expect(all.body.sessions).to.equal(2);
    expect((await me(b.token)).status).to.equal(401);
    expect((await me(c.token)).status).to.equal(401);
    expect((await api(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken: c.refreshToken } })).status).to.equal(401);
  });

  it('a body on logout is validated: unknown fields are INVALID_INPUT and end nothing', async () => {
    const a = await register(server.url, 'Ana');
    const bad = await api(server.url, 'POST', '/api/auth/logout', { token: a.token, body: { everywhere: true } });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.code).to.equal('INVALID_INPUT');
    expect((await me(a.token)).status).to.equal(200);
  });

  it('changing the password keeps this session, ends every other, and only the new password signs in', async () => {
    const a = await register(server.url, 'Ana');
    const b = await login(server.url, a);
    const wrong = await api(server.url, 'POST', '/api/me/password', { token: a.token, body: { currentPassword: 'not it at all', newPassword: 'plum sextant violet' } });
    expect(wrong.status).to.equal(400);
    expect(wrong.body.error.message).to.match(/currentPassword/);
    const weak = await api(server.url, 'POST', '/api/me/password', { token: a.token, body: { currentPassword: TEST_PASSWORD, newPassword: '12345678' } });
    expect(weak.status).to.equal(400);
    expect(weak.body.error.message).to.match(/^newPassword is too weak/);
    expect((await me(b.token)).status, 'refused changes end nothing').to.equal(200);

    const ok = await api(server.url, 'POST', '/api/me/password', { token: a.token, body: { currentPassword: TEST_PASSWORD, newPassword: 'plum sextant violet' } });
    expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
    expect((await me(a.token)).status).to.equal(200);
    expect((await me(b.token)).status).to.equal(401);
    expect((await api(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken: b.refreshToken } })).status).to.equal(401);
    const old = await api(server.url, 'POST', '/api/auth/login', { body: { email: a.user.email, password: TEST_PASSWORD } });
    expect(old.status).to.equal(401);
    const fresh = await api(server.url, 'POST', '/api/auth/login', { body: { email: a.user.email, password: 'plum sextant violet' } });
    expect(fresh.status).to.equal(200);
  });

  it("signing out closes that session's sockets and collab connections (4401), not the other session's", async () => {
    const mentor = await register(server.url, 'Mentor');
    const mentee = await register(server.url, 'Mentee');
    const room = await activeRoom(server.url, mentor, mentee);
    const second = await login(server.url, mentee);
    const gone = await connect(server.url, mentee.token);
    const kept = await connect(server.url, second.token);
    sockets.push(gone, kept);
    const editor = openEditor(server.url, room.id, mentee.token);
    const keptEditor = openEditor(server.url, room.id, second.token);
    editors.push(editor, keptEditor);
    await Promise.all([editor.synced, keptEditor.synced]);
    const reason = disconnected(gone);

    expect((await api(server.url, 'POST', '/api/auth/logout', { token: mentee.token })).status).to.equal(200);
    expect(await reason).to.equal('io server disconnect');
    await eventually(() => expect(editor.closes.map((c) => c.code)).to.include(4401));
    expect(kept.connected).to.equal(true);
    expect(keptEditor.closes).to.deep.equal([]);
    // The revoked token cannot come back in.
    let refused: Error | undefined;
    await connect(server.url, mentee.token).catch((err: Error) => (refused = err));
    expect(refused?.message).to.equal('UNAUTHENTICATED');
  });
});

describe('sessions: an expired access token closes its connections (issue 13)', () => {
  let server: TestServer;
  before(async () => (server = await startServer({ env: { ACCESS_TOKEN_TTL_S: '5' } })));
  after(async () => server.stop());

  it('the socket and the collab connection opened with a token close when it expires; a refreshed token opens them again', async () => {
    const mentor = await register(server.url, 'Mentor');
    const mentee = await register(server.url, 'Mentee');
    const room = await activeRoom(server.url, mentor, mentee);
    const socket = await connect(server.url, mentee.token);
    const reason = disconnected(socket);
    const editor = openEditor(server.url, room.id, mentee.token);
    try {
      await editor.synced;
      expect(await reason).to.equal('io server disconnect');
      await eventually(() => expect(editor.closes.map((c) => c.code)).to.include(4401), 20_000);
      const renewed = await api(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken: mentee.refreshToken } });
      expect(renewed.status).to.equal(200);
      const again = await connect(server.url, renewed.body.token);
      expect(again.connected).to.equal(true);
      again.close();
    } finally {
      socket.close();
      editor.destroy();
    }
  });
});
