/**
 * How the room's system messages read in the chat (issue 16, finding 6), pure: roles become the
 * members' names, ISO dates the reader's local format, and a run of like messages (a review's
 * acknowledgements, a burst of outcome marks or contract edits) one line. The server's bodies stay
 * as they are on the wire and in the record; this is presentation only.
 */
import type { Message } from '../../../shared/types.js';
import { calendarDate } from './format.js';

export interface RoleNames {
  mentor: string;
  mentee: string;
}

type Kind = 'ack' | 'outcome' | 'edit';

const KINDS: ReadonlyArray<readonly [Kind, RegExp]> = [
  ['ack', /^The (mentor|mentee) acknowledged goal '(.+)' as (\w+)\.$/],
  ['outcome', /^The (mentor|mentee) marked goal '(.+)' (\w+)\.$/],
  ['edit', /^The (mentor|mentee) edited the contract \(now v(\d+)\)/],
];

function kindOf(m: Message): Kind | null {
  if (m.kind !== 'system') return null;
  return KINDS.find(([, re]) => re.test(m.body))?.[0] ?? null;
}

/** "The mentee accepted contract v2 … Waiting for the mentor." → "Theo accepted … Waiting for Maya."; dates localised. */
export function personalise(body: string, names: RoleNames): string {
  return body
    .replace(/\b[Tt]he (mentor|mentee)\b/g, (_m, role: 'mentor' | 'mentee') => names[role])
    .replace(/\b(\d{4}-\d{2}-\d{2})\b/g, (_m, ymd: string) => calendarDate(ymd));
}

/** One line in the chat: a message as it is, or a run of like system messages. */
export type ChatItem = { type: 'message'; message: Message } | { type: 'run'; kind: Kind; messages: Message[] };

/** Consecutive system messages of one kind (two or more) become a run; everything else stays. */
export function groupSystemRuns(messages: readonly Message[]): ChatItem[] {
  const out: ChatItem[] = [];
  for (const m of messages) {
    const kind = kindOf(m);
    const last = out.at(-1);
    if (kind && last?.type === 'run' && last.kind === kind) last.messages.push(m);
    else if (kind && last?.type === 'message' && kindOf(last.message) === kind) out[out.length - 1] = { type: 'run', kind, messages: [last.message, m] };
    else out.push({ type: 'message', message: m });
  }
  return out;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Roles in order of first appearance with what each did, from the bodies' own wording. */
function byRole(run: Message[], re: RegExp): Array<{ role: 'mentor' | 'mentee'; parts: string[][] }> {
  const roles: Array<{ role: 'mentor' | 'mentee'; parts: string[][] }> = [];
  for (const m of run) {
    const match = re.exec(m.body);
    if (!match) continue;
    const role = match[1] as 'mentor' | 'mentee';
    let entry = roles.find((r) => r.role === role);
    if (!entry) roles.push((entry = { role, parts: [] }));
    entry.parts.push(match.slice(2));
  }
  return roles;
}

/** The one line a run reads as. */
export function runSummary(kind: Kind, run: Message[], names: RoleNames): string {
  const re = KINDS.find(([k]) => k === kind)![1];
  const roles = byRole(run, re);
  switch (kind) {
    case 'ack':
      return `Review: ${roles.map((r) => `${names[r.role]} acknowledged ${plural(r.parts.length, 'goal')}`).join(' and ')}.`;
    case 'outcome':
      return `${roles.map((r) => `${names[r.role]} marked ${r.parts.map(([title, status]) => `'${title}' ${status}`).join(', ')}`).join('; ')}.`;
    case 'edit': {
      const version = re.exec(run.at(-1)!.body)?.[2] ?? '';
      return `${roles.map((r) => names[r.role]).join(' and ')} edited the contract ${plural(run.length, 'time')} (now v${version}). Both sides need to accept v${version}.`;
    }
  }
}
