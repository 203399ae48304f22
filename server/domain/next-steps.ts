/**
 * Stage-aware guidance, pure: what the mentorship still needs in its current stage, as short
 * sentences with exact numbers, names and versions ("mentee has not accepted v3", "review date
 * in 12 days"). Dates are compared as UTC calendar days.
 */
import { ContractLimits } from '../../shared/schemas/contract.js';
import type { Room } from '../../shared/types.js';
import { missingAcceptances, missingAcknowledgements } from './contract.js';
import { stageLabel } from './guards.js';
import { invitedSide } from './rooms.js';
import { checkTransition } from './stages.js';

const DAY_MS = 86_400_000;

/** Whole days from `today` to `date` (both YYYY-MM-DD): negative when `date` is past. */
export function daysUntil(date: string, today: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "in 12 days", "tomorrow", "today", "yesterday", "3 days ago". */
export function relativeDay(days: number): string {
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  return days > 0 ? `in ${plural(days, 'day')}` : `${plural(-days, 'day')} ago`;
}

function reviewStep(reviewAt: string, today: string): string {
  const days = daysUntil(reviewAt, today);
  if (days > 0) return `review date ${relativeDay(days)} (${reviewAt})`;
  if (days === 0) return `review date is today (${reviewAt}): hold the review`;
  return `review date passed ${relativeDay(days)} (${reviewAt}): hold the review or move the date`;
}

function dueText(dueDate: string, today: string): string {
  const days = daysUntil(dueDate, today);
  if (days < 0) return `overdue by ${plural(-days, 'day')}`;
  return days === 0 ? 'due today' : `due ${relativeDay(days)}`;
}

/** What the contract still lacks before it can be accepted and the work can start. */
function contractSteps(room: Room): string[] {
  const c = room.contract;
  if (!c) {
    return [
      `contract needs ${ContractLimits.goalsMin} more goals: draft it with ${ContractLimits.goalsMin}–${ContractLimits.goalsMax} goals, ground rules, a meeting cadence, channels and a review date`,
    ];
  }
  const steps: string[] = [];
  if (c.goals.length < ContractLimits.goalsMin) steps.push(`contract needs ${plural(ContractLimits.goalsMin - c.goals.length, 'more goal')}`);
  if (c.goals.length > ContractLimits.goalsMax) steps.push(`contract has ${plural(c.goals.length - ContractLimits.goalsMax, 'goal')} too many`);
  for (const role of missingAcceptances(room)) steps.push(`${role} has not accepted v${c.version}`);
  return steps;
}

/** The guidance for `room` at `now` (a Date or an ISO string). Empty when nothing is needed. */
export function nextSteps(room: Room, now: Date | string): string[] {
  const today = (typeof now === 'string' ? now : now.toISOString()).slice(0, 10);
  switch (room.status) {
    case 'pending':
      return [`${invitedSide(room) === room.mentorId ? 'mentor' : 'mentee'} has not answered the mentorship request`];
    case 'declined':
      return [];
    case 'closed':
      return [];
    case 'active':
      break;
  }
  const c = room.contract;
  const steps: string[] = [];
  const ready = (to: Parameters<typeof checkTransition>[1], text: string) => {
    if (!checkTransition(room, to, 'next steps')) steps.push(text);
  };
  switch (room.stage) {
    case 'initiation':
      steps.push(...contractSteps(room));
      if (c) steps.push(reviewStep(c.reviewAt, today));
      ready('cultivation', `contract v${c?.version ?? 0} accepted by both: move to ${stageLabel('cultivation')}`);
      break;
    case 'cultivation':
      steps.push(...contractSteps(room));
      for (const g of c?.goals ?? []) if (g.status === 'open') steps.push(`goal '${g.title}' is open (${dueText(g.dueDate, today)})`);
      if (c) steps.push(reviewStep(c.reviewAt, today));
      ready('separation', `every goal is achieved or dropped: move to ${stageLabel('separation')} for the review`);
      break;
    case 'separation':
      // One step per side, naming its goals: a step per goal and side read eight times for four goals (issue 16).
      for (const role of ['mentor', 'mentee'] as const) {
        const goals = (c?.goals ?? []).filter((g) => missingAcknowledgements(room, g).includes(role));
        if (goals.length > 0) steps.push(`${role} has not acknowledged ${goals.length === 1 ? 'goal' : plural(goals.length, 'goal') + ':'} ${goals.map((g) => `'${g.title}'`).join(', ')}`);
      }
      ready('redefinition', `every goal acknowledged by both: move to ${stageLabel('redefinition')}`);
      break;
    case 'redefinition':
      steps.push(`the mentorship is redefined; to take on a new challenge, cycle back to ${stageLabel('cultivation')} with a note`);
      break;
  }
  return steps;
}
