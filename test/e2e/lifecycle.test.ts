import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { api, register, type Session } from '../helpers/clients.js';
import { roomInBrowsers } from '../helpers/e2e-app.js';
import type { TestServer } from '../helpers/server.js';

/** Fills the contract form's goal rows (three are shown for a first draft). */
async function fillGoals(page: Page, goals: Array<[string, string, string]>): Promise<void> {
  for (const [i, [title, metric, target]] of goals.entries()) {
    const row = page.getByTestId('goal-input').nth(i);
    await row.getByTestId('goal-title').fill(title);
    await row.getByTestId('goal-metric').fill(metric);
    await row.getByTestId('goal-target').fill(target);
  }
}

describe('web app in Chromium: the mentorship lifecycle', function () {
  this.timeout(60_000);
  const fx = roomInBrowsers('Become a staff engineer');
  const { pages } = fx;
  let server: TestServer;
  let mentor: Session;
  let mentee: Session;
  let roomId: string;
  beforeEach(() => ({ server, mentor, mentee, roomId } = fx));

  it('the mentee drafts a 3-goal contract, a refused move says why in words, both accept, the mentor moves to Cultivation and the mentee sees it live', async () => {
    const theo = await pages.open(mentee);
    const maya = await pages.open(mentor);
    await theo.goto(`${server.url}/rooms/${roomId}/contract`);
    await maya.goto(`${server.url}/rooms/${roomId}/stage`);

    // Draft in one browser.
    await theo.getByTestId('contract-draft').click();
    await fillGoals(theo, [
      ['Lead a cross-team design', 'designs reviewed', '1'],
      ['Mentor two engineers', 'mentees', '2'],
      ['Write the promotion packet', 'packet', 'submitted'],
    ]);
    await theo.getByTestId('contract-rules').fill('Come prepared\nCancel a day ahead');
    await theo.getByTestId('contract-save').click();
    await theo.locator('[data-testid="contract-view"][data-version="1"]').waitFor();
    expect(await theo.getByTestId('goal').count()).to.equal(3);

    // The mentor's stage tab learns of the contract live; moving on before acceptance is refused with the server's reason.
    await maya.getByTestId('next-step').filter({ hasText: 'has not accepted v1' }).first().waitFor();
    await maya.getByTestId('stage-move-cultivation').click();
    const refusal = maya.getByTestId('stage-error-cultivation');
    await refusal.waitFor();
    // In words, without the guard's name (that stays in the API for programs).
    expect(await refusal.textContent()).to.match(/accepted contract v1/).and.not.match(/guard/);

    // Both accept; each sees the other's acceptance without reloading.
    await theo.getByTestId('contract-accept').click();
    await maya.getByTestId('tab-contract').click();
    await maya.locator(`[data-testid="contract-acceptance"][data-user-id="${mentee.user.id}"][data-accepted="true"]`).waitFor();
    await maya.getByTestId('contract-accept').click();
    await theo.locator(`[data-testid="contract-acceptance"][data-user-id="${mentor.user.id}"][data-accepted="true"]`).waitFor();

    // The mentor moves to Cultivation; the mentee's screen follows: header chip, stepper, goals' outcome buttons, chat.
    await maya.getByTestId('tab-stage').click();
    await maya.getByTestId('next-step').filter({ hasText: 'move to Cultivation' }).waitFor();
    await maya.getByTestId('stage-move-cultivation').click();
    await maya.locator('[data-testid="stage-stepper"][data-current="cultivation"]').waitFor();
    await theo.getByTestId('room-stage').getByText('Cultivation', { exact: true }).waitFor();
    await theo.getByTestId('goal').first().getByTestId('goal-set-achieved').click();
    await maya.getByTestId('tab-contract').click();
    await maya.locator('[data-testid="goal"][data-status="achieved"]').waitFor();
    await theo.getByTestId('tab-chat').click();
    await theo.getByTestId('message').filter({ hasText: 'from Initiation to Cultivation' }).waitFor();

    // The record shows the outcome and downloads as Markdown.
    await theo.getByTestId('tab-record').click();
    await theo.getByTestId('record-goals').getByText('Achieved').waitFor();
    const [download] = await Promise.all([theo.waitForEvent('download'), theo.getByTestId('record-download').click()]);
    expect(download.suggestedFilename()).to.match(/^menteo-record-.+\.md$/);
    const markdown = readFileSync((await download.path())!, 'utf8');
    expect(markdown).to.contain('Lead a cross-team design');
  });

  it('a mentor edits their profile, a mentee finds them by skill and asks with a focus, and the request reaches the mentor live', async () => {
    const sam = await register(server.url, 'Sam Mentor');
    const ana = await register(server.url, 'Ana Mentee');
    const mentorPage = await pages.open(sam);
    const menteePage = await pages.open(ana);

    await mentorPage.goto(`${server.url}/profile`);
    await mentorPage.getByTestId('profile-bio').fill('Platform engineering lead; I help people grow into staff roles.');
    await mentorPage.getByTestId('profile-expertise').fill('Kubernetes, platform, Kubernetes');
    await mentorPage.getByTestId('profile-mentoring').check();
    await mentorPage.getByTestId('profile-save').click();
    await mentorPage.getByTestId('profile-ok').waitFor();
    expect(await mentorPage.getByTestId('profile-tags').locator('li').allTextContents()).to.deep.equal(['kubernetes', 'platform']);
    await mentorPage.getByTestId('nav-rooms').click();
    await mentorPage.getByTestId('home').waitFor();

    await menteePage.goto(`${server.url}/mentors`);
    await menteePage.getByTestId('mentor-search-skill').fill('kubernetes');
    await menteePage.getByTestId('mentor-search-submit').click();
    const card = menteePage.locator(`[data-testid="mentor-card"][data-user-id="${sam.user.id}"]`);
    await card.waitFor();
    expect(await menteePage.getByTestId('mentor-card').count()).to.equal(1);
    expect(new URL(menteePage.url()).search).to.equal('?skill=kubernetes');
    await card.getByTestId('mentor-request').click();
    await card.getByTestId('mentor-focus').fill('Grow into a staff platform role');
    await card.getByTestId('mentor-send').click();
    await card.getByTestId('mentor-requested').waitFor();

    const request = mentorPage.getByTestId('room-item').filter({ hasText: 'Ana Mentee' });
    await request.getByTestId('accept-request').click();
    await mentorPage.getByTestId('room-view').waitFor();
    const room = await api(server.url, 'GET', '/api/rooms', { token: ana.token });
    expect(room.body.rooms[0]).to.include({ status: 'active', focus: 'Grow into a staff platform role', mentorId: sam.user.id });
  });
});
