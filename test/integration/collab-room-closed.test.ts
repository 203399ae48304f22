/** Issue 13: a room that was declined (or closed) left its open collab connections open. */
import { expect } from 'chai';
import { CollabClose } from '../../shared/events.js';
import { api, eventually, register } from '../helpers/clients.js';
import { openEditor, type Editor } from '../helpers/collab.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('collab: a room that stops admitting editors (issue 13)', () => {
  let server: TestServer;
  const editors: Editor[] = [];
  before(async () => (server = await startServer()));
  after(async () => {
    for (const e of editors.splice(0)) e.destroy();
    await server.stop();
  });

  it('closes every open connection with 4403 when the room is declined; other rooms stay open', async () => {
    const mentor = await register(server.url, 'Mentor');
    const mentee = await register(server.url, 'Mentee');
    const pending = (await api(server.url, 'POST', '/api/rooms', { token: mentee.token, body: { mentorId: mentor.user.id, focus: 'x' } })).body.room;
    const other = (await api(server.url, 'POST', '/api/rooms', { token: mentee.token, body: { mentorId: (await register(server.url, 'M2')).user.id, focus: 'y' } })).body.room;
    // Members may edit while the room is pending.
    const [a, b, c] = [openEditor(server.url, pending.id, mentee.token), openEditor(server.url, pending.id, mentor.token), openEditor(server.url, other.id, mentee.token)];
    editors.push(a, b, c);
    await Promise.all([a.synced, b.synced, c.synced]);

    const declined = await api(server.url, 'POST', `/api/rooms/${pending.id}/decline`, { token: mentor.token });
    expect(declined.status).to.equal(200);
    await eventually(() => {
      expect(a.closes.map((x) => x.code)).to.deep.equal([CollabClose.FORBIDDEN]);
      expect(b.closes.map((x) => x.code)).to.deep.equal([CollabClose.FORBIDDEN]);
    });
    expect(c.closes, 'another room of the same user stays connected').to.deep.equal([]);
    // The roadmap stays readable (read-only) over REST.
    expect((await api(server.url, 'GET', `/api/rooms/${pending.id}/roadmap`, { token: mentee.token })).status).to.equal(200);
  });
});
