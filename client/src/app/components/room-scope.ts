import type { UserId } from '../../../../shared/types.js';
import type { RoomWatch } from '@menteo/sdk';
import type { AppContext } from '../context.js';

/** What every tab of a room screen shares: the app, the room kept live, and names. */
export interface RoomScope {
  ctx: AppContext;
  roomId: string;
  /** The room, its members and next steps, updated on `room:updated`. */
  watch: RoomWatch;
  /** A member's display name ("You" is not used: names read the same in both browsers). */
  nameOf(userId: UserId): string;
  /** `mentor` / `mentee` for a member, null for anyone else. */
  roleOf(userId: UserId): 'mentor' | 'mentee' | null;
}

/** One tab's content. `show` runs each time the tab is opened (load or refresh there), `hide` when left. */
export interface RoomTab {
  el: HTMLElement;
  show?(): void;
  hide?(): void;
  destroy(): void;
}
