import { Router } from 'express';
import { CheckinIn } from '../../../shared/schemas/checkin.js';
import { ActionItemIn, ActionItemPatchIn, ActionItemQuery, MeetingPatchIn, MeetingScheduleIn } from '../../../shared/schemas/meeting.js';
import { PauseIn, StageCadenceIn } from '../../../shared/schemas/pause.js';
import type { Services } from '../../services.js';
import { parse } from '../../validate.js';
import { authed, param } from '../handler.js';

/**
 * Issue 19: check-ins on measured goals, sessions and action items (with the .ics export), room
 * health, reply promises, pause and resume, the stage's cadence, and a mentor's responsiveness.
 */
export function accountabilityRoutes(services: Services): Router {
  const r = Router();
  const { goals, meetings, care, lifecycle } = services;
  const id = (req: Parameters<typeof param>[0]) => param(req, 'id');

  // check-ins
  r.get('/rooms/:id/checkins', authed(services, async (req, user) => goals.list(user, id(req))));
  r.post(
    '/rooms/:id/goals/:goalId/checkins',
    authed(services, async (req, user) => goals.checkIn(user, id(req), param(req, 'goalId'), parse(CheckinIn, req.body, 'check-in')), 201),
  );

  // sessions and action items
  r.get('/rooms/:id/sessions', authed(services, async (req, user) => meetings.list(user, id(req))));
  r.get(
    '/rooms/:id/sessions.ics',
    authed(services, async (req, user, res) => {
      const ics = await meetings.ics(user, id(req));
      res.type('text/calendar; charset=utf-8').set('content-disposition', 'attachment; filename="menteo-sessions.ics"').send(ics);
      return undefined;
    }),
  );
  r.post('/rooms/:id/sessions', authed(services, async (req, user) => ({ session: await meetings.schedule(user, id(req), parse(MeetingScheduleIn, req.body, 'session')) }), 201));
  r.patch(
    '/rooms/:id/sessions/:sid',
    authed(services, async (req, user) => ({ session: await meetings.patch(user, id(req), param(req, 'sid'), parse(MeetingPatchIn, req.body, 'session change')) })),
  );
  r.post(
    '/rooms/:id/sessions/:sid/items',
    authed(services, async (req, user) => ({ item: await meetings.addItem(user, id(req), param(req, 'sid'), parse(ActionItemIn, req.body, 'action item')) }), 201),
  );
  r.get('/rooms/:id/items', authed(services, async (req, user) => ({ items: await meetings.items(user, id(req), parse(ActionItemQuery, req.query, 'items query')) })));
  r.patch(
    '/rooms/:id/items/:itemId',
    authed(services, async (req, user) => ({ item: await meetings.patchItem(user, id(req), param(req, 'itemId'), parse(ActionItemPatchIn, req.body, 'action item change')) })),
  );

  // health, reply promise, pause, cadence
  r.get('/rooms/:id/health', authed(services, async (req, user) => ({ health: await care.health(user, id(req)) })));
  r.get('/rooms/:id/reply', authed(services, async (req, user) => ({ reply: await care.replyState(user, id(req)) })));
  r.post('/rooms/:id/pause', authed(services, async (req, user) => ({ room: await lifecycle.pause(user, id(req), parse(PauseIn, req.body, 'pause')) })));
  r.post('/rooms/:id/resume', authed(services, async (req, user) => ({ room: await lifecycle.resume(user, id(req)) })));
  r.put('/rooms/:id/cadence', authed(services, async (req, user) => ({ room: await lifecycle.setStageCadence(user, id(req), parse(StageCadenceIn, req.body, 'cadence')) })));

  // a mentor's profile with responsiveness (after /mentors/skills, which mentorRoutes mounts first)
  r.get('/mentors/:id', authed(services, async (req, user) => care.mentorProfile(user, id(req))));
  return r;
}
