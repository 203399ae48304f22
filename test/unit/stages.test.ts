import { expect } from 'chai';
import { AppError } from '../../shared/errors.js';
import { STAGES, type Room, type Stage } from '../../shared/types.js';
import type { Guard } from '../../server/domain/guards.js';
import { changeStage, checkTransition, nextStage, TRANSITIONS } from '../../server/domain/stages.js';
import { contract, goal, MENTEE, MENTOR, readyRoom, room, STRANGER, T0 } from '../helpers/lifecycle-fixtures.js';

const AT = '2025-04-01T10:00:00.000Z';

/** The outcome of every (from, to) pair for a room that satisfies every guard (note given). */
const EXPECTED: Record<Stage, Record<Stage, 'allowed' | Guard>> = {
  initiation: { initiation: 'same-stage', cultivation: 'allowed', separation: 'transition-allowed', redefinition: 'transition-allowed' },
  cultivation: { initiation: 'transition-allowed', cultivation: 'same-stage', separation: 'allowed', redefinition: 'transition-allowed' },
  separation: { initiation: 'transition-allowed', cultivation: 'allowed', separation: 'same-stage', redefinition: 'allowed' },
  redefinition: { initiation: 'transition-allowed', cultivation: 'allowed', separation: 'transition-allowed', redefinition: 'same-stage' },
};

/** Runs nextStage and returns the GUARD_FAILED error it threw (fails the test when it did not throw). */
function refusal(r: Room, to: Stage, note?: string, by = MENTOR): AppError {
  try {
    nextStage(r, to, by, AT, note);
  } catch (err) {
    expect(err).to.be.instanceOf(AppError);
    return err as AppError;
  }
  throw new Error(`expected ${r.stage} → ${to} to be refused`);
}

function expectGuard(err: AppError, guard: Guard): void {
  expect(err.code).to.equal('GUARD_FAILED');
  expect(err.details).to.include({ guard });
  expect(err.message).to.contain(`(guard: ${guard})`);
}

describe('stage machine: every (from, to) pair', () => {
  it('the table covers 16 pairs: 5 allowed, 4 same-stage, 7 not transitions', () => {
    const outcomes = STAGES.flatMap((from) => STAGES.map((to) => EXPECTED[from][to]));
    expect(outcomes).to.have.length(16);
    expect(outcomes.filter((o) => o === 'allowed')).to.have.length(5);
    expect(outcomes.filter((o) => o === 'same-stage')).to.have.length(4);
    expect(outcomes.filter((o) => o === 'transition-allowed')).to.have.length(7);
    // The domain's own table allows exactly the pairs this test expects.
    for (const from of STAGES) for (const to of STAGES) expect(TRANSITIONS[from][to] !== undefined, `${from}→${to}`).to.equal(EXPECTED[from][to] === 'allowed');
  });

  for (const from of STAGES) {
    for (const to of STAGES) {
      const outcome = EXPECTED[from][to];
      if (outcome === 'allowed') {
        it(`${from} → ${to} is allowed when its guards hold, and is recorded`, () => {
          const before = readyRoom(from);
          const after = nextStage(before, to, MENTEE, AT, 'new challenge: lead a team');
          expect(after.stage).to.equal(to);
          expect(after.stageHistory).to.deep.equal([{ from, to, by: MENTEE, at: AT, note: 'new challenge: lead a team' }]);
          expect(after.updatedAt).to.equal(AT);
          expect(before.stage).to.equal(from); // pure: the input is untouched
        });
      } else {
        it(`${from} → ${to} is refused by guard ${outcome}`, () => {
          const err = refusal(readyRoom(from), to, 'new challenge: lead a team');
          expectGuard(err, outcome);
          expect(checkTransition(readyRoom(from), to, 'x')?.guard).to.equal(outcome);
        });
      }
    }
  }
});

describe('stage machine: guards of the allowed transitions', () => {
  it('initiation → cultivation without a contract fails contract-accepted', () => {
    expectGuard(refusal(room({ stage: 'initiation' }), 'cultivation'), 'contract-accepted');
  });

  it('initiation → cultivation names the side that has not accepted the version', () => {
    const r = room({ contract: contract({ version: 3, acceptedBy: [MENTEE] }) });
    const err = refusal(r, 'cultivation');
    expectGuard(err, 'contract-accepted');
    expect(err.message).to.contain('the mentor has not accepted contract v3');
    expect(err.details).to.deep.include({ missing: ['mentor'], version: 3 });
  });

  it('initiation → cultivation with no acceptance at all names both sides', () => {
    const err = refusal(room({ contract: contract() }), 'cultivation');
    expect(err.message).to.contain('neither the mentor nor the mentee has accepted contract v1');
    expect(err.details).to.deep.include({ missing: ['mentor', 'mentee'] });
  });

  it('cultivation → separation fails goals-closed and names each open goal', () => {
    const r = readyRoom('cultivation');
    r.contract!.goals[1] = goal('b', { title: 'Launch the MVP', status: 'open' });
    const err = refusal(r, 'separation');
    expectGuard(err, 'goals-closed');
    expect(err.message).to.contain("'Launch the MVP'");
    expect(err.details).to.deep.include({ open: ['b'] });
  });

  it('cultivation → separation fails contract-accepted while an edit awaits acceptance', () => {
    const r = readyRoom('cultivation');
    r.contract = { ...r.contract!, version: 2, acceptedBy: [MENTOR] };
    const err = refusal(r, 'separation');
    expectGuard(err, 'contract-accepted');
    expect(err.message).to.contain('the mentee has not accepted contract v2');
  });

  it('cultivation → separation passes with goals achieved or dropped', () => {
    const r = readyRoom('cultivation');
    r.contract!.goals[0] = goal('a', { status: 'dropped' });
    expect(nextStage(r, 'separation', MENTOR, AT).stage).to.equal('separation');
  });

  it('separation → redefinition fails goals-acknowledged and names goal and side', () => {
    const r = readyRoom('separation');
    r.contract!.goals[2] = goal('c', { title: 'Launch the MVP', status: 'achieved', acknowledgedBy: [MENTEE] });
    const err = refusal(r, 'redefinition');
    expectGuard(err, 'goals-acknowledged');
    expect(err.message).to.contain("goal 'Launch the MVP' not acknowledged by the mentor");
    expect(err.details).to.deep.include({ pending: [{ goalId: 'c', missing: ['mentor'] }] });
  });

  for (const from of ['separation', 'redefinition'] as const) {
    it(`${from} → cultivation (a cycle-back) fails cycle-back-note without a note or with a blank one`, () => {
      expectGuard(refusal(readyRoom(from), 'cultivation'), 'cycle-back-note');
      expectGuard(refusal(readyRoom(from), 'cultivation', '   '), 'cycle-back-note');
    });
  }

  for (const from of ['separation', 'redefinition'] as const) {
    it(`the cycle-back from ${from} keeps the contract, its acceptances and the goal outcomes, and clears every acknowledgement`, () => {
      const before = readyRoom(from);
      expect(before.contract!.goals.some((g) => g.acknowledgedBy.length > 0), 'fixture has acknowledgements').to.equal(true);
      const after = nextStage(before, 'cultivation', MENTOR, AT, 'new challenge: VP');
      const { goals, ...terms } = after.contract!;
      const { goals: beforeGoals, ...beforeTerms } = before.contract!;
      expect(terms).to.deep.equal(beforeTerms);
      expect(goals).to.deep.equal(beforeGoals.map((g) => ({ ...g, acknowledgedBy: [] })));
    });
  }

  it('after a cycle-back the next review needs both acknowledgements again', () => {
    const cycled = nextStage(readyRoom('redefinition'), 'cultivation', MENTEE, AT, 'new challenge: VP');
    const separated = nextStage(cycled, 'separation', MENTEE, AT);
    expectGuard(refusal(separated, 'redefinition', undefined, MENTEE), 'goals-acknowledged');
  });

  it('a move forward keeps the acknowledgements', () => {
    const before = readyRoom('separation');
    expect(nextStage(before, 'redefinition', MENTOR, AT).contract).to.deep.equal(before.contract);
  });

  it('no transition on a room that is not active: room-active comes first', () => {
    for (const status of ['pending', 'declined', 'closed'] as const) {
      expectGuard(refusal({ ...readyRoom('initiation'), status }, 'cultivation'), 'room-active');
      expectGuard(refusal({ ...readyRoom('initiation'), status }, 'initiation'), 'room-active');
    }
  });

  it('a stranger is FORBIDDEN before any guard is looked at', () => {
    const err = refusal(readyRoom('initiation'), 'cultivation', undefined, STRANGER);
    expect(err.code).to.equal('FORBIDDEN');
  });
});

describe('stage machine: timeline message', () => {
  it('changeStage keys the message by history length and says who moved where, with the note', () => {
    const first = changeStage(readyRoom('separation'), 'cultivation', MENTEE, AT, 'new challenge: hire a team');
    expect(first.message.key).to.equal('stage:1');
    expect(first.message.body).to.equal('The mentee cycled the mentorship back from Separation to Cultivation. Note: new challenge: hire a team');
    const second = changeStage(first.room, 'separation', MENTOR, T0);
    expect(second.message.key).to.equal('stage:2');
    expect(second.message.body).to.equal('The mentor moved the mentorship from Cultivation to Separation.');
    expect(second.room.stageHistory.map((c) => `${c.from}>${c.to}`)).to.deep.equal(['separation>cultivation', 'cultivation>separation']);
  });
});
