/**
 * Measured goals (issue 19), pure: progress from a goal's check-ins toward its numeric target,
 * and whether the target is reached (the goal is then proposed as achieved; a member confirms
 * it with the usual goal outcome change).
 */
import { AppError } from '../../shared/errors.js';
import type { Checkin, Goal, GoalMeasure, GoalProgress, Room, UserId } from '../../shared/types.js';
import { assertActive, guardFailed, stageLabel } from './guards.js';
import { assertMember } from './rooms.js';

/** Whether `value` reaches the target in the measure's direction. */
export const reachesTarget = (m: GoalMeasure, value: number): boolean => (m.direction === 'higher' ? value >= m.target : value <= m.target);

/** How far `value` has come from baseline to target, 0–100 (whole percent, rounded down; clamped). */
export function percentOf(m: GoalMeasure, value: number): number {
  if (reachesTarget(m, value)) return 100;
  const share = (value - m.baseline) / (m.target - m.baseline);
  return Math.max(0, Math.min(99, Math.floor(share * 100 + 1e-9)));
}

/** A goal's progress from its check-ins (any order; the latest by time, then id, is current). */
export function goalProgress(goal: Goal & { measure: GoalMeasure }, checkins: readonly Checkin[]): GoalProgress {
  const mine = checkins.filter((c) => c.goalId === goal.id);
  const latest = [...mine].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)).at(-1);
  const current = latest?.value ?? goal.measure.baseline;
  const reached = latest !== undefined && reachesTarget(goal.measure, current);
  return { goalId: goal.id, current, percent: latest ? percentOf(goal.measure, current) : 0, reached, proposeAchieved: reached && goal.status === 'open', checkins: mine.length };
}

/** Progress of every measured goal of the current contract. */
export function contractProgress(room: Room, checkins: readonly Checkin[]): GoalProgress[] {
  return (room.contract?.goals ?? []).flatMap((g) => (g.measure ? [goalProgress({ ...g, measure: g.measure }, checkins)] : []));
}

/**
 * Who may check in and on what: a member of an active room, on an open measured goal of the
 * current contract, in Cultivation or Separation? Check-ins are the work, so Cultivation; in
 * Initiation the contract is still being agreed. Returns the goal.
 */
export function assertCanCheckIn(room: Room, by: UserId, goalId: string): Goal & { measure: GoalMeasure } {
  assertMember(room, by);
  assertActive(room);
  const goal = room.contract?.goals.find((g) => g.id === goalId);
  if (!goal) throw new AppError('NOT_FOUND', 'goal not found in the current contract');
  if (!goal.measure) throw guardFailed('goal-measured', `goal '${goal.title}' is a yes/no goal; only a measured goal takes check-ins`, { goalId });
  if (room.stage !== 'cultivation') {
    throw guardFailed('checkin-stage', `check-ins are recorded in Cultivation; the room is in ${stageLabel(room.stage)}`, { stage: room.stage });
  }
  if (goal.status !== 'open') throw guardFailed('goal-closed', `goal '${goal.title}' is ${goal.status}; check-ins go on open goals`, { goalId });
  return { ...goal, measure: goal.measure };
}

/** "3 of 6 interviews (50 %)", for the timeline and the record. */
export function describeProgress(m: GoalMeasure, p: GoalProgress): string {
  return `${fmt(p.current)} ${m.direction === 'higher' ? 'of' : 'toward'} ${fmt(m.target)} ${m.unit} (${p.percent} %)`;
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : String(Math.round(n * 1000) / 1000));
