import { ContractIn, ContractLimits } from '../../../../shared/schemas/contract.js';
import type { Contract, GoalMeasure } from '../../../../shared/types.js';
import { SdkError } from '@menteo/sdk';
import { h } from '../dom.js';
import { utcDay } from '../format.js';
import { issuesOf, type Issue } from '../refusals.js';
import { busy, clearFieldErrors, explain, field, formError, showFieldErrors } from './form.js';

const UNITS = [
  ['d', 'days'],
  ['w', 'weeks'],
  ['m', 'months'],
] as const;

export interface ContractFormOptions {
  /** The contract to edit, or null to draft the first one. */
  current: Contract | null;
  save(contract: ContractIn): Promise<void>;
  cancel(): void;
}

/**
 * Drafting or editing the contract: 3–5 goals (title, metric, target, due date), ground rules,
 * cadence, channels and the review date. Kept goals carry their id, so they keep their outcome.
 * Bounds come from the shared schema; the SDK checks them again before anything is sent.
 */
export function contractForm(opts: ContractFormOptions): { el: HTMLElement; warnNewer(version: number, by: string, reload: () => void): void } {
  const c = opts.current;
  const goalsList = h('ol', { class: 'goal-inputs', 'data-testid': 'goal-inputs' });
  const error = formError('contract-error');
  const newer = h('div', { class: 'form-warn', role: 'status', 'data-testid': 'contract-newer', hidden: true });

  interface GoalRow {
    id?: string;
    el: HTMLElement;
    title: HTMLInputElement;
    metric: HTMLInputElement;
    target: HTMLInputElement;
    due: HTMLInputElement;
    /** The numeric target (issue 19): all three filled makes a measured goal, all empty a yes/no one. */
    unit: HTMLInputElement;
    from: HTMLInputElement;
    to: HTMLInputElement;
  }
  const rows: GoalRow[] = [];
  /** A half-filled numeric target reaches the schema as NaN, so it is refused next to its field. */
  const measureOf = (r: GoalRow): GoalMeasure => {
    const baseline = r.from.value === '' ? Number.NaN : Number(r.from.value);
    const target = r.to.value === '' ? Number.NaN : Number(r.to.value);
    return { unit: r.unit.value.trim(), baseline, target, direction: target > baseline ? 'higher' : 'lower' };
  };

  function goalRow(goal?: { id?: string; title: string; metric: string; target: string; dueDate: string; measure?: GoalMeasure }): GoalRow {
    const num = (name: string, value: number | undefined, label: string) =>
      h('input', { type: 'number', step: 'any', name, value: value === undefined ? '' : String(value), 'aria-label': label, 'data-testid': `goal-measure-${name}` });
    const input = (name: string, max: number, value: string, placeholder: string) =>
      h('input', { type: 'text', name, maxlength: max, value, placeholder, required: true, 'data-testid': `goal-${name}` });
    const row: GoalRow = {
      ...(goal?.id && { id: goal.id }),
      title: input('title', ContractLimits.goalTitle, goal?.title ?? '', 'e.g. Run five mock interviews'),
      metric: input('metric', ContractLimits.goalMetric, goal?.metric ?? '', 'How you measure it'),
      target: input('target', ContractLimits.goalTarget, goal?.target ?? '', 'What counts as done'),
      due: h('input', { type: 'date', name: 'due', value: goal?.dueDate ?? utcDay(60), required: true, 'data-testid': 'goal-due' }),
      unit: h('input', { type: 'text', name: 'unit', maxlength: ContractLimits.measureUnit, value: goal?.measure?.unit ?? '', placeholder: 'e.g. interviews', 'data-testid': 'goal-measure-unit' }),
      from: num('from', goal?.measure?.baseline, 'Starting value'),
      to: num('to', goal?.measure?.target, 'Target value'),
      el: h('li'),
    };
    const remove = h('button', { class: 'btn btn-ghost btn-sm', type: 'button', 'data-testid': 'goal-remove' }, 'Remove');
    remove.addEventListener('click', () => {
      if (rows.length <= ContractLimits.goalsMin) return;
      rows.splice(rows.indexOf(row), 1);
      row.el.remove();
      renderCounts();
    });
    row.el.append(
      h(
        'fieldset',
        { class: 'goal-input', 'data-testid': 'goal-input' },
        h('legend', {}, h('span', { class: 'goal-number' }), remove),
        field('Goal', row.title),
        h('div', { class: 'row-3' }, field('Metric', row.metric), field('Target', row.target), field('Due', row.due)),
        h('div', { class: 'row-3' }, field('Numeric unit (optional)', row.unit), field('From', row.from), field('To', row.to)),
      ),
    );
    return row;
  }

  const addGoal = h('button', { class: 'btn btn-ghost btn-sm', type: 'button', 'data-testid': 'goal-add' }, '+ Add a goal');
  addGoal.addEventListener('click', () => {
    if (rows.length >= ContractLimits.goalsMax) return;
    const row = goalRow();
    rows.push(row);
    goalsList.append(row.el);
    renderCounts();
    row.title.focus();
  });

  function renderCounts(): void {
    rows.forEach((r, i) => {
      r.el.querySelector('.goal-number')!.textContent = `Goal ${i + 1}`;
      (r.el.querySelector('[data-testid="goal-remove"]') as HTMLButtonElement).hidden = rows.length <= ContractLimits.goalsMin;
    });
    addGoal.hidden = rows.length >= ContractLimits.goalsMax;
  }

  const initial = c?.goals ?? [];
  for (let i = 0; i < Math.max(ContractLimits.goalsMin, initial.length); i++) {
    const row = goalRow(initial[i]);
    rows.push(row);
    goalsList.append(row.el);
  }
  renderCounts();

  const rules = h('textarea', { rows: 3, 'data-testid': 'contract-rules', placeholder: 'One rule per line' });
  rules.value = (c?.groundRules ?? ['Come prepared', 'Say so early when something slips']).join('\n');
  const every = /^(\d+)([dwm])$/.exec(c?.cadence.every ?? '2w');
  const count = h('input', { type: 'number', min: 1, max: 999, value: every?.[1] ?? '2', 'data-testid': 'contract-every-count', 'aria-label': 'Every how many' });
  const unit = h('select', { 'data-testid': 'contract-every-unit', 'aria-label': 'Unit' }, UNITS.map(([v, label]) => h('option', { value: v }, label)));
  unit.value = every?.[2] ?? 'w';
  const channel = h('input', { type: 'text', maxlength: ContractLimits.channel, value: c?.cadence.channel ?? 'video call', 'data-testid': 'contract-cadence-channel' });
  const channels = h('input', { type: 'text', value: (c?.channels ?? ['Menteo chat']).join(', '), 'data-testid': 'contract-channels' });
  const review = h('input', { type: 'date', value: c?.reviewAt ?? utcDay(90), 'data-testid': 'contract-review' });

  const save = h('button', { class: 'btn btn-primary', type: 'submit', 'data-testid': 'contract-save' }, c ? `Save as v${c.version + 1}` : 'Save the draft');
  const form = h(
    'form',
    { class: 'contract-form stack', novalidate: true, 'data-testid': 'contract-form' },
    h('h2', {}, c ? `Edit contract v${c.version}` : 'Draft the contract'),
    h('p', { class: 'muted' }, 'Any change makes a new version: both of you accept it again.'),
    newer,
    h('section', { class: 'stack' }, h('h3', {}, `Goals (${ContractLimits.goalsMin}–${ContractLimits.goalsMax})`), goalsList, h('div', {}, addGoal)),
    field('Ground rules', rules, 'One per line.'),
    h(
      'div',
      { class: 'field' },
      h('span', { class: 'field-label' }, 'We meet every'),
      h('div', { class: 'cadence-row' }, count, unit, h('span', { class: 'muted' }, 'by'), channel),
    ),
    field('Channels between meetings', channels, 'Separate them with commas.'),
    field('Review date', review, 'When you will review the mentorship together (the exit plan).'),
    error,
    h('div', { class: 'form-actions' }, save, h('button', { class: 'btn btn-ghost', type: 'button', 'data-testid': 'contract-cancel', onclick: () => opts.cancel() }, 'Cancel')),
  );

  const lines = (s: string, sep: RegExp) =>
    s
      .split(sep)
      .map((x) => x.trim())
      .filter(Boolean);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.show(null);
    clearFieldErrors(form);
    const body: ContractIn = {
      goals: rows.map((r) => ({
        ...(r.id && { id: r.id }),
        title: r.title.value.trim(),
        metric: r.metric.value.trim(),
        target: r.target.value.trim(),
        dueDate: r.due.value,
        ...(r.unit.value.trim() || r.from.value !== '' || r.to.value !== ''
          ? { measure: measureOf(r) }
          : {}),
      })),
      groundRules: lines(rules.value, /\n/),
      cadence: { every: `${count.value.trim()}${unit.value}`, channel: channel.value.trim() },
      channels: lines(channels.value, /,/),
      reviewAt: review.value,
      // The web app does not edit the reply promise yet: keep the one the contract has (issue 19).
      ...(c?.replyWithinHours ? { replyWithinHours: c.replyWithinHours } : {}),
    };
    const problems = checkLocally(body);
    if (problems.length > 0) return report(problems);
    void busy(form, async () => {
      try {
        await opts.save(body);
      } catch (err) {
        const issues = err instanceof SdkError && err.code === 'INVALID_INPUT' ? issuesOf(err.details) : [];
        if (issues.length > 0) report(issues);
        else error.show(explain(err));
      }
    });
  });

  /** Problems the server would refuse, found before sending: the shared schema, plus dates in the past. */
  function checkLocally(body: ContractIn): Issue[] {
    const parsed = ContractIn.safeParse(body);
    const issues = parsed.success ? [] : issuesOf(parsed.error.issues).filter((i) => i.path.length > 1 || i.path[0] !== 'goals');
    const today = utcDay();
    const seen = new Map<string, number>();
    body.goals.forEach((g, i) => {
      const key = g.title.toLowerCase();
      if (key && seen.has(key)) issues.push({ path: ['goals', i, 'title'], message: `Goal ${seen.get(key)! + 1} has this title already: give each goal its own.` });
      else seen.set(key, i);
      const before = c?.goals.find((old) => old.id === g.id)?.dueDate;
      if (g.dueDate && g.dueDate < today && g.dueDate !== before) issues.push({ path: ['goals', i, 'dueDate'], message: 'This date is in the past: pick today or later.' });
    });
    if (body.reviewAt && body.reviewAt < today && body.reviewAt !== c?.reviewAt) issues.push({ path: ['reviewAt'], message: 'This date is in the past: pick today or later.' });
    return issues;
  }

  function controlFor(path: Issue['path']): HTMLElement | null {
    const [top, index, leaf] = path;
    if (top === 'goals') {
      const row = rows[typeof index === 'number' ? index : 0];
      if (!row) return null;
      if (leaf === 'measure') return ({ unit: row.unit, baseline: row.from, target: row.to, direction: row.to } as Record<string, HTMLElement>)[String(path[3])] ?? row.unit;
      return { title: row.title, metric: row.metric, target: row.target, dueDate: row.due }[String(leaf)] ?? row.title;
    }
    if (top === 'cadence') return index === 'channel' ? channel : count;
    return ({ groundRules: rules, channels, reviewAt: review } as Record<string, HTMLElement>)[String(top)] ?? null;
  }

  /** Each problem next to its field, the first focused; one sentence at the bottom says how many. */
  function report(issues: Issue[]): void {
    const unplaced = showFieldErrors(form, issues, controlFor);
    const placed = issues.length - unplaced.length;
    const summary = placed > 0 ? `Please check the ${placed === 1 ? 'field' : `${placed} fields`} marked above.` : '';
    error.show([summary, ...unplaced.map((i) => i.message)].filter(Boolean).join(' ') || null);
  }

  return {
    el: form,
    warnNewer(version, by, reload) {
      newer.hidden = false;
      newer.replaceChildren(
        h('span', {}, `${by} saved contract v${version} while you were editing. Saving replaces it with yours. `),
        h('button', { class: 'btn btn-link', type: 'button', 'data-testid': 'contract-reload', onclick: reload }, 'Start from theirs'),
      );
    },
  };
}
