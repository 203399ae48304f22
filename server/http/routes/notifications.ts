import { Router } from 'express';
import { NotificationPrefsIn, NotificationQuery, NotificationReadIn } from '../../../shared/schemas/notification.js';
import type { Services } from '../../services.js';
import { parse } from '../../validate.js';
import { authed } from '../handler.js';

/** The caller's notification inbox and preferences (docs/NOTIFICATIONS.md). */
export function notificationRoutes(services: Services): Router {
  const r = Router();
  const inbox = services.notifications;
  r.get('/notifications', authed(services, async (req, user) => inbox.list(user, parse(NotificationQuery, req.query, 'notification query'))));
  r.get('/notifications/unread', authed(services, async (_req, user) => ({ unread: await inbox.unread(user) })));
  r.post('/notifications/read', authed(services, async (req, user) => inbox.markRead(user, parse(NotificationReadIn, req.body, 'notification read'))));
  r.get('/notifications/prefs', authed(services, async (_req, user) => ({ prefs: await inbox.prefs(user) })));
  r.put('/notifications/prefs', authed(services, async (req, user) => ({ prefs: await inbox.setPrefs(user, parse(NotificationPrefsIn, req.body, 'notification preferences')) })));
  return r;
}
