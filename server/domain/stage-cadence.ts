/**
 * Choosing the lighter cadence of Separation or Redefinition (issue 19), pure. The contract's
 * terms are frozen after Cultivation, so the cadence of these stages lives beside it.
 */
import type { Room, UserId } from '../../shared/types.js';
import { SUGGESTED_CADENCE } from './cadence.js';
import type { LifecycleChange } from './change.js';
import { assertActive, guardFailed, stageLabel } from './guards.js';
import { assertMember } from './rooms.js';

export function setStageCadence(room: Room, by: UserId, every: string, at: string): LifecycleChange | null {
  const role = assertMember(room, by);
  assertActive(room);
  const stage = room.stage;
  if (stage !== 'separation' && stage !== 'redefinition') {
    throw guardFailed('stage-cadence', `in ${stageLabel(stage)} the contract's cadence holds; edit the contract to change it`, { stage });
  }
  if (room.stageCadence?.[stage] === every) return null;
  return {
    room: { ...room, stageCadence: { ...room.stageCadence, [stage]: every }, updatedAt: at },
    message: { key: `cadence:${stage}:r${room.rev}`, body: `The ${role} set the cadence for ${stageLabel(stage)} to every ${every}.` },
  };
}

/** The sentence a move into Separation or Redefinition adds to its timeline message ("" otherwise). */
export function cadencePrompt(room: Pick<Room, 'stage'>): string {
  const suggested = SUGGESTED_CADENCE[room.stage];
  return suggested ? ` Contact gets lighter in ${stageLabel(room.stage)}: agree a cadence for it (suggested: every ${suggested}, which applies until you choose).` : '';
}
