import { expect } from 'chai';
import { activeRoom, api, register } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('room requests: one open room per pair (issue 16)', function () {
  this.timeout(30_000);
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(async () => server.stop());

  const ask = (token: string, body: object) => api(server.url, 'POST', '/api/rooms', { token, body });

  it('a second request while one is pending is CONFLICT with the pending room id, from either side, and creates nothing', async () => {
    const mentor = await register(server.url, 'Mentor');
    const mentee = await register(server.url, 'Mentee');
    const first = await ask(mentee.token, { mentorId: mentor.user.id, focus: 'Staff promotion' });
    expect(first.status).to.equal(201);
    const again = await ask(mentee.token, { mentorId: mentor.user.id, focus: 'Staff promotion, again' });
    expect(again.status).to.equal(409);
    expect(again.body.error).to.deep.include({ code: 'CONFLICT', details: { roomId: first.body.room.id, status: 'pending' } });
    // The mentor inviting the same mentee is the same pair in the same roles.
    const mirrored = await ask(mentor.token, { menteeId: mentee.user.id, focus: 'Staff promotion' });
    expect(mirrored.body.error.details.roomId).to.equal(first.body.room.id);
    expect((await api(server.url, 'GET', '/api/rooms', { token: mentee.token })).body.rooms).to.have.length(1);
  });

  it('an active room refuses a new request; a declined one, or swapped roles, do not', async () => {
    const mentor = await register(server.url, 'Mentor');
    const mentee = await register(server.url, 'Mentee');
    const room = await activeRoom(server.url, mentor, mentee);
    const again = await ask(mentee.token, { mentorId: mentor.user.id, focus: 'More' });
    expect(again.body.error).to.deep.include({ code: 'CONFLICT', details: { roomId: room.id, status: 'active' } });
    // Roles swapped: a different mentorship.
    expect((await ask(mentee.token, { menteeId: mentor.user.id, focus: 'Reverse mentoring' })).status).to.equal(201);

    const other = await register(server.url, 'Other');
    const declined = await ask(mentee.token, { mentorId: other.user.id, focus: 'First try' });
    await api(server.url, 'POST', `/api/rooms/${declined.body.room.id}/decline`, { token: other.token });
    expect((await ask(mentee.token, { mentorId: other.user.id, focus: 'Second try' })).status).to.equal(201);
  });
});
