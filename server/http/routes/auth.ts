import { Router } from 'express';
import { AccountDeleteIn, LoginIn, LogoutIn, PasswordChangeIn, ProfilePatchIn, RefreshIn, RegisterIn } from '../../../shared/schemas/auth.js';
import type { Services } from '../../services.js';
import { parse } from '../../validate.js';
import { authed } from '../handler.js';
import { clientIp } from '../rate.js';

/** /api/auth/* and /api/me */
export function authRoutes(services: Services): Router {
  const r = Router();
  r.post(
    '/auth/register',
    async (req, res) => {
      res.status(201).json(await services.auth.register(parse(RegisterIn, req.body, 'registration')));
    },
  );
  r.post(
    '/auth/login',
    async (req, res) => {
      res.json(await services.auth.login(parse(LoginIn, req.body, 'login'), clientIp(req)));
    },
  );
  r.post(
    '/auth/refresh',
    async (req, res) => {
      res.json(await services.auth.refresh(parse(RefreshIn, req.body, 'refresh').refreshToken));
    },
  );
  r.post(
    '/auth/logout',
    authed(services, async (req, session) => {
      parse(LogoutIn, req.body ?? {}, 'logout');
      await services.auth.logout(session);
      return { ok: true };
    }),
  );
  r.post(
    '/auth/logout-all',
    authed(services, async (req, session) => {
      parse(LogoutIn, req.body ?? {}, 'logout');
      return { ok: true, sessions: await services.auth.logoutAll(session) };
    }),
  );
  r.post(
    '/me/password',
    authed(services, async (req, session) => {
        await services.auth.changePassword(session, parse(PasswordChangeIn, req.body, 'password change'));
        return { ok: true };
      }),
  );
  r.get(
    '/me/export',
    authed(services, async (_req, session, res) => {
      res.attachment('menteo-export.json');
      return services.account.export(session);
    }),
  );
  r.delete(
    '/me',
    authed(services, async (req, session) => {
        await services.account.delete(session, parse(AccountDeleteIn, req.body, 'account deletion').password);
        return { ok: true };
      }),
  );
  r.get('/me', authed(services, async (_req, user) => ({ user: await services.users.me(user) })));
  r.patch(
    '/me/profile',
    authed(services, async (req, user) => ({ user: await services.users.updateProfile(user, parse(ProfilePatchIn, req.body, 'profile')) })),
  );
  return r;
}
