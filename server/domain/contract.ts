/**
 * Contract rules (DESIGN §3), pure: drafting and editing (every change is a new version and
 * clears acceptances), accepting, goal outcomes and their acknowledgement in the formal review.
 * Each operation returns the change to store with its timeline message, or null when the request
 * changes nothing (a repeated PUT or accept is a no-op, not a new version).
 */
import { AppError } from '../../shared/errors.js';
import type { ContractIn, GoalIn, GoalPatchIn } from '../../shared/schemas/contract.js';
import type { Contract, Goal, Room, Stage, UserId } from '../../shared/types.js';
import type { LifecycleChange } from './change.js';
import { assertActive, guardFailed, stageLabel } from './guards.js';
import { assertMember, type Role } from './rooms.js';

/** Stages in which the contract's terms may change: before the work and during it. */
export const CONTRACT_EDIT_STAGES: readonly Stage[] = ['initiation', 'cultivation'];
/** Stages in which a goal's outcome may be set: during the work and during the review. */
export const GOAL_STATUS_STAGES: readonly Stage[] = ['cultivation', 'separation'];

const ROLES: readonly Role[] = ['mentor', 'mentee'];

/** The members (by role) who have not accepted the current contract version; both when there is none. */
export function missingAcceptances(room: Room): Role[] {
  const accepted = room.contract?.acceptedBy ?? [];
  return ROLES.filter((role) => !accepted.includes(role === 'mentor' ? room.mentorId : room.menteeId));
}

/** The members (by role) who have not acknowledged a goal. */
export function missingAcknowledgements(room: Room, goal: Goal): Role[] {
  return ROLES.filter((role) => !goal.acknowledgedBy.includes(role === 'mentor' ? room.mentorId : room.menteeId));
}

/** "the mentor", "the mentee", "neither the mentor nor the mentee": for sentences. */
export function rolesPhrase(roles: readonly Role[], verb: { one: string; both: string }): string {
  return roles.length === 2 ? `neither the mentor nor the mentee ${verb.both}` : `the ${roles[0]} ${verb.one}`;
}

const sameMeasure = (a: Goal['measure'], b: GoalIn['measure']): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

const sameWording = (a: Pick<Goal, 'title' | 'metric' | 'target' | 'dueDate' | 'measure'>, b: GoalIn): boolean =>
  a.title === b.title && a.metric === b.metric && a.target === b.target && a.dueDate === b.dueDate && sameMeasure(a.measure, b.measure);

type Terms = Pick<Contract, 'goals' | 'groundRules' | 'cadence' | 'channels' | 'reviewAt' | 'replyWithinHours'>;

// replyWithinHours only when set, so a contract without one compares and stores as before (issue 19).
const termsOf = (c: Terms): Terms => ({
  goals: c.goals,
  groundRules: c.groundRules,
  cadence: c.cadence,
  channels: c.channels,
  reviewAt: c.reviewAt,
  ...(c.replyWithinHours ? { replyWithinHours: c.replyWithinHours } : {}),
});
const sameTerms = (a: Terms, b: Terms): boolean => JSON.stringify(termsOf(a)) === JSON.stringify(termsOf(b));

/**
 * Which current goal each incoming goal keeps: the one named by its `id`, or, without an id, the
 * one with the same title (case-insensitive), so a client that never sends ids cannot reset
 * outcomes by re-sending the same contract. An id that is not in the current contract is refused.
 */
function matchGoals(current: Goal[], incoming: GoalIn[]): Array<Goal | undefined> {
  const claimed = new Set(incoming.flatMap((g) => (g.id === undefined ? [] : [g.id])));
  return incoming.map((g, i) => {
    if (g.id !== undefined) {
      const kept = current.find((c) => c.id === g.id);
      if (!kept) {
        throw new AppError('INVALID_INPUT', `goal ${g.id} is not in the current contract`, [{ path: `goals.${i}.id`, message: 'unknown goal id' }]);
      }
      return kept;
    }
    const byTitle = current.find((c) => !claimed.has(c.id) && c.title.toLowerCase() === g.title.toLowerCase());
    if (byTitle) claimed.add(byTitle.id);
    return byTitle;
  });
}

/** What an edit changed, for the timeline ("added goal 'X'", "review date 2025-06-01 → 2025-07-01"). */
function describeEdit(prev: Contract, next: Terms): string[] {
  const out: string[] = [];
  for (const g of next.goals) {
    const before = prev.goals.find((p) => p.id === g.id);
    if (!before) out.push(`added goal '${g.title}'`);
    else if (!sameWording(before, g)) out.push(`changed goal '${g.title}'`);
  }
  for (const p of prev.goals) if (!next.goals.some((g) => g.id === p.id)) out.push(`removed goal '${p.title}'`);
  if (JSON.stringify(prev.groundRules) !== JSON.stringify(next.groundRules)) out.push('changed the ground rules');
  if (JSON.stringify(prev.cadence) !== JSON.stringify(next.cadence)) out.push(`cadence now every ${next.cadence.every} by ${next.cadence.channel}`);
  if (JSON.stringify(prev.channels) !== JSON.stringify(next.channels)) out.push('changed the channels');
  if (prev.reviewAt !== next.reviewAt) out.push(`review date ${prev.reviewAt} → ${next.reviewAt}`);
  if (JSON.stringify(prev.replyWithinHours ?? null) !== JSON.stringify(next.replyWithinHours ?? null)) {
    out.push(next.replyWithinHours ? `reply promise now ${next.replyWithinHours.mentor} h (mentor) / ${next.replyWithinHours.mentee} h (mentee)` : 'reply promise back to the cadence default');
  }
  return out;
}

/**
 * Drafts the contract (v1) or edits it (v+1). Either member may do it, in Initiation or
 * Cultivation, on an active room. A kept goal keeps its id and status, and its acknowledgements
 * when its wording is unchanged; a new goal starts open. Every new version clears acceptances.
 * A review date that changes, and a goal due date that is new or changes, must not lie in the
 * past (INVALID_INPUT naming the fields). Returns null when nothing changed.
 */
export function editContract(room: Room, by: UserId, input: ContractIn, at: string, newId: () => string): LifecycleChange | null {
  const role = assertMember(room, by);
  assertActive(room);
  if (!CONTRACT_EDIT_STAGES.includes(room.stage)) {
    throw guardFailed('contract-editable', `the contract can be edited in Initiation and Cultivation only; the room is in ${stageLabel(room.stage)}`, {
      stage: room.stage,
    });
  }
  const current = room.contract;
  if ((!current || current.reviewAt !== input.reviewAt) && input.reviewAt < at.slice(0, 10)) {
    throw new AppError('INVALID_INPUT', 'the review date must not be in the past', [{ path: 'reviewAt', message: 'in the past' }]);
  }
  const kept = matchGoals(current?.goals ?? [], input.goals);
  // A new or re-dated goal due in the past starts "2527 days overdue" (issue 16); a kept goal whose
  // date passed meanwhile stays editable, or no other term could change after it falls due.
  const today = at.slice(0, 10);
  const pastDue = input.goals.flatMap((g, i) => (g.dueDate < today && kept[i]?.dueDate !== g.dueDate ? [i] : []));
  if (pastDue.length > 0) {
    throw new AppError(
      'INVALID_INPUT',
      `a goal's due date must not be in the past (goal ${pastDue.map((i) => i + 1).join(', ')})`,
      pastDue.map((i) => ({ path: `goals.${i}.dueDate`, message: 'in the past' })),
    );
  }
  const goals: Goal[] = input.goals.map((g, i) => {
    const old = kept[i];
    const wording = { title: g.title, metric: g.metric, target: g.target, dueDate: g.dueDate, ...(g.measure ? { measure: g.measure } : {}) };
    return old
      ? { id: old.id, ...wording, status: old.status, acknowledgedBy: sameWording(old, g) ? old.acknowledgedBy : [] }
      : { id: newId(), ...wording, status: 'open', acknowledgedBy: [] };
  });
  const terms: Terms = termsOf({ goals, groundRules: input.groundRules, cadence: input.cadence, channels: input.channels, reviewAt: input.reviewAt, replyWithinHours: input.replyWithinHours });
  if (current && sameTerms(current, terms)) return null;

  const version = (current?.version ?? 0) + 1;
  const contract: Contract = { ...terms, acceptedBy: [], version, updatedAt: at, updatedBy: by };
  const body = current
    ? `The ${role} edited the contract (now v${version}): ${describeEdit(current, terms).join('; ')}. Acceptances were cleared: both sides need to accept v${version}.`
    : `The ${role} drafted contract v1: ${goals.length} goals, review on ${terms.reviewAt}. Both sides need to accept it.`;
  return {
    room: { ...room, contract, contractHistory: current ? [...room.contractHistory, current] : room.contractHistory, updatedAt: at },
    message: { key: `contract:v${version}`, body },
  };
}

/**
 * The caller accepts the current version, for themselves only. `version`, when given, must be
 * the current one (CONFLICT otherwise). Accepting twice is a no-op (null).
 */
export function acceptContract(room: Room, by: UserId, at: string, version?: number): LifecycleChange | null {
  const role = assertMember(room, by);
  assertActive(room);
  const contract = room.contract;
  if (!contract) throw guardFailed('contract-exists', 'there is no contract to accept yet');
  if (version !== undefined && version !== contract.version) {
    throw new AppError('CONFLICT', `the contract is now v${contract.version}; you tried to accept v${version}`, { version: contract.version });
  }
  if (contract.acceptedBy.includes(by)) return null;
  const next: Room = { ...room, contract: { ...contract, acceptedBy: [...contract.acceptedBy, by] }, updatedAt: at };
  const missing = missingAcceptances(next);
  const tail = missing.length === 0 ? ' Both sides have accepted it.' : ` Waiting for the ${missing[0]}.`;
  return { room: next, message: { key: `contract:v${contract.version}:accept`, body: `The ${role} accepted contract v${contract.version}.${tail}` } };
}

/**
 * Sets a goal's outcome and/or acknowledges it. Outcomes change in Cultivation and Separation
 * (in Separation only between achieved and dropped: reopening work means cycling back); a
 * changed outcome clears its acknowledgements. Acknowledging (the formal review) happens in
 * Separation only and only for an achieved or dropped goal. Returns null when nothing changed.
 */
export function patchGoal(room: Room, by: UserId, goalId: string, patch: GoalPatchIn, at: string): LifecycleChange | null {
  const role = assertMember(room, by);
  assertActive(room);
  const contract = room.contract;
  if (!contract) throw guardFailed('contract-exists', 'there is no contract yet, so there are no goals');
  let goal = contract.goals.find((g) => g.id === goalId);
  if (!goal) throw new AppError('NOT_FOUND', 'goal not found in the current contract');
  const done: string[] = [];

  if (patch.status !== undefined) {
    if (!GOAL_STATUS_STAGES.includes(room.stage)) {
      throw guardFailed('goal-status-stage', `goal outcomes are set in Cultivation and Separation; the room is in ${stageLabel(room.stage)}`, {
        stage: room.stage,
      });
    }
    if (room.stage === 'separation' && patch.status === 'open') {
      throw guardFailed('separation-goals-closed', 'in Separation every goal stays achieved or dropped; cycle back to Cultivation to reopen one');
    }
    if (patch.status !== goal.status) {
      goal = { ...goal, status: patch.status, acknowledgedBy: [] };
      done.push(`marked goal '${goal.title}' ${patch.status}`);
    }
  }
  if (patch.acknowledge) {
    if (room.stage !== 'separation') {
      throw guardFailed('acknowledge-stage', `goals are acknowledged in Separation (the formal review); the room is in ${stageLabel(room.stage)}`, {
        stage: room.stage,
      });
    }
    if (goal.status === 'open') {
      throw guardFailed('goal-closed', `goal '${goal.title}' is open; only an achieved or dropped goal can be acknowledged`, { goalId });
    }
    if (!goal.acknowledgedBy.includes(by)) {
      goal = { ...goal, acknowledgedBy: [...goal.acknowledgedBy, by] };
      done.push(`acknowledged goal '${goal.title}' as ${goal.status}`);
    }
  }
  if (done.length === 0) return null;
  const changed = goal;
  const next: Room = { ...room, contract: { ...contract, goals: contract.goals.map((g) => (g.id === goalId ? changed : g)) }, updatedAt: at };
  return { room: next, message: { key: `goal:${goalId}:r${room.rev}`, body: `The ${role} ${done.join(' and ')}.` } };
}
