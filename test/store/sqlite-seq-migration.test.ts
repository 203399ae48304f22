import Database from 'better-sqlite3';
import { expect } from 'chai';
import { join } from 'node:path';
import { newId, nowIso } from '../../server/ids.js';
import { migrate } from '../../server/store/sqlite/migrations.js';
import { knownMigrations, openSqliteStore } from '../../server/store/sqlite/index.js';
import { tempDir } from '../helpers/server.js';
import { sampleRoom } from './contract/fixtures.js';

describe('sqlite migration 010-seq-from-messages (issue 17)', () => {
  it('upgrades a store whose rooms carry last_seq: seqs continue from the stored messages, nothing lost', async () => {
    const dir = tempDir('menteo-seq-mig-');
    const file = join(dir.dir, 'menteo.sqlite');
    try {
      // A store as the build before 007 left it, with 3 messages in one room and none in another.
      const before = knownMigrations().filter((m) => m.id !== '010-seq-from-messages');
      const old = new Database(file);
      old.pragma('journal_mode = WAL');
      migrate(old, [...before]);
      const room = sampleRoom({ id: newId(), mentorId: 'm', menteeId: 'e', status: 'active' });
      const empty = sampleRoom({ id: newId(), mentorId: 'm', menteeId: 'e', status: 'active' });
      const insertRoom = old.prepare(
        `INSERT INTO rooms (id, mentor_id, mentee_id, status, last_seq, rev, data, created_at, updated_at) VALUES (?, 'm', 'e', 'active', ?, 1, '{}', ?, ?)`,
      );
      insertRoom.run(room.id, 3, room.createdAt, room.updatedAt);
      insertRoom.run(empty.id, 0, empty.createdAt, empty.updatedAt);
      for (let seq = 1; seq <= 3; seq++) {
        old.prepare(`INSERT INTO messages (id, room_id, seq, author_id, client_msg_id, kind, body, created_at) VALUES (?, ?, ?, 'm', ?, 'text', 'hi', ?)`).run(newId(), room.id, seq, newId(), room.createdAt);
      }
      old.close();

      const store = openSqliteStore({ file });
      try {
        expect((await store.rooms.get(room.id))!.lastSeq).to.equal(3);
        expect((await store.rooms.get(empty.id))!.lastSeq).to.equal(0);
        const next = await store.messages.append({ createdAt: nowIso(), roomId: room.id, authorId: 'e', clientMsgId: newId(), kind: 'text', body: 'after the upgrade' });
        expect(next.message.seq).to.equal(4);
        const first = await store.messages.append({ createdAt: nowIso(), roomId: empty.id, authorId: 'e', clientMsgId: newId(), kind: 'text', body: 'first' });
        expect(first.message.seq).to.equal(1);
        const listed = await store.rooms.listForMember('e');
        expect(listed.find((r) => r.room.id === room.id)!.lastMessage!.seq).to.equal(4);
        expect(listed.find((r) => r.room.id === room.id)!.room.lastSeq).to.equal(4);
        const page = await store.messages.history(room.id, { latest: true, limit: 10 });
        expect(page.messages.map((m) => m.seq)).to.deep.equal([1, 2, 3, 4]);
      } finally {
        await store.close();
      }
      const after = new Database(file, { readonly: true });
      const columns = (after.prepare('PRAGMA table_info(rooms)').all() as Array<{ name: string }>).map((c) => c.name);
      after.close();
      expect(columns).not.to.include('last_seq');
    } finally {
      dir.remove();
    }
  });
});
