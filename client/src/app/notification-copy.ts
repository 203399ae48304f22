import type { Notification } from '@menteo/sdk';
import { dateTime } from './format.js';

const STAGE: Record<string, string> = { initiation: 'Initiation', cultivation: 'Cultivation', separation: 'Separation', redefinition: 'Redefinition' };

/** One line saying what a notification is about; `who` names the actor (or "Your mentorship"). */
export function describe(n: Notification, who: string): string {
  switch (n.kind) {
    case 'message':
      return n.data.count > 1 ? `${who}: ${n.data.count} new messages` : `${who}: ${n.data.excerpt}`;
    case 'request-received':
      return `${who} asked you for a mentorship: ${n.data.focus}`;
    case 'request-accepted':
      return `${who} accepted your request: ${n.data.focus}`;
    case 'request-declined':
      return `${who} declined your request: ${n.data.focus}`;
    case 'stage-changed':
      return `${who} moved the mentorship to ${STAGE[n.data.to] ?? n.data.to}`;
    case 'contract-waiting':
      return `${who} proposed contract v${n.data.version}: it waits for your acceptance`;
    case 'contract-changed':
      return `${who} changed the contract you accepted (now v${n.data.version})`;
    case 'comment-on-entry':
      return `${who} commented on your entry: ${n.data.excerpt}`;
    case 'review-in-7d':
      return `The review is in a week (${n.data.reviewAt})`;
    case 'review-in-1d':
      return `The review is tomorrow (${n.data.reviewAt})`;
    case 'goal-due-3d':
      return `Goal due soon (${n.data.dueDate}): ${n.data.title}`;
    case 'goal-overdue':
      return `Goal overdue since ${n.data.dueDate}: ${n.data.title}`;
    case 'milestone-overdue':
      return `Milestone overdue since ${n.data.due}: ${n.data.title}`;
    case 'cadence-checkin':
      return `Time for a check-in: no message for ${n.data.every}`;
    case 'reply-nudge':
      return `A message has waited ${n.data.promiseHours} h for your answer`;
    case 'reply-at-risk':
      return `Your mentorship is at risk: a message has waited twice the ${n.data.promiseHours} h promise`;
    case 'action-item-overdue':
      return `Action item overdue since ${n.data.dueDate}: ${n.data.title}`;
    case 'session-soon':
      return `Session soon (${dateTime(n.data.startsAt)}): ${n.data.agenda}`;
    case 'request-expired':
      return `The request expired after 14 days without an answer: ${n.data.focus}`;
  }
}

/** Where a notification leads: the thread for a comment, else its room (the contract tab for contract kinds). */
export function linkOf(n: Notification): string {
  if (n.kind === 'comment-on-entry') return `/threads/${n.data.threadId}`;
  if (n.kind === 'contract-waiting' || n.kind === 'contract-changed') return `/rooms/${n.data.roomId}/contract`;
  return `/rooms/${n.data.roomId}`;
}
