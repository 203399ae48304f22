import { SdkError } from '@menteo/sdk';
import { h } from '../dom.js';
import { refusalText, sentence, type Issue } from '../refusals.js';

/** A labelled input: the label wraps a hint and the control so both are announced. */
export function field(label: string, control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, hint?: string): HTMLElement {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  const hintEl = hint ? h('span', { class: 'field-hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl);
}

/** The place a form shows its error; read out when it changes. */
export function formError(testId: string): HTMLElement & { show(message: string | null): void } {
  const el = h('p', { class: 'form-error', role: 'alert', 'data-testid': testId, hidden: true });
  return Object.assign(el, {
    show(message: string | null) {
      el.hidden = !message;
      el.textContent = message ?? '';
    },
  });
}

/** A sentence for a person from any error a call may throw. */
export function explain(err: unknown, known: Partial<Record<string, string>> = {}): string {
  if (!(err instanceof SdkError)) return 'Something went wrong. Please try again.';
  const custom = known[err.code];
  if (custom) return custom;
  switch (err.code) {
    case 'NETWORK':
    case 'DISCONNECTED':
    case 'TIMEOUT':
      return 'Cannot reach Menteo right now. Check your connection and try again.';
    case 'RATE_LIMITED':
      return 'Too many attempts. Wait a moment and try again.';
    case 'INTERNAL':
      return 'Menteo had a problem. Please try again.';
    case 'GUARD_FAILED':
      return refusalText(err.message, err.details);
    default:
      return sentence(err.message);
  }
}

/** Disables a form's controls while `work` runs, so a double click cannot submit twice. */
export async function busy<T>(form: HTMLFormElement, work: () => Promise<T>): Promise<T> {
  const controls = Array.from(form.elements).filter((el): el is HTMLButtonElement | HTMLInputElement => 'disabled' in el);
  const before = controls.map((c) => c.disabled);
  controls.forEach((c) => (c.disabled = true));
  form.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    controls.forEach((c, i) => (c.disabled = before[i]!));
    form.removeAttribute('aria-busy');
  }
}

/**
 * Shows each issue next to its field, in words, and focuses the first (issue 16, finding 2).
 * `controlFor` finds the control of an issue's path; issues without one are left to the caller.
 * Returns the issues that found no field. Clears what an earlier call showed.
 */
export function showFieldErrors(
  form: HTMLElement,
  issues: readonly Issue[],
  controlFor: (path: Issue['path']) => HTMLElement | null,
): Issue[] {
  clearFieldErrors(form);
  const unplaced: Issue[] = [];
  let first: HTMLElement | null = null;
  for (const issue of issues) {
    const control = controlFor(issue.path);
    if (!control || control.getAttribute('aria-invalid') === 'true') {
      if (!control) unplaced.push(issue);
      continue;
    }
    const id = `${control.id || (control.id = `f-${Math.random().toString(36).slice(2, 9)}`)}-error`;
    const note = h('p', { class: 'field-error', id, 'data-testid': 'field-error' }, issue.message);
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
    control.insertAdjacentElement('afterend', note);
    first ??= control;
  }
  first?.focus();
  return unplaced;
}

/** Removes what showFieldErrors() put in `form`. */
export function clearFieldErrors(form: HTMLElement): void {
  for (const note of Array.from(form.querySelectorAll<HTMLElement>('.field-error'))) {
    const control = form.querySelector<HTMLElement>(`[aria-describedby~="${note.id}"]`);
    if (control) {
      control.removeAttribute('aria-invalid');
      const rest = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && x !== note.id);
      if (rest.length > 0) control.setAttribute('aria-describedby', rest.join(' '));
      else control.removeAttribute('aria-describedby');
    }
    note.remove();
  }
}

/**
 * For a refused duplicate request (CONFLICT with details.roomId): a notice linking to the room
 * the pair already has, instead of a second one (issue 16, finding 8). Null for other errors.
 */
export function existingRoomNotice(err: unknown, testId: string): HTMLElement | null {
  if (!(err instanceof SdkError) || err.code !== 'CONFLICT') return null;
  const details = err.details as { roomId?: unknown; status?: unknown } | undefined;
  if (typeof details?.roomId !== 'string') return null;
  const pending = details.status === 'pending';
  return h(
    'p',
    { class: 'form-warn', role: 'alert', 'data-testid': testId },
    pending ? 'You two already have a request waiting for an answer. ' : 'You two already have an active mentorship. ',
    h('a', { href: `/rooms/${encodeURIComponent(details.roomId)}`, 'data-testid': `${testId}-link` }, pending ? 'Open the request' : 'Open your room'),
  );
}
