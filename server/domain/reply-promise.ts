/**
 * Reply-time promises (issue 19), pure. The contract says per role how soon each side answers;
 * the clock runs on the oldest message a member has not answered (a message of the other member
 * after their own last one). At 1× the promise that member gets a nudge, at 2× the room is at
 * risk; an answer clears it; a pause stops the clock. Issue 15's scheduler delivers the
 * notifications: `replyPromiseState(...).nudgeAt / atRiskAt` say when to look again.
 */
import type { ReplyBreach } from '../../shared/record.js';
import type { Message, Room, Stage, UserId } from '../../shared/types.js';

export type { ReplyBreach } from '../../shared/record.js';
import { replyPromiseMs } from './cadence.js';
import { HOUR_MS } from './clock.js';
import { activeDeadline, activeMs, currentPause } from './pause.js';
import { roleOf } from './rooms.js';

type Chat = Pick<Message, 'seq' | 'authorId' | 'kind' | 'createdAt' | 'deletedAt'>;

/** One stretch of one member owing an answer: from the other's first unanswered message to the answer (null: still owed). */
export interface ReplyEpisode {
  waiter: UserId;
  since: string;
  answeredAt: string | null;
}

/** The stretches in which someone owed an answer, oldest first. Only members' live text messages count; nothing before the request was accepted. */
export function replyEpisodes(room: Pick<Room, 'mentorId' | 'menteeId' | 'acceptedAt'>, messages: readonly Chat[]): ReplyEpisode[] {
  const start = room.acceptedAt ?? '';
  const chat = messages
    .filter((m) => m.kind === 'text' && !m.deletedAt && roleOf(room, m.authorId) !== null && m.createdAt >= start)
    .sort((a, b) => a.seq - b.seq);
  const out: ReplyEpisode[] = [];
  let open: ReplyEpisode | null = null;
  for (const m of chat) {
    if (open && m.authorId === open.waiter) {
      open.answeredAt = m.createdAt;
      open = null;
    }
    // While one is open, the author's own follow-ups change nothing: the clock runs from their first unanswered message.
    if (!open) out.push((open = { waiter: m.authorId === room.mentorId ? room.menteeId : room.mentorId, since: m.createdAt, answeredAt: null }));
  }
  return out;
}

export type ReplyPromiseState =
  /** Nobody owes an answer (or the room is not active, or has no contract yet). */
  | { kind: 'none' }
  | { kind: 'paused'; until: string }
  /** `member` owes an answer; `nudgeAt` is 1× the promise, `atRiskAt` 2× (pauses excluded). */
  | { kind: 'waiting' | 'nudge' | 'at-risk'; member: UserId; since: string; promiseHours: number; nudgeAt: string; atRiskAt: string };

/** Where the reply promise stands at `now` (epoch ms). */
export function replyPromiseState(room: Room, messages: readonly Chat[], now: number): ReplyPromiseState {
  if (room.status !== 'active') return { kind: 'none' };
  const paused = currentPause(room, now);
  if (paused) return { kind: 'paused', until: paused.until };
  const promise = replyPromiseMs(room);
  const owed = replyEpisodes(room, messages).at(-1);
  if (!promise || !owed || owed.answeredAt !== null) return { kind: 'none' };
  const ms = promise[roleOf(room, owed.waiter)!];
  const since = Date.parse(owed.since);
  const waited = activeMs(room, since, now);
  const kind = waited >= 2 * ms ? 'at-risk' : waited >= ms ? 'nudge' : 'waiting';
  const iso = (t: number) => new Date(t).toISOString();
  return { kind, member: owed.waiter, since: owed.since, promiseHours: ms / HOUR_MS, nudgeAt: iso(activeDeadline(room, since, ms)), atRiskAt: iso(activeDeadline(room, since, 2 * ms)) };
}


/** The stage the room was in at `t` (from its history). */
function stageAt(room: Room, t: string): Stage {
  let stage: Stage = room.stageHistory[0]?.from ?? room.stage;
  for (const c of room.stageHistory) if (c.at <= t) stage = c.to;
  return stage;
}

/** Every breach of the reply promise, oldest first, each judged by the promise of the stage it began in. */
export function replyBreaches(room: Room, messages: readonly Chat[], now: number): ReplyBreach[] {
  const out: ReplyBreach[] = [];
  for (const e of replyEpisodes(room, messages)) {
    const promise = replyPromiseMs({ ...room, stage: stageAt(room, e.since) });
    if (!promise) continue;
    const role = roleOf(room, e.waiter)!;
    const ms = promise[role];
    const waited = activeMs(room, Date.parse(e.since), e.answeredAt ? Date.parse(e.answeredAt) : now);
    if (waited < ms) continue;
    out.push({ member: e.waiter, role, since: e.since, answeredAt: e.answeredAt, waitedHours: Math.round((waited / HOUR_MS) * 10) / 10, promiseHours: ms / HOUR_MS, level: waited >= 2 * ms ? 'at-risk' : 'late' });
  }
  return out;
}

/**
 * A member's reply times (ms) over a window: for each answer they gave in [from, to], how long the
 * other had waited. Input is one room's messages; the mentor profile joins every room's.
 */
export function replyTimes(room: Pick<Room, 'mentorId' | 'menteeId' | 'acceptedAt'>, messages: readonly Chat[], member: UserId, from: number, to: number): number[] {
  return replyEpisodes(room, messages).flatMap((e) => {
    if (e.waiter !== member || e.answeredAt === null) return [];
    const answered = Date.parse(e.answeredAt);
    return answered >= from && answered <= to ? [answered - Date.parse(e.since)] : [];
  });
}

/** The median of a list (null when empty). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
