import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Session } from './clients.js';

/**
 * Browser pages for the e2e suites: one context (its own storage) per person, signed in by
 * putting the session where the web app keeps it, so a test starts on the screen it is about.
 * (Signing in through the form is covered by test/e2e/chat.test.ts.)
 */
export class Pages {
  private readonly contexts: BrowserContext[] = [];
  private readonly errors: string[] = [];

  constructor(private readonly browser: () => Browser) {}

  async open(session: Session, opts: { width?: number; height?: number } = {}): Promise<Page> {
    const context = await this.browser().newContext({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 860 }, acceptDownloads: true });
    this.contexts.push(context);
    await context.addInitScript((stored) => {
      if (!localStorage.getItem('menteo.session')) localStorage.setItem('menteo.session', stored);
    }, JSON.stringify(session));
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    page.on('pageerror', (err) => this.errors.push(err.message));
    return page;
  }

  /** Closes every page; throws when one of them had an uncaught error, even if the screen looked right. */
  async closeAll(): Promise<void> {
    for (const c of this.contexts.splice(0)) await c.close();
    const errors = this.errors.splice(0);
    if (errors.length > 0) throw new Error(`uncaught errors in the web app: ${errors.join(' | ')}`);
  }
}
