import { Router } from 'express';
import { MentorQuery } from '../../../shared/schemas/contract.js';
import type { Services } from '../../services.js';
import { parse } from '../../validate.js';
import { authed, param } from '../handler.js';

/** GET /api/mentors?q=&skill=&limit=&cursor= → { mentors, nextCursor }; GET /api/mentors/skills → { skills: [{ tag, mentors }] }; GET /api/users/:id → { user, roomsCompleted } */
export function mentorRoutes(services: Services): Router {
  const r = Router();
  r.get('/mentors/skills', authed(services, async (_req, user) => ({ skills: await services.mentors.skills(user) })));
  r.get('/mentors', authed(services, async (req, user) => services.mentors.search(user, parse(MentorQuery, req.query, 'mentor query'))));
  r.get('/users/:id', authed(services, async (req, user) => services.mentors.profile(user, param(req, 'id'))));
  return r;
}
