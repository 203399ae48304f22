import type { Room } from '../../shared/types.js';
import { currentPause } from '../domain/pause.js';
import { dueReminders, REMINDER_KINDS, type DueReminder, type ReminderKind, type ReminderState } from '../domain/reminders/index.js';
import { expiredRequestWindow } from '../domain/reminders/request-expired.js';
import { newId } from '../ids.js';
import type { Logger } from '../log.js';
import type { ReminderRecord } from '../store/notifications.js';
import type { Store } from '../store/port.js';
import type { Clock } from '../domain/clock.js';
import type { NotificationService } from './service.js';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

export interface SchedulerOptions {
  /** How often a tick runs, in ms. */
  tickMs: number;
  /** How long a claimed reminder is held before another node may deliver it, in ms. */
  leaseMs: number;
  /** Reads a room's milestones (the roadmap document); failures count as none. */
  milestones: (roomId: string) => Promise<ReminderState['milestones']>;
  kinds?: readonly ReminderKind[];
  /**
   * Test-only fault injection (NOTIFY_TEST_HOLD_CLAIM_MS): wait this long after claiming, before
   * delivering, so a test can kill the process while it holds a claim.
   */
  holdClaimMs?: number;
}

const PAGE = 200;
/**
 * How many of the latest messages are read to see who owes an answer: one page, so a tick's cost
 * per room is bounded. Only a run of more than this many messages by one member (none answered)
 * would date the open episode from a later message than its first.
 */
const CHAT_WINDOW = 200;

/**
 * Time-based reminders (issue 15). Each tick, from stored state only: every kind's pure
 * `due(state, now)` runs for every active room, and for pending rooms whose request expired
 * recently (a second, bounded pass: expiry is the only reminder of a request); what is due is stored as a reminder row (once per
 * key, whichever node computes it); then due rows are claimed with a lease and delivered. A
 * claimed row is re-checked against the state at delivery (a stale one is skipped), and delivery
 * is idempotent per recipient and key, so a claimer that crashed mid-delivery is finished by the
 * next node after its lease ends without a second notification. After downtime the first tick
 * catches up with what is due now; reminders whose moment passed are no longer produced.
 */
export class ReminderScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private closed = false;
  private readonly kinds: readonly ReminderKind[];

  constructor(
    private readonly store: Store,
    private readonly notifications: NotificationService,
    private readonly clock: Clock,
    private readonly nodeId: string,
    private readonly opts: SchedulerOptions,
    private readonly log: Logger,
  ) {
    this.kinds = opts.kinds ?? REMINDER_KINDS;
  }

  start(): void {
    const run = () => {
      if (this.running || this.closed) return;
      this.running = this.tick()
        .catch((err: unknown) => this.log.warn({ err }, 'reminder tick failed'))
        .finally(() => (this.running = null));
    };
    this.timer = setInterval(run, this.opts.tickMs);
    this.timer.unref();
    run();
  }

  /** One pass: compute and store what is due, then claim and deliver. Tests call it with a driven clock. */
  async tick(): Promise<{ enqueued: number; delivered: number; skipped: number }> {
    const now = new Date(this.clock());
    const expired = expiredRequestWindow(now);
    let enqueued = 0;
    for (const page of [(after: string | null) => this.store.rooms.listActive(after, PAGE), (after: string | null) => this.store.rooms.listPending(expired.from, expired.until, after, PAGE)]) {
      for (let after: string | null = null; ; ) {
        const rooms = await page(after);
        for (const room of rooms) {
          // Each room's reads resolve at once when no fsync is in flight, so without a turn of the
          // event loop between rooms a tick over 1,000 of them ran as one 170 ms stall.
          await yieldToEventLoop();
          const due = dueReminders(await this.stateOf(room, now), now, this.kinds);
          if (due.length > 0) enqueued += await this.store.reminders.enqueue(due.map((r) => this.row(r, now)));
        }
        if (rooms.length < PAGE || this.closed) break;
        after = rooms.at(-1)!.id;
      }
    }
    let delivered = 0;
    let skipped = 0;
    for (;;) {
      const at = new Date(this.clock());
      const claimed = await this.store.reminders.claim(this.nodeId, at.toISOString(), new Date(at.getTime() + this.opts.leaseMs).toISOString(), 20);
      if (claimed.length === 0 || this.closed) break;
      if (this.opts.holdClaimMs) {
        this.log.info({ reminders: claimed.map((r) => r.key) }, 'reminders claimed; holding (NOTIFY_TEST_HOLD_CLAIM_MS)');
        await new Promise((resolve) => setTimeout(resolve, this.opts.holdClaimMs));
      }
      for (const reminder of claimed) {
        if (await this.deliver(reminder)) delivered++;
        else skipped++;
      }
    }
    return { enqueued, delivered, skipped };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Delivers a claimed reminder to each recipient unless it is no longer due; true when delivered. */
  private async deliver(reminder: ReminderRecord): Promise<boolean> {
    const at = new Date(this.clock());
    const room = await this.store.rooms.get(reminder.roomId);
    // dueReminders runs each kind for rooms of its status only: a room closed or answered meanwhile is skipped.
    const still = room ? dueReminders(await this.stateOf(room, at), at, this.kinds).find((r) => r.key === reminder.key) : undefined;
    if (!still) {
      await this.store.reminders.finish(reminder.id, this.nodeId, 'skipped', at.toISOString());
      return false;
    }
    for (const userId of still.userIds) {
      await this.notifications.deliver({ userId, kind: still.kind, key: still.key, actorId: null, data: still.data } as Parameters<NotificationService['deliver']>[0], 'once');
    }
    const finished = await this.store.reminders.finish(reminder.id, this.nodeId, 'done', new Date(this.clock()).toISOString());
    if (!finished) this.log.info({ key: reminder.key }, 'reminder lease lost during delivery; the other node finishes it (delivery is idempotent)');
    return true;
  }

  /**
   * What the kinds read for one room, and only that: nothing for a room that is not active (a
   * pending request needs only itself) or is paused (it gets no reminders); messages only with a
   * contract (cadence and reply promises need one).
   */
  private async stateOf(room: Room, now: Date): Promise<ReminderState> {
    const none: ReminderState = { room, milestones: [], lastMessageAt: null, messages: [], meetings: [], items: [] };
    if (room.status !== 'active' || currentPause(room, now.getTime())) return none;
    const [milestones, chat, meetings, items] = await Promise.all([
      this.opts.milestones(room.id).catch((err: unknown) => {
        this.log.warn({ err, roomId: room.id }, 'reminders: roadmap unreadable');
        return [];
      }),
      room.contract && room.lastSeq > 0 ? this.store.messages.history(room.id, { latest: true, limit: CHAT_WINDOW }) : Promise.resolve({ messages: [] }),
      this.store.meetings.list(room.id),
      this.store.meetings.listItems(room.id),
    ]);
    return { room, milestones, lastMessageAt: chat.messages.at(-1)?.createdAt ?? null, messages: chat.messages, meetings, items };
  }

  private row(r: DueReminder, now: Date) {
    return { id: newId(), key: r.key, kind: r.kind, roomId: r.roomId, userIds: r.userIds, data: r.data as unknown as Record<string, unknown>, dueAt: now.toISOString() };
  }
}
