import { expect } from 'chai';
import { newId } from '../../../server/ids.js';
import type { Store } from '../../../server/store/port.js';
import type { ContractContext } from './fixtures.js';

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes)).toISOString();

/** Sessions and refresh tokens: part of the one store contract (test/store/contract.ts). */
export const sessionsContract = (ctx: ContractContext) =>
  describe('sessions', () => {
    let store: Store;
    beforeEach(() => {
      store = ctx.store;
    });

    const create = (userId: string, refreshHash = newId()) =>
      store.sessions.create({ id: newId(), userId, refreshHash, createdAt: at(0), expiresAt: at(60) });

    it('creates a live session and reads it back by id; an unknown id is null', async () => {
      const s = await create('u1');
      expect(await store.sessions.get(s.id)).to.deep.equal({ id: s.id, userId: 'u1', createdAt: at(0), expiresAt: at(60), revokedAt: null });
      expect(await store.sessions.get('nope')).to.equal(null);
    });

    it('rotates the current refresh token and moves the expiry; the next one rotates again', async () => {
      const s = await create('u1', 'h1');
      const first = await store.sessions.rotate('h1', 'h2', at(1), at(90));
      expect(first.kind).to.equal('rotated');
      expect(first.kind === 'rotated' && first.session.expiresAt).to.equal(at(90));
      expect((await store.sessions.get(s.id))!.expiresAt).to.equal(at(90));
      expect((await store.sessions.rotate('h2', 'h3', at(2), at(91))).kind).to.equal('rotated');
    });

    it('a rotated token presented again revokes its session (reuse), after which no token of it rotates', async () => {
      const s = await create('u1', 'h1');
      const other = await create('u1', 'o1');
      await store.sessions.rotate('h1', 'h2', at(1), at(90));
      const reuse = await store.sessions.rotate('h1', 'hx', at(2), at(91));
      expect(reuse.kind).to.equal('reused');
      expect((await store.sessions.get(s.id))!.revokedAt).to.equal(at(2));
      expect((await store.sessions.rotate('h2', 'h3', at(3), at(92))).kind).to.equal('refused');
      expect((await store.sessions.get(other.id))!.revokedAt).to.equal(null);
    });

    it('refuses an unknown token and an expired session', async () => {
      await create('u1', 'h1');
      expect((await store.sessions.rotate('unknown', 'x', at(1), at(90))).kind).to.equal('refused');
      expect((await store.sessions.rotate('h1', 'h2', at(60), at(120))).kind).to.equal('refused');
    });

    it('revoke is true once; revokeAllForUser skips the kept session and other users', async () => {
      const a = await create('u1');
      const b = await create('u1');
      const c = await create('u1');
      const d = await create('u2');
      expect(await store.sessions.revoke(a.id, at(1))).to.equal(true);
      expect(await store.sessions.revoke(a.id, at(2))).to.equal(false);
      expect((await store.sessions.get(a.id))!.revokedAt).to.equal(at(1));
      expect(await store.sessions.revokeAllForUser('u1', at(3), c.id)).to.deep.equal([b.id]);
      expect((await store.sessions.get(c.id))!.revokedAt).to.equal(null);
      expect((await store.sessions.get(d.id))!.revokedAt).to.equal(null);
    });

    it('deleteAllForUser removes the sessions and their tokens', async () => {
      const a = await create('u1', 'h1');
      const d = await create('u2', 'h9');
      await store.sessions.deleteAllForUser('u1');
      expect(await store.sessions.get(a.id)).to.equal(null);
      expect((await store.sessions.rotate('h1', 'h2', at(1), at(90))).kind).to.equal('refused');
      expect((await store.sessions.get(d.id))!.userId).to.equal('u2');
    });
  });
