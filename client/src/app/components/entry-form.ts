import { Limits } from '../../../../shared/limits.js';
import { ENTRY_KINDS, type EntryKind, type ThreadEntry } from '../../../../shared/types.js';
import { h } from '../dom.js';
import { busy, explain, formError } from './form.js';
import { markdown } from './markdown.js';

export const KIND_LABEL: Record<EntryKind, string> = {
  assumption: 'Assumption',
  failure: 'Failure',
  breakthrough: 'Breakthrough',
  progress: 'Progress',
  note: 'Note',
};

export interface LinkOption {
  id: string;
  title: string;
}

export interface EntryFormOptions {
  /** The entry being edited; absent for a new one. */
  entry?: ThreadEntry;
  /** Milestones and goals it may link to (empty lists hide the pickers). */
  milestones: LinkOption[];
  goals: LinkOption[];
  submit(input: { kind: EntryKind; body: string; milestoneId: string | null; goalId: string | null }): Promise<void>;
  cancel?(): void;
}

/**
 * Writing an entry: its kind, a Markdown body with a preview, and optional links to a roadmap
 * milestone (it then counts as that milestone's evidence) and a contract goal.
 */
export function entryForm(opts: EntryFormOptions): { el: HTMLFormElement; focus(): void } {
  const e = opts.entry;
  const kind = h('select', { 'data-testid': 'entry-kind', 'aria-label': 'Kind' }, ENTRY_KINDS.map((k) => h('option', { value: k }, KIND_LABEL[k])));
  kind.value = e?.kind ?? 'progress';
  const body = h('textarea', {
    rows: 4,
    maxlength: Limits.entryBody,
    'data-testid': 'entry-body-input',
    'aria-label': 'What happened',
    placeholder: 'What did you try, learn or get done? Markdown: *emphasis*, **strong**, `code`, - lists, [links](https://…)',
  });
  body.value = e?.body ?? '';
  const preview = h('div', { class: 'entry-preview', 'data-testid': 'entry-preview', hidden: true });
  const previewButton = h('button', { class: 'btn btn-ghost btn-sm', type: 'button', 'aria-pressed': 'false' }, 'Preview');
  previewButton.addEventListener('click', () => {
    const on = preview.hidden;
    preview.hidden = !on;
    body.hidden = on;
    previewButton.setAttribute('aria-pressed', String(on));
    previewButton.textContent = on ? 'Write' : 'Preview';
    if (on) preview.replaceChildren(body.value.trim() ? markdown(body.value) : h('p', { class: 'muted' }, 'Nothing to preview yet.'));
  });
  const picker = (testId: string, label: string, options: LinkOption[], value: string | undefined) => {
    const select = h('select', { 'data-testid': testId, 'aria-label': label }, h('option', { value: '' }, `No ${label.toLowerCase()}`), options.map((o) => h('option', { value: o.id }, o.title)));
    if (value && !options.some((o) => o.id === value)) select.append(h('option', { value }, `(${label.toLowerCase()} no longer listed)`));
    select.value = value ?? '';
    return select;
  };
  const milestone = picker('entry-milestone', 'Milestone', opts.milestones, e?.milestoneId);
  const goal = picker('entry-goal', 'Goal', opts.goals, e?.goalId);
  const error = formError('entry-error');
  const submit = h('button', { class: 'btn btn-primary', type: 'submit', 'data-testid': 'entry-submit' }, e ? 'Save' : 'Add entry');
  const links = h(
    'div',
    { class: 'entry-links' },
    opts.milestones.length > 0 || e?.milestoneId ? h('label', {}, h('span', {}, 'Evidence for'), milestone) : null,
    opts.goals.length > 0 || e?.goalId ? h('label', {}, h('span', {}, 'About goal'), goal) : null,
  );
  const form = h(
    'form',
    { class: 'entry-form', novalidate: true, 'data-testid': e ? 'entry-edit-form' : 'entry-form' },
    h('div', { class: 'entry-form-top' }, kind, previewButton),
    body,
    preview,
    links,
    error,
    h(
      'div',
      { class: 'form-actions' },
      submit,
      opts.cancel && h('button', { class: 'btn btn-ghost', type: 'button', onclick: () => opts.cancel!() }, 'Cancel'),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.show(null);
    if (!body.value.trim()) {
      error.show('Write something first.');
      return;
    }
    void busy(form, async () => {
      try {
        await opts.submit({ kind: kind.value as EntryKind, body: body.value, milestoneId: milestone.value || null, goalId: goal.value || null });
        if (!e) {
          body.value = '';
          milestone.value = '';
          goal.value = '';
          if (!preview.hidden) previewButton.click();
        }
      } catch (err) {
        error.show(explain(err));
      }
    });
  });
  return { el: form, focus: () => body.focus() };
}
