import { expect } from 'chai';
import { activeRoom, api, newClientId, register, type Session } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { ServerLimits } from '../../server/limits.js';

describe('REST limits', function () {
  this.timeout(60_000);
  let server: TestServer;
  beforeEach(async () => (server = await startServer()));
  afterEach(async () => server.stop());

  it('caps a user\'s unanswered requests, even sent at once, and frees a slot when one is answered', async () => {
    const cap = ServerLimits.openRequestsPerUser;
    const asker = await register(server.url, 'Asker');
    const targets: Session[] = [];
    for (let i = 0; i <= cap; i++) targets.push(await register(server.url, `Target ${i}`));
    const results = await Promise.all(
      targets.map((t) => api(server.url, 'POST', '/api/rooms', { token: asker.token, body: { mentorId: t.user.id, focus: 'hi' } })),
    );
    expect(results.filter((r) => r.status === 201)).to.have.length(cap);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused.map((r) => [r.status, r.body.error.code, r.body.error.details.guard])).to.deep.equal([[409, 'GUARD_FAILED', 'open-requests']]);

    const mine = await api(server.url, 'GET', '/api/rooms', { token: asker.token });
    expect(mine.body.rooms).to.have.length(cap);
    const first = results.find((r) => r.status === 201)!;
    const target = targets.find((t) => t.user.id === first.body.room.mentorId)!;
    expect((await api(server.url, 'POST', `/api/rooms/${first.body.room.id}/decline`, { token: target.token })).status).to.equal(200);
    const waiting = targets[results.indexOf(refused[0]!)]!;
    const again = await api(server.url, 'POST', '/api/rooms', { token: asker.token, body: { mentorId: waiting.user.id, focus: 'hi' } });
    expect(again.status).to.equal(201);
  });

  it('rate-limits REST sends per user like a socket, and stores only the accepted ones', async () => {
    const mentor = await register(server.url, 'Mentor');
    const mentee = await register(server.url, 'Mentee');
    const room = await activeRoom(server.url, mentor, mentee);
    const total = ServerLimits.socketEventBurst + 100;
    const results = await Promise.all(
      Array.from({ length: total }, (_, i) =>
        api(server.url, 'POST', `/api/rooms/${room.id}/messages`, { token: mentee.token, body: { clientMsgId: newClientId(), body: `m${i}` } }),
      ),
    );
    const created = results.filter((r) => r.status === 201).length;
    const limited = results.filter((r) => r.status === 429);
    expect(created + limited.length).to.equal(total);
    expect(limited.length).to.be.greaterThan(0);
    expect(limited[0]!.body.error.code).to.equal('RATE_LIMITED');
    const history = await api(server.url, 'GET', `/api/rooms/${room.id}/messages?limit=200`, { token: mentor.token });
    expect(history.body.messages.filter((m: { kind: string }) => m.kind === 'text')).to.have.length(Math.min(created, 200));
  });
});
