import { expect } from 'chai';
import { api, register, type Session } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';

/**
 * Issue 13: a member's highlights must not stall the server. Ten breakthrough entries of
 * `'['.repeat(20000)` made the record's excerpt regex run 5.9 s, during which /healthz did not answer.
 */
describe('a record with hostile highlights (issue 13)', () => {
  let server: TestServer;
  let attacker: Session;
  let roomId: string;
  before(async () => {
    server = await startServer();
    const victim = await register(server.url, 'Victim');
    attacker = await register(server.url, 'Attacker');
    // A pending room is enough: requesting one makes the requester a member.
    const room = await api(server.url, 'POST', '/api/rooms', { token: attacker.token, body: { mentorId: victim.user.id, focus: 'anything' } });
    roomId = room.body.room.id;
    const thread = await api(server.url, 'POST', '/api/threads', { token: attacker.token, body: { title: 'x', visibility: 'room', roomId } });
    const N = 20_000;
    const bodies = ['['.repeat(N), '['.repeat(N - 2) + '](', '!['.repeat(N / 2), ' '.repeat(N - 1) + 'x', `${' \n'.repeat(N / 4)}${' '.repeat(N / 2 - 1)}x`];
    for (let i = 0; i < 10; i++) {
      const res = await api(server.url, 'POST', `/api/threads/${thread.body.thread.id}/entries`, {
        token: attacker.token,
        body: { kind: 'breakthrough', body: bodies[i % bodies.length] },
      });
      expect(res.status).to.equal(201);
    }
  });
  after(() => server.stop());

  for (const format of ['json', 'md']) {
    it(`serves the ${format} record while /healthz keeps answering`, async () => {
      const record = api(server.url, 'GET', `/api/rooms/${roomId}/record${format === 'md' ? '?format=md' : ''}`, { token: attacker.token });
      let recordDone = false;
      void record.then(() => (recordDone = true));
      const started = performance.now();
      const health = await fetch(`${server.url}/healthz`);
      const healthMs = performance.now() - started;
      const res = await record;
      expect(health.status).to.equal(200);
      expect(res.status).to.equal(200);
      if (format === 'json') expect(res.body.record.highlights).to.have.length(10);
      // Generous: the quadratic regex held the event loop for seconds; a linear scan takes milliseconds.
      expect(healthMs, `/healthz took ${healthMs.toFixed(0)} ms (record in flight: ${!recordDone})`).to.be.below(1500);
    });
  }
});
