import { expect } from 'chai';
import { AppError } from '../../shared/errors.js';
import { ContractIn, GoalPatchIn, MentorQuery, StageChangeIn } from '../../shared/schemas/contract.js';
import type { Room } from '../../shared/types.js';
import { acceptContract, editContract, patchGoal } from '../../server/domain/contract.js';
import { contract, contractIn, goal, idSource, MENTEE, MENTOR, readyRoom, room, STRANGER, T0 } from '../helpers/lifecycle-fixtures.js';

const AT = '2025-04-01T10:00:00.000Z';

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected an AppError');
}

const guardOf = (err: AppError) => (err.details as { guard?: string } | undefined)?.guard;

describe('contract schema', () => {
  it('accepts 3 to 5 goals and refuses 2 and 6', () => {
    for (const n of [3, 4, 5]) expect(ContractIn.safeParse(contractIn(n)).success, `${n} goals`).to.equal(true);
    for (const n of [0, 2, 6]) expect(ContractIn.safeParse(contractIn(n)).success, `${n} goals`).to.equal(false);
  });

  it('refuses unknown fields, duplicate goal titles, bad dates and bad cadences', () => {
    expect(ContractIn.safeParse({ ...contractIn(3), acceptedBy: ['x'] }).success).to.equal(false);
    const dup = contractIn(3);
    dup.goals[1]!.title = 'goal 1';
    expect(ContractIn.safeParse(dup).success).to.equal(false);
    expect(ContractIn.safeParse(contractIn(3, { reviewAt: '2025-02-30' })).success).to.equal(false);
    expect(ContractIn.safeParse(contractIn(3, { cadence: { every: 'weekly', channel: 'video' } })).success).to.equal(false);
    expect(ContractIn.safeParse(contractIn(3, { groundRules: [] })).success).to.equal(false);
    expect(ContractIn.safeParse(contractIn(3, { channels: ['x'.repeat(101)] })).success).to.equal(false);
  });

  it('goal patch needs status or acknowledge, and acknowledge can only be true', () => {
    expect(GoalPatchIn.safeParse({}).success).to.equal(false);
    expect(GoalPatchIn.safeParse({ acknowledge: false }).success).to.equal(false);
    expect(GoalPatchIn.safeParse({ status: 'done' }).success).to.equal(false);
    expect(GoalPatchIn.safeParse({ status: 'achieved', acknowledge: true }).success).to.equal(true);
  });

  it('stage change names a real stage; mentor query treats empty values as absent and lower-cases the skill', () => {
    expect(StageChangeIn.safeParse({ to: 'closure' }).success).to.equal(false);
    expect(StageChangeIn.safeParse({ to: 'cultivation', note: '' }).success).to.equal(false);
    expect(MentorQuery.parse({ q: '', skill: ' TypeScript ', limit: '5' })).to.deep.equal({ q: undefined, skill: 'typescript', limit: 5 });
    expect(MentorQuery.safeParse({ limit: '500' }).success).to.equal(false);
  });
});

describe('contract: drafting and editing', () => {
  it('the first draft is v1 with new open goals, no acceptances and a timeline message', () => {
    const change = editContract(room(), MENTEE, contractIn(4), AT, idSource())!;
    const c = change.room.contract!;
    expect(c.version).to.equal(1);
    expect(c.goals.map((g) => [g.id, g.status, g.acknowledgedBy.length])).to.deep.equal([
      ['g1', 'open', 0],
      ['g2', 'open', 0],
      ['g3', 'open', 0],
      ['g4', 'open', 0],
    ]);
    expect(c).to.include({ updatedAt: AT, updatedBy: MENTEE, reviewAt: '2025-09-01' });
    expect(c.acceptedBy).to.deep.equal([]);
    expect(change.room.contractHistory).to.deep.equal([]);
    expect(change.message).to.deep.equal({ key: 'contract:v1', body: 'The mentee drafted contract v1: 4 goals, review on 2025-09-01. Both sides need to accept it.' });
  });

  it('an edit after acceptance bumps the version, clears acceptances and keeps the old version in history', () => {
    const accepted = room({ contract: contract({ acceptedBy: [MENTOR, MENTEE], version: 2 }), contractHistory: [contract()] });
    const input = contractIn(3, { reviewAt: '2025-10-01' });
    input.goals = accepted.contract!.goals.map((g) => ({ id: g.id, title: g.title, metric: g.metric, target: g.target, dueDate: g.dueDate }));
    const change = editContract(accepted, MENTOR, input, AT, idSource())!;
    expect(change.room.contract).to.include({ version: 3, updatedBy: MENTOR });
    expect(change.room.contract!.acceptedBy).to.deep.equal([]);
    expect(change.room.contractHistory.map((c) => c.version)).to.deep.equal([1, 2]);
    expect(change.room.contractHistory[1]!.acceptedBy).to.deep.equal([MENTOR, MENTEE]);
    expect(change.message.key).to.equal('contract:v3');
    expect(change.message.body).to.contain('review date 2025-09-01 → 2025-10-01').and.contain('both sides need to accept v3');
  });

  it('re-sending the same terms is a no-op, not a new version', () => {
    const first = editContract(room(), MENTEE, contractIn(3), AT, idSource())!;
    expect(editContract(first.room, MENTOR, contractIn(3), AT, idSource('x'))).to.equal(null);
  });

  it('a kept goal keeps its id and status; a reworded one loses its acknowledgements; a new one starts open', () => {
    const r = room({
      stage: 'cultivation',
      contract: contract({
        goals: [
          goal('a', { title: 'Ship', status: 'achieved', acknowledgedBy: [MENTOR] }),
          goal('b', { title: 'Hire', status: 'dropped', acknowledgedBy: [MENTEE] }),
          goal('c', { title: 'Write', status: 'open' }),
        ],
      }),
    });
    const input = contractIn(3);
    input.goals = [
      { id: 'a', title: 'Ship', metric: 'count', target: '1', dueDate: '2025-06-01' },
      { id: 'b', title: 'Hire two', metric: 'count', target: '1', dueDate: '2025-06-01' },
      { title: 'Speak at a meetup', metric: 'talks', target: '1', dueDate: '2025-07-01' },
    ];
    const goals = editContract(r, MENTEE, input, AT, idSource('n'))!.room.contract!.goals;
    expect(goals.map((g) => [g.id, g.status, g.acknowledgedBy])).to.deep.equal([
      ['a', 'achieved', [MENTOR]],
      ['b', 'dropped', []],
      ['n1', 'open', []],
    ]);
  });

  it('a goal sent without id but with a current title keeps that goal (ids are optional)', () => {
    const r = room({ contract: contract({ goals: [goal('a', { title: 'Ship' }), goal('b'), goal('c')] }) });
    const input = contractIn(3);
    input.goals[0]!.title = 'ship';
    const goals = editContract(r, MENTEE, input, AT, idSource('n'))!.room.contract!.goals;
    expect(goals[0]!.id).to.equal('a');
    expect(goals[0]!.title).to.equal('ship');
  });

  it('an id that is not in the current contract is INVALID_INPUT', () => {
    const input = contractIn(3);
    input.goals[0]!.id = 'nope';
    expect(thrown(() => editContract(room({ contract: contract() }), MENTEE, input, AT, idSource())).code).to.equal('INVALID_INPUT');
  });

  it('a new or changed review date in the past is INVALID_INPUT; an unchanged one is kept', () => {
    expect(thrown(() => editContract(room(), MENTEE, contractIn(3, { reviewAt: '2025-03-31' }), AT, idSource())).code).to.equal('INVALID_INPUT');
    const r = room({ contract: contract({ reviewAt: '2025-03-15' }) });
    const change = editContract(r, MENTEE, contractIn(4, { reviewAt: '2025-03-15' }), AT, idSource());
    expect(change!.room.contract!.reviewAt).to.equal('2025-03-15');
  });

  it('a new or re-dated goal due in the past is INVALID_INPUT naming the field; a kept goal whose date passed stays', () => {
    const input = contractIn(3);
    input.goals[1]!.dueDate = '2020-01-01';
    const err = thrown(() => editContract(room(), MENTEE, input, AT, idSource()));
    expect(err.code).to.equal('INVALID_INPUT');
    expect(err.details).to.deep.equal([{ path: 'goals.1.dueDate', message: 'in the past' }]);
    // Goal a fell due on 2025-03-15; an edit of the other terms keeps it.
    const r = room({ contract: contract({ goals: [goal('a', { dueDate: '2025-03-15' }), goal('b'), goal('c')] }) });
    const kept = contractIn(3);
    kept.goals = r.contract!.goals.map((g) => ({ id: g.id, title: g.title, metric: g.metric, target: g.target, dueDate: g.dueDate }));
    kept.groundRules = ['Be early'];
    expect(editContract(r, MENTEE, kept, AT, idSource())!.room.contract!.goals[0]!.dueDate).to.equal('2025-03-15');
    kept.goals[0]!.dueDate = '2025-03-20';
    expect(thrown(() => editContract(r, MENTEE, kept, AT, idSource())).details).to.deep.equal([{ path: 'goals.0.dueDate', message: 'in the past' }]);
  });

  it('edits happen in Initiation and Cultivation only, on an active room, by a member', () => {
    for (const stage of ['separation', 'redefinition'] as const) {
      const err = thrown(() => editContract(readyRoom(stage), MENTOR, contractIn(3), AT, idSource()));
      expect(guardOf(err)).to.equal('contract-editable');
      expect(err.message).to.contain('(guard: contract-editable)');
    }
    expect(guardOf(thrown(() => editContract(room({ status: 'pending' }), MENTOR, contractIn(3), AT, idSource())))).to.equal('room-active');
    expect(thrown(() => editContract(room(), STRANGER, contractIn(3), AT, idSource())).code).to.equal('FORBIDDEN');
    expect(editContract(room({ stage: 'cultivation' }), MENTOR, contractIn(3), AT, idSource())).to.not.equal(null);
  });
});

describe('contract: acceptance', () => {
  const drafted = (): Room => room({ contract: contract({ version: 2 }) });

  it('each side accepts for itself; the message says who is still missing', () => {
    const one = acceptContract(drafted(), MENTEE, AT)!;
    expect(one.room.contract!.acceptedBy).to.deep.equal([MENTEE]);
    expect(one.message).to.deep.equal({ key: 'contract:v2:accept', body: 'The mentee accepted contract v2. Waiting for the mentor.' });
    const both = acceptContract(one.room, MENTOR, AT)!;
    expect(both.room.contract!.acceptedBy).to.deep.equal([MENTEE, MENTOR]);
    expect(both.message.body).to.equal('The mentor accepted contract v2. Both sides have accepted it.');
  });

  it('accepting twice is a no-op: the mentee cannot stand in for the mentor', () => {
    const once = acceptContract(drafted(), MENTEE, AT)!;
    expect(acceptContract(once.room, MENTEE, AT)).to.equal(null);
  });

  it('accepting a version that is no longer current is CONFLICT; the current one is fine', () => {
    const err = thrown(() => acceptContract(drafted(), MENTEE, AT, 1));
    expect(err.code).to.equal('CONFLICT');
    expect(err.details).to.deep.equal({ version: 2 });
    expect(acceptContract(drafted(), MENTEE, AT, 2)).to.not.equal(null);
  });

  it('there must be a contract, the room active and the caller a member', () => {
    expect(guardOf(thrown(() => acceptContract(room(), MENTEE, AT)))).to.equal('contract-exists');
    expect(guardOf(thrown(() => acceptContract({ ...drafted(), status: 'closed' }, MENTEE, AT)))).to.equal('room-active');
    expect(thrown(() => acceptContract(drafted(), STRANGER, AT)).code).to.equal('FORBIDDEN');
  });
});

describe('goals: outcome and acknowledgement', () => {
  const cultivating = (): Room => room({ stage: 'cultivation', contract: contract({ acceptedBy: [MENTOR, MENTEE], goals: [goal('a', { title: 'Launch the MVP' }), goal('b'), goal('c')] }) });

  it('setting an outcome in Cultivation does not touch the contract version or acceptances', () => {
    const change = patchGoal(cultivating(), MENTEE, 'a', { status: 'achieved' }, AT)!;
    const c = change.room.contract!;
    expect(c.goals[0]!.status).to.equal('achieved');
    expect(c).to.include({ version: 1, updatedAt: T0 });
    expect(c.acceptedBy).to.deep.equal([MENTOR, MENTEE]);
    expect(change.message).to.deep.equal({ key: 'goal:a:r2', body: "The mentee marked goal 'Launch the MVP' achieved." });
  });

  it('the same outcome again is a no-op', () => {
    expect(patchGoal(cultivating(), MENTEE, 'a', { status: 'open' }, AT)).to.equal(null);
  });

  it('outcomes are refused in Initiation and Redefinition', () => {
    for (const stage of ['initiation', 'redefinition'] as const) {
      const err = thrown(() => patchGoal({ ...cultivating(), stage }, MENTOR, 'a', { status: 'achieved' }, AT));
      expect(guardOf(err)).to.equal('goal-status-stage');
    }
  });

  it('in Separation an outcome may switch between achieved and dropped (clearing acknowledgements) but not reopen', () => {
    const sep = readyRoom('separation');
    const switched = patchGoal(sep, MENTOR, 'a', { status: 'dropped' }, AT)!;
    expect(switched.room.contract!.goals[0]).to.include({ status: 'dropped' });
    expect(switched.room.contract!.goals[0]!.acknowledgedBy).to.deep.equal([]);
    expect(guardOf(thrown(() => patchGoal(sep, MENTOR, 'a', { status: 'open' }, AT)))).to.equal('separation-goals-closed');
  });

  it('acknowledging happens in Separation only, once per side, for closed goals', () => {
    expect(guardOf(thrown(() => patchGoal(cultivating(), MENTOR, 'a', { acknowledge: true }, AT)))).to.equal('acknowledge-stage');
    const sep = readyRoom('separation');
    sep.contract!.goals = sep.contract!.goals.map((g) => ({ ...g, acknowledgedBy: [] }));
    const mine = patchGoal(sep, MENTOR, 'a', { acknowledge: true }, AT)!;
    expect(mine.room.contract!.goals[0]!.acknowledgedBy).to.deep.equal([MENTOR]);
    expect(mine.message.body).to.equal("The mentor acknowledged goal 'Goal a' as achieved.");
    expect(patchGoal(mine.room, MENTOR, 'a', { acknowledge: true }, AT)).to.equal(null);
    const open = readyRoom('separation');
    open.contract!.goals[0] = goal('a');
    expect(guardOf(thrown(() => patchGoal(open, MENTOR, 'a', { acknowledge: true }, AT)))).to.equal('goal-closed');
  });

  it('status and acknowledge in one patch: the new outcome is acknowledged', () => {
    const change = patchGoal(readyRoom('separation'), MENTEE, 'b', { status: 'dropped', acknowledge: true }, AT)!;
    expect(change.room.contract!.goals[1]).to.deep.include({ status: 'dropped', acknowledgedBy: [MENTEE] });
  });

  it('an unknown goal is NOT_FOUND and a stranger FORBIDDEN', () => {
    expect(thrown(() => patchGoal(cultivating(), MENTOR, 'zzz', { status: 'achieved' }, AT)).code).to.equal('NOT_FOUND');
    expect(thrown(() => patchGoal(cultivating(), STRANGER, 'a', { status: 'achieved' }, AT)).code).to.equal('FORBIDDEN');
  });
});
