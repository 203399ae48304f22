/**
 * The stage machine (DESIGN §3), pure. A mentorship moves Initiation → Cultivation → Separation
 * → Redefinition, and may cycle back to Cultivation from Separation or Redefinition with a new
 * challenge. Every other pair is refused; each allowed pair has its guards, checked in order, and
 * the first that fails is named in the refusal.
 */
import { ContractLimits } from '../../shared/schemas/contract.js';
import type { Room, Stage, StageChange, UserId } from '../../shared/types.js';
import type { LifecycleChange } from './change.js';
import { missingAcceptances, missingAcknowledgements, rolesPhrase } from './contract.js';
import { guardFailed, stageLabel, type Guard } from './guards.js';
import { assertMember } from './rooms.js';

/** The guards that belong to a particular transition (the others are checked for every change). */
type TransitionGuard = Extract<Guard, 'contract-accepted' | 'goals-closed' | 'goals-acknowledged' | 'cycle-back-note'>;

/** The allowed transitions and their guards; a pair missing here fails `transition-allowed`. */
export const TRANSITIONS: Readonly<Record<Stage, Partial<Record<Stage, readonly TransitionGuard[]>>>> = {
  initiation: { cultivation: ['contract-accepted'] },
  // The terms can change in Cultivation; the review closes only terms both sides agreed to.
  cultivation: { separation: ['contract-accepted', 'goals-closed'] },
  separation: { redefinition: ['goals-acknowledged'], cultivation: ['cycle-back-note'] },
  redefinition: { cultivation: ['cycle-back-note'] },
};

/** A transition back to Cultivation after the work was closed: a new challenge. */
export const isCycleBack = (from: Stage, to: Stage): boolean => to === 'cultivation' && (from === 'separation' || from === 'redefinition');

/** Why a guard refused: the reason (a sentence) and machine-readable details. */
export interface Refusal {
  guard: Guard;
  reason: string;
  details: Record<string, unknown>;
}

const refuse = (guard: Guard, reason: string, details: Record<string, unknown> = {}): Refusal => ({ guard, reason, details });

/** Each guard: null when it passes, the refusal when it does not. */
const GUARDS: Record<TransitionGuard, (room: Room, to: Stage, note?: string) => Refusal | null> = {
  'contract-accepted': (room) => {
    const c = room.contract;
    if (!c) return refuse('contract-accepted', 'there is no contract yet: draft one with 3–5 goals and have both sides accept it', { missing: ['mentor', 'mentee'] });
    if (c.goals.length < ContractLimits.goalsMin || c.goals.length > ContractLimits.goalsMax) {
      return refuse('contract-accepted', `the contract has ${c.goals.length} goals; it needs ${ContractLimits.goalsMin}–${ContractLimits.goalsMax}`);
    }
    const missing = missingAcceptances(room);
    if (missing.length === 0) return null;
    const what = `accepted contract v${c.version}`;
    return refuse('contract-accepted', rolesPhrase(missing, { one: `has not ${what}`, both: `has ${what}` }), {
      missing,
      version: c.version,
    });
  },
  'goals-closed': (room) => {
    const open = (room.contract?.goals ?? []).filter((g) => g.status === 'open');
    if (open.length === 0) return null;
    const names = open.map((g) => `'${g.title}'`).join(', ');
    return refuse('goals-closed', `${open.length === 1 ? 'goal' : `${open.length} goals`} still open: ${names}; mark each achieved or dropped`, {
      open: open.map((g) => g.id),
    });
  },
  'goals-acknowledged': (room) => {
    const pending = (room.contract?.goals ?? [])
      .map((g) => ({ goal: g, missing: missingAcknowledgements(room, g) }))
      .filter((p) => p.missing.length > 0);
    if (pending.length === 0) return null;
    const reason = pending
      .map((p) => `goal '${p.goal.title}' not acknowledged by ${p.missing.length === 2 ? 'either side' : `the ${p.missing[0]}`}`)
      .join('; ');
    return refuse('goals-acknowledged', reason, { pending: pending.map((p) => ({ goalId: p.goal.id, missing: p.missing })) });
  },
  'cycle-back-note': (room, to, note) =>
    note && note.trim()
      ? null
      : refuse('cycle-back-note', `cycling back from ${stageLabel(room.stage)} to ${stageLabel(to)} needs a note ("new challenge: …")`),
};

/**
 * The first rule that refuses moving `room` to `to`, or null when the move is allowed. Order:
 * room-active, same-stage, transition-allowed, then the pair's guards in table order.
 */
export function checkTransition(room: Room, to: Stage, note?: string): Refusal | null {
  if (room.status !== 'active') return refuse('room-active', `the room is ${room.status}; only an active mentorship changes stage`, { status: room.status });
  const from = room.stage;
  if (from === to) return refuse('same-stage', `the mentorship is already in ${stageLabel(to)}`, { from, to });
  const guards = TRANSITIONS[from][to];
  if (!guards) {
    const allowed = Object.keys(TRANSITIONS[from]) as Stage[];
    return refuse('transition-allowed', `${stageLabel(from)} → ${stageLabel(to)} is not a transition; from ${stageLabel(from)} the mentorship can move to ${allowed.map(stageLabel).join(' or ')}`, {
      from,
      to,
      allowed,
    });
  }
  for (const guard of guards) {
    const refusal = GUARDS[guard](room, to, note);
    if (refusal) return { ...refusal, details: { from, to, ...refusal.details } };
  }
  return null;
}

/**
 * The room after `by` moves it to `to` at `at`, with the change recorded in stageHistory.
 * Throws FORBIDDEN for a non-member, GUARD_FAILED naming the failed guard otherwise.
 */
export function nextStage(room: Room, to: Stage, by: UserId, at: string, note?: string): Room {
  assertMember(room, by);
  const refusal = checkTransition(room, to, note);
  if (refusal) throw guardFailed(refusal.guard, refusal.reason, refusal.details);
  const change: StageChange = { from: room.stage, to, by, at, ...(note?.trim() && { note: note.trim() }) };
  const moved: Room = { ...room, stage: to, stageHistory: [...room.stageHistory, change], updatedAt: at };
  return isCycleBack(change.from, to) ? forgetReview(moved) : moved;
}

/**
 * A cycle back starts a new review: every goal's acknowledgements are cleared, or the previous
 * review's would satisfy `goals-acknowledged` and one side could reach Redefinition alone. Goal
 * outcomes and the contract's acceptances stay: they describe the terms and the work, which the
 * pair changes (a new contract version, reopened goals) for the new challenge; the timeline keeps
 * who acknowledged what in the previous review.
 */
function forgetReview(room: Room): Room {
  const c = room.contract;
  if (!c) return room;
  return { ...room, contract: { ...c, goals: c.goals.map((g) => ({ ...g, acknowledgedBy: [] })) } };
}

/** nextStage plus its timeline message ("The mentor moved the mentorship from X to Y."). */
export function changeStage(room: Room, to: Stage, by: UserId, at: string, note?: string): LifecycleChange {
  const next = nextStage(room, to, by, at, note);
  const change = next.stageHistory[next.stageHistory.length - 1]!;
  const role = by === room.mentorId ? 'mentor' : 'mentee';
  const verb = isCycleBack(change.from, change.to) ? 'cycled the mentorship back' : 'moved the mentorship';
  const body = `The ${role} ${verb} from ${stageLabel(change.from)} to ${stageLabel(change.to)}.${change.note ? ` Note: ${change.note}` : ''}`;
  return { room: next, message: { key: `stage:${next.stageHistory.length}`, body } };
}
