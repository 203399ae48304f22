import type { Message } from '../../../shared/types.js';

/** What adding one message did to the timeline. */
export type AddResult = 'added' | 'duplicate' | 'replaced';

/**
 * The messages of one room that this client holds, keyed by seq. Seqs are gapless from 1
 * (DESIGN §3), which gives two facts for free: older history exists when the lowest held seq is
 * above 1, and a hole between held seqs is a message this client missed.
 *
 * Pure state: no I/O, no timers. The client decides when to fetch.
 */
export class Timeline {
  private readonly bySeq = new Map<number, Message>();
  private readonly seqById = new Map<string, number>();
  private sorted: Message[] | null = [];

  get size(): number {
    return this.bySeq.size;
  }

  has(seq: number): boolean {
    return this.bySeq.has(seq);
  }

  /** Held messages in ascending seq (a cached array: do not mutate it). */
  get messages(): readonly Message[] {
    this.sorted ??= [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
    return this.sorted;
  }

  /** Lowest held seq, or 0 when empty. */
  get lowestSeq(): number {
    return this.messages[0]?.seq ?? 0;
  }

  /** Highest held seq, or 0 when empty. */
  get highestSeq(): number {
    return this.messages.at(-1)?.seq ?? 0;
  }

  /**
   * The highest seq up to which nothing is missing (from the lowest held seq): the `since` to
   * catch up from, so a hole is refilled by the next catch-up. 0 when empty.
   */
  get contiguousSeq(): number {
    const list = this.messages;
    if (list.length === 0) return 0;
    let seq = list[0]!.seq;
    for (let i = 1; i < list.length && list[i]!.seq === seq + 1; i++) seq += 1;
    return seq;
  }

  /** True when the room has messages older than the lowest held one. */
  get hasOlder(): boolean {
    return this.lowestSeq > 1;
  }

  /** True when a held message sits above a hole (a seq this client never received). */
  get hasGap(): boolean {
    return this.contiguousSeq < this.highestSeq;
  }

  /**
   * Adds a message. A seq already held is a duplicate (a catch-up page overlapping a live push)
   * and keeps the held copy, unless the incoming one is a later version (edited, deleted or
   * re-reacted since), which replaces it.
   */
  add(message: Message): AddResult {
    const held = this.bySeq.get(message.seq);
    if (held && !isNewer(message, held)) return 'duplicate';
    this.bySeq.set(message.seq, message);
    this.seqById.set(message.id, message.seq);
    this.sorted = null;
    return held ? 'replaced' : 'added';
  }

  /** Replaces a held message by id (edit, reaction); false when it is not held. */
  update(message: Message): boolean {
    if (!this.seqById.has(message.id)) return false;
    this.bySeq.set(message.seq, message);
    this.sorted = null;
    return true;
  }

  /** Turns a held message into a tombstone (message:deleted carries only its id). */
  markDeleted(messageId: string, at: string): boolean {
    const seq = this.seqById.get(messageId);
    const held = seq === undefined ? undefined : this.bySeq.get(seq);
    if (!held || held.deletedAt) return false;
    this.bySeq.set(held.seq, { ...held, body: '', reactions: {}, deletedAt: at });
    this.sorted = null;
    return true;
  }

  byId(messageId: string): Message | undefined {
    const seq = this.seqById.get(messageId);
    return seq === undefined ? undefined : this.bySeq.get(seq);
  }
}

/** A held copy is stale when the incoming one was deleted, edited later, or differs in reactions. */
function isNewer(incoming: Message, held: Message): boolean {
  if (incoming.deletedAt && !held.deletedAt) return true;
  if ((incoming.editedAt ?? '') > (held.editedAt ?? '')) return true;
  return JSON.stringify(incoming.reactions) !== JSON.stringify(held.reactions);
}
