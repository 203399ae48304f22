/**
 * Cadence by stage (issue 19), pure. The contract's cadence holds in Initiation and Cultivation;
 * the guide says contact thins out in Separation and becomes occasional in Redefinition, so
 * moving into either asks the pair for a lighter cadence, and until they choose one the
 * suggestion applies (a pair in Redefinition is never nagged weekly). Check-in timers, health and
 * reply promises all read `effectiveCadence`.
 */
import type { Room, Stage } from '../../shared/types.js';
import { DAY_MS, HOUR_MS } from './clock.js';

/** The lighter cadence suggested on entering a stage; the contract's, if already lighter, stays. */
export const SUGGESTED_CADENCE: Readonly<Partial<Record<Stage, string>>> = { separation: '1m', redefinition: '3m' };

/** "1w" → ms. A month counts 30 days: cadence is a rhythm, not a calendar date. */
export function cadenceMs(every: string): number {
  const m = /^(\d+)([dwm])$/.exec(every);
  if (!m) throw new Error(`not a cadence: ${every}`);
  const n = Number(m[1]);
  return n * (m[2] === 'd' ? 1 : m[2] === 'w' ? 7 : 30) * DAY_MS;
}

/** The lighter (longer) of two cadences. */
const lighter = (a: string, b: string): string => (cadenceMs(a) >= cadenceMs(b) ? a : b);

/** The cadence the current stage follows, or null before there is a contract. */
export function effectiveCadence(room: Pick<Room, 'stage' | 'contract' | 'stageCadence'>): string | null {
  const base = room.contract?.cadence.every;
  if (!base) return null;
  if (room.stage !== 'separation' && room.stage !== 'redefinition') return base;
  const chosen = room.stageCadence?.[room.stage];
  return chosen ?? lighter(base, SUGGESTED_CADENCE[room.stage]!);
}

/**
 * The default reply promise for a cadence, in hours: a pair meeting weekly answers within a day,
 * fortnightly within two, monthly within three; rarer than that (Redefinition's occasional
 * contact) within half the cadence, so the last word of a quarterly exchange is not "owed" a
 * reply within days.
 */
export function defaultReplyHours(every: string): number {
  const ms = cadenceMs(every);
  if (ms <= 7 * DAY_MS) return 24;
  if (ms <= 14 * DAY_MS) return 48;
  if (ms <= 31 * DAY_MS) return 72;
  return Math.round(ms / 2 / HOUR_MS);
}

/** Each role's reply promise in ms: the contract's, or the default of the current stage's cadence. */
export function replyPromiseMs(room: Pick<Room, 'stage' | 'contract' | 'stageCadence'>): { mentor: number; mentee: number } | null {
  const cadence = effectiveCadence(room);
  if (!cadence) return null;
  const stated = room.contract?.replyWithinHours;
  const fallback = defaultReplyHours(cadence);
  // In the lighter stages a promise made for weekly work would nag: the stage's default wins when longer.
  const hours = (h: number | undefined) => (room.stage === 'separation' || room.stage === 'redefinition' ? Math.max(h ?? 0, fallback) : (h ?? fallback));
  return { mentor: hours(stated?.mentor) * HOUR_MS, mentee: hours(stated?.mentee) * HOUR_MS };
}
