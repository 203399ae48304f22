import { expect } from 'chai';
import WebSocket from 'ws';
import { MenteoClient, RoadmapSession, type ConnectionState } from '../../client/src/sdk/index.js';
import { activeRoom, api, eventually, register, TEST_PASSWORD, type Session } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** The SDK refreshes by itself: REST retries once after a refresh, the socket and the roadmap reconnect with the new token. */
describe('client SDK sessions (issue 13)', () => {
  let server: TestServer;
  const clients: MenteoClient[] = [];
  const roadmaps: RoadmapSession[] = [];
  // Access tokens of 5 s: every test sees them expire (set-up must fit in that, even on a busy machine).
  before(async () => (server = await startServer({ env: { ACCESS_TOKEN_TTL_S: '5' } })));
  after(async () => server.stop());
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
    for (const r of roadmaps.splice(0)) r.destroy();
  });

  const sdk = (session: Session) => {
    const client = new MenteoClient({ session, baseUrl: server.url, socket: { reconnectionDelay: 50, reconnectionDelayMax: 200 } });
    clients.push(client);
    return client;
  };
  const states = (client: MenteoClient) => {
    const seen: ConnectionState[] = [];
    client.on('connection', ({ state }) => seen.push(state));
    return seen;
  };
  const expired = (token: string) => eventually(async () => expect((await api(server.url, 'GET', '/api/me', { token })).status).to.equal(401), 20_000, 200);

  it('a REST call with an expired token refreshes once and succeeds; the new tokens are reported', async () => {
    const ana = await register(server.url, 'Ana');
    const client = sdk(ana);
    const changes: unknown[] = [];
    client.rest.onTokens((c) => changes.push(c));
    await expired(ana.token);
    expect((await client.rest.me()).id).to.equal(ana.user.id);
    expect(changes).to.have.length(1);
    expect(client.rest.currentToken).not.to.equal(ana.token);
    expect(client.rest.currentRefreshToken).not.to.equal(ana.refreshToken);
  });

  it('the socket closed at token expiry reconnects with a refreshed token, and sends go through', async () => {
    const mentor = await register(server.url, 'Mentor');
    const mentee = await register(server.url, 'Mentee');
    const room = await activeRoom(server.url, mentor, mentee);
    const client = sdk(mentee);
    const seen = states(client);
    client.connect();
    await eventually(() => expect(client.state).to.equal('connected'));
    await eventually(() => expect(seen.filter((s) => s === 'connected')).to.have.length(2), 20_000);
    expect(seen).to.include('reconnecting');
    expect(client.rest.currentToken).not.to.equal(mentee.token);
    const entry = client.send(room.id, 'after the refresh');
    await eventually(() => expect(client.pending(room.id).find((e) => e.clientMsgId === entry.clientMsgId)).to.equal(undefined), 5000);
    const history = await api(server.url, 'GET', `/api/rooms/${room.id}/messages`, { token: client.rest.currentToken });
    expect(history.body.messages.map((m: { body: string }) => m.body)).to.include('after the refresh');
  });

  it('the roadmap closed with 4401 at token expiry comes back live with a renewed token', async () => {
    const mentor = await register(server.url, 'Mentor');
    const mentee = await register(server.url, 'Mentee');
    const room = await activeRoom(server.url, mentor, mentee);
    const client = sdk(mentee);
    let renewals = 0;
    const roadmap = new RoadmapSession({
      baseUrl: server.url,
      roomId: room.id,
      token: mentee.token,
      renewToken: async () => {
        renewals += 1;
        return (await client.rest.refresh()) ? (client.rest.currentToken ?? null) : null;
      },
      user: { id: mentee.user.id, name: 'Mentee' },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    });
    roadmaps.push(roadmap);
    const statuses: string[] = [];
    roadmap.on('status', ({ status }) => statuses.push(status));
    await roadmap.synced;
    await eventually(() => expect(renewals).to.be.at.least(1), 20_000);
    await eventually(() => expect(roadmap.status).to.equal('live'), 5000);
    expect(statuses).not.to.include('refused');
  });

  it('signing out everywhere from one client leaves the other unauthorized; logout() ends its own session', async () => {
    const ana = await register(server.url, 'Ana');
    const other = (await api<Session>(server.url, 'POST', '/api/auth/login', { body: { email: ana.user.email, password: TEST_PASSWORD } })).body;
    const here = sdk(ana);
    const there = sdk(other);
    here.connect();
    there.connect();
    await eventually(() => expect([here.state, there.state]).to.deep.equal(['connected', 'connected']));
    expect(await here.logoutAll()).to.equal(2);
    await eventually(() => expect(there.state).to.equal('unauthorized'), 5000);

    const third = (await api<Session>(server.url, 'POST', '/api/auth/login', { body: { email: ana.user.email, password: TEST_PASSWORD } })).body;
    const client = sdk(third);
    await client.logout();
    expect(client.state).to.equal('closed');
    expect((await api(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken: third.refreshToken } })).status).to.equal(401);
  });
});
