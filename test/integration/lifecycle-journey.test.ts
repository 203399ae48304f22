import { expect } from 'chai';
import type { Socket } from 'socket.io-client';
import { api, collect, connect, eventually, register, type Session } from '../helpers/clients.js';
import { contractBody, Lifecycle } from '../helpers/lifecycle.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** The error body of a refused call, after checking its status and code. */
function refused(res: { status: number; body: any }, status: number, code: string): { code: string; message: string; details?: any } {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  expect(res.body.error.code).to.equal(code);
  return res.body.error;
}

describe('mentorship lifecycle: the whole journey as two real users', () => {
  let server: TestServer;
  let mentor: Session;
  let mentee: Session;
  const sockets: Socket[] = [];

  beforeEach(async () => {
    server = await startServer();
    mentor = await register(server.url, 'Mentor');
    mentee = await register(server.url, 'Mentee');
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await server.stop();
  });

  it('request → accept → contract (2 and 6 goals refused, 4 kept) → acceptances → every stage, with guards naming what is missing', async () => {
    // Both members watch the room from their own devices.
    const mentorSocket = await connect(server.url, mentor.token);
    const menteeSocket = await connect(server.url, mentee.token);
    sockets.push(mentorSocket, menteeSocket);
    const seen = {
      mentor: { messages: collect(mentorSocket, 'message:new'), rooms: collect(mentorSocket, 'room:updated') },
      mentee: { messages: collect(menteeSocket, 'message:new'), rooms: collect(menteeSocket, 'room:updated') },
    };

    // The mentee asks for a mentor with a focus; the mentor accepts: an active room in Initiation.
    const requested = await api(server.url, 'POST', '/api/rooms', { token: mentee.token, body: { mentorId: mentor.user.id, focus: 'Land a Director role' } });
    expect(requested.status).to.equal(201);
    const roomId: string = requested.body.room.id;
    const accepted = Lifecycle.ok(await api(server.url, 'POST', `/api/rooms/${roomId}/accept`, { token: mentor.token }));
    expect(accepted).to.include({ status: 'active', stage: 'initiation', focus: 'Land a Director role' });
    expect(accepted.acceptedAt).to.be.a('string');
    const life = new Lifecycle(server.url, roomId);
    expect((await life.room(mentee)).body.nextSteps[0]).to.match(/^contract needs 3 more goals/);

    // 2 goals and 6 goals are INVALID_INPUT and store nothing; 4 goals make v1.
    const tooFew = refused(await life.putContract(mentee, contractBody(2)), 400, 'INVALID_INPUT');
    expect(JSON.stringify(tooFew.details)).to.contain('goals');
    refused(await life.putContract(mentee, contractBody(6)), 400, 'INVALID_INPUT');
    expect((await life.room(mentee)).body.room.contract).to.equal(null);
    const titles = ['Launch the MVP', 'Run 5 mock interviews', 'Lead a cross-team project', 'Publish a strategy memo'];
    const v1 = Lifecycle.ok(await life.putContract(mentee, contractBody(4, titles)));
    expect(v1.contract.version).to.equal(1);
    expect(v1.contract.goals.map((g: any) => [g.title, g.status])).to.deep.equal(titles.map((t) => [t, 'open']));
    const goalIds: string[] = v1.contract.goals.map((g: any) => g.id);
    const idOf = (title: string) => goalIds[titles.indexOf(title)]!;

    // One side accepts; Cultivation is refused and the refusal names the missing acceptance.
    expect(Lifecycle.ok(await life.accept(mentee, { version: 1 })).contract.acceptedBy).to.deep.equal([mentee.user.id]);
    expect((await life.room(mentor)).body.nextSteps).to.include('mentor has not accepted v1');
    const notYet = refused(await life.stage(mentee, 'cultivation'), 409, 'GUARD_FAILED');
    expect(notYet.details.guard).to.equal('contract-accepted');
    expect(notYet.message).to.contain('the mentor has not accepted contract v1').and.contain('(guard: contract-accepted)');
    expect(notYet.details.missing).to.deep.equal(['mentor']);

    // Both accept; Cultivation.
    expect(Lifecycle.ok(await life.accept(mentor)).contract.acceptedBy).to.deep.equal([mentee.user.id, mentor.user.id]);
    expect(Lifecycle.ok(await life.stage(mentor, 'cultivation')).stage).to.equal('cultivation');

    // Separation is refused until every goal is achieved or dropped.
    Lifecycle.ok(await life.goal(mentee, idOf('Launch the MVP'), { status: 'achieved' }));
    Lifecycle.ok(await life.goal(mentor, idOf('Run 5 mock interviews'), { status: 'achieved' }));
    Lifecycle.ok(await life.goal(mentee, idOf('Lead a cross-team project'), { status: 'dropped' }));
    const stillOpen = refused(await life.stage(mentee, 'separation'), 409, 'GUARD_FAILED');
    expect(stillOpen.details.guard).to.equal('goals-closed');
    expect(stillOpen.message).to.contain("'Publish a strategy memo'");
    expect((await life.room(mentee)).body.nextSteps).to.include.members([`goal 'Publish a strategy memo' is open (due in 13 days)`]);
    Lifecycle.ok(await life.goal(mentee, idOf('Publish a strategy memo'), { status: 'achieved' }));
    expect(Lifecycle.ok(await life.stage(mentee, 'separation')).stage).to.equal('separation');

    // Redefinition is refused until both sides acknowledge every goal (the formal review).
    for (const id of goalIds) Lifecycle.ok(await life.goal(mentee, id, { acknowledge: true }));
    for (const id of goalIds.slice(0, 3)) Lifecycle.ok(await life.goal(mentor, id, { acknowledge: true }));
    const review = refused(await life.stage(mentor, 'redefinition'), 409, 'GUARD_FAILED');
    expect(review.details.guard).to.equal('goals-acknowledged');
    expect(review.message).to.contain("goal 'Publish a strategy memo' not acknowledged by the mentor");
    expect((await life.room(mentor)).body.nextSteps).to.deep.equal(["mentor has not acknowledged goal 'Publish a strategy memo'"]);
    Lifecycle.ok(await life.goal(mentor, idOf('Publish a strategy memo'), { acknowledge: true }));
    expect(Lifecycle.ok(await life.stage(mentor, 'redefinition')).stage).to.equal('redefinition');

    // Cycling back to Cultivation needs a note.
    const noNote = refused(await life.stage(mentee, 'cultivation'), 409, 'GUARD_FAILED');
    expect(noNote.details.guard).to.equal('cycle-back-note');
    const back = Lifecycle.ok(await life.stage(mentee, 'cultivation', 'new challenge: lead the platform team'));
    expect(back.stage).to.equal('cultivation');
    expect(back.stageHistory.map((c: any) => [c.from, c.to, c.by === mentor.user.id ? 'mentor' : 'mentee', c.note ?? null])).to.deep.equal([
      ['initiation', 'cultivation', 'mentor', null],
      ['cultivation', 'separation', 'mentee', null],
      ['separation', 'redefinition', 'mentor', null],
      ['redefinition', 'cultivation', 'mentee', 'new challenge: lead the platform team'],
    ]);

    // Acceptance 3: each transition is a system message with a seq, on both members' sockets,
    // and a room:updated carrying the new stage; stored history has the same messages.
    const transitions = [
      ['Initiation', 'Cultivation'],
      ['Cultivation', 'Separation'],
      ['Separation', 'Redefinition'],
      ['Redefinition', 'Cultivation'],
    ];
    const history = await api(server.url, 'GET', `/api/rooms/${roomId}/messages?limit=200`, { token: mentor.token });
    const stored = (history.body.messages as any[]).filter((m) => m.kind === 'system' && /the mentorship/.test(m.body));
    expect(stored.map((m) => m.body.match(/from (\w+) to (\w+)/).slice(1))).to.deep.equal(transitions);
    expect(stored.at(-1).body).to.contain('Note: new challenge: lead the platform team');
    const seqs = stored.map((m) => m.seq);
    expect(seqs.every((s: unknown) => Number.isInteger(s))).to.equal(true);
    expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b));
    for (const side of [seen.mentor, seen.mentee]) {
      await eventually(() => {
        const live = side.messages.map((e: any) => e.message).filter((m: any) => m.kind === 'system' && /the mentorship/.test(m.body));
        expect(live.map((m: any) => [m.seq, m.id, m.body])).to.deep.equal(stored.map((m) => [m.seq, m.id, m.body]));
        const stages = side.rooms.map((e: any) => e.room).filter((r: any, i: number, all: any[]) => i === 0 || r.stage !== all[i - 1].stage);
        expect(stages.map((r: any) => r.stage)).to.deep.equal(['initiation', 'cultivation', 'separation', 'redefinition', 'cultivation']);
        expect(side.rooms.at(-1).room.rev).to.equal(back.rev);
      });
    }
    // Refused attempts left no trace: one message per change, and the room's rev counts the changes.
    const systemCount = (history.body.messages as any[]).filter((m) => m.kind === 'system').length;
    // accept + v1 + 2 acceptances + 4 outcomes + 8 acknowledgements + 4 transitions = 20
    expect(systemCount).to.equal(20);
    expect(history.body.messages.at(-1).seq).to.equal(20);
  });

  it('either side may start: the mentor invites a mentee, the mentee accepts into Initiation', async () => {
    const invited = await api(server.url, 'POST', '/api/rooms', { token: mentor.token, body: { menteeId: mentee.user.id, focus: 'Grow into staff engineer' } });
    expect(invited.status).to.equal(201);
    const room = Lifecycle.ok(await api(server.url, 'POST', `/api/rooms/${invited.body.room.id}/accept`, { token: mentee.token }));
    expect(room).to.include({ status: 'active', stage: 'initiation', mentorId: mentor.user.id, menteeId: mentee.user.id });
  });

  it('an edit after acceptance makes a new version that both must accept again', async () => {
    const room = Lifecycle.ok(
      await api(server.url, 'POST', `/api/rooms/${(await api(server.url, 'POST', '/api/rooms', { token: mentee.token, body: { mentorId: mentor.user.id, focus: 'x' } })).body.room.id}/accept`, {
        token: mentor.token,
      }),
    );
    const life = new Lifecycle(server.url, room.id);
    const v1 = Lifecycle.ok(await life.putContract(mentee, contractBody(3)));
    Lifecycle.ok(await life.accept(mentee));
    Lifecycle.ok(await life.accept(mentor));
    Lifecycle.ok(await life.stage(mentor, 'cultivation'));
    // Same body again: nothing changes.
    expect(Lifecycle.ok(await life.putContract(mentor, contractBody(3))).contract.version).to.equal(1);
    const edited = contractBody(4);
    edited.goals.slice(0, 3).forEach((g, i) => Object.assign(g, { id: v1.contract.goals[i].id }));
    const v2 = Lifecycle.ok(await life.putContract(mentor, edited));
    expect(v2.contract).to.include({ version: 2, updatedBy: mentor.user.id });
    expect(v2.contract.acceptedBy).to.deep.equal([]);
    expect(v2.contract.goals.slice(0, 3).map((g: any) => g.id)).to.deep.equal(v1.contract.goals.map((g: any) => g.id));
    expect(v2.contractHistory.map((c: any) => [c.version, c.acceptedBy.length])).to.deep.equal([[1, 2]]);
    expect((await life.room(mentee)).body.nextSteps.slice(0, 2)).to.deep.equal(['mentor has not accepted v2', 'mentee has not accepted v2']);
    // Accepting the stale version is a CONFLICT, so nobody agrees to terms they have not seen.
    refused(await life.accept(mentee, { version: 1 }), 409, 'CONFLICT');
  });
});
