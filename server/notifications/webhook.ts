import { createHmac } from 'node:crypto';
import type { Notification, NotificationPrefs, WebhookPayload } from '../../shared/notifications.js';
import type { UserId } from '../../shared/types.js';
import { retryDelayMs } from '../domain/backoff.js';
import { quietUntil } from '../domain/quiet-hours.js';
import type { Logger } from '../log.js';
import type { OutboxRecord } from '../store/notifications.js';
import type { Store } from '../store/port.js';
import type { Clock } from '../domain/clock.js';
import type { NotificationSink } from './service.js';

/** Header names of a delivery (docs/NOTIFICATIONS.md). */
export const WebhookHeaders = {
  signature: 'x-menteo-signature',
  timestamp: 'x-menteo-timestamp',
  idempotencyKey: 'idempotency-key',
} as const;

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`: the timestamp is signed, so a replayed delivery cannot be re-dated. */
export function signWebhook(secret: string, timestamp: string, rawBody: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

export interface WebhookOptions {
  url: string;
  secret: string;
  /** Retry n waits base·2^(n-1) ms with jitter, capped at a day. */
  retryBaseMs: number;
  /** Attempts before an entry is given up (dead). */
  maxAttempts: number;
  /** How often the outbox is polled for due entries, in ms. */
  pollMs: number;
  /** How long a claimed entry is held before another node may retry it, in ms. */
  leaseMs: number;
  /** One POST's timeout, in ms. */
  timeoutMs: number;
}

/**
 * The webhook outbox (issue 15): each new notification for an offline member is stored as the
 * exact JSON body to POST (its id is the idempotency key), then delivered by whichever node
 * claims it, signed, and retried with exponential backoff and jitter until a 2xx, across
 * restarts and receiver outages. Quiet hours set the first attempt to the user's morning.
 */
export class WebhookOutbox implements NotificationSink {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly opts: WebhookOptions,
    private readonly clock: Clock,
    private readonly nodeId: string,
    private readonly isOnline: (userId: UserId) => Promise<boolean>,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.opts.pollMs);
    this.timer.unref();
    this.kick();
  }

  async queued(notification: Notification, prefs: NotificationPrefs): Promise<void> {
    if (await this.isOnline(notification.userId)) return; // the member sees it in the app
    const user = await this.store.users.get(notification.userId);
    if (!user) return;
    const now = new Date(this.clock());
    const payload: WebhookPayload = {
      type: 'notification',
      id: notification.id,
      createdAt: now.toISOString(),
      user: { id: user.id, displayName: user.displayName, timezone: user.profile.timezone },
      notification,
    };
    const held = quietUntil(now, user.profile.timezone, prefs.quietHours);
    await this.store.outbox.enqueue({ id: notification.id, userId: user.id, body: JSON.stringify(payload), createdAt: now.toISOString(), nextAttemptAt: (held ?? now).toISOString() });
    this.kick();
  }

  /** Runs a delivery round now (or right after the current one). */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.round()
      .catch((err: unknown) => this.log.warn({ err }, 'webhook round failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Claims the due entries and delivers each; resolves when the round is over. */
  async round(): Promise<void> {
    for (;;) {
      const now = new Date(this.clock());
      const batch = await this.store.outbox.claim(this.nodeId, now.toISOString(), new Date(now.getTime() + this.opts.leaseMs).toISOString(), 10);
      if (batch.length === 0) return;
      await Promise.all(batch.map((e) => this.deliver(e)));
      if (this.closed) return;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async deliver(entry: OutboxRecord): Promise<void> {
    const timestamp = String(Math.floor(new Date(this.clock()).getTime() / 1000));
    let error: string;
    try {
      const res = await fetch(this.opts.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [WebhookHeaders.timestamp]: timestamp,
          [WebhookHeaders.signature]: signWebhook(this.opts.secret, timestamp, entry.body),
          [WebhookHeaders.idempotencyKey]: entry.id,
        },
        body: entry.body,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      await res.body?.cancel();
      if (res.ok) {
        await this.store.outbox.settle(entry.id, this.nodeId, { kind: 'delivered', at: new Date(this.clock()).toISOString() });
        return;
      }
      error = `HTTP ${res.status}`;
    } catch (err) {
      error = (err as Error).message;
    }
    const at = new Date(this.clock());
    if (entry.attempts >= this.opts.maxAttempts) {
      this.log.warn({ id: entry.id, attempts: entry.attempts, error }, 'webhook delivery given up');
      await this.store.outbox.settle(entry.id, this.nodeId, { kind: 'dead', at: at.toISOString(), error });
      return;
    }
    const next = new Date(at.getTime() + retryDelayMs(entry.attempts, this.opts.retryBaseMs));
    this.log.info({ id: entry.id, attempts: entry.attempts, error, next: next.toISOString() }, 'webhook delivery failed; retrying');
    await this.store.outbox.settle(entry.id, this.nodeId, { kind: 'retry', nextAttemptAt: next.toISOString(), error });
  }
}
