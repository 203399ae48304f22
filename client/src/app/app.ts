import { MenteoClient, RoomDirectory, SdkError, type ConnectionState, type Session } from '@menteo/sdk';
import type { RoomStatus } from '../../../shared/types.js';
import { avatar } from './components/avatar.js';
import type { AppContext } from './context.js';
import { clear, h } from './dom.js';
import { matchRoute, startRouting, type Route, type View } from './router.js';
import { routes } from './routes.js';
import { browserSharedTokens, clearOutbox, clearSession, loadSession, outboxStorage, saveSession } from './session.js';
import { Notifier } from './notifier.js';
import { notFoundView } from './views/not-found.js';

/** The header's main links: path, label, test id. */
const NAV: ReadonlyArray<readonly [string, string, string]> = [
  ['/', 'Rooms', 'nav-rooms'],
  ['/mentors', 'Mentors', 'nav-mentors'],
  ['/feed', 'Feed', 'nav-feed'],
  ['/profile', 'Profile', 'nav-profile'],
];

/** Banner text per connection state; states without one hide the banner. */
const BANNER: Partial<Record<ConnectionState, string>> = {
  reconnecting: 'You are offline. Reconnecting… Messages you send now will go out when the connection is back.',
};

/**
 * The app shell: header, connection banner, the routed view, notices. Owns the session and the
 * one MenteoClient + RoomDirectory of a signed-in user, and gives views an AppContext.
 */
export class App {
  private session: Session | null = null;
  private client: MenteoClient | null = null;
  private directory: RoomDirectory | null = null;
  private notifier: Notifier | null = null;
  /** The current view's title, before the unread count is put in front of it. */
  private baseTitle = 'Menteo';
  private view: View | null = null;
  private viewRoute: Route | null = null;
  private offClient: Array<() => void> = [];
  private navigateFn: (path: string, opts?: { replace?: boolean }) => void = () => {};
  private firstRender = true;

  private readonly header = h('header', { class: 'topbar' });
  private readonly banner = h('div', { class: 'banner', role: 'status', 'data-testid': 'connection-banner', hidden: true });
  private readonly main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
  private readonly notices = h('div', { class: 'notices', 'aria-live': 'polite' });

  constructor(private readonly root: HTMLElement) {}

  start(): void {
    clear(this.root);
    this.root.append(h('a', { class: 'skip-link', href: '#main' }, 'Skip to content'), this.header, this.banner, this.main, this.notices);
    const stored = loadSession();
    if (stored) this.begin(stored);
    else this.renderHeader();
    const router = startRouting((url) => this.show(url));
    this.navigateFn = router.navigate;
    this.show(new URL(location.href));
  }

  private readonly ctx: AppContext = this.makeContext();

  private makeContext(): AppContext {
    // The getters run with `this` = the context object, so they reach the app through `self`.
    const self = this;
    return {
      get session() {
        return must(self.session);
      },
      get client() {
        return must(self.client);
      },
      get directory() {
        return must(self.directory);
      },
      navigate: (path, opts) => this.navigateFn(path, opts),
      signIn: (session, next = '/') => {
        saveSession(session);
        this.begin(session);
        this.navigateFn(next, { replace: true });
      },
      signOut: () => this.signOut(),
      updateUser: (user) => {
        if (!this.session || this.session.user.id !== user.id) return;
        this.session = { ...this.session, user };
        saveSession(this.session);
        this.renderHeader();
      },
      notify: (message, tone = 'info') => this.notify(message, tone),
    };
  }

  /** Starts the signed-in part: client, socket, directory; checks the stored token in the background. */
  private begin(session: Session): void {
    this.end();
    this.session = session;
    const client = new MenteoClient({ session, storage: outboxStorage(session.user.id), sharedTokens: browserSharedTokens(session.user.id) });
    this.client = client;
    this.directory = new RoomDirectory(client);
    this.notifier = new Notifier(client, this.directory, this.notices, (path) => this.navigateFn(path));
    const notifier = this.notifier;
    const statuses = new Map<string, RoomStatus>();
    this.offClient = [
      // A refresh rotated the tokens: keep them for reloads and the other tabs (null: the session ended, 'unauthorized' follows).
      client.rest.onTokens((change) => {
        if (!change || !this.session || this.client !== client) return;
        this.session = { ...this.session, ...change };
        saveSession(this.session);
      }),
      client.on('connection', ({ state }) => this.onConnection(state)),
      notifier.onChange(() => {
        this.renderBell();
        this.applyTitle();
      }),
      // Presence and typing for every room in my list.
      this.directory.on('change', () => {
        for (const e of this.directory?.list() ?? []) {
          const was = statuses.get(e.room.id);
          statuses.set(e.room.id, e.room.status);
          // Presence is shared only in an active room, so a pending room's join carried none: join
          // again once accepted to read it without a reload (issue 16, finding 4).
          if (was === 'pending' && e.room.status === 'active') void rejoin(client, e.room.id);
          else void client.watch(e.room.id).catch(() => undefined);
        }
      }),
    ];
    client.connect();
    void this.directory.refresh().catch(() => undefined);
    void client.rest.me().then(
      (user) => {
        if (this.client !== client || !this.session) return;
        this.session = { ...this.session, user };
        saveSession(this.session);
        this.renderHeader();
      },
      (err: unknown) => {
        if (err instanceof SdkError && err.code === 'UNAUTHENTICATED') this.expire();
      },
    );
    this.renderHeader();
  }

  private end(): void {
    for (const off of this.offClient.splice(0)) off();
    this.notifier?.dispose();
    this.notifier = null;
    this.directory?.dispose();
    this.client?.close();
    this.client = null;
    this.directory = null;
    this.session = null;
    this.banner.hidden = true;
  }

  /**
   * Ends the session on this device. Unsent messages are dropped with it (a shared computer must
   * not keep them), so the user is asked first when there are any.
   */
  private signOut(): void {
    const unsent = this.client?.pending().length ?? 0;
    if (unsent > 0 && !confirm(`${unsent} message${unsent > 1 ? 's have' : ' has'} not been sent yet. Sign out and discard ${unsent > 1 ? 'them' : 'it'}?`)) return;
    // Ends the session on the server too (its tokens stop working); signing out here does not wait for it.
    void this.client?.rest.logout().catch(() => undefined);
    this.leave();
  }

  /** Ends every session of this user (other devices and browsers too), then signs out here. */
  private async signOutEverywhere(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      await client.rest.logoutAll();
    } catch (err) {
      this.notify(err instanceof SdkError ? err.message : 'Could not sign out everywhere. Try again.', 'error');
      return;
    }
    this.leave();
  }

  /** Forgets the session and its unsent messages on this device and goes to the sign-in page. */
  private leave(): void {
    const userId = this.session?.user.id;
    this.end();
    clearSession();
    if (userId) clearOutbox(userId);
    this.renderHeader();
    this.navigateFn('/signin', { replace: true });
  }

  /** The server no longer accepts the token: sign out, but keep unsent messages for the next sign-in. */
  private expire(): void {
    this.end();
    clearSession();
    this.renderHeader();
    this.navigateFn('/signin', { replace: true });
    this.notify('Your session has expired. Please sign in again.', 'error');
  }

  private onConnection(state: ConnectionState): void {
    if (state === 'unauthorized') return this.expire();
    const text = BANNER[state];
    this.banner.hidden = !text;
    this.banner.textContent = text ?? '';
    document.documentElement.dataset.connection = state;
  }

  private renderHeader(): void {
    clear(this.header);
    this.header.append(h('a', { class: 'brand', href: '/', 'aria-label': 'Menteo home' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'M'), h('span', { class: 'brand-name' }, 'Menteo')));
    const s = this.session;
    this.header.classList.toggle('signed-in', s !== null);
    if (!s) return;
    this.header.append(
      h(
        'nav',
        { class: 'topnav', 'aria-label': 'Main' },
        NAV.map(([href, label, testId]) => h('a', { href, 'data-testid': testId, 'data-nav': href }, label)),
      ),
      this.bell,
      h(
        'div',
        { class: 'me' },
        avatar(s.user.id, s.user.displayName, 'sm'),
        h('span', { class: 'me-name', 'data-testid': 'me-name' }, s.user.displayName),
        h('button', { class: 'btn btn-ghost btn-sm', type: 'button', 'data-testid': 'sign-out', onclick: () => this.signOut() }, 'Sign out'),
        h(
          'button',
          { class: 'btn btn-ghost btn-sm', type: 'button', 'data-testid': 'sign-out-everywhere', title: 'Sign out on every device', onclick: () => void this.signOutEverywhere() },
          'Sign out everywhere',
        ),
      ),
    );
    this.renderBell();
    this.markNav(location.pathname);
  }

  /** The bell: the unread count on every page, and the way to the notifications page. */
  private readonly bell = h('a', { class: 'bell', href: '/notifications', 'data-testid': 'bell', 'data-nav': '/notifications' });

  private renderBell(): void {
    const n = this.notifier?.count ?? 0;
    clear(this.bell);
    this.bell.setAttribute('aria-label', n > 0 ? `Notifications: ${n} unread` : 'Notifications');
    this.bell.append(h('span', { class: 'bell-icon', 'aria-hidden': 'true' }, '🔔'), h('span', { class: 'bell-count', 'data-testid': 'bell-count', hidden: n === 0 }, String(n)));
  }

  /** The tab title: the view's, with the unread count in front while there is any. */
  private setTitle(title: string): void {
    this.baseTitle = `${title} · Menteo`;
    this.applyTitle();
  }

  private applyTitle(): void {
    const n = this.notifier?.count ?? 0;
    document.title = n > 0 ? `(${n}) ${this.baseTitle}` : this.baseTitle;
  }

  private show(url: URL): void {
    const match = matchRoute(routes, url.pathname);
    if (match?.route.access === 'member' && !this.session) {
      // A visitor at the front door sees what Menteo is before any form (issue 16, finding 8).
      if (url.pathname === '/') return this.navigateFn('/welcome', { replace: true });
      const next = url.pathname === '/' ? '' : `?next=${encodeURIComponent(url.pathname + url.search)}`;
      return this.navigateFn(`/signin${next}`, { replace: true });
    }
    if (match?.route.access === 'guest' && this.session) return this.navigateFn('/', { replace: true });

    this.markNav(url.pathname);
    this.notifier?.setLocation(url.pathname);
    // The same screen with new params (another tab of the same room) updates in place.
    if (match && this.view?.update && this.viewRoute?.view === match.route.view && this.view.update(match.params)) {
      this.viewRoute = match.route;
      this.main.dataset.view = match.route.path;
      this.setTitle(this.view.title);
      return;
    }
    this.view?.destroy?.();
    clear(this.main);
    const view = match ? match.route.view(this.ctx, match.params) : notFoundView();
    this.view = view;
    this.viewRoute = match?.route ?? null;
    this.main.append(view.el);
    this.main.dataset.view = match?.route.path ?? 'not-found';
    this.setTitle(view.title);
    // After navigation, move focus to the new screen's heading so screen readers announce it.
    if (!this.firstRender) (view.el.querySelector<HTMLElement>('h1[tabindex]') ?? this.main).focus({ preventScroll: true });
    this.firstRender = false;
  }

  /** Marks the header link of the current area. */
  private markNav(pathname: string): void {
    for (const link of Array.from(this.header.querySelectorAll<HTMLAnchorElement>('[data-nav]'))) {
      const href = link.dataset.nav!;
      const current = href === '/' ? pathname === '/' || pathname.startsWith('/rooms/') : pathname.startsWith(href);
      if (current) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  }

  private notify(message: string, tone: 'info' | 'error'): void {
    const note = h('div', { class: `notice notice-${tone}`, role: tone === 'error' ? 'alert' : 'status' }, message);
    this.notices.append(note);
    setTimeout(() => note.remove(), 6000);
  }
}

/** Leaves and joins a room again: the join answers with the room's current presence. */
async function rejoin(client: MenteoClient, roomId: string): Promise<void> {
  await client.leave(roomId).catch(() => undefined);
  await client.watch(roomId).catch(() => undefined);
}

function must<T>(value: T | null): T {
  if (value === null) throw new Error('not signed in');
  return value;
}

/** Creates and starts the app in `root`. */
export function mount(root: HTMLElement): App {
  const app = new App(root);
  app.start();
  return app;
}
