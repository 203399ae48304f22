/** The per-node view counts behind "who shows this room" (server/scale/presence.ts). */
import { expect } from 'chai';
import { LocalCounts, MemoryPresence, viewKey } from '../../server/scale/presence.js';

describe('presence: view counts', () => {
  it('counts each socket showing a room and moves a view from one room to another', () => {
    const counts = new LocalCounts();
    expect(counts.moveView('u', null, 'r1')).to.deep.equal([[viewKey('r1', 'u'), 1]]);
    expect(counts.moveView('u', null, 'r1')).to.deep.equal([[viewKey('r1', 'u'), 2]]);
    expect(counts.moveView('u', 'r1', 'r2')).to.deep.equal([
      [viewKey('r1', 'u'), 1],
      [viewKey('r2', 'u'), 1],
    ]);
    expect(counts.isViewing('r1', 'u')).to.equal(true);
    expect(counts.moveView('u', 'r1', null)).to.deep.equal([[viewKey('r1', 'u'), 0]]);
    expect(counts.isViewing('r1', 'u')).to.equal(false);
    expect(counts.allViews()).to.deep.equal([[viewKey('r2', 'u'), 1]]);
  });

  it('a repeated view of the same room changes nothing, and a count never goes below zero', () => {
    const counts = new LocalCounts();
    counts.moveView('u', null, 'r');
    expect(counts.moveView('u', 'r', 'r')).to.deep.equal([]);
    counts.moveView('u', 'r', null);
    expect(counts.moveView('u', 'r', null)).to.deep.equal([[viewKey('r', 'u'), 0]]);
    expect(counts.allViews()).to.deep.equal([]);
  });

  it('MemoryPresence answers which of the users show the room', async () => {
    const presence = new MemoryPresence();
    await presence.viewing('a', null, 'r');
    await presence.viewing('b', null, 'other');
    expect([...(await presence.viewers('r', ['a', 'b', 'c']))]).to.deep.equal(['a']);
  });
});
