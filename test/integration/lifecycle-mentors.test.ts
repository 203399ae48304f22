import { expect } from 'chai';
import { api, register, type Session } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('finding a mentor', () => {
  let server: TestServer;
  let ada: Session;
  let bo: Session;
  let cy: Session;
  let seeker: Session;

  const profile = (s: Session, body: unknown) => api(server.url, 'PATCH', '/api/me/profile', { token: s.token, body });
  const search = (query: string, s: Session = seeker) => api(server.url, 'GET', `/api/mentors${query}`, { token: s.token });
  const namesOf = (res: { body: any }) => res.body.mentors.map((m: any) => m.displayName);

  before(async () => {
    server = await startServer();
    // One after another: the list is in sign-up order.
    ada = await register(server.url, 'Ada Lovelace');
    bo = await register(server.url, 'Bo Chen');
    cy = await register(server.url, 'Cy Park');
    seeker = await register(server.url, 'Seeker');
    for (const [s, body] of [
      [ada, { bio: 'Former VP of Engineering at a fintech; I coach new managers.', expertise: ['Leadership', 'Hiring', 'leadership'], mentoring: true, timezone: 'Europe/London' }],
      [bo, { bio: 'Systems programming and compilers.', expertise: ['rust'], mentoring: true }],
      [cy, { bio: 'Engineering leadership at scale.', expertise: ['leadership'], mentoring: false }],
    ] as const) {
      expect((await profile(s, body)).status).to.equal(200);
    }
  });
  after(async () => server.stop());

  it('finds mentors by expertise tag, in any case, and never lists those with mentoring off', async () => {
    expect(namesOf(await search('?skill=leadership'))).to.deep.equal(['Ada Lovelace']);
    expect(namesOf(await search('?skill=LEADERSHIP'))).to.deep.equal(['Ada Lovelace']);
    expect(namesOf(await search('?skill=rust'))).to.deep.equal(['Bo Chen']);
    expect(namesOf(await search('?skill=lead'))).to.deep.equal([]);
  });

  it('finds mentors by words in the bio or the name', async () => {
    expect(namesOf(await search('?q=fintech'))).to.deep.equal(['Ada Lovelace']);
    expect(namesOf(await search('?q=Engineering'))).to.deep.equal(['Ada Lovelace']);
    expect(namesOf(await search('?q=compilers%20systems'))).to.deep.equal(['Bo Chen']);
    expect(namesOf(await search('?q=chen'))).to.deep.equal(['Bo Chen']);
    expect(namesOf(await search('?q=fintech&skill=rust'))).to.deep.equal([]);
    expect(namesOf(await search('?q='))).to.deep.equal(['Ada Lovelace', 'Bo Chen']);
  });

  it('turning mentoring off takes a mentor out of the list at once, and on brings them back', async () => {
    await profile(bo, { mentoring: false });
    expect(namesOf(await search(''))).to.deep.equal(['Ada Lovelace']);
    await profile(bo, { mentoring: true });
    expect(namesOf(await search(''))).to.deep.equal(['Ada Lovelace', 'Bo Chen']);
  });

  it('pages with nextCursor and shows only public profile fields', async () => {
    const first = await search('?limit=1');
    expect(namesOf(first)).to.deep.equal(['Ada Lovelace']);
    expect(first.body.nextCursor).to.be.a('string');
    const second = await search(`?limit=1&cursor=${first.body.nextCursor}`);
    expect(namesOf(second)).to.deep.equal(['Bo Chen']);
    expect(second.body.nextCursor).to.equal(null);
    const [mentor] = first.body.mentors;
    expect(mentor).to.have.all.keys('id', 'displayName', 'profile', 'createdAt');
    expect(mentor.profile).to.deep.equal({
      bio: 'Former VP of Engineering at a fintech; I coach new managers.',
      expertise: ['leadership', 'hiring'],
      mentoring: true,
      timezone: 'Europe/London',
    });
    expect(JSON.stringify(first.body)).to.not.contain('@example.test');
  });

  it('refuses bad queries and anonymous callers', async () => {
    for (const query of ['?limit=0', '?limit=51', '?cursor=***', '?cursor=bm9wZQ', '?sort=name', '?q=a&q=b']) {
      const res = await search(query);
      expect(res.status, query).to.equal(400);
      expect(res.body.error.code).to.equal('INVALID_INPUT');
    }
    expect((await api(server.url, 'GET', '/api/mentors')).status).to.equal(401);
  });

  it('a mentee finds a mentor, asks with a focus, and the mentor accepts into Initiation', async () => {
    const [found] = (await search('?skill=hiring')).body.mentors;
    const asked = await api(server.url, 'POST', '/api/rooms', { token: seeker.token, body: { mentorId: found.id, focus: 'Land a Director role' } });
    expect(asked.status).to.equal(201);
    expect(asked.body.room).to.include({ status: 'pending', mentorId: ada.user.id, menteeId: seeker.user.id });
    const accepted = await api(server.url, 'POST', `/api/rooms/${asked.body.room.id}/accept`, { token: ada.token });
    expect(accepted.body.room).to.include({ status: 'active', stage: 'initiation' });
  });
});
