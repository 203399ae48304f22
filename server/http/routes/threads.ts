import { Router } from 'express';
import { CommentIn, CommentPageQuery, EntryIn, EntryPatchIn, FeedQuery, ThreadCreateIn, ThreadListQuery, ThreadPatchIn } from '../../../shared/schemas/thread.js';
import type { Services } from '../../services.js';
import { parse } from '../../validate.js';
import { authed, param } from '../handler.js';

/**
 * Growth threads (docs/THREADS.md): /api/threads/*, the public feed and profile listings. Every
 * route needs a sign-in; a thread the caller may not read answers NOT_FOUND.
 */
export function threadRoutes(services: Services): Router {
  const r = Router();
  const { threads } = services;
  const ids = (req: Parameters<typeof param>[0]) => [param(req, 'id'), param(req, 'eid'), param(req, 'cid')] as const;

  r.post('/threads', authed(services, async (req, user) => ({ thread: await threads.create(user, parse(ThreadCreateIn, req.body, 'thread')) }), 201));
  r.get(
    '/threads',
    authed(services, async (req, user) => {
      const { roomId } = parse(ThreadListQuery, req.query, 'thread list query');
      return { threads: roomId === undefined ? await threads.listMine(user) : await threads.listForRoom(user, roomId) };
    }),
  );
  r.get('/threads/:id', authed(services, async (req, user) => threads.get(user, param(req, 'id'), parse(FeedQuery, req.query, 'thread query'))));
  r.patch(
    '/threads/:id',
    authed(services, async (req, user) => ({ thread: await threads.update(user, param(req, 'id'), parse(ThreadPatchIn, req.body, 'thread patch')) })),
  );
  r.delete(
    '/threads/:id',
    authed(services, async (req, user) => {
      await threads.remove(user, param(req, 'id'));
      return { ok: true };
    }),
  );

  r.post(
    '/threads/:id/entries',
    authed(services, async (req, user) => ({ entry: await threads.addEntry(user, param(req, 'id'), parse(EntryIn, req.body, 'entry')) }), 201),
  );
  r.patch(
    '/threads/:id/entries/:eid',
    authed(services, async (req, user) => {
      const [id, eid] = ids(req);
      return { entry: await threads.editEntry(user, id, eid, parse(EntryPatchIn, req.body, 'entry patch')) };
    }),
  );
  r.delete(
    '/threads/:id/entries/:eid',
    authed(services, async (req, user) => {
      const [id, eid] = ids(req);
      await threads.removeEntry(user, id, eid);
      return { ok: true };
    }),
  );

  r.get(
    '/threads/:id/entries/:eid/comments',
    authed(services, async (req, user) => {
      const [id, eid] = ids(req);
      return threads.comments(user, id, eid, parse(CommentPageQuery, req.query, 'comment query'));
    }),
  );
  r.post(
    '/threads/:id/entries/:eid/comments',
    authed(
      services,
      async (req, user) => {
        const [id, eid] = ids(req);
        return { comment: await threads.addComment(user, id, eid, parse(CommentIn, req.body, 'comment')) };
      },
      201,
    ),
  );
  r.patch(
    '/threads/:id/entries/:eid/comments/:cid',
    authed(services, async (req, user) => {
      const [id, eid, cid] = ids(req);
      return { comment: await threads.editComment(user, id, eid, cid, parse(CommentIn, req.body, 'comment')) };
    }),
  );
  r.delete(
    '/threads/:id/entries/:eid/comments/:cid',
    authed(services, async (req, user) => {
      const [id, eid, cid] = ids(req);
      await threads.removeComment(user, id, eid, cid);
      return { ok: true };
    }),
  );

  r.get('/feed', authed(services, async (req, user) => threads.feed(user, parse(FeedQuery, req.query, 'feed query'))));
  r.get('/users/:id/threads', authed(services, async (req, user) => threads.listForUser(user, param(req, 'id'))));
  return r;
}
