import { Router } from 'express';
import { ContractAcceptIn, ContractIn, GoalPatchIn, RecordQuery, StageChangeIn } from '../../../shared/schemas/contract.js';
import type { Services } from '../../services.js';
import { parse } from '../../validate.js';
import { authed, param } from '../handler.js';

/** The mentorship lifecycle: contract, goals, stage, record. Each change answers `{ room }`. */
export function lifecycleRoutes(services: Services): Router {
  const r = Router();
  const { lifecycle } = services;

  r.put(
    '/rooms/:id/contract',
    authed(services, async (req, user) => ({ room: await lifecycle.putContract(user, param(req, 'id'), parse(ContractIn, req.body, 'contract')) })),
  );
  // The body is optional ({ version } guards against accepting terms one has not seen).
  r.post(
    '/rooms/:id/contract/accept',
    authed(services, async (req, user) => ({
      room: await lifecycle.acceptContract(user, param(req, 'id'), parse(ContractAcceptIn, req.body ?? {}, 'contract acceptance')),
    })),
  );
  r.patch(
    '/rooms/:id/goals/:goalId',
    authed(services, async (req, user) => ({
      room: await lifecycle.patchGoal(user, param(req, 'id'), param(req, 'goalId'), parse(GoalPatchIn, req.body, 'goal change')),
    })),
  );
  r.post(
    '/rooms/:id/stage',
    authed(services, async (req, user) => ({ room: await lifecycle.changeStage(user, param(req, 'id'), parse(StageChangeIn, req.body, 'stage change')) })),
  );
  r.get(
    '/rooms/:id/record',
    authed(services, async (req, user, res) => {
      const { format } = parse(RecordQuery, req.query, 'record query');
      if (format !== 'md') return { record: await lifecycle.record(user, param(req, 'id')) };
      res.type('text/markdown; charset=utf-8').send(await lifecycle.recordMarkdown(user, param(req, 'id')));
      return undefined;
    }),
  );
  return r;
}
