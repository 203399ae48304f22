import { ContractLimits } from '../../../../shared/schemas/contract.js';
import { STAGES, type Room } from '../../../../shared/types.js';
import { movesFor, STAGE_LABELS, STAGE_PURPOSE, stageIndex, type StageMove } from '@menteo/sdk';
import { h } from '../dom.js';
import { dateTime, localDates } from '../format.js';
import { busy, explain, formError } from './form.js';
import type { RoomScope, RoomTab } from './room-scope.js';
import { STAGE_EXPLAINED } from '../stage-copy.js';

/**
 * The stage of the mentorship: where it is (a stepper), what it still needs (the server's next
 * steps), the moves the stage machine allows with a note where one is required, and the history.
 * The guards stay on the server: a refused move shows the server's GUARD_FAILED reason.
 */
export function stageTab(scope: RoomScope): RoomTab {
  const { ctx, roomId, watch, nameOf } = scope;
  const stepper = h('ol', { class: 'stepper', 'data-testid': 'stage-stepper' });
  const purpose = h('p', { class: 'muted stage-purpose' });
  const steps = h('ul', { class: 'next-steps', 'data-testid': 'next-steps' });
  const moves = h('div', { class: 'stage-moves' });
  const history = h('ol', { class: 'stage-history', 'data-testid': 'stage-history' });
  const el = h(
    'div',
    { class: 'tab-scroll' },
    h(
      'div',
      { class: 'tab-inner stack-lg' },
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'stage-title' },
        h('h2', { id: 'stage-title' }, 'Stage'),
        stepper,
        purpose,
        h(
          'details',
          { class: 'stage-guide', 'data-testid': 'stage-guide' },
          h('summary', {}, 'What the four stages mean'),
          h('dl', {}, STAGES.flatMap((stage) => [h('dt', {}, STAGE_LABELS[stage]), h('dd', { 'data-stage': stage }, STAGE_EXPLAINED[stage])])),
        ),
      ),
      h('section', { class: 'card', 'aria-labelledby': 'next-title' }, h('h2', { id: 'next-title' }, 'Next steps'), steps, moves),
      h('section', { class: 'card', 'aria-labelledby': 'history-title' }, h('h2', { id: 'history-title' }, 'History'), history),
    ),
  );
  // A note being written survives re-renders caused by pushes.
  const notes = new Map<string, HTMLTextAreaElement>();
  const errors = new Map<string, ReturnType<typeof formError>>();
  let movesKey = '';

  function renderStepper(room: Room): void {
    const at = stageIndex(room.stage);
    const active = room.status === 'active';
    stepper.replaceChildren(
      ...STAGES.map((stage, i) =>
        h(
          'li',
          {
            class: `step${active && i === at ? ' is-current' : ''}${active && i < at ? ' is-past' : ''}`,
            'aria-current': active && i === at ? 'step' : null,
            'data-stage': stage,
          },
          h('span', { class: 'step-dot', 'aria-hidden': 'true' }, String(i + 1)),
          h('span', { class: 'step-label' }, STAGE_LABELS[stage]),
        ),
      ),
    );
    stepper.dataset.current = active ? room.stage : '';
    // Redefinition is the least familiar word: say what it means where it is reached.
    purpose.textContent = active ? (room.stage === 'redefinition' ? STAGE_EXPLAINED.redefinition : STAGE_PURPOSE[room.stage]) : room.status === 'pending' ? 'The stages start once the request is accepted.' : `This room is ${room.status}.`;
  }

  function moveForm(move: StageMove): HTMLElement {
    const key = move.to;
    const note =
      notes.get(key) ??
      h('textarea', {
        rows: 2,
        maxlength: ContractLimits.stageNote,
        placeholder: move.needsNote ? 'New challenge: …' : 'Optional',
        'data-testid': `stage-note-${key}`,
      });
    notes.set(key, note);
    const error = errors.get(key) ?? formError(`stage-error-${key}`);
    errors.set(key, error);
    const noteId = `stage-note-${key}`;
    note.id = noteId;
    const form = h(
      'form',
      { class: 'move', 'data-testid': 'stage-move', 'data-to': key },
      h('label', { for: noteId }, move.needsNote ? `Why come back to ${STAGE_LABELS[move.to]}? (required)` : `Note for the move to ${STAGE_LABELS[move.to]}`),
      note,
      error,
      h('button', { class: `btn ${move.needsNote ? 'btn-ghost' : 'btn-primary'}`, type: 'submit', 'data-testid': `stage-move-${key}` }, move.needsNote ? `Cycle back to ${STAGE_LABELS[move.to]}` : `Move to ${STAGE_LABELS[move.to]}`),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      error.show(null);
      const text = note.value.trim();
      if (move.needsNote && !text) {
        error.show('Write a note: what is the new challenge?');
        note.focus();
        return;
      }
      void busy(form, async () => {
        try {
          const room = await ctx.client.rest.lifecycle.changeStage(roomId, { to: move.to, ...(text && { note: text }) });
          note.value = '';
          watch.apply(room);
        } catch (err) {
          // GUARD_FAILED carries the server's reason, e.g. "… has not accepted contract v2 (guard: contract-accepted)".
          error.show(explain(err));
        }
      });
    });
    return form;
  }

  function render(): void {
    const room = watch.room;
    if (!room) return;
    renderStepper(room);
    const next = watch.nextSteps;
    steps.replaceChildren(...(next.length > 0 ? next.map((s) => h('li', { 'data-testid': 'next-step' }, localDates(s))) : [h('li', { class: 'muted' }, 'Nothing to do right now.')]));
    const allowed = movesFor(room);
    // Rebuild the forms only when the possible moves change, so a half-written note and its error stay.
    const key = `${room.status}:${room.stage}`;
    if (key !== movesKey) {
      movesKey = key;
      moves.replaceChildren(...allowed.map(moveForm));
      for (const k of notes.keys()) if (!allowed.some((m) => m.to === k)) notes.delete(k);
      for (const [k, e] of errors) if (!allowed.some((m) => m.to === k)) errors.delete(k);
      for (const e of errors.values()) e.show(null);
    }
    const changes = [...room.stageHistory].reverse();
    history.replaceChildren(
      ...(changes.length > 0
        ? changes.map((c) =>
            h(
              'li',
              { 'data-testid': 'stage-change' },
              h('span', { class: 'change-path' }, `${STAGE_LABELS[c.from]} → ${STAGE_LABELS[c.to]}`),
              h('span', { class: 'muted' }, ` · ${nameOf(c.by)} · `, h('time', { datetime: c.at }, dateTime(c.at))),
              c.note && h('p', { class: 'change-note' }, c.note),
            ),
          )
        : [h('li', { class: 'muted' }, room.acceptedAt ? `In Initiation since ${dateTime(room.acceptedAt)}.` : 'No stage changes yet.')]),
    );
  }

  const off = watch.on('change', render);
  render();
  return {
    el,
    show: () => {
      render();
      void watch.refresh().catch(() => undefined);
    },
    destroy: off,
  };
}
