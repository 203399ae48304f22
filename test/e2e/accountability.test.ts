import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { api, type Session } from '../helpers/clients.js';
import { roomInBrowsers } from '../helpers/e2e-app.js';
import { contractBody } from '../helpers/lifecycle.js';
import type { TestServer } from '../helpers/server.js';

/** Issue 19, acceptance 5: a check-in updates the chart for both members live; a session is scheduled and marked held. */
describe('web app in Chromium: measured goals and sessions', function () {
  this.timeout(90_000);
  const fx = roomInBrowsers('Land a product manager role');
  const { pages } = fx;
  let server: TestServer;
  let mentor: Session;
  let mentee: Session;
  let roomId: string;
  beforeEach(() => ({ server, mentor, mentee, roomId } = fx));

  const call = async (s: Session, method: string, path: string, body?: unknown) => {
    const res = await api(server.url, method, `/api/rooms/${roomId}${path}`, { token: s.token, ...(body !== undefined && { body }) });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  /** A contract whose first goal is measured (0 → 6 mock interviews), accepted by both, in Cultivation. */
  async function cultivating(): Promise<string> {
    const body = contractBody(3);
    Object.assign(body.goals[0]!, { title: 'Mock interviews', metric: 'mock interviews done', target: '6', measure: { unit: 'interviews', baseline: 0, target: 6 } });
    const { room } = await call(mentee, 'PUT', '/contract', body);
    await call(mentee, 'POST', '/contract/accept');
    await call(mentor, 'POST', '/contract/accept');
    await call(mentor, 'POST', '/stage', { to: 'cultivation' });
    return room.contract.goals[0].id;
  }

  const chartOf = (page: Page, goalId: string) => page.locator(`[data-testid="goal-checkins"][data-goal-id="${goalId}"] [data-testid="goal-chart"]`);

  it('a check-in from the goal card updates the chart for both members live, and proposes the goal achieved at the target', async () => {
    const goalId = await cultivating();
    const theo = await pages.open(mentee);
    const maya = await pages.open(mentor);
    await theo.goto(`${server.url}/rooms/${roomId}/contract`);
    await maya.goto(`${server.url}/rooms/${roomId}/contract`);
    await chartOf(theo, goalId).and(theo.locator('[data-points="0"]')).waitFor();
    await chartOf(maya, goalId).and(maya.locator('[data-points="0"]')).waitFor();

    const card = theo.locator(`[data-testid="goal-checkins"][data-goal-id="${goalId}"]`);
    await card.getByTestId('checkin-value').fill('3');
    await card.getByTestId('checkin-note').fill('two mocks with friends, one with a PM');
    await card.getByTestId('checkin-submit').click();
    for (const page of [theo, maya]) {
      await chartOf(page, goalId).and(page.locator('[data-points="1"][data-latest="3"]')).waitFor();
      const text = await page.locator(`[data-testid="goal-checkins"][data-goal-id="${goalId}"] [data-testid="goal-progress"]`).textContent();
      expect(text).to.include('3 of 6 interviews · 50 %');
    }
    // The chart draws the baseline point, the check-in and the target line.
    expect(await chartOf(maya, goalId).locator('circle').count()).to.equal(2);
    expect(await chartOf(maya, goalId).locator('line.chart-target').count()).to.equal(1);

    const mayaCard = maya.locator(`[data-testid="goal-checkins"][data-goal-id="${goalId}"]`);
    await mayaCard.getByTestId('checkin-value').fill('6');
    await mayaCard.getByTestId('checkin-submit').click();
    for (const page of [theo, maya]) {
      await chartOf(page, goalId).and(page.locator('[data-points="2"][data-latest="6"]')).waitFor();
      await page.locator(`[data-testid="goal-checkins"][data-goal-id="${goalId}"] [data-testid="goal-proposal"]`).waitFor();
    }
  });

  it('a session is scheduled in one browser, shows in the other, is marked held with notes and gets an action item both see as open', async () => {
    await cultivating();
    const theo = await pages.open(mentee);
    const maya = await pages.open(mentor);
    await maya.goto(`${server.url}/rooms/${roomId}/sessions`);
    await theo.goto(`${server.url}/rooms/${roomId}/sessions`);
    await maya.getByTestId('session-form').waitFor();
    // The current minute, in the browser's zone (a datetime-local value): it has started, so it can be marked held.
    // Near the end of a minute, wait for the next one so the request lands within the minute it names.
    await maya.waitForFunction(() => new Date().getSeconds() < 45, undefined, { timeout: 20_000 });
    // Parts read in the page (its zone); padded here (a helper inside evaluate would not survive the test's transpiler).
    const parts = await maya.evaluate(() => {
      const d = new Date();
      return [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes()];
    });
    const [y, mo, day, hr, mi] = parts.map((n) => String(n).padStart(2, '0'));
    const now = `${y}-${mo}-${day}T${hr}:${mi}`;
    await maya.getByTestId('session-when').fill(now);
    await maya.getByTestId('session-agenda').fill('Mock interview debrief');
    await maya.getByTestId('session-schedule').click();

    const mayaSession = maya.locator('[data-testid="session"][data-status="scheduled"]', { hasText: 'Mock interview debrief' });
    await mayaSession.waitFor();
    await theo.locator('[data-testid="session"][data-status="scheduled"]', { hasText: 'Mock interview debrief' }).waitFor();

    await mayaSession.getByTestId('session-notes').fill('Structure answers with STAR; practise the product sense case.');
    await mayaSession.getByTestId('session-held').click();
    const held = theo.locator('[data-testid="session"][data-status="held"]', { hasText: 'Mock interview debrief' });
    await held.waitFor();
    expect(await held.getByTestId('session-notes').inputValue()).to.equal('Structure answers with STAR; practise the product sense case.');

    await held.getByTestId('item-title-input').fill('Send the product sense write-up');
    await held.getByTestId('item-due').fill('2099-01-15');
    await held.getByTestId('item-add').click();
    for (const page of [theo, maya]) await page.getByTestId('open-item-list').getByText('Send the product sense write-up').waitFor();

    const { sessions, items } = await call(mentor, 'GET', '/sessions');
    expect(sessions.map((s: any) => [s.status, s.notes])).to.deep.equal([['held', 'Structure answers with STAR; practise the product sense case.']]);
    expect(items.map((i: any) => [i.title, i.ownerId, i.status])).to.deep.equal([['Send the product sense write-up', mentee.user.id, 'open']]);

    // The mentor's profile shows when she was last active (she answered nothing yet: no median).
    await api(server.url, 'PATCH', '/api/me/profile', { token: mentor.token, body: { mentoring: true } });
    await theo.goto(`${server.url}/people/${mentor.user.id}`);
    const activity = theo.getByTestId('person-activity');
    await activity.waitFor();
    expect(await activity.textContent()).to.match(/^(Last active|Not active in the last 90 days)/);

    // The header's health badge is shown with its reasons.
    await maya.getByTestId('health-badge').first().waitFor();
    expect(await maya.getByTestId('health-badge').first().getAttribute('data-level')).to.be.oneOf(['on-track', 'needs-check-in', 'at-risk']);
  });

  it("the other member's change redraws the sessions without losing unsaved notes, an item draft or the focus", async () => {
    await cultivating();
    const first = (await call(mentor, 'POST', '/sessions', { startsAt: new Date(Date.now() + 86_400_000).toISOString(), agenda: 'First talk' })).session;
    const theo = await pages.open(mentee);
    await theo.goto(`${server.url}/rooms/${roomId}/sessions`);
    const row = theo.locator(`[data-testid="session"][data-session-id="${first.id}"]`);
    await row.getByTestId('item-title-input').fill('Draft the intro email');
    await row.getByTestId('session-notes').fill('Half-written thoughts');
    await row.getByTestId('session-notes').focus();

    await call(mentor, 'POST', '/sessions', { startsAt: new Date(Date.now() + 2 * 86_400_000).toISOString(), agenda: 'Second talk' });
    await theo.locator('[data-testid="session"]', { hasText: 'Second talk' }).waitFor();
    expect(await row.getByTestId('session-notes').inputValue()).to.equal('Half-written thoughts');
    expect(await row.getByTestId('item-title-input').inputValue()).to.equal('Draft the intro email');
    expect(await theo.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid)).to.equal('session-notes');

    // Saved notes are no longer a draft: the stored text shows after the next redraw.
    await row.getByTestId('session-save-notes').click();
    await theo.waitForFunction(() => true); // let the click's request start before polling the store
    for (let stored = ''; stored !== 'Half-written thoughts'; ) stored = (await call(mentor, 'GET', '/sessions')).sessions.find((m: any) => m.id === first.id).notes;
    await call(mentor, 'PATCH', `/sessions/${first.id}`, { notes: 'Rewritten by the mentor' });
    await theo.waitForFunction((id) => (document.querySelector(`[data-session-id="${id}"] [data-testid="session-notes"]`) as HTMLTextAreaElement | null)?.value === 'Rewritten by the mentor', first.id);
  });

  it('pausing from the health badge shows "Paused until" in both browsers, and resuming ends it', async () => {
    await cultivating();
    const theo = await pages.open(mentee);
    const maya = await pages.open(mentor);
    for (const page of [theo, maya]) await page.goto(`${server.url}/rooms/${roomId}/chat`);
    const until = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    maya.once('dialog', (dialog) => void dialog.accept(until));
    await maya.getByTestId('room-health').locator('summary').click();
    await maya.getByTestId('room-pause').click();
    for (const page of [maya, theo]) await page.getByTestId('room-health').getByText(`Paused until ${until}`).first().waitFor();
    expect((await call(mentee, 'GET', '/health')).health.pausedUntil.slice(0, 10)).to.equal(until);
    await maya.getByTestId('room-resume').click();
    for (const page of [maya, theo]) await page.getByTestId('room-pause').waitFor({ state: 'attached' });
    expect((await call(mentee, 'GET', '/health')).health.pausedUntil ?? null).to.equal(null);
  });
});
