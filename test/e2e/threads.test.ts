import { expect } from 'chai';
import { api, register, type Session } from '../helpers/clients.js';
import { roomInBrowsers } from '../helpers/e2e-app.js';
import type { TestServer } from '../helpers/server.js';

describe('web app in Chromium: growth threads', function () {
  this.timeout(60_000);
  const fx = roomInBrowsers('Ship a side project');
  const { pages } = fx;
  let server: TestServer;
  let mentor: Session;
  let mentee: Session;
  let roomId: string;
  beforeEach(() => ({ server, mentor, mentee, roomId } = fx));

  it('a thread and an entry the mentee writes appear live for the mentor, rendered safely; comments, edits and deletions follow live', async () => {
    const theo = await pages.open(mentee);
    const maya = await pages.open(mentor);
    await theo.goto(`${server.url}/rooms/${roomId}/threads`);
    await maya.goto(`${server.url}/rooms/${roomId}/threads`);
    await maya.getByTestId('threads-empty').getByText('No threads yet').waitFor();

    await theo.getByTestId('thread-new').click();
    await theo.getByTestId('thread-title-input').fill('Shipping week by week');
    await theo.getByTestId('thread-create').click();
    await theo.getByTestId('thread-view').waitFor();

    // The new thread shows up in the mentor's list without a reload; the mentor opens it.
    const item = maya.getByTestId('thread-item').filter({ hasText: 'Shipping week by week' });
    await item.locator('button').click();
    await maya.getByTestId('thread-empty').waitFor();

    await theo.getByTestId('entry-kind').selectOption('breakthrough');
    await theo.getByTestId('entry-body-input').fill('First **paying** user!\n\n<script>window.hacked = true</script> [see](javascript:alert(1))');
    await theo.getByTestId('entry-submit').click();

    const entry = maya.locator('[data-testid="thread-entry"][data-kind="breakthrough"]');
    await entry.waitFor();
    const body = entry.getByTestId('entry-body');
    expect(await body.locator('strong').textContent()).to.equal('paying');
    expect(await body.locator('script').count()).to.equal(0);
    expect(await body.locator('a').count()).to.equal(0);
    expect(await body.textContent()).to.contain('<script>window.hacked = true</script>');
    expect(await maya.evaluate(() => (window as { hacked?: boolean }).hacked)).to.equal(undefined);
    expect(await item.textContent()).to.contain('1 entry');

    await entry.getByTestId('comment-input').fill('Congratulations. What made them pay?');
    await entry.getByTestId('comment-submit').click();
    await theo.getByTestId('entry-comment').getByText('What made them pay?').waitFor();
    expect(await theo.getByTestId('entry-comment').getByText('Maya Mentor').count()).to.equal(1);

    // Each edits and deletes their own writing; the other side follows.
    await theo.getByTestId('entry-edit').click();
    await theo.getByTestId('entry-edit-form').getByTestId('entry-body-input').fill('First *paying* user, after 40 demos.');
    await theo.getByTestId('entry-edit-form').getByTestId('entry-submit').click();
    await body.locator('em').getByText('paying').waitFor();
    expect(await entry.textContent()).to.contain('edited');
    expect(await theo.getByTestId('entry-comment').getByTestId('comment-edit').count()).to.equal(0);
    await entry.getByTestId('comment-delete').click();
    await entry.getByTestId('comment-delete-confirm').click();
    await maya.getByTestId('entry-comment').waitFor({ state: 'detached' });
    expect(await maya.getByTestId('thread-entry').count()).to.equal(1);
    await theo.getByTestId('entry-comment').waitFor({ state: 'detached' });
  });

  it('the feed shows public entries newest first, pages on with "Load more", and links to the thread', async () => {
    const author = await register(server.url, 'Feed Author');
    const thread = await api(server.url, 'POST', '/api/threads', { token: author.token, body: { title: 'Learning in public', visibility: 'public' } });
    for (let i = 1; i <= 23; i++) {
      await api(server.url, 'POST', `/api/threads/${thread.body.thread.id}/entries`, { token: author.token, body: { kind: 'progress', body: `Day ${i}` } });
    }
    const reader = await pages.open(mentee);
    await reader.goto(`${server.url}/feed`);
    await reader.getByTestId('feed-item').nth(19).waitFor();
    expect(await reader.getByTestId('feed-item').count()).to.equal(20);
    expect(await reader.getByTestId('feed-body').first().textContent()).to.equal('Day 23');
    await reader.getByTestId('feed-more').click();
    await reader.getByTestId('feed-item').nth(22).waitFor();
    expect(await reader.getByTestId('feed-body').last().textContent()).to.equal('Day 1');
    await reader.getByTestId('feed-more').waitFor({ state: 'hidden' });

    await reader.getByTestId('feed-thread-link').first().click();
    await reader.getByTestId('thread-title').getByText('Learning in public').waitFor();
    await reader.getByTestId('thread-entry').nth(22).waitFor();
    expect(await reader.getByTestId('entry-edit').count()).to.equal(0);
  });

  it('an entry shows its latest 20 comments and "Show earlier comments (n)" loads the rest, in order', async () => {
    const author = await register(server.url, 'Busy Author');
    const thread = (await api(server.url, 'POST', '/api/threads', { token: author.token, body: { title: 'Much feedback', visibility: 'public' } })).body.thread;
    const entry = (await api(server.url, 'POST', `/api/threads/${thread.id}/entries`, { token: author.token, body: { kind: 'note', body: 'Comment away' } })).body.entry;
    // Through the store: the per-user comment rate would make 25 REST comments take over a minute.
    for (let i = 0; i < 25; i++) {
      await server.store.threads.addComment({ id: `busy${i}`, threadId: thread.id, entryId: entry.id, authorId: author.user.id, body: `comment ${i}`, createdAt: new Date().toISOString() });
    }
    const reader = await pages.open(mentee);
    await reader.goto(`${server.url}/threads/${thread.id}`);
    await reader.getByTestId('thread-title').getByText('Much feedback').waitFor();
    await reader.getByTestId('entry-comment').nth(19).waitFor();
    expect(await reader.getByTestId('entry-comment').count()).to.equal(20);
    const earlier = reader.getByTestId('comments-earlier');
    expect(await earlier.textContent()).to.equal('Show earlier comments (5)');
    await earlier.click();
    await reader.getByTestId('entry-comment').nth(24).waitFor();
    await earlier.waitFor({ state: 'detached' });
    const bodies = await reader.getByTestId('comment-body').allTextContents();
    expect(bodies.map((b) => b.trim())).to.deep.equal(Array.from({ length: 25 }, (_, i) => `comment ${i}`));
  });
});
