import { expect } from 'chai';
import { Id } from '../../shared/schemas/common.js';
import { newId, newSortableId } from '../../server/ids.js';

describe('ids', () => {
  it('random ids are 22 url-safe chars and do not repeat across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(newId()); // 2000 × 16 bytes: several refills of the 4 KiB pool
    expect(seen.size).to.equal(2000);
    for (const id of seen) expect(Id.safeParse(id).success && id.length === 22, id).to.equal(true);
  });

  it('sortable ids are valid ids that sort by creation time', async () => {
    const first = newSortableId();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = Array.from({ length: 500 }, newSortableId);
    expect(new Set(later).size).to.equal(500);
    for (const id of later) {
      expect(Id.safeParse(id).success && id.length === 22, id).to.equal(true);
      expect(first < id, `${first} < ${id}`).to.equal(true);
      expect(Buffer.compare(Buffer.from(first), Buffer.from(id))).to.equal(-1); // SQLite's BINARY order too
    }
  });
});
