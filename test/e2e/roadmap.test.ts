import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { eventually, type Session } from '../helpers/clients.js';
import { roomInBrowsers } from '../helpers/e2e-app.js';
import type { TestServer } from '../helpers/server.js';

const titles = async (page: Page) => page.getByTestId('milestone-title').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));

describe('web app in Chromium: the co-edited roadmap', function () {
  this.timeout(60_000);
  const fx = roomInBrowsers('Launch the MVP');
  const { pages } = fx;
  let server: TestServer;
  let mentor: Session;
  let mentee: Session;
  let roomId: string;
  beforeEach(() => ({ server, mentor, mentee, roomId } = fx));

  it('a template applied in one browser, then status, notes, new milestones and order, show in the other; each sees who else is editing', async () => {
    const theo = await pages.open(mentee);
    const maya = await pages.open(mentor);
    await theo.goto(`${server.url}/rooms/${roomId}/roadmap`);
    await maya.goto(`${server.url}/rooms/${roomId}/roadmap`);
    for (const p of [theo, maya]) await p.locator('[data-testid="roadmap-status"][data-status="live"]').waitFor();
    await theo.getByTestId('roadmap-collaborators').getByText('Maya Mentor').waitFor();
    await maya.getByTestId('roadmap-collaborators').getByText('Theo Mentee').waitFor();

    // The template: applied by the server inside the live document, so it reaches both editors.
    await theo.getByTestId('template-select').selectOption('launch-mvp');
    await theo.getByTestId('template-apply').click();
    await maya.getByTestId('milestone').nth(6).waitFor();
    expect((await titles(maya))[0]).to.equal('Name the problem and the first customer');
    expect(await maya.getByTestId('roadmap-title').inputValue()).to.equal('Launch the MVP');

    // Status and notes typed in one browser appear in the other.
    const first = (p: Page) => p.getByTestId('milestone').first();
    await first(theo).getByTestId('milestone-status').selectOption('doing');
    await maya.locator('[data-testid="milestone"][data-status="doing"]').first().waitFor();
    const notes = first(theo).getByTestId('milestone-notes');
    await notes.click();
    await notes.press('End');
    await notes.pressSequentially(' Ask Sam.', { delay: 15 });
    await eventually(async () => expect(await first(maya).getByTestId('milestone-notes').inputValue()).to.match(/badly enough to try an unfinished product\? Ask Sam\.$/));

    // Typing at the same time in the same note: each keeps its own text and the other's.
    const theirs = first(maya).getByTestId('milestone-notes');
    await theirs.click();
    await theirs.press('Control+Home');
    await Promise.all([theirs.pressSequentially('Mentor: ', { delay: 10 }), notes.pressSequentially(' Then Kim.', { delay: 10 })]);
    const merged = /^Mentor: One sentence each\..* Ask Sam\. Then Kim\.$/;
    await eventually(async () => {
      expect(await theirs.inputValue()).to.match(merged);
      expect(await notes.inputValue()).to.equal(await theirs.inputValue());
    });

    // Done milestones drive the progress bar on both sides.
    await first(maya).getByTestId('milestone-status').selectOption('done');
    await theo.locator('[data-testid="roadmap-progress"][data-done="1"][data-total="7"]').waitFor();

    // A milestone added and one moved in one browser, as the other sees it.
    await maya.getByTestId('milestone-new-title').fill('Pricing page');
    await maya.getByTestId('milestone-add').click();
    await eventually(async () => expect((await titles(theo)).at(-1)).to.equal('Pricing page'));
    await first(theo).getByTestId('milestone-down').click();
    await eventually(async () => expect((await titles(maya)).slice(0, 2)).to.deep.equal(['Twenty problem interviews', 'Name the problem and the first customer']));
    // The moved milestone kept its notes and status.
    const moved = maya.getByTestId('milestone').nth(1);
    expect(await moved.getAttribute('data-status')).to.equal('done');
    expect(await moved.getByTestId('milestone-notes').inputValue()).to.match(merged);

    // A reload reads the same document back from the server.
    await theo.reload();
    await theo.locator('[data-testid="roadmap-status"][data-status="live"]').waitFor();
    await eventually(async () => expect(await titles(theo)).to.deep.equal(await titles(maya)));
  });
});
