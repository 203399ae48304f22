import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { api, eventually, type Session } from '../helpers/clients.js';
import { roomInBrowsers } from '../helpers/e2e-app.js';
import type { TestServer } from '../helpers/server.js';

/** The message in the page's timeline whose body is exactly `body`. */
const message = (page: Page, body: string) => page.getByTestId('message').filter({ has: page.getByTestId('message-body').getByText(body, { exact: true }) });

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
});
