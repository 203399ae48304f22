import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Socket } from 'socket.io-client';
import type { Message } from '../../shared/types.js';
import { runCli } from '../helpers/cli.js';
import { activeRoom, api, connect, emitAck, register, type Session } from '../helpers/clients.js';
import { startServer, tempDir, type TestServer } from '../helpers/server.js';

// One secret for the live and the restored server, so the same tokens read both (a backup holds no secret).
const env = { JWT_SECRET: 'backup-test-secret-that-is-long-enough-0123456789' };

async function allMessages(url: string, roomId: string, token: string): Promise<Message[]> {
  const all: Message[] = [];
  for (let after = 0; ; ) {
    const res = await api(url, 'GET', `/api/rooms/${roomId}/messages?after=${after}&limit=200`, { token });
    expect(res.status).to.equal(200);
    all.push(...res.body.messages);
    if (!res.body.hasMore) return all;
    after = all.at(-1)!.seq;
  }
}

describe('backup and restore of the sqlite store (issue 18)', function () {
  this.timeout(120_000);
  let server: TestServer | undefined;
  let restored: TestServer | undefined;
  let work: ReturnType<typeof tempDir>;
  let socket: Socket | undefined;

  beforeEach(() => {
    work = tempDir('menteo-backup-');
  });
  afterEach(async () => {
    socket?.close();
    await restored?.stop();
    await server?.stop();
    server = restored = socket = undefined;
    work.remove();
  });

  it('a backup taken while message:send goes on restores every message acked before it began, in a consistent store', async () => {
    server = await startServer({ env });
    const mentor: Session = await register(server.url, 'Mentor');
    const mentee: Session = await register(server.url, 'Mentee');
    const room = await activeRoom(server.url, mentor, mentee);
    socket = await connect(server.url, mentee.token);

    // A writer keeps sending, under the socket rate limit (50/s), from before the backup starts until after it ended.
    const acked: { clientMsgId: string; at: number }[] = [];
    let writing = true;
    let n = 0;
    const writer = async () => {
      while (writing) {
        const clientMsgId = `m-${(n += 1)}`;
        const ack = await emitAck(socket!, 'message:send', { roomId: room.id, clientMsgId, body: `message ${clientMsgId}` });
        if (!ack.ok) throw new Error(`send refused: ${JSON.stringify(ack)}`);
        acked.push({ clientMsgId, at: performance.now() });
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const writerDone = writer();
    while (acked.length < 40) await new Promise((r) => setTimeout(r, 10));

    const file = join(work.dir, 'backups', 'menteo-backup.sqlite');
    const began = performance.now();
    const before = new Set(acked.map((a) => a.clientMsgId));
    const backup = await runCli(['backup', file], { DATA_DIR: server.dataDir });
    const ended = performance.now();
    writing = false;
    await writerDone;

    expect(backup.code, backup.stderr).to.equal(0);
    expect(backup.json()).to.include({ file });
    const during = acked.filter((a) => a.at > began && a.at < ended).length;
    expect(during, 'messages acked while the backup ran').to.be.greaterThan(0);
    expect(readdirSync(join(work.dir, 'backups'))).to.deep.equal(['menteo-backup.sqlite']); // no .partial left

    const dataDir = join(work.dir, 'restored');
    const restore = await runCli(['restore', file], { DATA_DIR: dataDir });
    expect(restore.code, restore.stderr).to.equal(0);
    restored = await startServer({ dataDir, env });

    const back = await allMessages(restored.url, room.id, mentor.token);
    const backIds = new Set(back.map((m) => m.clientMsgId));
    expect([...before].filter((id) => !backIds.has(id)), 'acked before the backup, missing after the restore').to.deep.equal([]);
    // One snapshot: gapless seqs, and exactly the live store's first messages.
    expect(back.map((m) => m.seq)).to.deep.equal(back.map((_, i) => i + 1));
    const live = await allMessages(server.url, room.id, mentor.token);
    expect(back.map((m) => [m.seq, m.id, m.clientMsgId])).to.deep.equal(live.slice(0, back.length).map((m) => [m.seq, m.id, m.clientMsgId]));
    expect(live.length).to.equal(acked.length + 1); // + the system message of the accept
    // The restored server takes writes again.
    const more = await api(restored.url, 'POST', `/api/rooms/${room.id}/messages`, { token: mentee.token, body: { clientMsgId: 'after-restore', body: 'back again' } });
    expect(more.status).to.equal(201);
    expect(more.body.message.seq).to.equal(back.length + 1);
  });

  it('restore refuses a DATA_DIR that holds anything, and a file that is not a Menteo store', async () => {
    server = await startServer({ env });
    const file = join(work.dir, 'b.sqlite');
    expect((await runCli(['backup', file], { DATA_DIR: server.dataDir })).code).to.equal(0);

    const busy = join(work.dir, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'keep.txt'), 'x');
    const refused = await runCli(['restore', file], { DATA_DIR: busy });
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.match(/is not empty/);
    expect(readdirSync(busy)).to.deep.equal(['keep.txt']);

    const junk = join(work.dir, 'junk.sqlite');
    writeFileSync(junk, 'not a database at all, just some bytes'.repeat(50));
    const bad = await runCli(['restore', junk], { DATA_DIR: join(work.dir, 'fresh') });
    expect(bad.code).to.equal(1);
    expect(existsSync(join(work.dir, 'fresh', 'menteo.sqlite'))).to.equal(false);
  });
});
