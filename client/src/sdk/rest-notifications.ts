import type { Notification, NotificationPrefs } from '../../../shared/notifications.js';
import { NotificationPrefsIn, NotificationQuery } from '../../../shared/schemas/notification.js';
import type { RestClient } from './rest.js';
import { check } from './rest.js';

/** One page of the inbox, newest first, with the unread count; `nextCursor` is null on the last page. */
export interface NotificationPage {
  notifications: Notification[];
  unread: number;
  nextCursor: string | null;
}

/**
 * The notification inbox over REST (docs/NOTIFICATIONS.md). Live changes arrive as the client's
 * `notification` and `notification:read` events; a client that was offline reads `list()` again.
 */
export class NotificationsApi {
  constructor(private readonly rest: RestClient) {}

  list(query: NotificationQuery = {}): Promise<NotificationPage> {
    const q = check(NotificationQuery, query, 'notification query');
    const params = new URLSearchParams(Object.entries(q).filter((e): e is [string, string | number] => e[1] !== undefined).map(([k, v]) => [k, String(v)]));
    return this.rest.request('GET', `/notifications${params.toString() ? `?${params}` : ''}`);
  }

  async unread(): Promise<number> {
    return (await this.rest.request<{ unread: number }>('GET', '/notifications/unread')).unread;
  }

  /** Marks one entry read; resolves with the unread count after it. */
  async read(id: string): Promise<number> {
    return (await this.rest.request<{ unread: number }>('POST', '/notifications/read', { id })).unread;
  }

  async readAll(): Promise<number> {
    return (await this.rest.request<{ unread: number }>('POST', '/notifications/read', { all: true })).unread;
  }

  async prefs(): Promise<NotificationPrefs> {
    return (await this.rest.request<{ prefs: NotificationPrefs }>('GET', '/notifications/prefs')).prefs;
  }

  async setPrefs(prefs: NotificationPrefs): Promise<NotificationPrefs> {
    return (await this.rest.request<{ prefs: NotificationPrefs }>('PUT', '/notifications/prefs', check(NotificationPrefsIn, prefs, 'notification preferences'))).prefs;
  }
}
