/**
 * The named rules of the mentorship lifecycle. A refusal is AppError GUARD_FAILED whose message
 * ends with "(guard: <name>)" and whose details carry `{ guard: <name>, ... }`, so people and
 * programs can both tell which rule said no.
 */
import { AppError } from '../../shared/errors.js';
import type { Room, Stage } from '../../shared/types.js';

/** Every guard of the stage machine and of the contract rules (docs/LIFECYCLE.md lists them). */
export type Guard =
  // stage machine
  | 'room-active'
  | 'same-stage'
  | 'transition-allowed'
  | 'contract-accepted'
  | 'goals-closed'
  | 'goals-acknowledged'
  | 'cycle-back-note'
  // contract and goals
  | 'contract-editable'
  | 'contract-exists'
  | 'goal-status-stage'
  | 'separation-goals-closed'
  | 'acknowledge-stage'
  | 'goal-closed'
  // issue 19: check-ins, sessions, pauses, cadence, requests
  | 'goal-measured'
  | 'checkin-stage'
  | 'session-open'
  | 'room-paused'
  | 'room-not-paused'
  | 'stage-cadence'
  | 'request-expired';

/** The refusal for a failed guard: the name is in the message and in details. */
export function guardFailed(guard: Guard, reason: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError('GUARD_FAILED', `${reason} (guard: ${guard})`, { guard, ...extra });
}

/** "Initiation", "Cultivation", ... for messages people read. */
export const stageLabel = (stage: Stage): string => stage.charAt(0).toUpperCase() + stage.slice(1);

/** Lifecycle changes happen only while the mentorship is active (not pending, declined or closed). */
export function assertActive(room: Room): void {
  if (room.status !== 'active') {
    throw guardFailed('room-active', `the room is ${room.status}; only an active mentorship can change`, { status: room.status });
  }
}
