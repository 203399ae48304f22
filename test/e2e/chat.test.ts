import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { activeRoom, eventually, register, type Session } from '../helpers/clients.js';
import { assertE2eReady, launchChromium } from '../helpers/browser.js';
import { startServer, type TestServer } from '../helpers/server.js';

const PASSWORD = 'correct horse battery';
let emailCounter = 0;
const freshEmail = (name: string) => `${name.toLowerCase()}-${Date.now()}-${++emailCounter}@example.test`;

async function signUp(page: Page, baseUrl: string, name: string, opts: { mentoring?: boolean } = {}): Promise<void> {
  await page.goto(`${baseUrl}/signup`);
  await page.getByTestId('signup-name').fill(name);
  await page.getByTestId('signup-email').fill(freshEmail(name.split(' ')[0]!));
  await page.getByTestId('signup-password').fill(PASSWORD);
  if (opts.mentoring) await page.getByTestId('signup-mentoring').check();
  await page.getByTestId('signup-submit').click();
  await page.getByTestId('home').waitFor();
}

async function signIn(page: Page, baseUrl: string, session: Session): Promise<void> {
  await page.goto(`${baseUrl}/signin`);
  await page.getByTestId('signin-email').fill(session.user.email);
  await page.getByTestId('signin-password').fill('correct horse battery');
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('home').waitFor();
}

/** The message in the page's timeline whose body is exactly `body`. */
const message = (page: Page, body: string) => page.getByTestId('message').filter({ has: page.getByTestId('message-body').getByText(body, { exact: true }) });

describe('web app in Chromium', function () {
  this.timeout(60_000);
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const newPage = async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    return page;
  };

  before(async () => {
    assertE2eReady();
    server = await startServer();
    browser = await launchChromium();
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a mentee and a mentor sign up, pair up through a request, chat live, and a reload keeps the history', async () => {
    const mentor = await newPage();
    const mentee = await newPage();

    // A signed-out visitor lands on the page that explains the four stages, then signs up.
    await mentor.goto(server.url);
    await mentor.getByTestId('landing').waitFor();
    expect(new URL(mentor.url()).pathname).to.equal('/welcome');
    expect(await mentor.getByTestId('landing-stages').locator('h3').allTextContents()).to.deep.equal(['1 Initiation', '2 Cultivation', '3 Separation', '4 Redefinition']);
    await mentor.getByTestId('landing-signin').click();
    await mentor.getByTestId('signin-email').waitFor();
    await mentor.getByTestId('to-signup').click();
    await mentor.getByTestId('signup-name').waitFor();
    await signUp(mentor, server.url, 'Maya Mentor', { mentoring: true });
    await mentor.getByTestId('rooms-empty').waitFor();

    // No raw user ids: the mentee finds the mentor through search (issue 16).
    await signUp(mentee, server.url, 'Theo Mentee');
    expect(await mentee.getByTestId('home').textContent()).to.not.match(/user id/i);
    await mentee.getByTestId('find-mentor').click();
    await mentee.getByTestId('mentor-search-q').fill('Maya');
    await mentee.getByTestId('mentor-search-submit').click();
    const card = mentee.getByTestId('mentor-card').filter({ hasText: 'Maya Mentor' });
    await card.getByTestId('mentor-request').click();
    await card.getByTestId('mentor-focus').fill('Become a staff engineer');
    await card.getByTestId('mentor-send').click();
    await card.getByTestId('mentor-requested').waitFor();
    await mentee.getByTestId('nav-rooms').click();
    const pending = mentee.getByTestId('room-item');
    await pending.getByText('Waiting for Maya Mentor to accept').waitFor();

    // The request reaches the mentor's open page without a reload; accepting opens the room.
    const request = mentor.getByTestId('room-item').filter({ hasText: 'Theo Mentee' });
    await request.getByTestId('accept-request').click();
    await mentor.getByTestId('room-view').waitFor();
    expect(await mentor.getByTestId('room-stage').textContent()).to.equal('Initiation');
    await mentor.getByTestId('message').filter({ hasText: 'accepted' }).waitFor();
    const roomId = await mentor.getByTestId('room-view').getAttribute('data-room-id');

    await mentee.getByTestId('room-item').filter({ hasText: 'Maya Mentor' }).getByRole('link').click();
    await mentee.getByTestId('room-view').waitFor();
    expect(await mentee.getByTestId('room-view').getAttribute('data-room-id')).to.equal(roomId);
    await mentee.locator('[data-testid="room-presence"][data-status="online"]').waitFor();

    // Typed in one browser, shown in the other.
    await mentee.getByTestId('message-input').fill('Hello Maya! Thanks for accepting.');
    await mentee.getByTestId('message-input').press('Enter');
    await message(mentor, 'Hello Maya! Thanks for accepting.').waitFor();
    await message(mentee, 'Hello Maya! Thanks for accepting.').and(mentee.locator('[data-status="sent"]')).waitFor();
    expect(await message(mentor, 'Hello Maya! Thanks for accepting.').getAttribute('data-own')).to.equal('false');

    // Typing shows on the other side, and clears when the message is sent.
    await mentor.getByTestId('message-input').pressSequentially('Welcome', { delay: 20 });
    await mentee.getByTestId('typing-indicator').getByText('Maya Mentor is typing…').waitFor();
    await mentor.getByTestId('message-input').fill('Welcome, Theo. What does staff mean to you?');
    await mentor.getByTestId('send-button').click();
    await message(mentee, 'Welcome, Theo. What does staff mean to you?').waitFor();
    await eventually(async () => expect(await mentee.getByTestId('typing-indicator').textContent()).to.equal(''));

    // A reload keeps the history, in order.
    await mentee.reload();
    await message(mentee, 'Welcome, Theo. What does staff mean to you?').waitFor();
    const bodies = await mentee.getByTestId('message-body').allTextContents();
    expect(bodies.slice(-2)).to.deep.equal(['Hello Maya! Thanks for accepting.', 'Welcome, Theo. What does staff mean to you?']);

    // Away from the room, a new message shows as unread; opening the room reads it.
    await mentee.getByRole('link', { name: 'Menteo home' }).click();
    await mentee.getByTestId('home').waitFor();
    await mentor.getByTestId('message-input').fill('Homework: write down three staff engineers you admire.');
    await mentor.getByTestId('message-input').press('Enter');
    const item = mentee.getByTestId('room-item').filter({ hasText: 'Maya Mentor' });
    await item.getByTestId('room-unread').getByText('1', { exact: true }).waitFor();
    expect(await item.getByTestId('room-preview').textContent()).to.equal('Homework: write down three staff engineers you admire.');
    await item.getByRole('link').click();
    await message(mentee, 'Homework: write down three staff engineers you admire.').waitFor();
    await mentee.getByTestId('room-item').getByTestId('room-unread').waitFor({ state: 'detached' });
  });

  it('edits, reactions and deletions made in one browser show in the other', async () => {
    const mentorSession = await register(server.url, 'Ada Mentor');
    const menteeSession = await register(server.url, 'Bo Mentee');
    const room = await activeRoom(server.url, mentorSession, menteeSession, 'Ship a side project');
    const mentor = await newPage();
    const mentee = await newPage();
    await signIn(mentor, server.url, mentorSession);
    await signIn(mentee, server.url, menteeSession);
    await mentor.goto(`${server.url}/rooms/${room.id}`);
    await mentee.goto(`${server.url}/rooms/${room.id}`);
    await mentor.getByTestId('room-view').waitFor();

    await mentee.getByTestId('message-input').fill('I shipped it yesterdy');
    await mentee.getByTestId('message-input').press('Enter');
    await message(mentor, 'I shipped it yesterdy').waitFor();

    const own = message(mentee, 'I shipped it yesterdy');
    await own.hover();
    await own.getByTestId('edit-button').click();
    await mentee.getByTestId('edit-input').fill('I shipped it yesterday');
    await mentee.getByTestId('edit-input').press('Enter');
    const edited = message(mentor, 'I shipped it yesterday');
    await edited.waitFor();
    expect(await edited.textContent()).to.contain('edited');

    await edited.hover();
    await edited.getByTestId('react-button').click();
    await edited.getByTestId('pick-reaction').first().click();
    await message(mentee, 'I shipped it yesterday').getByTestId('reaction').waitFor();
    expect(await message(mentee, 'I shipped it yesterday').getByTestId('reaction').getAttribute('aria-label')).to.contain('from Ada Mentor');

    const mine = message(mentee, 'I shipped it yesterday');
    await mine.hover();
    await mine.getByTestId('delete-button').click();
    await mine.getByTestId('delete-confirm').click();
    await message(mentor, 'Message deleted').waitFor();
    expect(await message(mentor, 'I shipped it yesterday').count()).to.equal(0);
  });
});
