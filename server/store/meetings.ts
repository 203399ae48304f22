import type { ActionItem, Meeting, RoomId } from '../../shared/types.js';

/** Sessions (meetings) and their action items (the `meetings` sub-port of Store; issue 19). */
export interface MeetingStore {
  create(meeting: Meeting): Promise<Meeting>;
  get(roomId: RoomId, id: string): Promise<Meeting | null>;
  /** The room's sessions by start time, earliest first. */
  list(roomId: RoomId): Promise<Meeting[]>;
  count(roomId: RoomId): Promise<number>;
  /**
   * Writes `next` if the stored session still has revision `expectedRev`, bumping `rev`
   * (compare-and-set): CONFLICT when it changed meanwhile, NOT_FOUND when there is none.
   */
  update(next: Meeting, expectedRev: number): Promise<Meeting>;
  addItem(item: ActionItem): Promise<ActionItem>;
  getItem(roomId: RoomId, id: string): Promise<ActionItem | null>;
  /** Replaces the item's mutable fields (status, doneAt); NOT_FOUND when there is none. */
  updateItem(next: ActionItem): Promise<ActionItem>;
  /** The room's action items, oldest first (createdAt, then id). */
  listItems(roomId: RoomId): Promise<ActionItem[]>;
  countItems(roomId: RoomId, sessionId: string): Promise<number>;
}
