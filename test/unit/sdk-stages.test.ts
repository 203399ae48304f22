import { expect } from 'chai';
import { STAGE_MOVES, movesFor } from '../../client/src/sdk/stages.js';
import { TRANSITIONS } from '../../server/domain/stages.js';
import { STAGES } from '../../shared/types.js';

describe('sdk stage moves', () => {
  it('offers exactly the transitions the server allows, with a note where the server guards on one', () => {
    for (const from of STAGES) {
      const server = Object.entries(TRANSITIONS[from]).map(([to, guards]) => ({ to, needsNote: guards!.includes('cycle-back-note') }));
      expect([...STAGE_MOVES[from]].sort((a, b) => a.to.localeCompare(b.to)), from).to.deep.equal(server.sort((a, b) => a.to.localeCompare(b.to)));
    }
  });

  it('offers no move unless the room is active', () => {
    expect(movesFor({ status: 'pending', stage: 'initiation' })).to.deep.equal([]);
    expect(movesFor({ status: 'closed', stage: 'cultivation' })).to.deep.equal([]);
    expect(movesFor({ status: 'active', stage: 'separation' }).map((m) => m.to)).to.deep.equal(['redefinition', 'cultivation']);
  });
});
