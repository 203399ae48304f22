/**
 * The one place server refusals and validation issues become sentences for people (issue 16,
 * finding 2). Guard names stay in the API (details.guard, the message's "(guard: …)" tail) for
 * programs; people read what to do next. Pure.
 */

/** What to do when a lifecycle guard says no, keyed by guard name (docs/LIFECYCLE.md). */
const GUARD_HINTS: Partial<Record<string, string>> = {
  'room-active': 'Only an active mentorship can change.',
  'contract-editable': 'The contract can be edited in Initiation and Cultivation only.',
  'contract-exists': 'Draft a contract first.',
  'cycle-back-note': 'Write a note naming the new challenge, then cycle back.',
  'acknowledge-stage': 'Goals are acknowledged during Separation, the formal review.',
};

/** Drops the machine tail "(guard: contract-accepted)" and makes a sentence of the rest. */
export function sentence(text: string): string {
  const bare = text.replace(/\s*\(guard: [\w-]+\)\s*$/, '').replace(/^invalid [\w -]+: /, '').trim();
  if (!bare) return '';
  return bare.charAt(0).toUpperCase() + bare.slice(1) + (/[.!?]$/.test(bare) ? '' : '.');
}

/** A GUARD_FAILED refusal in words: the server's reason, then what to do when there is a hint. */
export function refusalText(message: string, details: unknown): string {
  const guard = typeof details === 'object' && details !== null && 'guard' in details ? String((details as { guard: unknown }).guard) : '';
  const reason = sentence(message);
  const hint = GUARD_HINTS[guard];
  return hint && !reason.toLowerCase().includes(hint.toLowerCase().slice(0, 24)) ? `${reason} ${hint}` : reason;
}

/** One validation problem: where (a zod path or a dotted string) and what. */
export interface Issue {
  path: Array<string | number>;
  message: string;
}

/** zod issues (client-side or in a server's INVALID_INPUT details) and the domain's `{ path: 'a.b' }` ones, normalised. */
export function issuesOf(details: unknown): Issue[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((raw): Issue[] => {
    if (typeof raw !== 'object' || raw === null) return [];
    const d = raw as Record<string, unknown>;
    const path = Array.isArray(d.path) ? (d.path as Array<string | number>) : typeof d.path === 'string' ? d.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [];
    return [{ path, message: issueText(d) }];
  });
}

/** A zod (v4) issue in words, without the schema's jargon. */
function issueText(d: Record<string, unknown>): string {
  const n = Number(d.minimum ?? d.maximum);
  switch (d.code) {
    case 'too_small':
      if (d.origin === 'string') return n <= 1 ? 'Fill this in.' : `Use at least ${n} characters.`;
      if (d.origin === 'array') return `Give at least ${n}.`;
      return `Use ${n} or more.`;
    case 'too_big':
      if (d.origin === 'string') return `Keep it to ${n} characters or fewer.`;
      if (d.origin === 'array') return `Give at most ${n}.`;
      return `Use ${n} or less.`;
    case 'invalid_type':
      return 'Fill this in.';
    default:
      break;
  }
  const message = String(d.message ?? '');
  if (message === 'in the past') return 'This date is in the past: pick today or later.';
  if (/YYYY-MM-DD|real date/.test(message)) return 'Pick a date.';
  return sentence(message.replace(/^Invalid string: /, '')) || 'Check this field.';
}
