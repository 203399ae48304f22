/**
 * Issue 15 acceptance 5 in Chromium: the mentor on her profile page gets a toast and a bell
 * count (also in the tab title) when the mentee sends a message and when a request arrives;
 * clicking the toast opens the room. The notifications page groups entries by room.
 */
import { expect } from 'chai';
import { api, eventually, newClientId, register } from '../helpers/clients.js';
import { roomInBrowsers } from '../helpers/e2e-app.js';

describe('web app: notifications (issue 15)', function () {
  this.timeout(90_000);
  const fx = roomInBrowsers('Notifications in the browser');

  it('on her profile page the mentor gets a toast and a bell count for a message and for a request; clicking opens the room', async () => {
    const page = await fx.pages.open(fx.mentor);
    await page.goto(`${fx.server.url}/profile`);
    await page.getByTestId('bell').waitFor();
    // The accepted request of the fixture was the mentor's own doing; the request itself is still unread.
    const before = Number((await page.getByTestId('bell-count').textContent()) ?? '0');

    await api(fx.server.url, 'POST', `/api/rooms/${fx.roomId}/messages`, { token: fx.mentee.token, body: { clientMsgId: newClientId(), body: 'Can we move our call to Friday?' } });
    const toast = page.getByTestId('toast').filter({ hasText: 'Can we move our call to Friday?' });
    await toast.waitFor();
    await eventually(async () => expect(await page.getByTestId('bell-count').textContent()).to.equal(String(before + 1)), 10_000);
    expect(await page.title()).to.match(new RegExp(`^\\(${before + 1}\\) `));

    // A new request from someone else: another toast, the count grows.
    const other = await register(fx.server.url, 'Nia Newcomer');
    const created = await api(fx.server.url, 'POST', '/api/rooms', { token: other.token, body: { mentorId: fx.mentor.user.id, focus: 'First management job' } });
    expect(created.status).to.equal(201);
    const requestToast = page.getByTestId('toast').filter({ hasText: 'First management job' });
    await requestToast.waitFor();
    await eventually(async () => expect(await page.getByTestId('bell-count').textContent()).to.equal(String(before + 2)), 10_000);

    // Clicking the message toast opens the room; showing it reads the message notification.
    await toast.click();
    await page.waitForURL(`**/rooms/${fx.roomId}`);
    await page.getByTestId('message-body').getByText('Can we move our call to Friday?', { exact: true }).waitFor();
    await eventually(async () => expect(await page.getByTestId('bell-count').textContent()).to.equal(String(before + 1)), 10_000);

    // While the room is shown, a message there makes no toast.
    await api(fx.server.url, 'POST', `/api/rooms/${fx.roomId}/messages`, { token: fx.mentee.token, body: { clientMsgId: newClientId(), body: 'Friday works then' } });
    await page.getByTestId('message-body').getByText('Friday works then', { exact: true }).waitFor();
    await fx.server.notifications.producers.idle();
    expect(await page.getByTestId('toast').filter({ hasText: 'Friday works then' }).count()).to.equal(0);

    // The request toast opens its room too.
    await requestToast.click();
    await page.waitForURL(`**/rooms/${created.body.room.id}`);

    // The notifications page, grouped by room.
    await page.getByTestId('bell').click();
    await page.waitForURL('**/notifications');
    await eventually(async () => expect(await page.getByTestId('notification-group').count()).to.be.greaterThanOrEqual(2), 10_000);
    const groupIds = await page.getByTestId('notification-group').evaluateAll((els) => els.map((e) => e.getAttribute('data-room-id')));
    expect(groupIds).to.include.members([fx.roomId, created.body.room.id]);
    expect(new Set(groupIds).size).to.equal(groupIds.length);
  });
});
