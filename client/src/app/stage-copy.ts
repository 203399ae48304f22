/**
 * Words about the four stages for people (issue 16, finding 5): what each one means, how the
 * other member is named in it, and when a cycle back is waiting for new terms. Pure.
 */
import type { Room, Stage } from '../../../shared/types.js';

/** One or two sentences per stage, for the landing page and the stage tab. */
export const STAGE_EXPLAINED: Readonly<Record<Stage, string>> = {
  initiation: 'You get to know each other and agree on a contract: 3–5 goals with a metric, a target and a due date, ground rules, how often you meet, and a review date.',
  cultivation: 'The work. You move the roadmap forward together, talk in the room, and mark each goal achieved or dropped.',
  separation: 'The formal review. Each of you acknowledges every goal’s outcome, so the record says what both agree happened.',
  redefinition:
    'The mentorship has done its job and you carry on as peers. The record stays. When a new challenge comes up, cycle back to Cultivation and agree on new goals in a new contract version.',
};

/** How the header names the other member: a mentee becomes a peer once the mentorship is redefined. */
export function counterpartLabel(room: Pick<Room, 'stage' | 'status'>, theyAre: 'mentor' | 'mentee'): string {
  if (room.status === 'active' && room.stage === 'redefinition') return `Peer, formerly your ${theyAre}`;
  return `Your ${theyAre}`;
}

/**
 * After a cycle back to Cultivation, the version the pair should agree on next, until a contract
 * newer than the cycle back exists; null otherwise.
 */
export function contractDueAfterCycleBack(room: Room): number | null {
  if (room.status !== 'active' || room.stage !== 'cultivation' || !room.contract) return null;
  const last = room.stageHistory.at(-1);
  if (!last || last.to !== 'cultivation' || (last.from !== 'separation' && last.from !== 'redefinition')) return null;
  return room.contract.updatedAt <= last.at ? room.contract.version + 1 : null;
}
