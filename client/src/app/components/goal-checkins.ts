import type { Checkin, Goal, GoalMeasure, GoalProgress, Room } from '../../../../shared/types.js';
import { h } from '../dom.js';
import { explain } from './form.js';
import { progressChart } from './progress-chart.js';
import type { RoomScope } from './room-scope.js';

/** What the contract tab keeps per measured goal: the element (reused across renders) and how to redraw it. */
export interface GoalCheckins {
  el: HTMLElement;
  update(room: Room, goal: Goal & { measure: GoalMeasure }, checkins: readonly Checkin[], progress: GoalProgress | undefined): void;
}

/**
 * A measured goal's progress on its card (issue 19): the chart, "3 of 6 (50 %)", a "target
 * reached: confirm it achieved" hint, and, in Cultivation on an open goal, the check-in form
 * (value and note). The element is kept while the tab re-renders, so a value being typed survives
 * the other member's check-in arriving.
 */
export function goalCheckins(scope: RoomScope, goalId: string): GoalCheckins {
  const chart = h('div', { class: 'goal-chart' });
  const summary = h('p', { class: 'goal-progress', 'data-testid': 'goal-progress' });
  const value = h('input', { type: 'number', step: 'any', required: true, 'aria-label': 'Current value', 'data-testid': 'checkin-value', class: 'input input-sm' });
  const note = h('input', { type: 'text', maxlength: 1000, placeholder: 'Note (optional)', 'aria-label': 'Note', 'data-testid': 'checkin-note', class: 'input input-sm' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true, 'data-testid': 'checkin-error' });
  const button = h('button', { class: 'btn btn-sm btn-primary', type: 'submit', 'data-testid': 'checkin-submit' }, 'Check in');
  const form = h('form', { class: 'checkin-form', 'data-testid': 'checkin-form' }, value, note, button);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void submit();
  });
  const el = h('div', { class: 'goal-checkins', 'data-testid': 'goal-checkins', 'data-goal-id': goalId }, chart, summary, form, error);

  async function submit(): Promise<void> {
    const n = Number(value.value);
    if (value.value.trim() === '' || !Number.isFinite(n)) {
      error.hidden = false;
      error.textContent = 'Enter the current value as a number.';
      return;
    }
    button.disabled = true;
    error.hidden = true;
    try {
      await scope.ctx.client.rest.care.checkIn(scope.roomId, goalId, { value: n, ...(note.value.trim() ? { note: note.value.trim() } : {}) });
      value.value = '';
      note.value = '';
    } catch (err) {
      error.hidden = false;
      error.textContent = explain(err);
    } finally {
      button.disabled = false;
    }
  }

  return {
    el,
    update(room, goal, checkins, progress) {
      const mine = checkins.filter((c) => c.goalId === goalId);
      chart.replaceChildren(progressChart(goal.measure, mine, goal.title));
      const m = goal.measure;
      const current = progress?.current ?? m.baseline;
      summary.replaceChildren(
        `${current} ${m.direction === 'higher' ? 'of' : 'toward'} ${m.target} ${m.unit} · ${progress?.percent ?? 0} %`,
        mine.length > 0 ? h('span', { class: 'muted' }, ` · ${mine.length} check-in${mine.length === 1 ? '' : 's'}`) : '',
        progress?.proposeAchieved ? h('strong', { class: 'goal-proposal', 'data-testid': 'goal-proposal' }, ' · Target reached: confirm it achieved') : '',
      );
      form.hidden = !(room.status === 'active' && room.stage === 'cultivation' && goal.status === 'open');
    },
  };
}
