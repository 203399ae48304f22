/**
 * Issue 15 acceptance 3 and 4 with real server processes on one SQLite file (no Redis) and a real
 * local webhook receiver: each reminder is delivered exactly once by two processes whose clocks
 * agree (the machine's), a claimer killed mid-delivery is finished by the other after its lease,
 * and the webhook is signed, retried with the same idempotency key and survives a restart.
 */
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { activeRoom, api, eventually, register, type Session } from '../helpers/clients.js';
import { contractBody } from '../helpers/lifecycle.js';
import { spawnServer, tempDir, type ChildServer } from '../helpers/server.js';
import { payloads, startReceiver } from '../helpers/webhook-receiver.js';

const SECRET = 'test-webhook-secret-0123456789';
const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A contract whose review date is 6 days ahead: the 7-day reminder is due now. */
function reviewSoonContract() {
  const body = contractBody(3);
  return { ...body, reviewAt: isoDay(Date.now() + 6 * DAY) };
}

const envFor = (hook: string, extra: Record<string, string> = {}) => ({
  NOTIFY_WEBHOOK_URL: hook,
  NOTIFY_WEBHOOK_SECRET: SECRET,
  NOTIFY_TICK_MS: '200',
  NOTIFY_LEASE_MS: '3000',
  NOTIFY_WEBHOOK_POLL_MS: '100',
  NOTIFY_WEBHOOK_RETRY_MS: '200',
  LOG_LEVEL: 'info',
  ...extra,
});

function reminderRows(dataDir: string, roomId: string): Array<{ key: string; state: string; claimed_by: string; attempts: number }> {
  const db = new Database(join(dataDir, 'menteo.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT key, state, claimed_by, attempts FROM reminders WHERE room_id = ?').all(roomId) as never;
  } finally {
    db.close();
  }
}

describe('notifications across processes: reminders claimed once, the signed webhook outbox (issue 15)', function () {
  this.timeout(120_000);
  const servers: ChildServer[] = [];
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.kill('SIGKILL')));
    for (const c of cleanups.splice(0)) await c();
  });

  async function setUp(server: ChildServer): Promise<{ mentor: Session; mentee: Session; roomId: string }> {
    const mentor = await register(server.url, 'Mentor');
    const mentee = await register(server.url, 'Mentee');
    const room = await activeRoom(server.url, mentor, mentee);
    const put = await api(server.url, 'PUT', `/api/rooms/${room.id}/contract`, { token: mentee.token, body: reviewSoonContract() });
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    return { mentor, mentee, roomId: room.id };
  }

  it('two processes with their clocks at the same instant deliver each reminder exactly once', async () => {
    const data = tempDir();
    const hook = await startReceiver();
    cleanups.push(() => hook.close(), () => data.remove());
    servers.push(await spawnServer(data.dir, envFor(hook.url, { NODE_ID: 'node-a' })), await spawnServer(data.dir, envFor(hook.url, { NODE_ID: 'node-b' })));
    const { mentor, mentee, roomId } = await setUp(servers[0]!);
    const reviews = () => payloads(hook.posts).filter((p) => p.notification.kind === 'review-in-7d' && p.notification.data.roomId === roomId);
    await eventually(() => expect(reviews().map((p) => p.user.id).sort()).to.deep.equal([mentor.user.id, mentee.user.id].sort()), 30_000, 100);
    await eventually(() => expect(reminderRows(data.dir, roomId).map((r) => r.state)).to.deep.equal(['done']), 10_000, 100);
    const [row] = reminderRows(data.dir, roomId);
    expect(row!.attempts).to.equal(1);
    // Both processes go on ticking: a later notification passes through, the reminder is not sent again.
    const other = await register(servers[1]!.url, 'Late');
    await api(servers[1]!.url, 'POST', '/api/rooms', { token: other.token, body: { mentorId: mentor.user.id, focus: 'Later' } });
    await eventually(() => expect(payloads(hook.posts).some((p) => p.notification.kind === 'request-received' && p.notification.data.focus === 'Later')).to.equal(true), 30_000, 100);
    expect(reviews()).to.have.length(2);
    // Each in-app entry exists once per member, whichever process is asked.
    for (const [server, s] of [[servers[0]!, mentor], [servers[1]!, mentee]] as const) {
      const inbox = (await api(server.url, 'GET', '/api/notifications', { token: s.token })).body.notifications as Array<{ kind: string }>;
      expect(inbox.filter((n) => n.kind === 'review-in-7d')).to.have.length(1);
    }
  });

  it('killing the claiming process mid-delivery still delivers the reminder once (the other takes over after the lease)', async () => {
    const data = tempDir();
    const hook = await startReceiver();
    cleanups.push(() => hook.close(), () => data.remove());
    // A claims and then stalls before delivering (test-only fault injection), holding the lease.
    const a = await spawnServer(data.dir, envFor(hook.url, { NODE_ID: 'node-a', NOTIFY_TEST_HOLD_CLAIM_MS: '600000' }));
    servers.push(a);
    const { mentor, mentee, roomId } = await setUp(a);
    await eventually(() => expect(a.output()).to.include('reminders claimed; holding'), 30_000, 100);
    expect(reminderRows(data.dir, roomId)).to.deep.equal([{ key: reminderRows(data.dir, roomId)[0]!.key, state: 'claimed', claimed_by: 'node-a', attempts: 1 }]);
    await a.kill('SIGKILL');
    const b = await spawnServer(data.dir, envFor(hook.url, { NODE_ID: 'node-b' }));
    servers.push(b);
    await eventually(() => expect(reminderRows(data.dir, roomId).map((r) => [r.state, r.claimed_by, r.attempts])).to.deep.equal([['done', 'node-b', 2]]), 30_000, 100);
    const reviews = () => payloads(hook.posts).filter((p) => p.notification.kind === 'review-in-7d' && p.notification.data.roomId === roomId);
    await eventually(() => expect(reviews().map((p) => p.user.id).sort()).to.deep.equal([mentor.user.id, mentee.user.id].sort()), 30_000, 100);
    // B goes on: a later notification arrives, the reminder does not come again.
    const other = await register(b.url, 'Late');
    await api(b.url, 'POST', '/api/rooms', { token: other.token, body: { mentorId: mentor.user.id, focus: 'Later' } });
    await eventually(() => expect(payloads(hook.posts).some((p) => p.notification.data.focus === 'Later')).to.equal(true), 30_000, 100);
    expect(reviews()).to.have.length(2);
  });

  it('signed POSTs; 503 twice then the same notification a third time with the same key, across a restart; never again after a 2xx', async () => {
    const data = tempDir();
    // Every delivery is refused twice, then accepted.
    const hook = await startReceiver((_key, attempt) => (attempt <= 2 ? 503 : 204));
    cleanups.push(() => hook.close(), () => data.remove());
    let server = await spawnServer(data.dir, envFor(hook.url, { NOTIFY_WEBHOOK_RETRY_MS: '500' }));
    servers.push(server);
    const mentor = await register(server.url, 'Mentor');
    const mentee = await register(server.url, 'Mentee');
    await api(server.url, 'POST', '/api/rooms', { token: mentee.token, body: { mentorId: mentor.user.id, focus: 'Hiring' } });
    const first = await eventually(() => {
      const p = payloads(hook.posts).find((x) => x.notification.kind === 'request-received');
      expect(p).to.not.equal(undefined);
      return p!;
    }, 30_000, 50);
    // Restart after the first refusal: the outbox is in the store, nothing is lost.
    await server.kill('SIGTERM');
    servers.splice(servers.indexOf(server), 1);
    server = await spawnServer(data.dir, envFor(hook.url, { NOTIFY_WEBHOOK_RETRY_MS: '500' }));
    servers.push(server);
    await eventually(() => expect(hook.byKey(first.id).map((p) => p.status)).to.deep.equal([503, 503, 204]), 60_000, 100);
    const attempts = hook.byKey(first.id);
    for (const post of attempts) {
      const ts = String(post.headers['x-menteo-timestamp']);
      expect(Math.abs(Number(ts) * 1000 - Date.now())).to.be.lessThan(10 * 60_000);
      const expected = `v1=${createHmac('sha256', SECRET).update(`${ts}.${post.raw}`).digest('hex')}`;
      expect(post.headers['x-menteo-signature']).to.equal(expected);
      expect(post.raw).to.equal(attempts[0]!.raw); // the same bytes every time
      expect(post.headers['content-type']).to.equal('application/json');
    }
    const wrong = createHmac('sha256', 'another-secret-0123456789').update(`${String(attempts[0]!.headers['x-menteo-timestamp'])}.${attempts[0]!.raw}`).digest('hex');
    expect(attempts[0]!.headers['x-menteo-signature']).to.not.equal(`v1=${wrong}`);
    expect(first).to.deep.include({ id: first.id });
    expect(first.user.id).to.equal(mentor.user.id);
    // A later notification is delivered (after its own two refusals); the first one never comes again.
    const other = await register(server.url, 'Late');
    await api(server.url, 'POST', '/api/rooms', { token: other.token, body: { mentorId: mentor.user.id, focus: 'Later' } });
    await eventually(() => {
      const later = payloads(hook.posts).find((p) => p.notification.data.focus === 'Later');
      expect(later && hook.byKey(later.id).map((p) => p.status)).to.deep.equal([503, 503, 204]);
    }, 60_000, 100);
    expect(hook.byKey(first.id)).to.have.length(3);
  });
});
