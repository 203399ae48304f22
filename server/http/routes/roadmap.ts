import { Router } from 'express';
import { TemplateApplyIn, TemplateSaveIn } from '../../../shared/schemas/roadmap.js';
import type { Services } from '../../services.js';
import { parse } from '../../validate.js';
import { authed, param } from '../handler.js';

/** /api/rooms/:id/roadmap and /api/templates: the co-edited roadmap, read and templated over REST. */
export function roadmapRoutes(services: Services): Router {
  const r = Router();
  const { roadmap } = services;

  r.get('/templates', authed(services, async () => ({ templates: roadmap.templates() })));
  r.get('/rooms/:id/roadmap', authed(services, async (req, user) => roadmap.read(user, param(req, 'id'))));
  r.post(
    '/rooms/:id/roadmap/template',
    authed(services, async (req, user) => roadmap.applyTemplate(user, param(req, 'id'), parse(TemplateApplyIn, req.body, 'template'))),
  );
  r.get('/rooms/:id/templates', authed(services, async (req, user) => roadmap.templatesFor(user, param(req, 'id'))));
  r.post(
    '/rooms/:id/roadmap/save-template',
    authed(services, async (req, user) => ({ template: await roadmap.saveTemplate(user, param(req, 'id'), parse(TemplateSaveIn, req.body, 'template')) }), 201),
  );
  return r;
}
