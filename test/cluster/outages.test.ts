/**
 * Issue 12, acceptance 2 and 3, on server processes (spawnCluster): Redis SIGKILLed for 5 s
 * while both sides send, then node B SIGKILLed. Clients are the real SDK behind a TCP proxy
 * each, which plays the balancer: it sends a client to its node, and to A once B is dead.
 */
import { expect } from 'chai';
import { MenteoClient, type OutboxEntry } from '../../client/src/sdk/index.js';
import { Ev } from '../../shared/events.js';
import type { Message } from '../../shared/types.js';
import { spawnCluster, type ProcessCluster } from '../helpers/cluster.js';
import { testStoreLabel } from '../helpers/mongo.js';
import { activeRoom, api, connect, emitAck, eventually, nextEvent, register, type Session } from '../helpers/clients.js';
import { startProxy, type FlakyProxy } from '../helpers/proxy.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`cluster outages (server processes, ${testStoreLabel()}, one redis-server)`, function () {
  this.timeout(180_000);
  let cluster: ProcessCluster;
  const proxies: FlakyProxy[] = [];
  const clients: MenteoClient[] = [];
  let mentor: Session;
  let mentee: Session;
  let room: { id: string };

  before(async () => {
    // A grace longer than the SDK's reconnect, so the sessions closed after the outage cause no offline.
    cluster = await spawnCluster(2, { PRESENCE_GRACE_MS: '3000', PRESENCE_TTL_MS: '2000' });
    const [a] = cluster.nodes;
    mentor = await register(a!.url, 'Mentor');
    mentee = await register(a!.url, 'Mentee');
    room = await activeRoom(a!.url, mentor, mentee);
  });
  after(async () => {
    for (const c of clients.splice(0)) c.close();
    await Promise.all(proxies.splice(0).map((p) => p.close()));
    await cluster?.stop();
  });

  async function client(session: Session, nodeUrl: string): Promise<{ sdk: MenteoClient; proxy: FlakyProxy }> {
    const proxy = await startProxy(nodeUrl);
    proxies.push(proxy);
    const sdk = new MenteoClient({ session, baseUrl: proxy.url, socket: { reconnectionDelay: 100, reconnectionDelayMax: 500, randomizationFactor: 0 } });
    clients.push(sdk);
    sdk.connect();
    await eventually(() => expect(sdk.state).to.equal('connected'), 10_000);
    await sdk.open(room.id);
    return { sdk, proxy };
  }

  async function stored(url: string): Promise<Message[]> {
    const all: Message[] = [];
    for (let after = 0; ; ) {
      const res = await api(url, 'GET', `/api/rooms/${room.id}/messages?after=${after}&limit=200`, { token: mentor.token });
      all.push(...res.body.messages);
      if (!res.body.hasMore) return all;
      after = all.at(-1)!.seq;
    }
  }

  const sentAll = (sdk: MenteoClient, entries: OutboxEntry[]) =>
    eventually(() => {
      const open = new Set(sdk.pending(room.id).map((e) => e.clientMsgId));
      expect(entries.filter((e) => open.has(e.clientMsgId))).to.deep.equal([]);
    }, 30_000, 100);

  /** The client's timeline after `fromSeq` is the store's history: every seq once, in order, same bodies. */
  async function expectComplete(sdk: MenteoClient, url: string, fromSeq = 0): Promise<void> {
    const truth = (await stored(url)).filter((m) => m.seq > fromSeq).map((m) => [m.seq, m.body]);
    await eventually(() => expect(sdk.timeline(room.id).filter((m) => m.seq > fromSeq).map((m) => [m.seq, m.body])).to.deep.equal(truth), 15_000, 100);
  }

  it('Redis SIGKILLed for 5 s while both sides send: every send is acked, and both clients end with the identical complete history', async () => {
    const [a, b] = cluster.nodes as [typeof cluster.nodes[0], typeof cluster.nodes[0]];
    const onA = await client(mentor, a.url);
    const onB = await client(mentee, b.url);
    const sent: { sdk: MenteoClient; entries: OutboxEntry[] }[] = [{ sdk: onA.sdk, entries: [] }, { sdk: onB.sdk, entries: [] }];
    let sending = true;
    const loops = sent.map(async ({ sdk, entries }, side) => {
      for (let i = 0; sending; i++) {
        entries.push(sdk.send(room.id, `side ${side} #${i}`));
        await sleep(50);
      }
    });
    await sleep(500);
    await cluster.redis.stop();
    // Both nodes stay ready (degraded) and keep serving their own clients.
    await eventually(async () => {
      const res = await api(b.url, 'GET', '/readyz');
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.include({ ok: true, degraded: true });
    }, 5_000, 100);
    await sleep(5_000);
    await cluster.redis.start();
    await sleep(500);
    sending = false;
    await Promise.all(loops);
    for (const { sdk, entries } of sent) await sentAll(sdk, entries);
    const total = sent[0]!.entries.length + sent[1]!.entries.length;
    const history = await stored(a.url);
    expect(history.filter((m) => m.kind === 'text')).to.have.length(total);
    await expectComplete(onA.sdk, a.url);
    await expectComplete(onB.sdk, b.url);
    await eventually(async () => expect((await api(a.url, 'GET', '/readyz')).body.checks.redis).to.equal('ok'), 10_000, 100);
  });

  it('node B SIGKILLed: its clients reconnect to A and catch up exactly once; a user left on B shows offline within the TTL', async () => {
    const [a, b] = cluster.nodes as [typeof cluster.nodes[0], typeof cluster.nodes[0]];
    const onA = await client(mentor, a.url);
    const onB = await client(mentee, b.url);
    const fromSeq = (await stored(a.url)).at(-1)!.seq;
    // A second pair: this mentee stays on B and never comes back.
    const mentor2 = await register(a.url, 'Mentor2');
    const mentee2 = await register(a.url, 'Mentee2');
    const room2 = await activeRoom(a.url, mentor2, mentee2);
    const watcher = await connect(a.url, mentor2.token);
    const online = nextEvent(watcher, Ev.presence, (p) => p.userId === mentee2.user.id && p.status === 'online', 10_000);
    const leaver = await connect(b.url, mentee2.token);
    await online;
    expect((await emitAck(watcher, Ev.roomJoin, { roomId: room2.id })).ok).to.equal(true);

    const before = onA.sdk.send(room.id, 'just before B dies');
    await sentAll(onA.sdk, [before]);
    const offline = nextEvent(watcher, Ev.presence, (p) => p.userId === mentee2.user.id && p.status === 'offline', 15_000);
    const killedAt = Date.now();
    await b.kill('SIGKILL');
    onB.proxy.retarget(a.url); // the balancer takes B out of rotation
    // Sent while the mentee is between nodes: it gets them by catch-up on A.
    const during = [onA.sdk.send(room.id, 'while B is dead 1'), onA.sdk.send(room.id, 'while B is dead 2')];
    await sentAll(onA.sdk, during);
    const after = onB.sdk.send(room.id, 'mentee back, on A');
    await sentAll(onB.sdk, [after]);
    await expectComplete(onB.sdk, a.url, fromSeq);
    await expectComplete(onA.sdk, a.url, fromSeq);
    const seqs = onB.sdk.timeline(room.id).map((m) => m.seq);
    expect(new Set(seqs).size).to.equal(seqs.length);

    const gone = await offline;
    const waited = Date.now() - killedAt;
    expect(gone.lastSeenAt).to.be.a('string');
    // TTL 2 s plus one sweep interval (TTL/3) and the announcement; the bound is loose for a loaded machine.
    expect(waited).to.be.below(15_000);
    watcher.close();
    leaver.close();
    await cluster.restart(1);
  });
});
