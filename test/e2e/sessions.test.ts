import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { api, eventually, register, TEST_PASSWORD, type Session } from '../helpers/clients.js';
import { assertE2eReady, launchChromium } from '../helpers/browser.js';
import { Pages } from '../helpers/e2e-app.js';
import { startServer, type TestServer } from '../helpers/server.js';

const storedSession = (page: Page) => page.evaluate(() => JSON.parse(localStorage.getItem('menteo.session') ?? 'null') as { token: string; refreshToken?: string } | null);

describe('web app sessions in Chromium (issue 13)', function () {
  this.timeout(60_000);
  let server: TestServer;
  let browser: Browser | undefined;
  const pages = new Pages(() => browser!);
  before(async () => {
    assertE2eReady();
    server = await startServer();
    browser = await launchChromium();
  });
  afterEach(() => pages.closeAll());
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const loginAgain = async (s: Session) => (await api<Session>(server.url, 'POST', '/api/auth/login', { body: { email: s.user.email, password: TEST_PASSWORD } })).body;
  const refreshWorks = async (refreshToken: string) => (await api(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken } })).status === 200;

  it('signing in through the form keeps a refresh token; "Sign out" ends the session on the server', async () => {
    const ana = await register(server.url, 'Ana Lopez');
    // A context of its own: Pages.open would sign the page in by itself.
    const context = await browser!.newContext();
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(8000);
      await page.goto(`${server.url}/signin`);
      await page.getByTestId('signin-email').fill(ana.user.email);
      await page.getByTestId('signin-password').fill(TEST_PASSWORD);
      await page.getByTestId('signin-submit').click();
      await page.getByTestId('me-name').waitFor();
      const stored = await storedSession(page);
      expect(stored?.refreshToken).to.be.a('string').with.length.above(30);

      await page.getByTestId('sign-out').click();
      await page.getByTestId('signin-email').waitFor();
      expect(await storedSession(page)).to.equal(null);
      // The server refuses the signed-out session's tokens (the request went out before the page moved on).
      // (GET /api/me is polled: it changes nothing, while a refresh would rotate the token.)
      await eventually(async () => expect((await api(server.url, 'GET', '/api/me', { token: stored!.token })).status).to.equal(401), 10_000, 100);
      expect(await refreshWorks(stored!.refreshToken!)).to.equal(false);
    } finally {
      await context.close();
    }
  });

  it('"Sign out everywhere" on one page signs out the other page, which was signed in separately', async () => {
    const ana = await register(server.url, 'Ana Lopez');
    const elsewhere = await loginAgain(ana);
    const here = await pages.open(ana);
    const there = await pages.open(elsewhere);
    await here.goto(server.url);
    await there.goto(server.url);
    await here.getByTestId('me-name').waitFor();
    await there.getByTestId('me-name').waitFor();

    await here.getByTestId('sign-out-everywhere').click();
    await here.getByTestId('signin-email').waitFor();
    // The other page's socket is closed by the server; its refresh is refused, so it signs out.
    await there.getByTestId('signin-email').waitFor({ timeout: 15_000 });
    expect(await storedSession(there)).to.equal(null);
    expect(await refreshWorks(ana.refreshToken)).to.equal(false);
    expect(await refreshWorks(elsewhere.refreshToken)).to.equal(false);
  });
});
