import { z } from 'zod';
import { Limits } from '../limits.js';

export const Email = z.string().trim().max(254).email().transform((s) => s.toLowerCase());

/** POST /api/auth/register */
export const RegisterIn = z
  .object({
    email: Email,
    password: z.string().min(Limits.passwordMin).max(Limits.passwordMax),
    displayName: z.string().trim().min(1).max(Limits.displayName),
  })
  .strict();
export type RegisterIn = z.infer<typeof RegisterIn>;

/** POST /api/auth/login */
export const LoginIn = z
  .object({
    email: Email,
    password: z.string().min(1).max(Limits.passwordMax),
  })
  .strict();
export type LoginIn = z.infer<typeof LoginIn>;

/** PATCH /api/me/profile: every field optional; absent fields keep their value. */
export const ProfilePatchIn = z
  .object({
    displayName: z.string().trim().min(1).max(Limits.displayName).optional(),
    bio: z.string().max(4000).optional(),
    expertise: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
    mentoring: z.boolean().optional(),
    timezone: z.string().trim().min(1).max(64).optional(),
  })
  .strict();
export type ProfilePatchIn = z.infer<typeof ProfilePatchIn>;

/** POST /api/auth/refresh: the refresh token from register, login or the previous refresh. */
export const RefreshIn = z
  .object({
    refreshToken: z.string().min(1).max(200),
  })
  .strict();
export type RefreshIn = z.infer<typeof RefreshIn>;

/** POST /api/auth/logout and /api/auth/logout-all: no fields (an absent body counts as `{}`). */
export const LogoutIn = z.object({}).strict();
export type LogoutIn = z.infer<typeof LogoutIn>;

/** POST /api/me/password: the current password proves it is the owner; the new one meets the password rules. */
export const PasswordChangeIn = z
  .object({
    currentPassword: z.string().min(1).max(Limits.passwordMax),
    newPassword: z.string().min(Limits.passwordMin).max(Limits.passwordMax),
  })
  .strict();
export type PasswordChangeIn = z.infer<typeof PasswordChangeIn>;

/** DELETE /api/me: the password again, so an access token alone cannot delete the account. */
export const AccountDeleteIn = z
  .object({
    password: z.string().min(1).max(Limits.passwordMax),
  })
  .strict();
export type AccountDeleteIn = z.infer<typeof AccountDeleteIn>;
