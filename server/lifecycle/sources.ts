import type { ThreadHighlight } from '../../shared/record.js';
import type { ReplyBreach } from '../../shared/record.js';
import type { Room, RoomId } from '../../shared/types.js';

/**
 * What the record of achievement reads from other features (roadmap, growth threads). Injected
 * into LifecycleService so the lifecycle does not depend on those modules; until they are wired
 * the record says "no roadmap" and shows no highlights.
 */
export interface RecordSources {
  /** Milestones done / total of the room's roadmap; null when the room has none. */
  roadmapProgress(roomId: RoomId): Promise<{ done: number; total: number } | null>;
  /**
   * Highlights from growth threads tied to the room, newest first. The record is shown to both
   * members, so only entries both may read (visibility `room` or `public`) belong here.
   */
  threadHighlights(roomId: RoomId): Promise<ThreadHighlight[]>;
  /** Issue 19: the reply-promise breaches of the room (none until wired). */
  replyBreaches?(room: Room): Promise<ReplyBreach[]>;
}

/** The sources before roadmap and threads are wired: nothing to report. */
export const noRecordSources: RecordSources = {
  roadmapProgress: async () => null,
  threadHighlights: async () => [],
};
