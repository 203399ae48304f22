import { expect } from 'chai';
import type { Socket } from 'socket.io-client';
import { activeRoom, api, connect, emitAck, register } from '../helpers/clients.js';
import { spawnServer, tempDir, type ChildServer } from '../helpers/server.js';

describe('durability across a crash', function () {
  this.timeout(60_000);
  let data: ReturnType<typeof tempDir>;
  let server: ChildServer | undefined;
  let sockets: Socket[] = [];
  beforeEach(() => {
    data = tempDir();
  });
  afterEach(async () => {
    for (const s of sockets) s.close();
    await server?.kill('SIGKILL');
    data.remove();
  });

  it('keeps all 380 acked messages when the process is SIGKILLed right after the acks', async () => {
    server = await spawnServer(data.dir);
    const mentor = await register(server.url, 'Mentor');
    const mentee = await register(server.url, 'Mentee');
    const room = await activeRoom(server.url, mentor, mentee);
    // Four connections, two per member (each member within their per-user rate), keep many writes in flight at once.
    sockets = await Promise.all([mentee, mentee, mentor, mentor].map((who) => connect(server!.url, who.token)));
    const acks = await Promise.all(
      sockets.flatMap((socket, s) =>
        Array.from({ length: 95 }, (_, i) => emitAck(socket, 'message:send', { roomId: room.id, clientMsgId: `s${s}-${i}`, body: `durable ${s}-${i}` })),
      ),
    );
    const acked: Array<{ id: string; seq: number; body: string }> = [];
    for (const ack of acks) {
      expect(ack.ok, JSON.stringify(ack)).to.equal(true);
      acked.push(ack.message);
    }
    expect(acked).to.have.length(380);
    server.child.kill('SIGKILL');
    const exit = await server.exited;
    expect(exit.signal).to.equal('SIGKILL');
    for (const s of sockets) s.close();

    server = await spawnServer(data.dir);
    const stored: Array<{ id: string; seq: number; body: string }> = [];
    let after = 0;
    for (;;) {
      const page = await api(server.url, 'GET', `/api/rooms/${room.id}/messages?after=${after}&limit=200`, { token: mentor.token });
      expect(page.status).to.equal(200);
      stored.push(...page.body.messages);
      if (!page.body.hasMore) break;
      after = stored.at(-1)!.seq;
    }
    const storedById = new Map(stored.map((m) => [m.id, m]));
    for (const m of acked) expect(storedById.get(m.id), `message seq ${m.seq}`).to.deep.include({ seq: m.seq, body: m.body });
    expect(stored.map((m) => m.seq)).to.deep.equal(Array.from({ length: stored.length }, (_, i) => i + 1));
  });
});
