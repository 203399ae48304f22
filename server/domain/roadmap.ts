/**
 * Pure rules about roadmaps: how the co-edited document reads as JSON, what progress is, and who
 * may change it. No I/O and no Yjs: callers hand in the document's plain JSON (`Y.Map#toJSON()`).
 */
import { AppError } from '../../shared/errors.js';
import { MILESTONE_STATUSES, type Milestone, type MilestoneStatus, type Roadmap, type RoadmapProgress, type Room, type UserId } from '../../shared/types.js';
import { assertMember } from './rooms.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStatus = (v: unknown): v is MilestoneStatus => MILESTONE_STATUSES.includes(v as MilestoneStatus);

/**
 * One milestone from its JSON, or null when the entry is not a milestone (not a map, or no string
 * id). Members write the document directly, so every field is checked: a wrong status reads as
 * `todo`, a non-string title as empty, evidence keeps its distinct string ids in order.
 */
export function milestoneFromJson(raw: unknown): Milestone | null {
  if (!isRecord(raw) || typeof raw.id !== 'string' || raw.id.length === 0) return null;
  const evidence = Array.isArray(raw.evidence) ? raw.evidence.filter((e): e is string => typeof e === 'string') : [];
  const m: Milestone = {
    id: raw.id,
    title: typeof raw.title === 'string' ? raw.title : '',
    status: isStatus(raw.status) ? raw.status : 'todo',
    evidence: [...new Set(evidence)],
    notes: typeof raw.notes === 'string' ? raw.notes : '',
  };
  if (typeof raw.due === 'string' && raw.due.length > 0) m.due = raw.due;
  if (typeof raw.goalId === 'string' && raw.goalId.length > 0) m.goalId = raw.goalId;
  return m;
}

/** The roadmap from the JSON of the document's root map (`roadmap`); an empty document reads as an empty roadmap. */
export function roadmapFromJson(raw: unknown): Roadmap {
  const root = isRecord(raw) ? raw : {};
  const entries = Array.isArray(root.milestones) ? root.milestones : [];
  return {
    title: typeof root.title === 'string' ? root.title : '',
    milestones: entries.map(milestoneFromJson).filter((m): m is Milestone => m !== null),
  };
}

/** Done milestones out of all milestones. */
export function progressOf(roadmap: Roadmap): RoadmapProgress {
  return { done: roadmap.milestones.filter((m) => m.status === 'done').length, total: roadmap.milestones.length };
}

/**
 * Members may edit the roadmap while the room is pending (to prepare) or active; a declined or
 * closed room keeps its roadmap read-only. Throws FORBIDDEN for a non-member, GUARD_FAILED otherwise.
 */
export function assertCanEditRoadmap(room: Room, userId: UserId): void {
  assertMember(room, userId);
  if (room.status !== 'pending' && room.status !== 'active') {
    throw new AppError('GUARD_FAILED', `the room is ${room.status}; its roadmap is read-only`, { guard: 'room-open' });
  }
}
