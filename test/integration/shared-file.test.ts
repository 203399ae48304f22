import { expect } from 'chai';
import type { Socket } from 'socket.io-client';
import { activeRoom, api, connect, emitAck, register } from '../helpers/clients.js';
import { spawnServer, tempDir, type ChildServer } from '../helpers/server.js';

describe('two server processes sharing one SQLite file', function () {
  this.timeout(60_000);
  const data = tempDir();
  const servers: ChildServer[] = [];
  const sockets: Socket[] = [];
  after(async () => {
    for (const s of sockets) s.close();
    await Promise.all(servers.map((s) => s.kill('SIGTERM')));
    data.remove();
  });

  it('allocate seqs for one room without gaps or duplicates', async () => {
    servers.push(await spawnServer(data.dir), await spawnServer(data.dir));
    const [a, b] = servers as [ChildServer, ChildServer];
    const mentor = await register(a.url, 'Mentor');
    const mentee = await register(b.url, 'Mentee');
    const room = await activeRoom(a.url, mentor, mentee);
    // Each process gets two connections (one per member), all sending at once.
    for (const server of [a, b]) for (const who of [mentor, mentee]) sockets.push(await connect(server.url, who.token));
    const acks = await Promise.all(
      sockets.flatMap((socket, s) =>
        Array.from({ length: 150 }, (_, i) => emitAck(socket, 'message:send', { roomId: room.id, clientMsgId: `p${s}-${i}`, body: `from socket ${s}: ${i}` })),
      ),
    );
    expect(acks.every((ack) => ack.ok)).to.equal(true);
    const seqs = acks.map((ack) => ack.message.seq as number).sort((x, y) => x - y);
    expect(new Set(seqs).size).to.equal(600);
    // seq 1 is the acceptance's system message.
    expect(seqs).to.deep.equal(Array.from({ length: 600 }, (_, i) => i + 2));
    for (const server of [a, b]) {
      const stored: number[] = [];
      let after = 0;
      for (;;) {
        const page = await api(server.url, 'GET', `/api/rooms/${room.id}/messages?after=${after}&limit=200`, { token: mentee.token });
        stored.push(...page.body.messages.map((m: { seq: number }) => m.seq));
        if (!page.body.hasMore) break;
        after = stored.at(-1)!;
      }
      expect(stored).to.deep.equal(Array.from({ length: 601 }, (_, i) => i + 1));
    }
  });
});
