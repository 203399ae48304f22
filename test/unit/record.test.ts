import { expect } from 'chai';
import { buildRecord, formatDuration, mdText, renderRecordMarkdown, stagePeriods } from '../../server/domain/record.js';
import type { Room, StageChange } from '../../shared/types.js';
import { contract, goal, MENTEE, MENTOR, room, T0 } from '../helpers/lifecycle-fixtures.js';

const H = 3_600_000;
const at = (hours: number) => new Date(Date.parse(T0) + hours * H).toISOString();
const step = (from: StageChange['from'], to: StageChange['to'], hours: number, by = MENTOR, note?: string): StageChange => ({
  from,
  to,
  by,
  at: at(hours),
  ...(note && { note }),
});

/** Accepted at T0; initiation 24 h, cultivation 48 h, separation 10 h, cycle back, cultivation 5 h, separation since. */
function journey(): Room {
  return room({
    stage: 'separation',
    stageHistory: [
      step('initiation', 'cultivation', 24),
      step('cultivation', 'separation', 72, MENTEE),
      step('separation', 'cultivation', 82, MENTOR, 'new challenge: | hire *two* engineers'),
      step('cultivation', 'separation', 87),
    ],
    contractHistory: [
      contract({ version: 1, goals: [goal('a', { title: 'Old goal' }), goal('b'), goal('c')], acceptedBy: [MENTEE] }),
      contract({ version: 2, goals: [goal('a', { title: 'Old goal', status: 'achieved', acknowledgedBy: [MENTOR] }), goal('b'), goal('c')], acceptedBy: [MENTOR, MENTEE] }),
    ],
    contract: contract({
      version: 3,
      acceptedBy: [MENTOR, MENTEE],
      goals: [
        goal('b', { title: 'Launch the MVP', status: 'achieved', acknowledgedBy: [MENTEE, MENTOR] }),
        goal('c', { status: 'dropped', acknowledgedBy: [MENTEE] }),
        goal('d', { status: 'achieved' }),
      ],
    }),
  });
}

describe('record of achievement', () => {
  it('stage periods run from the accept time through each transition to now', () => {
    const periods = stagePeriods(journey(), at(90));
    expect(periods.map((p) => [p.stage, p.durationMs / H, p.endedAt])).to.deep.equal([
      ['initiation', 24, at(24)],
      ['cultivation', 48, at(72)],
      ['separation', 10, at(82)],
      ['cultivation', 5, at(87)],
      ['separation', 3, null],
    ]);
    expect(periods[0]!.startedAt).to.equal(T0);
  });

  it('totals time per stage over all stays and counts cycle-backs', () => {
    const r = buildRecord({ room: journey(), names: { mentor: 'Ada', mentee: 'Bo' }, now: at(90), roadmap: null, highlights: [] });
    expect(r.stages.timeInStageMs).to.deep.equal({ initiation: 24 * H, cultivation: 53 * H, separation: 13 * H, redefinition: 0 });
    expect(r.stages.cycleBacks).to.equal(1);
    expect(r.stages.history.map((c) => [c.byRole, c.cycleBack])).to.deep.equal([
      ['mentor', false],
      ['mentee', false],
      ['mentor', true],
      ['mentor', false],
    ]);
    expect(r.startedAt).to.equal(T0);
  });

  it('holds every goal of the current contract with its outcome and acknowledgements, and goals removed earlier', () => {
    const r = buildRecord({ room: journey(), names: { mentor: 'Ada', mentee: 'Bo' }, now: at(90), roadmap: null, highlights: [] });
    expect(r.goals.map((g) => [g.id, g.outcome, g.acknowledgedByRoles])).to.deep.equal([
      ['b', 'achieved', ['mentee', 'mentor']],
      ['c', 'dropped', ['mentee']],
      ['d', 'achieved', []],
    ]);
    expect(r.earlierGoals.map((g) => [g.id, g.title, g.outcome, g.lastVersion])).to.deep.equal([['a', 'Old goal', 'achieved', 2]]);
    expect(r.contractVersions.map((c) => c.version)).to.deep.equal([1, 2, 3]);
    expect(r.contract!.version).to.equal(3);
  });

  it('a pending room has no periods and no start; a closed room stops counting when it closed', () => {
    const pending = buildRecord({ room: room({ status: 'pending', acceptedAt: undefined }), names: { mentor: 'A', mentee: 'B' }, now: at(5), roadmap: null, highlights: [] });
    expect(pending.stages.periods).to.deep.equal([]);
    expect(pending.startedAt).to.equal(null);
    const closed = stagePeriods(room({ status: 'closed', updatedAt: at(2) }), at(100));
    expect(closed).to.deep.equal([{ stage: 'initiation', startedAt: T0, endedAt: at(2), durationMs: 2 * H }]);
  });

  it('the Markdown tells the same facts, with user text escaped', () => {
    const r = buildRecord({
      room: journey(),
      names: { mentor: 'Ada <script>', mentee: 'Bo' },
      now: at(90),
      roadmap: { done: 3, total: 4 },
      highlights: [{ threadId: 't', entryId: 'e', kind: 'breakthrough', threadTitle: 'First offer', excerpt: 'Got it', createdAt: at(80) }],
    });
    const md = renderRecordMarkdown(r);
    expect(md).to.contain('# Record of achievement: Land a Director role');
    expect(md).to.contain('| Launch the MVP | count | 1 | 2025-06-01 | achieved | Bo (mentee), Ada \\<script\\> (mentor) |');
    expect(md).to.contain('| Goal c | count | 1 | 2025-06-01 | dropped | Bo (mentee) |');
    expect(md).to.contain('| Goal d | count | 1 | 2025-06-01 | achieved | — |');
    expect(md).to.contain('| Old goal | count | 1 | 2025-06-01 | achieved | Ada \\<script\\> (mentor) | v2 |');
    expect(md).to.contain(`| Cultivation | ${at(24)} | ${at(72)} | 2 d 0 h |`);
    expect(md).to.contain('- Time in each stage: Initiation 1 d 0 h · Cultivation 2 d 5 h · Separation 13 h 0 min · Redefinition —');
    expect(md).to.contain('- Cycle-backs: 1');
    expect(md).to.contain('(cycle-back): new challenge: \\| hire \\*two\\* engineers');
    expect(md).to.contain('3 of 4 milestones done (75%).');
    expect(md).to.contain('[breakthrough] First offer: Got it');
    expect(md).to.not.contain('<script>');
    for (const v of [1, 2, 3]) expect(md).to.contain(`| v${v} |`);
  });

  it('formats durations and escapes markup', () => {
    expect([0, 59_000, 12 * 60_000, 2 * H + 5 * 60_000, 76 * H].map(formatDuration)).to.deep.equal(['< 1 min', '< 1 min', '12 min', '2 h 5 min', '3 d 4 h']);
    expect(mdText('a|b\n*c* [x](y)')).to.equal('a\\|b \\*c\\* \\[x\\](y)');
  });
});
