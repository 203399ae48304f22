import { expect } from 'chai';
import type { PairTemplateRecord, Store } from '../../../server/store/port.js';
import type { ContractContext } from './fixtures.js';

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes)).toISOString();

const template = (id: string, pairKey: string, minutes: number, extra: Partial<PairTemplateRecord> = {}): PairTemplateRecord => ({
  id,
  pairKey,
  name: `Template ${id}`,
  description: '',
  title: 'Our roadmap',
  milestones: [
    { title: 'First step', notes: 'Notes with "quotes", a newline\nand ünïcode' },
    { title: 'Second step', notes: '' },
  ],
  createdBy: 'u1',
  createdAt: at(minutes),
  ...extra,
});

/** A pair's own roadmap templates: part of the one store contract (test/store/contract.ts). */
export const templatesContract = (ctx: ContractContext) =>
  describe('pair templates', () => {
    let store: Store;
    beforeEach(() => {
      store = ctx.store;
    });

    it('stores a template and reads it back whole by id; an unknown id is null', async () => {
      const t = template('t1', 'a:b', 1, { description: 'From our first year' });
      expect(await store.templates.create(t)).to.deep.equal(t);
      expect(await store.templates.get('t1')).to.deep.equal(t);
      expect(await store.templates.get('nope')).to.equal(null);
    });

    it("lists only the pair's templates, oldest first, and counts them", async () => {
      await store.templates.create(template('t2', 'a:b', 5));
      await store.templates.create(template('t1', 'a:b', 1));
      await store.templates.create(template('t3', 'a:c', 2));
      expect((await store.templates.listForPair('a:b')).map((t) => t.id)).to.deep.equal(['t1', 't2']);
      expect(await store.templates.countForPair('a:b')).to.equal(2);
      expect(await store.templates.countForPair('a:c')).to.equal(1);
      expect(await store.templates.listForPair('x:y')).to.deep.equal([]);
      expect(await store.templates.countForPair('x:y')).to.equal(0);
    });

    it('refuses a second template with the same id and keeps the first', async () => {
      await store.templates.create(template('t1', 'a:b', 1));
      let failed = false;
      try {
        await store.templates.create(template('t1', 'a:c', 2, { name: 'Other' }));
      } catch {
        failed = true;
      }
      expect(failed).to.equal(true);
      expect((await store.templates.get('t1'))!.name).to.equal('Template t1');
    });
  });
