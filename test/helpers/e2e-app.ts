import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assertE2eReady, launchChromium } from './browser.js';
import { activeRoom, register, type Session } from './clients.js';
import { startServer, type TestServer } from './server.js';

/**
 * Browser pages for the e2e suites: one context (its own storage) per person, signed in by
 * putting the session where the web app keeps it, so a test starts on the screen it is about.
 * (Signing in through the form is covered by test/e2e/chat.test.ts.)
 */
export class Pages {
  private readonly contexts: BrowserContext[] = [];
  private readonly errors: string[] = [];

  constructor(private readonly browser: () => Browser) {}

  /** A page signed in as `session`, or a signed-out visitor's with null. */
  async open(session: Session | null, opts: { width?: number; height?: number } = {}): Promise<Page> {
    const context = await this.browser().newContext({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 860 }, acceptDownloads: true });
    this.contexts.push(context);
    if (session) {
      await context.addInitScript((stored) => {
        if (!localStorage.getItem('menteo.session')) localStorage.setItem('menteo.session', stored);
      }, JSON.stringify(session));
    }
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    page.on('pageerror', (err) => this.errors.push(err.message));
    // The server's CSP (issue 13) must hold for the built app: any violation fails the test.
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) this.errors.push(`CSP violation: ${msg.text()}`);
    });
    return page;
  }

  /** Closes every page; throws when one of them had an uncaught error or a CSP violation, even if the screen looked right. */
  async closeAll(): Promise<void> {
    for (const c of this.contexts.splice(0)) await c.close();
    const errors = [...new Set(this.errors.splice(0))];
    if (errors.length > 0) throw new Error(`uncaught errors in the web app: ${errors.join(' | ')}`);
  }
}

/** What roomInBrowsers() provides: fields are set by its hooks before each test runs. */
export interface RoomInBrowsers {
  server: TestServer;
  pages: Pages;
  mentor: Session;
  mentee: Session;
  roomId: string;
}

/**
 * Registers the mocha hooks the browser suites share: one server and one Chromium per suite, a
 * fresh mentor, mentee and active room (with `focus`) per test, and every page closed after it.
 */
export function roomInBrowsers(focus: string): RoomInBrowsers {
  let browser: Browser | undefined;
  const fx = { pages: new Pages(() => browser!) } as RoomInBrowsers;
  before(async () => {
    assertE2eReady();
    fx.server = await startServer();
    browser = await launchChromium();
  });
  beforeEach(async () => {
    fx.mentor = await register(fx.server.url, 'Maya Mentor');
    fx.mentee = await register(fx.server.url, 'Theo Mentee');
    fx.roomId = (await activeRoom(fx.server.url, fx.mentor, fx.mentee, focus)).id;
  });
  afterEach(() => fx.pages.closeAll());
  after(async () => {
    await browser?.close();
    await fx.server?.stop();
  });
  return fx;
}
