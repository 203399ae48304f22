import type { z } from 'zod';
import type { ErrorCode } from '../../../shared/errors.js';
import { AccountDeleteIn, LoginIn, LogoutIn, PasswordChangeIn, ProfilePatchIn, RefreshIn, RegisterIn } from '../../../shared/schemas/auth.js';
import { ContractAcceptIn, ContractIn, GoalPatchIn, MentorQuery, RecordQuery, StageChangeIn } from '../../../shared/schemas/contract.js';
import { NotificationPrefsIn, NotificationQuery, NotificationReadIn } from '../../../shared/schemas/notification.js';
import { CheckinIn } from '../../../shared/schemas/checkin.js';
import { ActionItemIn, ActionItemPatchIn, ActionItemQuery, MeetingPatchIn, MeetingScheduleIn } from '../../../shared/schemas/meeting.js';
import { MessagePostIn } from '../../../shared/schemas/message.js';
import { PauseIn, StageCadenceIn } from '../../../shared/schemas/pause.js';
import { TemplateApplyIn, TemplateSaveIn } from '../../../shared/schemas/roadmap.js';
import { HistoryQuery, RoomCreateIn } from '../../../shared/schemas/room.js';
import { CommentIn, CommentPageQuery, EntryIn, EntryPatchIn, FeedQuery, ThreadCreateIn, ThreadListQuery, ThreadPatchIn } from '../../../shared/schemas/thread.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * One HTTP route as clients see it: the OpenAPI document (GET /api/openapi.json, docs/API.md) is
 * generated from these entries, and the server refuses to start when it mounts a route that is not
 * here (server/http/openapi/mounted.ts). Adding a route: mount it in server/http/routes/, add its
 * entry below with the same shared zod schemas the handler parses, then `npm run docs`.
 */
export interface ApiRoute {
  method: Method;
  /** The Express path as mounted, with the /api prefix (`/api/rooms/:id`); `:name` parameters are ids. */
  path: string;
  /** Groups routes in the reference (auth, rooms, lifecycle, ...). */
  tag: string;
  summary: string;
  /** `none` for the few routes callable without signing in; everything else needs `Authorization: Bearer`. */
  auth?: 'bearer' | 'none';
  /** The JSON body's schema (`optional` when an empty body is accepted). */
  body?: z.ZodType;
  bodyOptional?: true;
  /** The query string's schema: a z.object whose fields are the parameters. */
  query?: z.ZodObject;
  /** The success status (default 200) and the top-level keys of its JSON answer. */
  status?: number;
  returns: string[] | { contentType: string };
  /** Codes this route answers beyond the ones every route may (INVALID_INPUT, UNAUTHENTICATED, RATE_LIMITED, INTERNAL). */
  errors?: ErrorCode[];
}

const member: ErrorCode[] = ['FORBIDDEN', 'NOT_FOUND'];
const guarded: ErrorCode[] = ['FORBIDDEN', 'NOT_FOUND', 'GUARD_FAILED', 'CONFLICT'];

export const API_ROUTES: ApiRoute[] = [
  // operations (server/http/routes/health.ts)
  { method: 'get', path: '/healthz', tag: 'operations', summary: 'Liveness', auth: 'none', returns: ['ok'] },
  { method: 'get', path: '/readyz', tag: 'operations', summary: 'Readiness: the store (503 while a check fails or the server drains)', auth: 'none', returns: ['ok', 'draining', 'checks'] },
  { method: 'get', path: '/metrics', tag: 'operations', summary: 'Prometheus metrics', auth: 'none', returns: { contentType: 'text/plain' } },
  { method: 'get', path: '/api/openapi.json', tag: 'operations', summary: 'This document', auth: 'none', returns: ['openapi', 'info', 'paths', 'components'] },

  // accounts (server/http/routes/auth.ts)
  { method: 'post', path: '/api/auth/register', tag: 'auth', summary: 'Create an account', auth: 'none', body: RegisterIn, status: 201, returns: ['user', 'token', 'refreshToken'], errors: ['CONFLICT', 'RATE_LIMITED'] },
  { method: 'post', path: '/api/auth/login', tag: 'auth', summary: 'Sign in: a 15-minute access token and a rotating refresh token', auth: 'none', body: LoginIn, returns: ['user', 'token', 'refreshToken'], errors: ['RATE_LIMITED'] },
  { method: 'post', path: '/api/auth/refresh', tag: 'auth', summary: 'Trade a refresh token for a new pair (a reused one revokes the session)', auth: 'none', body: RefreshIn, returns: ['token', 'refreshToken'], errors: ['RATE_LIMITED'] },
  { method: 'post', path: '/api/auth/logout', tag: 'auth', summary: 'End this session (its sockets close)', body: LogoutIn, returns: ['ok'] },
  { method: 'post', path: '/api/auth/logout-all', tag: 'auth', summary: 'End every session of the user', body: LogoutIn, returns: ['ok', 'sessions'] },
  { method: 'post', path: '/api/me/password', tag: 'auth', summary: 'Change the password; every other session ends', body: PasswordChangeIn, returns: ['ok'], errors: ['RATE_LIMITED'] },
  { method: 'get', path: '/api/me/export', tag: 'auth', summary: "Download the user's data as JSON", returns: ['exportedAt', 'user', 'rooms', 'messages', 'threads', 'comments', 'checkins', 'sessions', 'actionItems', 'notifications', 'notificationPrefs'] },
  { method: 'delete', path: '/api/me', tag: 'auth', summary: 'Delete the account (personal data removed; rooms and the other member keep their history)', body: AccountDeleteIn, returns: ['ok'], errors: ['RATE_LIMITED'] },
  { method: 'get', path: '/api/me', tag: 'auth', summary: 'The signed-in user (with email)', returns: ['user'] },
  { method: 'patch', path: '/api/me/profile', tag: 'auth', summary: 'Edit my profile', body: ProfilePatchIn, returns: ['user'] },

  // mentors (server/http/routes/mentors.ts)
  { method: 'get', path: '/api/mentors', tag: 'mentors', summary: 'Search mentors by words and a skill tag, cursor-paged', query: MentorQuery, returns: ['mentors', 'nextCursor'] },
  { method: 'get', path: '/api/users/:id', tag: 'mentors', summary: "A person's public profile with roomsCompleted (rooms they mentored that reached Separation or Redefinition)", returns: ['user', 'roomsCompleted'], errors: ['NOT_FOUND'] },
  { method: 'get', path: '/api/mentors/skills', tag: 'mentors', summary: 'The skill tags mentors use, with how many mentors use each (for a skill picker)', returns: ['skills'] },

  // rooms and messages (server/http/routes/rooms.ts)
  { method: 'post', path: '/api/rooms', tag: 'rooms', summary: 'Request a mentor or a mentee (a pending room); CONFLICT with details {roomId, status} when the pair already has a pending or active room', body: RoomCreateIn, status: 201, returns: ['room'], errors: ['NOT_FOUND', 'GUARD_FAILED', 'CONFLICT'] },
  { method: 'get', path: '/api/rooms', tag: 'rooms', summary: 'My rooms with unread counts, the last message, health (active rooms) and request expiry (pending ones)', returns: ['rooms'] },
  { method: 'get', path: '/api/rooms/:id', tag: 'rooms', summary: 'A room with its members and next steps (a pending request also carries request {expiresAt, expired})', returns: ['room', 'members', 'nextSteps'], errors: member },
  { method: 'post', path: '/api/rooms/:id/accept', tag: 'rooms', summary: 'Accept a request (the invited side only)', returns: ['room'], errors: guarded },
  { method: 'post', path: '/api/rooms/:id/decline', tag: 'rooms', summary: 'Decline a request (the invited side only)', returns: ['room'], errors: guarded },
  { method: 'get', path: '/api/rooms/:id/messages', tag: 'rooms', summary: 'A page of history, ascending seq', query: HistoryQuery, returns: ['messages', 'hasMore'], errors: member },
  { method: 'post', path: '/api/rooms/:id/messages', tag: 'rooms', summary: 'Send a message (200 with the stored one on a resend)', body: MessagePostIn, status: 201, returns: ['message'], errors: guarded },

  // lifecycle (server/http/routes/lifecycle.ts)
  { method: 'put', path: '/api/rooms/:id/contract', tag: 'lifecycle', summary: 'Propose or edit the contract (clears acceptances)', body: ContractIn, returns: ['room'], errors: guarded },
  { method: 'post', path: '/api/rooms/:id/contract/accept', tag: 'lifecycle', summary: 'Accept the current contract for myself', body: ContractAcceptIn, bodyOptional: true, returns: ['room'], errors: guarded },
  { method: 'patch', path: '/api/rooms/:id/goals/:goalId', tag: 'lifecycle', summary: "Set a goal's outcome or acknowledge it", body: GoalPatchIn, returns: ['room'], errors: guarded },
  { method: 'post', path: '/api/rooms/:id/stage', tag: 'lifecycle', summary: 'Move the room to another stage (named guards)', body: StageChangeIn, returns: ['room'], errors: guarded },
  { method: 'get', path: '/api/rooms/:id/record', tag: 'lifecycle', summary: 'The record of achievement (JSON, or Markdown with ?format=md)', query: RecordQuery, returns: ['record'], errors: member },

  // accountability, issue 19 (server/http/routes/accountability.ts)
  { method: 'get', path: '/api/rooms/:id/checkins', tag: 'accountability', summary: "The room's check-ins and each measured goal's progress", returns: ['checkins', 'progress'], errors: member },
  { method: 'post', path: '/api/rooms/:id/goals/:goalId/checkins', tag: 'accountability', summary: 'Record the current value of a measured goal (either member, in Cultivation)', body: CheckinIn, status: 201, returns: ['checkin', 'progress'], errors: guarded },
  { method: 'get', path: '/api/rooms/:id/sessions', tag: 'accountability', summary: 'The sessions (by start time) and action items', returns: ['sessions', 'items'], errors: member },
  { method: 'get', path: '/api/rooms/:id/sessions.ics', tag: 'accountability', summary: 'The upcoming sessions as an iCalendar file', returns: { contentType: 'text/calendar' }, errors: member },
  { method: 'post', path: '/api/rooms/:id/sessions', tag: 'accountability', summary: 'Schedule a session', body: MeetingScheduleIn, status: 201, returns: ['session'], errors: guarded },
  { method: 'patch', path: '/api/rooms/:id/sessions/:sid', tag: 'accountability', summary: 'Mark a session held, no-show (who) or cancelled (why); notes; move it', body: MeetingPatchIn, returns: ['session'], errors: guarded },
  { method: 'post', path: '/api/rooms/:id/sessions/:sid/items', tag: 'accountability', summary: 'Add an action item (owner, due date, optional goal)', body: ActionItemIn, status: 201, returns: ['item'], errors: guarded },
  { method: 'get', path: '/api/rooms/:id/items', tag: 'accountability', summary: "The room's action items (?status=open for the open ones)", query: ActionItemQuery, returns: ['items'], errors: member },
  { method: 'patch', path: '/api/rooms/:id/items/:itemId', tag: 'accountability', summary: 'Mark an action item done or reopen it', body: ActionItemPatchIn, returns: ['item'], errors: guarded },
  { method: 'get', path: '/api/rooms/:id/health', tag: 'accountability', summary: 'Room health: on-track / needs-check-in / at-risk with the reasons in words', returns: ['health'], errors: member },
  { method: 'get', path: '/api/rooms/:id/reply', tag: 'accountability', summary: 'Who owes an answer and when the reply promise is nudged / at risk', returns: ['reply'], errors: member },
  { method: 'post', path: '/api/rooms/:id/pause', tag: 'accountability', summary: 'Pause the room (at most 60 days): every timer stops', body: PauseIn, returns: ['room'], errors: guarded },
  { method: 'post', path: '/api/rooms/:id/resume', tag: 'accountability', summary: 'Resume a paused room', returns: ['room'], errors: guarded },
  { method: 'put', path: '/api/rooms/:id/cadence', tag: 'accountability', summary: 'Set the lighter cadence of Separation or Redefinition', body: StageCadenceIn, returns: ['room'], errors: guarded },
  { method: 'get', path: '/api/mentors/:id', tag: 'mentors', summary: "A mentor's profile with last activity and median reply time over 90 days", returns: ['mentor', 'activity'], errors: ['NOT_FOUND'] },

  // roadmap (server/http/routes/roadmap.ts)
  { method: 'get', path: '/api/templates', tag: 'roadmap', summary: 'The roadmap templates', returns: ['templates'] },
  { method: 'get', path: '/api/rooms/:id/roadmap', tag: 'roadmap', summary: 'The roadmap document as JSON with progress', returns: ['roadmap', 'progress'], errors: member },
  { method: 'post', path: '/api/rooms/:id/roadmap/template', tag: 'roadmap', summary: "Apply a template (curated, or one of the pair's own) inside the live document", body: TemplateApplyIn, returns: ['roadmap', 'progress'], errors: [...member, 'PAYLOAD_TOO_LARGE', 'GUARD_FAILED'] },
  { method: 'get', path: '/api/rooms/:id/templates', tag: 'roadmap', summary: "The curated templates and the pair's own (saved from their roadmaps), for a member", returns: ['templates', 'own'], errors: member },
  { method: 'post', path: '/api/rooms/:id/roadmap/save-template', tag: 'roadmap', summary: "Save the roadmap as it is now as a template of the pair's own (GUARD_FAILED roadmap-empty, pair-templates)", body: TemplateSaveIn, status: 201, returns: ['template'], errors: [...member, 'GUARD_FAILED'] },

  // notifications (server/http/routes/notifications.ts, docs/NOTIFICATIONS.md)
  { method: 'get', path: '/api/notifications', tag: 'notifications', summary: 'My inbox, newest first, cursor-paged, with the unread count', query: NotificationQuery, returns: ['notifications', 'unread', 'nextCursor'] },
  { method: 'get', path: '/api/notifications/unread', tag: 'notifications', summary: 'My unread count (the bell)', returns: ['unread'] },
  { method: 'post', path: '/api/notifications/read', tag: 'notifications', summary: 'Mark one entry ({id}) or every entry ({all: true}) read; my other devices get notification:read', body: NotificationReadIn, returns: ['ids', 'unread'] },
  { method: 'get', path: '/api/notifications/prefs', tag: 'notifications', summary: 'My notification preferences (per kind: in-app, webhook; quiet hours)', returns: ['prefs'] },
  { method: 'put', path: '/api/notifications/prefs', tag: 'notifications', summary: 'Replace my notification preferences', body: NotificationPrefsIn, returns: ['prefs'] },

  // growth threads (server/http/routes/threads.ts)
  { method: 'post', path: '/api/threads', tag: 'threads', summary: 'Start a thread', body: ThreadCreateIn, status: 201, returns: ['thread'], errors: member },
  { method: 'get', path: '/api/threads', tag: 'threads', summary: "My threads, or a room's threads I may read", query: ThreadListQuery, returns: ['threads'], errors: member },
  { method: 'get', path: '/api/threads/:id', tag: 'threads', summary: 'A thread with a page of its entries', query: FeedQuery, returns: ['thread', 'entries', 'nextCursor', 'hasMore'], errors: ['NOT_FOUND'] },
  { method: 'patch', path: '/api/threads/:id', tag: 'threads', summary: 'Rename a thread or change its visibility', body: ThreadPatchIn, returns: ['thread'], errors: member },
  { method: 'delete', path: '/api/threads/:id', tag: 'threads', summary: 'Delete a thread', returns: ['ok'], errors: member },
  { method: 'post', path: '/api/threads/:id/entries', tag: 'threads', summary: 'Add an entry', body: EntryIn, status: 201, returns: ['entry'], errors: member },
  { method: 'patch', path: '/api/threads/:id/entries/:eid', tag: 'threads', summary: 'Edit an entry', body: EntryPatchIn, returns: ['entry'], errors: member },
  { method: 'delete', path: '/api/threads/:id/entries/:eid', tag: 'threads', summary: 'Delete an entry', returns: ['ok'], errors: member },
  { method: 'get', path: '/api/threads/:id/entries/:eid/comments', tag: 'threads', summary: "An entry's older comments, newest page first, cursor-paged", query: CommentPageQuery, returns: ['comments', 'nextCursor'], errors: ['NOT_FOUND'] },
  { method: 'post', path: '/api/threads/:id/entries/:eid/comments', tag: 'threads', summary: 'Comment on an entry', body: CommentIn, status: 201, returns: ['comment'], errors: member },
  { method: 'patch', path: '/api/threads/:id/entries/:eid/comments/:cid', tag: 'threads', summary: 'Edit my comment', body: CommentIn, returns: ['comment'], errors: member },
  { method: 'delete', path: '/api/threads/:id/entries/:eid/comments/:cid', tag: 'threads', summary: 'Delete a comment (its author or the thread owner)', returns: ['ok'], errors: member },
  { method: 'get', path: '/api/feed', tag: 'threads', summary: 'Public entries, newest first, cursor-paged', query: FeedQuery, returns: ['items', 'nextCursor'] },
  { method: 'get', path: '/api/users/:id/threads', tag: 'threads', summary: "A user's threads I may read", returns: ['user', 'threads'], errors: ['NOT_FOUND'] },
];
