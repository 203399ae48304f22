import type { Roadmap, Room } from '../../shared/types.js';
import { AppError } from '../../shared/errors.js';

/** The same two people whatever their roles: a pair's own templates follow them into every room they share. */
export const pairKey = (room: Pick<Room, 'mentorId' | 'menteeId'>): string => [room.mentorId, room.menteeId].sort().join(':');

/** How many templates one pair may keep (a menu, not an archive). */
export const PAIR_TEMPLATE_LIMIT = 20;

/**
 * The template a roadmap makes: its title (or the template's name when it has none) and every
 * milestone's title and notes; statuses, dates, goal links and evidence belong to the room, not
 * the template. GUARD_FAILED `roadmap-empty` without milestones, `pair-templates` at the limit.
 */
export function templateFrom(roadmap: Roadmap, name: string, existing: number): { title: string; milestones: Array<{ title: string; notes: string }> } {
  if (roadmap.milestones.length === 0) throw new AppError('GUARD_FAILED', 'the roadmap has no milestones to save', { guard: 'roadmap-empty' });
  if (existing >= PAIR_TEMPLATE_LIMIT) throw new AppError('GUARD_FAILED', `you two already keep ${PAIR_TEMPLATE_LIMIT} templates`, { guard: 'pair-templates', limit: PAIR_TEMPLATE_LIMIT });
  return {
    title: roadmap.title.trim() || name,
    milestones: roadmap.milestones.map((m) => ({ title: m.title.trim() || 'Untitled milestone', notes: m.notes })),
  };
}

/** Whether a member may use a saved template in this room: only the pair that saved it. */
export const templateBelongsTo = (template: { pairKey: string }, room: Pick<Room, 'mentorId' | 'menteeId'>): boolean => template.pairKey === pairKey(room);
