import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { activeRoom, api, connect, emitAck, register, type Session } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** Fires `n` logins for distinct unknown emails; each promise resolves with its status and when it finished. */
function loginFlood(url: string, n: number) {
  return Array.from({ length: n }, async () => {
    const res = await api(url, 'POST', '/api/auth/login', { body: { email: `nobody-${randomUUID()}@example.test`, password: 'not the password at all' } });
    return { status: res.status, at: performance.now() };
  });
}

describe('password hashing never starves the store (issue 13)', () => {
  let server: TestServer;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await server?.stop();
  });

  it('while 300 logins are in flight, a message:send is acked before the logins finish', async function () {
    this.timeout(120_000);
    server = await startServer();
    const mentor = await register(server.url, 'Mentor');
    const mentee: Session = await register(server.url, 'Mentee');
    const room = await activeRoom(server.url, mentor, mentee);
    const socket = await connect(server.url, mentee.token);
    sockets.push(socket);
    expect((await emitAck(socket, 'room:join', { roomId: room.id })).ok).to.equal(true);

    const logins = loginFlood(server.url, 300);
    // The server is busy with the flood once it has answered any of it.
    await Promise.race(logins);
    const ack = await emitAck(socket, 'message:send', { roomId: room.id, clientMsgId: randomUUID(), body: 'still here' }, 110_000);
    const ackedAt = performance.now();
    const results = await Promise.all(logins);

    expect(ack.ok, JSON.stringify(ack)).to.equal(true);
    const lastLogin = Math.max(...results.map((r) => r.at));
    const stillRunning = results.filter((r) => r.at > ackedAt).length;
    expect(ackedAt, `acked ${Math.round(lastLogin - ackedAt)} ms before the last login; ${stillRunning} logins were still running`).to.be.below(lastLogin);
    // Every login got an answer from the catalog: a wrong password, or the overall limit.
    for (const r of results) expect([401, 429]).to.include(r.status);
  });

  it('a full hash queue answers 429 RATE_LIMITED with Retry-After, and the rest are still checked', async () => {
    server = await startServer({ env: { AUTH_HASH_WORKERS: '1', AUTH_HASH_QUEUE: '2' } });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${server.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `nobody-${randomUUID()}@example.test`, password: 'not the password at all' }),
        }),
      ),
    );
    const limited = responses.filter((r) => r.status === 429);
    const checked = responses.filter((r) => r.status === 401);
    expect(limited.length, 'some logins were refused by the overall limit').to.be.greaterThan(0);
    expect(checked.length, 'the logins that fit the queue were checked').to.be.at.least(1);
    expect(limited.length + checked.length).to.equal(20);
    for (const r of limited) {
      expect(Number(r.headers.get('retry-after'))).to.be.at.least(1);
      expect(((await r.json()) as { error: { code: string } }).error.code).to.equal('RATE_LIMITED');
    }
    // Sign-ups share the pool and its limit; once the flood is over a real sign-up goes through.
    expect((await register(server.url, 'After')).token).to.be.a('string');
  });
});
