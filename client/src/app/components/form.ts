import { SdkError } from '@menteo/sdk';
import { h } from '../dom.js';

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
    default: {
      const text = err.message.replace(/^invalid [\w -]+: /, '');
      return text.charAt(0).toUpperCase() + text.slice(1) + (/[.!?]$/.test(text) ? '' : '.');
    }
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
