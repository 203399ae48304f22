import type { Checkin, RoomId } from '../../shared/types.js';

/** Check-ins on measured goals (the `checkins` sub-port of Store; issue 19). */
export interface CheckinStore {
  /** Stores a check-in (ids are new; a duplicate id is CONFLICT). */
  add(checkin: Checkin): Promise<Checkin>;
  /** Every check-in of the room, oldest first (createdAt, then id). */
  listForRoom(roomId: RoomId): Promise<Checkin[]>;
  /** How many check-ins one goal has (the per-goal cap). */
  countForGoal(roomId: RoomId, goalId: string): Promise<number>;
}
