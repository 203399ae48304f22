import { STAGES, type Room, type Stage } from '../../../shared/types.js';

/** Stage names for people. */
export const STAGE_LABELS: Readonly<Record<Stage, string>> = {
  initiation: 'Initiation',
  cultivation: 'Cultivation',
  separation: 'Separation',
  redefinition: 'Redefinition',
};

/** What each stage is for, in one line (shown beside the stage stepper). */
export const STAGE_PURPOSE: Readonly<Record<Stage, string>> = {
  initiation: 'Agree on the contract: 3–5 goals, ground rules, cadence and a review date.',
  cultivation: 'Do the work: move the roadmap forward and record each goal’s outcome.',
  separation: 'The formal review: both of you acknowledge every goal’s outcome.',
  redefinition: 'The mentorship is redefined. Cycle back to Cultivation for a new challenge.',
};

/** A move the stage machine allows from some stage. `needsNote`: the server refuses it without a note. */
export interface StageMove {
  to: Stage;
  needsNote: boolean;
}

/**
 * The transitions the server allows (docs/LIFECYCLE.md; server/domain/stages.ts TRANSITIONS,
 * which a unit test compares this with). The guards themselves stay on the server: a client
 * offers the move and shows the server's GUARD_FAILED message when a guard refuses.
 */
export const STAGE_MOVES: Readonly<Record<Stage, readonly StageMove[]>> = {
  initiation: [{ to: 'cultivation', needsNote: false }],
  cultivation: [{ to: 'separation', needsNote: false }],
  separation: [
    { to: 'redefinition', needsNote: false },
    { to: 'cultivation', needsNote: true },
  ],
  redefinition: [{ to: 'cultivation', needsNote: true }],
};

/** The moves a member may try now: none unless the room is active. */
export function movesFor(room: Pick<Room, 'status' | 'stage'>): readonly StageMove[] {
  return room.status === 'active' ? STAGE_MOVES[room.stage] : [];
}

/** Position of a stage in the usual order (for a stepper). */
export const stageIndex = (stage: Stage): number => STAGES.indexOf(stage);
