import { expect } from 'chai';
import { activeRoom, api, register, type Session } from '../helpers/clients.js';
import { contractBody, Lifecycle } from '../helpers/lifecycle.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { LifecycleService } from '../../server/lifecycle/service.js';

const STAGE_LABEL: Record<string, string> = { initiation: 'Initiation', cultivation: 'Cultivation', separation: 'Separation', redefinition: 'Redefinition' };

describe('record of achievement', () => {
  let server: TestServer;
  let mentor: Session;
  let mentee: Session;
  let room: any;
  let life: Lifecycle;

  beforeEach(async () => {
    server = await startServer();
    mentor = await register(server.url, 'Mentor Ada');
    mentee = await register(server.url, 'Mentee Bo');
    room = await activeRoom(server.url, mentor, mentee);
    life = new Lifecycle(server.url, room.id);
  });
  afterEach(async () => server.stop());

  /** Through Redefinition, back to Cultivation with a new challenge, then a contract edit (v2). */
  async function fullJourney(): Promise<any> {
    await life.toRedefinition(mentor, mentee, 4);
    const back = Lifecycle.ok(await life.stage(mentee, 'cultivation', 'new challenge: lead the platform team'));
    const edited = contractBody(5, ['Goal 1', 'Goal 2', 'Goal 3', 'Hire two engineers', 'Run the platform roadmap']);
    edited.goals.slice(0, 3).forEach((g, i) => Object.assign(g, { id: back.contract.goals[i].id }));
    // Goal 4 is left out of v2: the record keeps it among the earlier goals.
    return Lifecycle.ok(await life.putContract(mentor, edited));
  }

  it('the JSON record holds every goal, its outcome, the versions and the stage history with durations, as stored', async () => {
    const roomNow = await fullJourney();
    const stored = (await life.room(mentee)).body.room;
    expect(stored.rev).to.equal(roomNow.rev);
    const res = await life.record(mentee);
    expect(res.status).to.equal(200);
    const record = res.body.record;

    expect(record).to.include({ roomId: room.id, status: 'active', stage: 'cultivation', startedAt: stored.acceptedAt, requestedAt: stored.createdAt });
    expect(record.mentor).to.deep.equal({ id: mentor.user.id, role: 'mentor', displayName: 'Mentor Ada' });
    expect(record.mentee).to.deep.equal({ id: mentee.user.id, role: 'mentee', displayName: 'Mentee Bo' });

    // Goals: exactly the stored ones with their outcomes and acknowledgements.
    expect(record.goals.map((g: any) => [g.id, g.title, g.outcome, g.acknowledgedBy])).to.deep.equal(
      stored.contract.goals.map((g: any) => [g.id, g.title, g.status, g.acknowledgedBy]),
    );
    expect(record.goals.map((g: any) => g.outcome)).to.deep.equal(['achieved', 'achieved', 'achieved', 'open', 'open']);
    // The cycle back started a new review: the previous review's acknowledgements were cleared.
    expect(record.goals[0].acknowledgedByRoles).to.deep.equal([]);
    expect(record.earlierGoals.map((g: any) => [g.title, g.outcome, g.lastVersion, g.acknowledgedByRoles.length])).to.deep.equal([['Goal 4', 'dropped', 1, 0]]);

    // Contract and versions.
    expect(record.contract).to.deep.equal(stored.contract);
    expect(record.contractVersions).to.deep.equal([...stored.contractHistory, stored.contract]);
    expect(record.contractVersions.map((c: any) => c.version)).to.deep.equal([1, 2]);

    // Stage history with durations: periods chain from the accept time through each stored change.
    expect(record.stages.history.map(({ from, to, by, at, note }: any) => ({ from, to, by, at, ...(note && { note }) }))).to.deep.equal(stored.stageHistory);
    const periods = record.stages.periods;
    expect(periods.map((p: any) => p.stage)).to.deep.equal(['initiation', 'cultivation', 'separation', 'redefinition', 'cultivation']);
    expect(periods[0].startedAt).to.equal(stored.acceptedAt);
    stored.stageHistory.forEach((c: any, i: number) => {
      expect(periods[i].endedAt).to.equal(c.at);
      expect(periods[i + 1].startedAt).to.equal(c.at);
      expect(periods[i].durationMs).to.equal(Date.parse(c.at) - Date.parse(periods[i].startedAt));
    });
    expect(periods.at(-1).endedAt).to.equal(null);
    expect(Date.parse(record.generatedAt) - Date.parse(periods.at(-1).startedAt)).to.equal(periods.at(-1).durationMs);
    const total = Object.values(record.stages.timeInStageMs as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(total).to.equal(Date.parse(record.generatedAt) - Date.parse(stored.acceptedAt));
    expect(record.stages.cycleBacks).to.equal(1);
    expect(record.stages.history.at(-1)).to.include({ cycleBack: true, byRole: 'mentee', note: 'new challenge: lead the platform team' });

    // An untouched roadmap, no growth threads, nothing failed.
    expect(record.roadmap).to.deep.equal({ done: 0, total: 0 });
    expect(record.highlights).to.deep.equal([]);
    expect(record.unavailable).to.deep.equal([]);
  });

  it('the Markdown record shows every goal and outcome, every version and each stage with its time', async () => {
    await fullJourney();
    const stored = (await life.room(mentor)).body.room;
    const res = await api(server.url, 'GET', `/api/rooms/${room.id}/record?format=md`, { token: mentor.token });
    expect(res.status).to.equal(200);
    const md: string = res.body;
    expect(md.startsWith(`# Record of achievement: ${room.title}`)).to.equal(true);
    for (const g of stored.contract.goals) expect(md).to.match(new RegExp(`\\| ${g.title} \\|[^\\n]*\\| ${g.status} \\|`));
    expect(md).to.match(/\| Goal 4 \|[^\n]*\| dropped \| — \| v1 \|/);
    expect(md).to.contain('## Contract v2').and.contain('| v1 |').and.contain('| v2 |');
    for (const c of stored.stageHistory) {
      expect(md).to.contain(`| ${STAGE_LABEL[c.from]} | `);
      expect(md).to.contain(`${c.at}: ${STAGE_LABEL[c.from]} → ${STAGE_LABEL[c.to]}`);
    }
    expect(md).to.match(/\| Cultivation \| [^|]+ \| now \| [^|]+ \|/);
    expect(md).to.contain('- Time in each stage: Initiation ').and.contain('- Cycle-backs: 1');
    expect(md).to.contain('(cycle-back): new challenge: lead the platform team');
  });

  it('is served as text/markdown, and an unknown format is INVALID_INPUT', async () => {
    const md = await fetch(`${server.url}/api/rooms/${room.id}/record?format=md`, { headers: { authorization: `Bearer ${mentee.token}` } });
    expect(md.headers.get('content-type')).to.match(/^text\/markdown; charset=utf-8/);
    const bad = await life.record(mentee, 'xml');
    expect(bad.status).to.equal(400);
    expect(bad.body.error.code).to.equal('INVALID_INPUT');
  });

  it('shows roadmap progress and growth-thread highlights when those sources are wired, and says which failed', async () => {
    const wired = new LifecycleService(server.store, server.services.rooms, { toUsers() {}, toRoom() {} }, {
      sources: {
        roadmapProgress: async (roomId) => (roomId === room.id ? { done: 2, total: 5 } : null),
        threadHighlights: async () => [{ threadId: 't1', entryId: 'e1', kind: 'breakthrough', threadTitle: 'First offer', excerpt: 'Signed!', createdAt: '2025-05-01T00:00:00.000Z' }],
      },
    });
    const record = await wired.record(mentee.user, room.id);
    expect(record.roadmap).to.deep.equal({ done: 2, total: 5 });
    expect(record.highlights.map((h) => h.threadTitle)).to.deep.equal(['First offer']);
    const md = await wired.recordMarkdown(mentee.user, room.id);
    expect(md).to.contain('2 of 5 milestones done (40%).').and.contain('[breakthrough] First offer: Signed!');

    const broken = new LifecycleService(server.store, server.services.rooms, { toUsers() {}, toRoom() {} }, {
      sources: {
        roadmapProgress: async () => {
          throw new Error('roadmap store down');
        },
        threadHighlights: async () => [],
      },
    });
    const partial = await broken.record(mentee.user, room.id);
    expect(partial.unavailable).to.deep.equal(['roadmap']);
    expect(partial.roadmap).to.equal(null);
    expect(partial.goals).to.deep.equal([]);
  });
});
