/**
 * Issue 12, acceptance 5: limits hold across nodes. Three in-process nodes on one store (SQLite, or
 * the MongoDB adapter in `npm run test:mongo`) and one redis-server: the login throttle, the per-user send rate and the open-request cap allow no
 * more through three nodes than through one. TRUST_PROXY lets the test speak as several clients.
 */
import { expect } from 'chai';
import { Ev } from '../../shared/events.js';
import { ServerLimits } from '../../server/limits.js';
import { startCluster, type InProcessCluster } from '../helpers/cluster.js';
import { testStoreLabel } from '../helpers/mongo.js';
import { activeRoom, api, connect, emitAck, newClientId, register } from '../helpers/clients.js';

describe(`cluster: limits hold across three nodes (${testStoreLabel()})`, function () {
  this.timeout(60_000);
  let cluster: InProcessCluster;
  let urls: string[];

  before(async () => {
    cluster = await startCluster(3, { TRUST_PROXY: 'loopback' });
    urls = cluster.nodes.map((n) => n.url);
  });
  after(async () => {
    await cluster?.stop();
  });

  const login = (url: string, email: string, password: string, ip: string) =>
    fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ email, password }),
    });

  it('login throttle: 10 guesses per (email, client) in all, spread over three nodes; the owner on another client still gets in', async () => {
    const owner = await register(urls[0]!, 'Owner');
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) statuses.push((await login(urls[i % 3]!, owner.user.email, `guess ${i}`, '203.0.113.7')).status);
    expect(statuses.filter((s) => s === 401)).to.have.length(10);
    expect(statuses.slice(10)).to.deep.equal([429, 429, 429, 429, 429]);
    const locked = await login(urls[1]!, owner.user.email, 'correct horse battery', '203.0.113.7');
    expect(locked.status).to.equal(429);
    const ownerDevice = await login(urls[2]!, owner.user.email, 'correct horse battery', '198.51.100.20');
    expect(ownerDevice.status).to.equal(200);
  });

  it('login throttle: one client spraying 30 emails over three nodes is stopped after 20 failures', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await login(urls[i % 3]!, `nobody-${i}@example.test`, 'wrong', '203.0.113.99')).status);
    expect(statuses.filter((s) => s === 401)).to.have.length(20);
    expect(statuses.filter((s) => s === 429)).to.have.length(10);
  });

  it('per-user send rate: one user with sockets on all three nodes gets one allowance, not three', async () => {
    const mentor = await register(urls[0]!, 'Mentor');
    const mentee = await register(urls[0]!, 'Mentee');
    const room = await activeRoom(urls[0]!, mentor, mentee);
    const sockets = await Promise.all(urls.map((url) => connect(url, mentee.token)));
    try {
      const per = ServerLimits.socketEventBurst; // each socket alone tries a whole allowance
      const acks = await Promise.all(
        sockets.flatMap((socket) =>
          Array.from({ length: per }, (_, i) => emitAck(socket, Ev.messageSend, { roomId: room.id, clientMsgId: newClientId(), body: `m${i}` })),
        ),
      );
      const accepted = acks.filter((a) => a.ok).length;
      // One allowance (the burst), plus what refilled while the sends ran: never three.
      expect(accepted).to.be.at.least(per / 2);
      expect(accepted).to.be.below(2 * per);
      expect(acks.filter((a) => !a.ok).every((a) => a.error.code === 'RATE_LIMITED')).to.equal(true);
    } finally {
      for (const s of sockets) s.close();
    }
  });

  it('open-request cap: a burst of requests spread over three nodes stops at the cap, and answers on any node free exactly their places', async () => {
    const asker = await register(urls[0]!, 'Asker');
    const targets = await Promise.all(Array.from({ length: ServerLimits.openRequestsPerUser + 10 }, (_, i) => register(urls[i % 3]!, `T${i}`)));
    const results = await Promise.all(
      targets.map((t, i) => api(urls[i % 3]!, 'POST', '/api/rooms', { token: asker.token, body: { mentorId: t.user.id, focus: 'Grow' } })),
    );
    expect(results.filter((r) => r.status === 201)).to.have.length(ServerLimits.openRequestsPerUser);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).to.have.length(10);
    for (const r of refused) expect(r.body.error).to.deep.include({ code: 'GUARD_FAILED', details: { guard: 'open-requests', limit: ServerLimits.openRequestsPerUser } });

    // The cap counts what is pending now (the MongoDB adapter's per-requester counter only makes
    // racing creates conflict; it is no tally): answers given on any node free exactly their places.
    const created = results.flatMap((r, i) => (r.status === 201 ? [{ room: r.body.room.id as string, target: targets[i]! }] : []));
    const answers = [
      api(urls[1]!, 'POST', `/api/rooms/${created[0]!.room}/decline`, { token: created[0]!.target.token }),
      api(urls[2]!, 'POST', `/api/rooms/${created[1]!.room}/decline`, { token: created[1]!.target.token }),
      api(urls[0]!, 'POST', `/api/rooms/${created[2]!.room}/accept`, { token: created[2]!.target.token }),
    ];
    for (const answer of await Promise.all(answers)) expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    // Five asks for three places, over three nodes: the two declined pairs again and three refused before.
    const refusedTargets = targets.filter((_, i) => results[i]!.status !== 201).slice(0, 3);
    const again = await Promise.all(
      [created[0]!.target, created[1]!.target, ...refusedTargets].map((t, i) =>
        api(urls[i % 3]!, 'POST', '/api/rooms', { token: asker.token, body: { mentorId: t.user.id, focus: 'Grow again' } }),
      ),
    );
    expect(again.filter((r) => r.status === 201)).to.have.length(3);
    for (const r of again.filter((r) => r.status !== 201)) expect(r.body.error).to.deep.include({ code: 'GUARD_FAILED' });
    const mine = (await api(urls[2]!, 'GET', '/api/rooms', { token: asker.token })).body.rooms as Array<{ status: string; requestedBy: string }>;
    expect(mine.filter((r) => r.status === 'pending')).to.have.length(ServerLimits.openRequestsPerUser);
  });

  it('per-IP limit on /api/auth/*: 429 with Retry-After once an address passes it, on any node', async () => {
    const burst = async (ip: string) => {
      const out: Response[] = [];
      for (let i = 0; i < 130; i++) out.push(await login(urls[i % 3]!, `x${i}@example.test`, 'wrong', ip));
      return out;
    };
    const res = await burst('192.0.2.55');
    const limited = res.filter((r) => r.status === 429 && r.headers.get('retry-after') !== null);
    // AUTH_RATE_PER_MIN defaults to 120 requests per minute per address (the login throttle refuses some earlier).
    expect(res.length - limited.length).to.be.at.most(120);
    expect(Number(limited.at(-1)!.headers.get('retry-after'))).to.be.within(1, 60);
  });
});
