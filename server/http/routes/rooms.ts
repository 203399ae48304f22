import { Router } from 'express';
import { AppError } from '../../../shared/errors.js';
import { MessagePostIn } from '../../../shared/schemas/message.js';
import { HistoryQuery, RoomCreateIn } from '../../../shared/schemas/room.js';
import type { Limiter } from '../../rate/limiter.js';
import type { Services } from '../../services.js';
import { parse } from '../../validate.js';
import { authed, param } from '../handler.js';

/** /api/rooms/*: requests, answers, listing, history and REST sends. */
export function roomRoutes(services: Services, sendRate: Limiter): Router {
  const r = Router();
  const { rooms, messages } = services;

  r.post('/rooms', authed(services, async (req, user) => ({ room: await rooms.request(user, parse(RoomCreateIn, req.body, 'room request')) }), 201));
  // Each active room carries its health (issue 19), so the list shows the badge without a call per room.
  r.get(
    '/rooms',
    authed(services, async (_req, user) => ({
      rooms: await Promise.all((await rooms.listMine(user)).map(async (r) => (r.status === 'active' ? { ...r, health: await services.care.healthOf(r) } : r))),
    })),
  );
  r.get(
    '/rooms/:id',
    authed(services, async (req, user) => {
      const room = await rooms.getForMember(user, param(req, 'id'));
      const request = rooms.requestState(room);
      return { room, members: await rooms.members(room), nextSteps: services.lifecycle.nextSteps(room), ...(request ? { request } : {}) };
    }),
  );
  r.post('/rooms/:id/accept', authed(services, async (req, user) => ({ room: await rooms.answer(user, param(req, 'id'), 'accept') })));
  r.post('/rooms/:id/decline', authed(services, async (req, user) => ({ room: await rooms.answer(user, param(req, 'id'), 'decline') })));

  r.get(
    '/rooms/:id/messages',
    authed(services, async (req, user) => messages.history(user, param(req, 'id'), parse(HistoryQuery, req.query, 'history query'))),
  );
  // 201 for a new message, 200 when a resend returns the stored one (DESIGN §4).
  r.post(
    '/rooms/:id/messages',
    authed(
      services,
      async (req, user, res) => {
        // Per user on every node, at the socket rate (ServerLimits): a client cannot flood through REST instead.
        const allowed = await sendRate.consume(user.id);
        if (!allowed.ok) throw new AppError('RATE_LIMITED', 'too many messages; slow down', { retryAfterMs: allowed.retryAfterMs });
        const body = parse(MessagePostIn, req.body, 'message');
        const { message, created } = await messages.send(user, { ...body, roomId: param(req, 'id') });
        if (!created) res.status(200);
        return { message };
      },
      201,
    ),
  );
  return r;
}
