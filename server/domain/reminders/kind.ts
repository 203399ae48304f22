/**
 * A time-based reminder kind (issue 15): a pure `due(state, now)` that lists the reminders due
 * at `now`, each with a key that names exactly what it is about (so it is delivered once) and
 * only while it is still timely (so a scheduler catching up after downtime sends no stale ones).
 *
 * Adding a kind: one module here exporting a ReminderKind, one line in ./index.ts, and the kind's
 * data in shared/notifications.ts (NotificationData + NOTIFICATION_KINDS).
 */
import type { NotificationData, NotificationKind } from '../../../shared/notifications.js';
import type { ActionItem, Meeting, Message, Milestone, Room, RoomStatus, UserId } from '../../../shared/types.js';

/**
 * What the scheduler reads from the store for one room. Only what some kind needs for that room
 * is read: a pending room gets empty lists, and `messages` is read only when there is a contract.
 */
export interface ReminderState {
  room: Room;
  milestones: Milestone[];
  /** createdAt of the room's last message (any kind); null when it has none, or no contract (only the cadence reads it). */
  lastMessageAt: string | null;
  /** The room's latest messages (a bounded window, oldest first): who owes an answer. */
  messages: Message[];
  /** The room's sessions, any status. */
  meetings: Meeting[];
  /** The room's action items, any status. */
  items: ActionItem[];
}

/** One due reminder: who gets it, and the notification it becomes. */
export type DueReminder = {
  [K in NotificationKind]: { kind: K; key: string; roomId: string; userIds: UserId[]; data: NotificationData[K] };
}[NotificationKind];

export interface ReminderKind {
  /** For logs and tests. */
  name: string;
  /** The room status it runs for (default 'active'); dueReminders gives a kind no other room. */
  status?: RoomStatus;
  due(state: ReminderState, now: Date): DueReminder[];
}

export const DAY_MS = 86_400_000;

/** 00:00 UTC of a YYYY-MM-DD date, in ms. */
export const startOfDate = (date: string): number => Date.parse(`${date}T00:00:00Z`);

/** Whether `now` lies in [from, until). */
export const within = (now: Date, from: number, until: number): boolean => now.getTime() >= from && now.getTime() < until;
