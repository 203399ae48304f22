import type { Message, RoomId } from '../../../shared/types.js';
import { SdkError, type SdkErrorCode } from './errors.js';

/** Where an outgoing message is: waiting, in flight, stored by the server, or refused. */
export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed';

/** What the user asked to send. `clientMsgId` is fixed when the entry is created. */
export interface OutboxDraft {
  readonly clientMsgId: string;
  readonly roomId: RoomId;
  readonly body: string;
  readonly replyTo?: string;
  /** When the user pressed send (ISO-8601), for ordering and display. */
  readonly createdAt: string;
  /** How many times it was handed to the socket (1 on the first send, more after retries). */
  readonly attempts: number;
}

/** One outgoing message: the draft plus a status-specific part (a sent entry has its message, a failed one its error). */
export type OutboxEntry = OutboxDraft &
  ({ status: 'queued' } | { status: 'sending' } | { status: 'sent'; message: Message } | { status: 'failed'; error: SdkError });

/** A failed entry as stored (errors are rebuilt from code + message). */
type StoredEntry = OutboxDraft & { status: 'queued' | 'failed'; error?: { code: SdkErrorCode; message: string } };

/**
 * Keeps unsent entries across restarts (localStorage in the web app). Saved after every change;
 * sent entries are never stored.
 */
export interface OutboxStorage {
  load(): unknown;
  save(entries: unknown): void;
}

/** In-memory storage: the default, and what tests use. */
export const memoryStorage = (): OutboxStorage => {
  let data: unknown = [];
  return { load: () => data, save: (d) => void (data = d) };
};

/**
 * The outbox: the messages this client has not yet seen stored, oldest first. An entry keeps its
 * clientMsgId on every retry, so the server's idempotency (roomId, authorId, clientMsgId) turns a
 * resend of something already stored into the stored message rather than a duplicate.
 * Pure state plus a change callback; the client drives sending.
 */
export class Outbox {
  private readonly entries = new Map<string, OutboxEntry>();

  constructor(
    private readonly storage: OutboxStorage,
    private readonly onChange: (entry: OutboxEntry) => void,
  ) {
    for (const stored of parseStored(storage.load())) {
      // Whatever was in flight when the app stopped is unknown: queue it again (same clientMsgId).
      const entry: OutboxEntry =
        stored.status === 'failed' && stored.error
          ? { ...draftOf(stored), status: 'failed', error: new SdkError(stored.error.code, stored.error.message) }
          : { ...draftOf(stored), status: 'queued' };
      this.entries.set(entry.clientMsgId, entry);
    }
  }

  /** Unsent entries (queued, sending, failed), oldest first; only one room's when `roomId` is given. */
  list(roomId?: RoomId): OutboxEntry[] {
    return [...this.entries.values()].filter((e) => roomId === undefined || e.roomId === roomId);
  }

  get(clientMsgId: string): OutboxEntry | undefined {
    return this.entries.get(clientMsgId);
  }

  /** The oldest entry waiting to be sent. */
  nextQueued(): OutboxEntry | undefined {
    for (const e of this.entries.values()) if (e.status === 'queued') return e;
    return undefined;
  }

  add(draft: Omit<OutboxDraft, 'attempts'>): OutboxEntry {
    return this.put({ ...draft, attempts: 0, status: 'queued' });
  }

  /** Queued → sending; counts the attempt. */
  sending(clientMsgId: string): OutboxEntry | undefined {
    const e = this.entries.get(clientMsgId);
    return e && e.status === 'queued' ? this.put({ ...draftOf(e), attempts: e.attempts + 1, status: 'sending' }) : undefined;
  }

  /** Back to queued (after a transport failure, or a user's retry of a failed entry). */
  requeue(clientMsgId: string): OutboxEntry | undefined {
    const e = this.entries.get(clientMsgId);
    return e && e.status !== 'queued' ? this.put({ ...draftOf(e), status: 'queued' }) : undefined;
  }

  fail(clientMsgId: string, error: SdkError): OutboxEntry | undefined {
    const e = this.entries.get(clientMsgId);
    return e ? this.put({ ...draftOf(e), status: 'failed', error }) : undefined;
  }

  /** The server stored it: reports the sent entry once, then forgets it. */
  sent(clientMsgId: string, message: Message): OutboxEntry | undefined {
    const e = this.entries.get(clientMsgId);
    if (!e) return undefined;
    this.entries.delete(clientMsgId);
    const done: OutboxEntry = { ...draftOf(e), status: 'sent', message };
    this.persist();
    this.onChange(done);
    return done;
  }

  /** Drops an entry the user gave up on (normally a failed one). */
  discard(clientMsgId: string): boolean {
    const existed = this.entries.delete(clientMsgId);
    if (existed) this.persist();
    return existed;
  }

  private put(entry: OutboxEntry): OutboxEntry {
    this.entries.set(entry.clientMsgId, entry);
    this.persist();
    this.onChange(entry);
    return entry;
  }

  private persist(): void {
    const stored: StoredEntry[] = [...this.entries.values()].map((e) =>
      e.status === 'failed'
        ? { ...draftOf(e), status: 'failed', error: { code: e.error.code, message: e.error.message } }
        : { ...draftOf(e), status: 'queued' },
    );
    this.storage.save(stored);
  }
}

function draftOf(e: OutboxDraft): OutboxDraft {
  return {
    clientMsgId: e.clientMsgId,
    roomId: e.roomId,
    body: e.body,
    ...(e.replyTo !== undefined && { replyTo: e.replyTo }),
    createdAt: e.createdAt,
    attempts: e.attempts,
  };
}

/** Reads what storage returned, skipping anything that is not an entry (a corrupted or older format). */
function parseStored(raw: unknown): StoredEntry[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (e): e is StoredEntry =>
      typeof e === 'object' &&
      e !== null &&
      typeof e.clientMsgId === 'string' &&
      typeof e.roomId === 'string' &&
      typeof e.body === 'string' &&
      typeof e.createdAt === 'string' &&
      typeof e.attempts === 'number',
  );
}
