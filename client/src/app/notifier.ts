import type { MenteoClient, Notification, RoomDirectory } from '@menteo/sdk';
import { h } from './dom.js';
import { describe, linkOf } from './notification-copy.js';

const OPT_IN_KEY = 'menteo:browser-notifications';

/** Whether the user turned browser notifications on here (and the browser allows them). */
export const browserNotificationsOn = (): boolean =>
  typeof Notification !== 'undefined' && Notification.permission === 'granted' && localStorage.getItem(OPT_IN_KEY) === 'on';

/** Asks the browser, then remembers the choice; resolves with whether they are on. */
export async function enableBrowserNotifications(): Promise<boolean> {
  if (typeof Notification === 'undefined') return false;
  const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
  if (permission === 'granted') localStorage.setItem(OPT_IN_KEY, 'on');
  return permission === 'granted';
}

export const disableBrowserNotifications = (): void => localStorage.removeItem(OPT_IN_KEY);

/**
 * The signed-in user's notifications in the shell (issue 15): the unread count (bell and tab
 * title), a toast for what happens outside the current view that opens it, a browser
 * notification while the tab is in the background (opt-in), and telling the server which room
 * this tab shows (none while hidden), so messages there are not notified.
 */
export class Notifier {
  private unread = 0;
  private room: string | null = null;
  private readonly offs: Array<() => void> = [];
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly client: MenteoClient,
    private readonly directory: RoomDirectory,
    private readonly toasts: HTMLElement,
    private readonly navigate: (path: string) => void,
  ) {
    this.offs.push(
      client.on('notification', ({ notification, unread }) => {
        this.setUnread(unread);
        this.announce(notification);
      }),
      client.on('notification:read', ({ unread }) => this.setUnread(unread)),
      // Pushes missed while offline: the count comes from the store again.
      client.on('connection', ({ state }) => state === 'connected' && this.refresh()),
    );
    const onVisibility = () => void this.client.view(document.hidden ? null : this.room).catch(() => undefined);
    document.addEventListener('visibilitychange', onVisibility);
    this.offs.push(() => document.removeEventListener('visibilitychange', onVisibility));
    this.refresh();
  }

  get count(): number {
    return this.unread;
  }

  /** Calls `fn` whenever the count changes; returns the unsubscribe. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The route changed: which room (if any) this tab shows now. */
  setLocation(pathname: string): void {
    const m = /^\/rooms\/([^/]+)/.exec(pathname);
    this.room = m ? decodeURIComponent(m[1]!) : null;
    void this.client.view(document.hidden ? null : this.room).catch(() => undefined);
  }

  /** Re-reads the unread count (after a reconnect, or when a page marked entries read). */
  refresh(): void {
    void this.client.rest.notifications.unread().then((n) => this.setUnread(n), () => undefined);
  }

  /** The actor's name as far as my rooms know it. */
  nameFor(n: Notification): string {
    if (!n.actorId) return 'Menteo';
    const entry = this.directory.list().find((e) => e.counterpart?.id === n.actorId);
    return entry?.counterpart?.displayName ?? 'Someone';
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
    this.listeners.clear();
  }

  private setUnread(n: number): void {
    if (n === this.unread) return;
    this.unread = n;
    for (const fn of this.listeners) fn();
  }

  /** A toast unless it is about what this tab shows; a browser notification too while hidden. */
  private announce(n: Notification): void {
    if (n.readAt !== null) return;
    if (n.kind === 'message' && n.data.roomId === this.room && !document.hidden) return;
    const text = describe(n, this.nameFor(n));
    const open = () => {
      void this.client.rest.notifications.read(n.id).then((u) => this.setUnread(u), () => undefined);
      this.navigate(linkOf(n));
    };
    const toast = h(
      'button',
      { class: 'notice notice-toast', type: 'button', 'data-testid': 'toast', 'data-kind': n.kind, onclick: () => (toast.remove(), open()) },
      text,
    );
    this.toasts.append(toast);
    setTimeout(() => toast.remove(), 8000);
    if (document.hidden && browserNotificationsOn()) {
      const shown = new Notification('Menteo', { body: text, tag: n.id });
      shown.onclick = () => {
        window.focus();
        open();
        shown.close();
      };
    }
  }
}
