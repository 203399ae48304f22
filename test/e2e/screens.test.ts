import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { api } from '../helpers/clients.js';
import { auditScreen } from '../helpers/audit.js';
import { roomInBrowsers } from '../helpers/e2e-app.js';
import { contractBody, Lifecycle } from '../helpers/lifecycle.js';

/**
 * Every screen of the web app, with content, audited by axe-core (no serious or critical
 * violation) and photographed at 1280×800 and 390×844 into test-artifacts/screens/ (issue 16).
 */
describe('web app in Chromium: every screen passes an axe audit at desktop and phone sizes', function () {
  this.timeout(480_000);
  const fx = roomInBrowsers('Become a staff engineer');
  const { pages } = fx;

  it('signed out, home, mentors, feed, profile, a public profile, every room tab and a thread page have no serious or critical violation', async () => {
    const { server, mentor, mentee, roomId } = fx;
    // Content for every screen: a profile, a contract in Cultivation, a roadmap, a thread with an entry, a chat.
    expect((await api(server.url, 'PATCH', '/api/me/profile', { token: mentor.token, body: { bio: 'Staff engineer; I help people grow into staff roles.', expertise: ['staff', 'system design'], mentoring: true } })).status).to.equal(200);
    const life = new Lifecycle(server.url, roomId);
    Lifecycle.ok(await life.putContract(mentee, contractBody(3)));
    Lifecycle.ok(await life.accept(mentee));
    Lifecycle.ok(await life.accept(mentor));
    Lifecycle.ok(await life.stage(mentor, 'cultivation'));
    expect((await api(server.url, 'POST', `/api/rooms/${roomId}/roadmap/template`, { token: mentor.token, body: { templateId: 'launch-mvp' } })).status).to.equal(200);
    const thread = (await api(server.url, 'POST', '/api/threads', { token: mentee.token, body: { title: 'Learning in public', visibility: 'public' } })).body.thread;
    expect((await api(server.url, 'POST', `/api/threads/${thread.id}/entries`, { token: mentee.token, body: { kind: 'breakthrough', body: 'Wrote my first design doc.' } })).status).to.equal(201);

    const violations: string[] = [];
    const check = async (page: Page, screen: string, path: string, testId: string) => {
      await page.goto(`${server.url}${path}`);
      violations.push(...(await auditScreen(page, screen, () => page.getByTestId(testId).first().waitFor())));
    };

    const visitor = await pages.open(null);
    await check(visitor, 'landing', '/welcome', 'landing');
    await check(visitor, 'signin', '/signin', 'signin-email');
    await check(visitor, 'signup', '/signup', 'signup-name');

    const theo = await pages.open(mentee);
    await theo.goto(`${server.url}/rooms/${roomId}`);
    await theo.getByTestId('message-input').fill('Here is the plan for this week.');
    await theo.getByTestId('message-input').press('Enter');
    await check(theo, 'home', '/', 'home');
    await check(theo, 'mentors', '/mentors?skill=staff', 'mentor-card');
    await check(theo, 'feed', '/feed', 'feed-item');
    await check(theo, 'profile', '/profile', 'profile-name');
    await check(theo, 'person', `/people/${mentor.user.id}`, 'person-name');
    await check(theo, 'room-chat', `/rooms/${roomId}`, 'message');
    for (const tab of ['stage', 'contract', 'sessions', 'roadmap', 'threads', 'record']) await check(theo, `room-${tab}`, `/rooms/${roomId}/${tab}`, `tab-panel-${tab}`);
    await check(theo, 'thread', `/threads/${thread.id}`, 'thread-view');
    await check(theo, 'not-found', '/no-such-screen', 'not-found-page');

    expect(violations, violations.join('\n')).to.deep.equal([]);
  });
});
