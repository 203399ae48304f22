import { expect } from 'chai';
import { nextSteps, relativeDay } from '../../server/domain/next-steps.js';
import { contract, goal, MENTEE, MENTOR, readyRoom, room } from '../helpers/lifecycle-fixtures.js';

const NOW = '2025-08-20T15:30:00.000Z'; // review date 2025-09-01 is 12 days away

describe('next steps', () => {
  it('a pending request waits for the invited side', () => {
    expect(nextSteps(room({ status: 'pending', requestedBy: MENTEE }), NOW)).to.deep.equal(['mentor has not answered the mentorship request']);
    expect(nextSteps(room({ status: 'pending', requestedBy: MENTOR }), NOW)).to.deep.equal(['mentee has not answered the mentorship request']);
  });

  it('initiation without a contract says how many goals it needs', () => {
    const steps = nextSteps(room(), NOW);
    expect(steps).to.have.length(1);
    expect(steps[0]).to.match(/^contract needs 3 more goals: /);
  });

  it('a contract short of goals says exactly how many more', () => {
    const r = room({ contract: contract({ goals: [goal('a')] }) });
    expect(nextSteps(r, NOW)).to.include('contract needs 2 more goals');
  });

  it('initiation names the side that has not accepted this version, and the review date', () => {
    const r = room({ contract: contract({ version: 3, acceptedBy: [MENTOR] }) });
    expect(nextSteps(r, NOW)).to.deep.equal(['mentee has not accepted v3', 'review date in 12 days (2025-09-01)']);
  });

  it('initiation with both acceptances says the move to Cultivation is open', () => {
    const r = room({ contract: contract({ version: 2, acceptedBy: [MENTOR, MENTEE] }) });
    expect(nextSteps(r, NOW)).to.deep.equal(['review date in 12 days (2025-09-01)', 'contract v2 accepted by both: move to Cultivation']);
  });

  it('cultivation lists open goals with due dates, then the review', () => {
    const r = room({
      stage: 'cultivation',
      contract: contract({
        acceptedBy: [MENTOR, MENTEE],
        goals: [goal('a', { title: 'Launch the MVP', dueDate: '2025-08-17' }), goal('b', { status: 'achieved' }), goal('c', { title: 'Hire', dueDate: '2025-08-25' })],
      }),
    });
    expect(nextSteps(r, NOW)).to.deep.equal([
      "goal 'Launch the MVP' is open (overdue by 3 days)",
      "goal 'Hire' is open (due in 5 days)",
      'review date in 12 days (2025-09-01)',
    ]);
  });

  it('cultivation with every goal closed points at Separation; a passed review date says so', () => {
    const r = readyRoom('cultivation');
    expect(nextSteps(r, '2025-09-04T00:00:00Z')).to.deep.equal([
      'review date passed 3 days ago (2025-09-01): hold the review or move the date',
      'every goal is achieved or dropped: move to Separation for the review',
    ]);
  });

  it('separation names, once per side, the goals it still has to acknowledge', () => {
    const r = readyRoom('separation');
    r.contract!.goals[0] = goal('a', { title: 'Launch the MVP', status: 'achieved', acknowledgedBy: [MENTEE] });
    r.contract!.goals[1] = goal('b', { title: 'Hire', status: 'dropped', acknowledgedBy: [] });
    expect(nextSteps(r, NOW)).to.deep.equal([
      "mentor has not acknowledged 2 goals: 'Launch the MVP', 'Hire'",
      "mentee has not acknowledged goal 'Hire'",
    ]);
  });

  it('separation with every acknowledgement points at Redefinition', () => {
    expect(nextSteps(readyRoom('separation'), NOW)).to.deep.equal(['every goal acknowledged by both: move to Redefinition']);
  });

  it('redefinition offers the cycle-back; declined and closed rooms need nothing', () => {
    expect(nextSteps(readyRoom('redefinition'), NOW)[0]).to.contain('cycle back to Cultivation with a note');
    expect(nextSteps(room({ status: 'declined' }), NOW)).to.deep.equal([]);
    expect(nextSteps(room({ status: 'closed' }), NOW)).to.deep.equal([]);
  });

  it('relative days read naturally', () => {
    expect([2, 1, 0, -1, -4].map(relativeDay)).to.deep.equal(['in 2 days', 'tomorrow', 'today', 'yesterday', '4 days ago']);
  });
});
