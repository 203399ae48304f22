/**
 * The roadmap as growth threads need it: check a milestone and keep its `evidence` list in step
 * with the entries linked to it. RoadmapService implements it (it owns the room's Yjs doc, so the
 * change reaches connected editors live); ThreadService receives it as an optional dependency.
 */
export interface MilestoneLinks {
  /** True when the room's roadmap has a milestone with this id. */
  milestoneExists(roomId: string, milestoneId: string): Promise<boolean>;
  /** Adds the entry id to the milestone's `evidence` (idempotent); resolves once the change is stored. */
  addEvidence(roomId: string, milestoneId: string, entryId: string): Promise<void>;
  /** Removes the entry id from the milestone's `evidence` (a no-op when absent or the milestone is gone). */
  removeEvidence(roomId: string, milestoneId: string, entryId: string): Promise<void>;
}
