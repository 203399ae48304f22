/**
 * Room health (issue 19), pure: on track / needs a check-in / at risk, with the reasons in words,
 * from the cadence of the current stage (time since the last session or message), the reply
 * promises, overdue goals and action items, and time in Initiation against the guide's 1–3
 * months. Time is active time: a pause stops every clock, and a paused room is on track.
 */
import type { ActionItem, HealthLevel, Room, RoomHealth } from '../../shared/types.js';
import { cadenceMs, effectiveCadence } from './cadence.js';
import { DAY_MS, HOUR_MS } from './clock.js';
import { stageLabel } from './guards.js';
import { overdueActionItems } from './meetings.js';
import { activeMs, currentPause } from './pause.js';
import type { ReplyPromiseState } from './reply-promise.js';
import { isRequestExpired, requestExpiresAt } from './requests.js';
import { roleOf } from './rooms.js';

/** What health is computed from: the stored room plus what the services read around it. */
export interface HealthInput {
  room: Room;
  /** The latest text message of either member (ISO), or null. */
  lastMessageAt: string | null;
  /** The start of the last session that was held (ISO), or null. */
  lastHeldAt: string | null;
  reply: ReplyPromiseState;
  items: readonly ActionItem[];
}

/** The guide's expected span of Initiation: past it the pair should agree the contract and move on. */
export const INITIATION_MAX_DAYS = 90;

const RANK: Record<HealthLevel, number> = { 'on-track': 0, 'needs-check-in': 1, 'at-risk': 2 };

/** "3 days", "1 day", "26 h": for sentences. */
export function spanText(ms: number): string {
  if (ms < 2 * DAY_MS) return `${Math.floor(ms / HOUR_MS)} h`;
  const days = Math.floor(ms / DAY_MS);
  return days >= 60 ? `${Math.floor(days / 30)} months` : `${days} days`;
}

const cadenceText = (every: string): string => {
  const n = Number(every.slice(0, -1));
  const unit = { d: 'day', w: 'week', m: 'month' }[every.slice(-1) as 'd' | 'w' | 'm'];
  return n === 1 ? `every ${unit}` : `every ${n} ${unit}s`;
};

/** The room's health at `now` (epoch ms). */
export function roomHealth(input: HealthInput, now: number): RoomHealth {
  const { room } = input;
  const cadence = effectiveCadence(room);
  const result = (level: HealthLevel, reasons: string[], pausedUntil: string | null = null): RoomHealth => ({ level, reasons, cadence, pausedUntil });
  if (room.status === 'pending') {
    const at = requestExpiresAt(room)!.slice(0, 10);
    return isRequestExpired(room, now)
      ? result('at-risk', [`the request expired on ${at} without an answer`])
      : result('on-track', [`the request is waiting for an answer (it expires on ${at})`]);
  }
  if (room.status !== 'active') return result('on-track', [`the mentorship is ${room.status}`]);
  const paused = currentPause(room, now);
  if (paused) return result('on-track', [`paused until ${paused.until.slice(0, 10)}: reminders and reply promises are on hold`], paused.until);

  const found: Array<{ level: HealthLevel; text: string }> = [];
  const add = (level: HealthLevel, text: string) => found.push({ level, text });

  if (cadence) {
    const contact = [input.lastMessageAt, input.lastHeldAt, room.acceptedAt, room.stageHistory.at(-1)?.at].filter((t): t is string => !!t).sort().at(-1);
    if (contact) {
      const quiet = activeMs(room, Date.parse(contact), now);
      const every = cadenceMs(cadence);
      const what = `no session or message for ${spanText(quiet)}; the cadence in ${stageLabel(room.stage)} is ${cadenceText(cadence)}`;
      if (quiet > 2 * every) add('at-risk', what);
      else if (quiet > every) add('needs-check-in', what);
    }
  }

  const r = input.reply;
  if (r.kind === 'nudge' || r.kind === 'at-risk') {
    const waited = activeMs(room, Date.parse(r.since), now);
    const who = `the ${roleOf(room, r.member)}`;
    if (r.kind === 'at-risk') add('at-risk', `${who} has not answered for ${spanText(waited)}, more than twice the ${r.promiseHours} h promise`);
    else add('needs-check-in', `${who} has not answered for ${spanText(waited)}; the promise is ${r.promiseHours} h`);
  }

  const today = new Date(now).toISOString().slice(0, 10);
  for (const g of room.contract?.goals ?? []) {
    if (g.status === 'open' && g.dueDate < today) {
      const days = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${g.dueDate}T00:00:00Z`)) / DAY_MS);
      add('needs-check-in', `goal '${g.title}' is ${days} ${days === 1 ? 'day' : 'days'} past its due date (${g.dueDate})`);
    }
  }
  for (const { item, daysOverdue } of overdueActionItems(room, input.items, now)) {
    const days = Math.max(1, daysOverdue);
    add('needs-check-in', `action item '${item.title}' (the ${roleOf(room, item.ownerId) ?? 'owner'}'s) is overdue by ${days} ${days === 1 ? 'day' : 'days'} (due ${item.dueDate})`);
  }

  if (room.stage === 'initiation' && room.acceptedAt) {
    const since = room.stageHistory.filter((c) => c.to === 'initiation').at(-1)?.at ?? room.acceptedAt;
    const spent = activeMs(room, Date.parse(since), now);
    if (spent > INITIATION_MAX_DAYS * DAY_MS) add('needs-check-in', `in Initiation for ${spanText(spent)}; the guide expects 1–3 months: agree the contract and start the work`);
  }

  if (found.length === 0) return result('on-track', [cadence ? `in touch within the cadence (${cadenceText(cadence)})` : 'no contract yet: agree one to set a cadence']);
  const level = found.reduce<HealthLevel>((worst, f) => (RANK[f.level] > RANK[worst] ? f.level : worst), 'on-track');
  // Worst first, so the first reason explains the badge.
  return result(level, [...found].sort((a, b) => RANK[b.level] - RANK[a.level]).map((f) => f.text));
}
