import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { api, eventually, register, type Session } from '../helpers/clients.js';
import { roomInBrowsers } from '../helpers/e2e-app.js';
import { contractBody, Lifecycle } from '../helpers/lifecycle.js';
import type { TestServer } from '../helpers/server.js';

/** The message in the page's timeline whose body is exactly `body`. */
const message = (page: Page, body: string) => page.getByTestId('message').filter({ has: page.getByTestId('message-body').getByText(body, { exact: true }) });

const titles = async (page: Page) => page.getByTestId('milestone-title').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));

async function send(page: Page, body: string): Promise<void> {
  await page.getByTestId('message-input').fill(body);
  await page.getByTestId('message-input').press('Enter');
  await message(page, body).and(page.locator('[data-status="sent"]')).waitFor();
}

/** Issue 16: the web app as a daily tool. Each test fails on the app before the fix it names. */
describe('web app in Chromium: daily use (issue 16)', function () {
  this.timeout(60_000);
  const fx = roomInBrowsers('Become a staff engineer');
  const { pages } = fx;
  let server: TestServer;
  let mentor: Session;
  let mentee: Session;
  let roomId: string;
  beforeEach(() => ({ server, mentor, mentee, roomId } = fx));

  for (const [label, size] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
    it(`an edit is saved by clicking Save, and clicking into the box keeps the typed text (${label})`, async () => {
      const theo = await pages.open(mentee, size);
      const maya = await pages.open(mentor);
      await theo.goto(`${server.url}/rooms/${roomId}`);
      await maya.goto(`${server.url}/rooms/${roomId}`);
      await send(theo, 'I shipped it yesterdy');
      await message(maya, 'I shipped it yesterdy').waitFor();

      const own = message(theo, 'I shipped it yesterdy');
      // A tap shows the actions on a phone (no hover there); a hover does on a desktop.
      await own.locator('.bubble').click();
      await own.getByTestId('edit-button').click();
      const input = theo.getByTestId('edit-input');
      await input.fill('I shipped it yesterday');
      await input.click();
      expect(await input.inputValue()).to.equal('I shipped it yesterday');
      await theo.getByTestId('edit-save').click();
      await message(maya, 'I shipped it yesterday').waitFor();
      await message(theo, 'I shipped it yesterday').waitFor();
      expect(await theo.getByTestId('edit-input').count()).to.equal(0);
    });
  }

  it('the sender sees "Seen" when the other side reads (and after a reload), a "New since you left" divider marks what came while away, and the open room counts nothing unread', async () => {
    const theo = await pages.open(mentee);
    const maya = await pages.open(mentor);
    await maya.goto(server.url);
    await maya.getByTestId('rooms-list').getByTestId('room-item').waitFor();
    await theo.goto(`${server.url}/rooms/${roomId}`);
    await send(theo, 'Here is my draft packet');
    expect(await message(theo, 'Here is my draft packet').getByTestId('message-seen').count()).to.equal(0);

    // Maya opens the room: her read marker moves and Theo's page says so.
    await maya.getByTestId('room-item').getByRole('link').click();
    await message(maya, 'Here is my draft packet').waitFor();
    await message(theo, 'Here is my draft packet').getByTestId('message-seen').getByText('Seen by Maya Mentor').waitFor();
    // A reload still says so: from the stored read markers room:join returns, not the live push.
    await theo.reload();
    await message(theo, 'Here is my draft packet').getByTestId('message-seen').getByText('Seen by Maya Mentor').waitFor();

    // Theo leaves; two messages arrive; back in the room the divider sits before the first of them.
    await theo.getByRole('link', { name: 'Menteo home' }).click();
    await theo.getByTestId('home').waitFor();
    await send(maya, 'Read it: strong start.');
    await send(maya, 'Tighten the impact section.');
    await theo.getByTestId('room-item').getByTestId('room-unread').getByText('2', { exact: true }).waitFor();
    await theo.getByTestId('room-item').getByRole('link').click();
    await message(theo, 'Tighten the impact section.').waitFor();
    const divider = theo.getByTestId('new-divider');
    await divider.waitFor();
    const following = theo.locator('[data-testid="new-divider"] + [data-testid="message"]').getByTestId('message-body');
    expect(await following.textContent()).to.equal('Read it: strong start.');

    // On another tab of the room, a new message updates the list's preview but adds no unread badge.
    await theo.getByTestId('tab-stage').click();
    await theo.getByTestId('tab-panel-stage').waitFor();
    await send(maya, 'Also: add one metric per project.');
    const item = theo.getByTestId('room-item').filter({ has: theo.getByTestId('room-preview').getByText('Also: add one metric per project.') });
    await item.waitFor();
    expect(await item.getByTestId('room-unread').count()).to.equal(0);
  });

  it('after a request is accepted the requester sees the mentor online without a reload, and the mentor stays in the chat she was in', async () => {
    const ann = await register(server.url, 'Ann Newcomer');
    const request = await api(server.url, 'POST', '/api/rooms', { token: ann.token, body: { mentorId: mentor.user.id, focus: 'Move into ML' } });
    expect(request.status).to.equal(201);
    const pendingId: string = request.body.room.id;

    const annPage = await pages.open(ann);
    const maya = await pages.open(mentor);
    await annPage.goto(`${server.url}/rooms/${pendingId}`);
    await annPage.getByTestId('room-notice').getByText('Waiting for Maya Mentor to accept').waitFor();
    expect(await annPage.locator('[data-testid="room-presence"][data-status="online"]').count()).to.equal(0);

    await maya.goto(`${server.url}/rooms/${roomId}`);
    await maya.getByTestId('message-input').fill('A draft I am writing to Theo');
    const incoming = maya.getByTestId('room-item').filter({ hasText: 'Ann Newcomer' });
    await incoming.getByTestId('accept-request').click();
    await incoming.getByTestId('accept-request').waitFor({ state: 'detached' });

    // Ann's open page turns live: the room is active and Maya shows as online.
    await annPage.getByTestId('room-stage').getByText('Initiation').waitFor();
    await annPage.locator('[data-testid="room-presence"][data-status="online"]').waitFor();
    // Maya is still in Theo's room, with her draft.
    expect(await maya.getByTestId('room-view').getAttribute('data-room-id')).to.equal(roomId);
    expect(await maya.getByTestId('message-input').inputValue()).to.equal('A draft I am writing to Theo');
  });

  it("a review's acknowledgements read as one line with names, and system dates are in the reader's format", async () => {
    await new Lifecycle(server.url, roomId).toRedefinition(mentor, mentee, 3);
    const theo = await pages.open(mentee);
    await theo.goto(`${server.url}/rooms/${roomId}`);
    await theo.getByTestId('message').filter({ hasText: 'to Redefinition' }).waitFor();

    const review = theo.locator('[data-testid="message"][data-kind="system-run"]').filter({ hasText: 'acknowledged' });
    expect(await review.count()).to.equal(1);
    expect(await review.getAttribute('data-count')).to.equal('6');
    expect(await review.getByTestId('message-body').textContent()).to.equal('Review: Theo Mentee acknowledged 3 goals and Maya Mentor acknowledged 3 goals.');
    const marks = theo.locator('[data-testid="message"][data-kind="system-run"]').filter({ hasText: 'marked' });
    expect(await marks.getByTestId('message-body').textContent()).to.equal("Theo Mentee marked 'Goal 1' achieved, 'Goal 2' achieved, 'Goal 3' dropped.");

    const system = (await theo.locator('[data-testid="message"][data-kind^="system"] [data-testid="message-body"]').allTextContents()).join('\n');
    expect(system).to.not.match(/\bThe (mentor|mentee)\b/);
    expect(system).to.not.match(/\d{4}-\d{2}-\d{2}/);
    const reviewAt = new Date(`${contractBody(3).reviewAt}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
    expect(system).to.contain(`review on ${reviewAt}`);
  });

  it('contract errors show in words next to their fields with the first focused, a past due date is refused by the app and the server, and next steps name each side once', async () => {
    const theo = await pages.open(mentee);
    await theo.goto(`${server.url}/rooms/${roomId}/contract`);
    await theo.getByTestId('contract-draft').click();
    const rows = theo.getByTestId('goal-input');
    await rows.nth(1).getByTestId('goal-title').fill('Mentor two engineers');
    await rows.nth(1).getByTestId('goal-metric').fill('mentees');
    await rows.nth(1).getByTestId('goal-target').fill('2');
    await rows.nth(1).getByTestId('goal-due').fill('2020-01-01');
    await theo.getByTestId('contract-save').click();

    const firstTitle = rows.nth(0).getByTestId('goal-title');
    expect(await firstTitle.getAttribute('aria-invalid')).to.equal('true');
    expect(await firstTitle.evaluate((el) => el === document.activeElement)).to.equal(true);
    const describedBy = (await firstTitle.getAttribute('aria-describedby'))!.split(' ').at(-1)!;
    expect(await theo.locator(`[id="${describedBy}"]`).textContent()).to.equal('Fill this in.');
    expect(await rows.nth(1).getByTestId('field-error').textContent()).to.equal('This date is in the past: pick today or later.');
    expect(await theo.getByTestId('contract-error').textContent()).to.match(/^Please check the \d+ fields marked above\.$/);
    expect(await theo.getByTestId('tab-panel-contract').textContent()).to.not.match(/Too small|expected string|>=/);

    // The server refuses it too, naming the field.
    const body = contractBody(3);
    body.goals[1]!.dueDate = '2020-01-01';
    const refused = await api(server.url, 'PUT', `/api/rooms/${roomId}/contract`, { token: mentee.token, body });
    expect(refused.status).to.equal(400);
    expect(refused.body.error).to.deep.include({ code: 'INVALID_INPUT', details: [{ path: 'goals.1.dueDate', message: 'in the past' }] });

    // In Separation with nothing acknowledged, each side has one next step naming its goals.
    const life = new Lifecycle(server.url, roomId);
    const drafted = Lifecycle.ok(await life.putContract(mentee, contractBody(4)));
    Lifecycle.ok(await life.accept(mentee));
    Lifecycle.ok(await life.accept(mentor));
    Lifecycle.ok(await life.stage(mentor, 'cultivation'));
    for (const g of drafted.contract.goals) Lifecycle.ok(await life.goal(mentee, g.id, { status: 'achieved' }));
    Lifecycle.ok(await life.stage(mentee, 'separation'));
    await theo.goto(`${server.url}/rooms/${roomId}/stage`);
    await theo.getByTestId('next-step').first().waitFor();
    expect(await theo.getByTestId('next-step').allTextContents()).to.deep.equal([
      "mentor has not acknowledged 4 goals: 'Goal 1', 'Goal 2', 'Goal 3', 'Goal 4'",
      "mentee has not acknowledged 4 goals: 'Goal 1', 'Goal 2', 'Goal 3', 'Goal 4'",
    ]);
  });

  it('a second request to the same mentor is refused with CONFLICT and the app links to the room the pair already has; no raw user ids are offered', async () => {
    const again = await api(server.url, 'POST', '/api/rooms', { token: mentee.token, body: { mentorId: mentor.user.id, focus: 'Again' } });
    expect(again.status).to.equal(409);
    expect(again.body.error).to.deep.include({ code: 'CONFLICT', details: { roomId, status: 'active' } });

    // Home offers search, not a user-id form (issue 16: discovery goes through search, skills and profiles).
    const theo = await pages.open(mentee);
    await theo.goto(server.url);
    await theo.getByTestId('find-mentor').waitFor();
    expect(await theo.locator('input[name="userId"]').count()).to.equal(0);
    expect(await theo.getByTestId('home').textContent()).to.not.match(/user id/i);
    // A pair that has a room is offered that room instead of a second request.
    await theo.goto(`${server.url}/people/${mentor.user.id}`);
    await theo.getByTestId('person-open-room').waitFor();
    expect(await theo.getByTestId('person-ask').count()).to.equal(0);

    // Ann writes a request on Maya's profile while her other device sends one: the app links to that room.
    expect((await api(server.url, 'PATCH', '/api/me/profile', { token: mentor.token, body: { mentoring: true } })).status).to.equal(200);
    const ann = await register(server.url, 'Ann Newcomer');
    const annPage = await pages.open(ann);
    await annPage.goto(`${server.url}/people/${mentor.user.id}`);
    await annPage.getByTestId('person-ask').click();
    await annPage.getByTestId('person-focus').fill('Move into ML');
    const other = await api(server.url, 'POST', '/api/rooms', { token: ann.token, body: { mentorId: mentor.user.id, focus: 'Move into ML (phone)' } });
    expect(other.status).to.equal(201);
    await annPage.getByTestId('person-send').click();
    await annPage.getByTestId('person-existing').getByText('You two already have a request waiting for an answer.').waitFor();
    await annPage.getByTestId('person-existing-link').click();
    await annPage.locator(`[data-testid="room-view"][data-room-id="${other.body.room.id}"]`).waitFor();
    expect(await annPage.getByTestId('room-item').count()).to.equal(1);
  });

  it('after a cycle back to Cultivation the room asks for contract v2, Redefinition is explained, and the header names a peer there', async () => {
    const life = new Lifecycle(server.url, roomId);
    await life.toRedefinition(mentor, mentee, 3);
    const maya = await pages.open(mentor);
    await maya.goto(`${server.url}/rooms/${roomId}/stage`);
    expect(await maya.getByTestId('room-role').textContent()).to.equal('Peer, formerly your mentee');
    await maya.getByText('The mentorship has done its job and you carry on as peers', { exact: false }).first().waitFor();

    Lifecycle.ok(await life.stage(mentee, 'cultivation', 'new challenge: lead the platform migration'));
    const prompt = maya.getByTestId('contract-next-prompt');
    await prompt.getByText('contract v2', { exact: false }).waitFor();
    expect(await maya.getByTestId('room-role').textContent()).to.equal('Your mentee');
    await maya.getByTestId('contract-next-open').click();
    await maya.getByTestId('tab-panel-contract').waitFor();
    await maya.getByTestId('contract-edit').click();
    const row = maya.getByTestId('goal-input').first();
    await row.getByTestId('goal-title').fill('Lead the platform migration');
    await maya.getByTestId('contract-save').click();
    await maya.locator('[data-testid="contract-view"][data-version="2"]').waitFor();
    await prompt.waitFor({ state: 'hidden' });
  });

  it('hovering a message moves nothing, and the record exports as JSON', async () => {
    const theo = await pages.open(mentee);
    await theo.goto(`${server.url}/rooms/${roomId}`);
    await send(theo, 'First thought');
    await send(theo, 'Second thought');
    const second = message(theo, 'Second thought');
    const before = (await second.boundingBox())!.y;
    await message(theo, 'First thought').hover();
    await message(theo, 'First thought').getByTestId('edit-button').waitFor();
    expect((await second.boundingBox())!.y).to.equal(before);

    await theo.getByTestId('tab-record').click();
    const [download] = await Promise.all([theo.waitForEvent('download'), theo.getByTestId('record-download-json').click()]);
    expect(download.suggestedFilename()).to.match(/^menteo-record-.+\.json$/);
    const record = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(record).to.include({ title: 'Become a staff engineer' });
    expect(record.mentor.displayName).to.equal('Maya Mentor');
  });

  it('on a 390×844 phone: Accept is in view after saving a contract, next steps read local dates, milestone cards are compact, the goals table reflows, and the chrome is short', async () => {
    const phone = await pages.open(mentee, { width: 390, height: 844 });
    await phone.goto(`${server.url}/rooms/${roomId}`);
    await phone.getByTestId('tab-chat').waitFor();
    const tabs = (await phone.getByTestId('tab-chat').boundingBox())!;
    expect(tabs.y + tabs.height, 'header, room header and tabs').to.be.below(200);

    // Saving from the bottom of the form brings "Accept v1" into view.
    await phone.getByTestId('tab-contract').click();
    await phone.getByTestId('contract-draft').click();
    for (const [i, [title, metric, target]] of [['Lead a design', 'designs', '1'], ['Mentor two', 'mentees', '2'], ['Write the packet', 'packet', 'done']].entries()) {
      const row = phone.getByTestId('goal-input').nth(i);
      await row.getByTestId('goal-title').fill(title!);
      await row.getByTestId('goal-metric').fill(metric!);
      await row.getByTestId('goal-target').fill(target!);
    }
    await phone.getByTestId('contract-save').click();
    await phone.locator('[data-testid="contract-view"][data-version="1"]').waitFor();
    const accept = (await phone.getByTestId('contract-accept').boundingBox())!;
    expect(accept.y, 'Accept v1 top').to.be.at.least(0);
    expect(accept.y + accept.height, 'Accept v1 bottom').to.be.at.most(844);

    // Next steps name the review date in the reader's format, never ISO.
    const life = new Lifecycle(server.url, roomId);
    Lifecycle.ok(await life.accept(mentee));
    Lifecycle.ok(await life.accept(mentor));
    Lifecycle.ok(await life.stage(mentor, 'cultivation'));
    await phone.getByTestId('tab-stage').click();
    const review = phone.getByTestId('next-step').filter({ hasText: 'review date' });
    await review.waitFor();
    expect(await review.textContent()).to.not.match(/\d{4}-\d{2}-\d{2}/);

    // A milestone card is compact until expanded.
    expect((await api(server.url, 'POST', `/api/rooms/${roomId}/roadmap/template`, { token: mentor.token, body: { templateId: 'staff-engineer' } })).status).to.equal(200);
    await phone.getByTestId('tab-roadmap').click();
    const card = phone.getByTestId('milestone').first();
    await card.waitFor();
    expect((await card.boundingBox())!.height, 'collapsed milestone card').to.be.at.most(200);
    expect(await card.getByTestId('milestone-notes').isVisible()).to.equal(false);
    await card.getByTestId('milestone-toggle').click();
    await card.getByTestId('milestone-notes').waitFor();

    // The record's goals table reflows into rows that fit the screen: nothing scrolls sideways.
    await phone.getByTestId('tab-record').click();
    const goals = phone.getByTestId('record-goals');
    await goals.waitFor();
    const fits = await goals.evaluate((t) => t.parentElement!.scrollWidth <= t.parentElement!.clientWidth);
    expect(fits, 'goals table fits the phone').to.equal(true);
  });

  it('on the roadmap board a milestone dragged in one browser moves in the other, and the keyboard moves cards too', async () => {
    const theo = await pages.open(mentee);
    const maya = await pages.open(mentor);
    await theo.goto(`${server.url}/rooms/${roomId}/roadmap`);
    await maya.goto(`${server.url}/rooms/${roomId}/roadmap`);
    for (const p of [theo, maya]) await p.locator('[data-testid="roadmap-status"][data-status="live"]').waitFor();
    await theo.getByTestId('template-select').selectOption('launch-mvp');
    await theo.getByTestId('template-apply').click();
    await maya.getByTestId('milestone').nth(6).waitFor();

    await theo.getByTestId('roadmap-view-board').click();
    const card = (title: string) => theo.getByTestId('board-card').filter({ hasText: title });
    await card('Build and dogfood').dragTo(theo.getByTestId('board-column-done'));
    await maya.locator('[data-testid="milestone"][data-status="done"]').waitFor();
    expect(await maya.locator('[data-testid="milestone"][data-status="done"] [data-testid="milestone-title"]').inputValue()).to.equal('Build and dogfood');

    // Dropped on a card: it goes before that card, in the shared order.
    await card('Launch to the first ten users').dragTo(card('Name the problem and the first customer'));
    await eventually(async () => expect((await titles(maya))[0]).to.equal('Launch to the first ten users'));

    // Keyboard: → moves the focused card to the next column.
    await card('Twenty problem interviews').focus();
    await theo.keyboard.press('ArrowRight');
    await maya.locator('[data-testid="milestone"][data-status="doing"]').waitFor();
    expect(await maya.locator('[data-testid="milestone"][data-status="doing"] [data-testid="milestone-title"]').inputValue()).to.equal('Twenty problem interviews');
    expect(await theo.getByTestId('board-column-doing').getByTestId('board-card').textContent()).to.contain('Twenty problem interviews');
    expect(await theo.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id)).to.equal(await card('Twenty problem interviews').getAttribute('data-id'));
  });

  it("the roadmap offers a milestone for each contract goal without one, and saves itself as the pair's own template, offered next to the curated ones", async () => {
    const life = new Lifecycle(server.url, roomId);
    const contract = Lifecycle.ok(await life.putContract(mentee, contractBody(3))).contract;
    const theo = await pages.open(mentee);
    const maya = await pages.open(mentor);
    await theo.goto(`${server.url}/rooms/${roomId}/roadmap`);
    await maya.goto(`${server.url}/rooms/${roomId}/roadmap`);
    for (const p of [theo, maya]) await p.locator('[data-testid="roadmap-status"][data-status="live"]').waitFor();

    const offers = theo.getByTestId('goal-suggestion');
    await offers.nth(2).waitFor();
    expect(await offers.allTextContents()).to.deep.equal(contract.goals.map((g: { title: string }) => `+ Add a milestone for “${g.title}”`));
    await offers.first().click();
    await maya.getByTestId('milestone').first().waitFor();
    expect(await maya.getByTestId('milestone-title').first().inputValue()).to.equal(contract.goals[0].title);
    expect(await maya.getByTestId('milestone-goal').first().inputValue()).to.equal(contract.goals[0].id);
    // The goal now has its milestone, in both browsers: two offers left.
    await eventually(async () => expect(await theo.getByTestId('goal-suggestion').count()).to.equal(2));
    await eventually(async () => expect(await maya.getByTestId('goal-suggestion').count()).to.equal(2));

    // Curated templates cover a staff promotion and a move into ML; the pair's own joins them.
    // An empty roadmap opened the templates by itself; open them if not.
    const picker = theo.getByTestId('template-picker');
    if ((await picker.getAttribute('open')) === null) await picker.locator('summary').click();
    const curated = await theo.getByTestId('template-select').locator('option').allTextContents();
    expect(curated).to.include.members(['Get promoted to Staff Engineer', 'Move into machine learning']);
    await theo.getByTestId('template-save-name').fill('Our staff plan');
    await theo.getByTestId('template-save').click();
    await theo.getByTestId('template-saved').waitFor();
    await theo.getByTestId('template-own').locator('option', { hasText: 'Our staff plan' }).waitFor({ state: 'attached' });
    const stored = await api(server.url, 'GET', `/api/rooms/${roomId}/templates`, { token: mentor.token });
    expect(stored.body.own.map((t: { name: string }) => t.name)).to.deep.equal(['Our staff plan']);

    // Applied on top (append), its milestone arrives in the other browser.
    await theo.getByTestId('template-select').selectOption({ label: 'Our staff plan' });
    await theo.getByTestId('template-apply').click();
    await maya.getByTestId('milestone').nth(1).waitFor();
    expect(await titles(maya)).to.deep.equal([contract.goals[0].title, contract.goals[0].title]);
  });

  it('mentor search offers the skills in use, and a mentor has a public profile page with the whole bio, rooms completed and generated avatars', async () => {
    const bio = 'Staff engineer at a payments company. I help senior engineers grow into staff roles: picking the right problem, writing the technical direction, and leading through others. '.repeat(2).trim();
    expect((await api(server.url, 'PATCH', '/api/me/profile', { token: mentor.token, body: { bio, expertise: ['system design', 'staff promotion'], mentoring: true } })).status).to.equal(200);
    const skills = await api(server.url, 'GET', '/api/mentors/skills', { token: mentee.token });
    expect(skills.body.skills).to.deep.include({ tag: 'system design', mentors: 1 });

    const theo = await pages.open(mentee);
    await theo.goto(`${server.url}/mentors`);
    await theo.getByTestId('skill-option').filter({ hasText: 'system design' }).click();
    const card = theo.locator(`[data-testid="mentor-card"][data-user-id="${mentor.user.id}"]`);
    await card.waitFor();
    expect(new URL(theo.url()).search).to.equal('?skill=system+design');
    // People show a generated avatar (colour + initials SVG), in search and on the profile.
    expect(await card.locator('svg[data-testid="avatar"]').getAttribute('data-initials')).to.equal('MM');
    await card.getByTestId('mentor-profile-link').click();
    await theo.getByTestId('person-name').getByText('Maya Mentor').waitFor();
    expect(await theo.getByTestId('person-page').locator('svg[data-testid="avatar"]').count()).to.equal(1);
    expect(await theo.getByTestId('person-rooms-completed').getAttribute('data-count')).to.equal('0');
    expect(await theo.getByTestId('person-bio').textContent()).to.equal(bio);
    expect(await theo.getByTestId('person-tags').locator('li').allTextContents()).to.deep.equal(['system design', 'staff promotion']);
    // A room that reached Separation (here on to Redefinition) counts as completed.
    await new Lifecycle(server.url, roomId).toRedefinition(mentor, mentee, 3);
    await theo.reload();
    await theo.locator('[data-testid="person-rooms-completed"][data-count="1"]').getByText('room completed as a mentor').waitFor();
    await theo.getByTestId('person-open-room').click();
    await theo.locator(`[data-testid="room-view"][data-room-id="${roomId}"]`).waitFor();
  });

  it('"Theo is editing this note" shows in the other browser while he is in a milestone\'s notes, from awareness', async () => {
    const theo = await pages.open(mentee);
    const maya = await pages.open(mentor);
    await theo.goto(`${server.url}/rooms/${roomId}/roadmap`);
    await maya.goto(`${server.url}/rooms/${roomId}/roadmap`);
    for (const p of [theo, maya]) await p.locator('[data-testid="roadmap-status"][data-status="live"]').waitFor();
    await theo.getByTestId('milestone-new-title').fill('Write the design doc');
    await theo.getByTestId('milestone-add').click();
    await maya.getByTestId('milestone').first().waitFor();

    await theo.getByTestId('milestone').first().getByTestId('milestone-notes').click();
    const editing = maya.getByTestId('milestone').first().getByTestId('milestone-editing');
    await editing.getByText('Theo Mentee is editing this note').waitFor();
    expect(await theo.getByTestId('milestone').first().getByTestId('milestone-editing').isHidden()).to.equal(true);
    await theo.getByTestId('roadmap-title').click();
    await editing.waitFor({ state: 'hidden' });
  });
});
