import type { Checkin, Contract, Goal, GoalProgress, GoalStatus, Room } from '../../../../shared/types.js';
import { avatar } from './avatar.js';
import { h } from '../dom.js';
import { ago, cadenceText, calendarDate, dueLabel } from '../format.js';
import { contractForm } from './contract-form.js';
import { explain } from './form.js';
import { goalCheckins, type GoalCheckins } from './goal-checkins.js';
import type { RoomScope, RoomTab } from './room-scope.js';

const OUTCOME_LABEL: Record<GoalStatus, string> = { open: 'Open', achieved: 'Achieved', dropped: 'Dropped' };

/** The contract may be edited by either member while the room is active, in Initiation or Cultivation. */
const editable = (room: Room) => room.status === 'active' && (room.stage === 'initiation' || room.stage === 'cultivation');

/**
 * The contract and its goals: the current version with who accepted it, an accept button, the
 * draft/edit form, goal outcomes (Cultivation) and acknowledgements (Separation), and earlier
 * versions. Re-renders on every `room:updated`; an edit in progress is kept and warned about.
 */
export function contractTab(scope: RoomScope): RoomTab {
  const { ctx, roomId, watch, nameOf, roleOf } = scope;
  const me = ctx.client.me;
  const content = h('div', { class: 'tab-inner stack-lg' });
  const el = h('div', { class: 'tab-scroll' }, content);
  let editing: ReturnType<typeof contractForm> | null = null;
  let editingFrom = 0; // the version the form started from
  const goalErrors = new Map<string, string>();
  // Measured goals (issue 19): the series, each goal's progress, and each card's chart element (kept across renders).
  let checkins: Checkin[] = [];
  const progress = new Map<string, GoalProgress>();
  const charts = new Map<string, GoalCheckins>();

  async function loadCheckins(): Promise<void> {
    try {
      const read = await ctx.client.rest.care.checkins(roomId);
      checkins = read.checkins;
      progress.clear();
      for (const p of read.progress) progress.set(p.goalId, p);
      updateCharts();
    } catch {
      /* the charts stay as they are; the next check-in event or visit fills them */
    }
  }

  function updateCharts(): void {
    const room = watch.room;
    for (const g of room?.contract?.goals ?? []) {
      if (g.measure) charts.get(g.id)?.update(room!, { ...g, measure: g.measure }, checkins, progress.get(g.id));
    }
  }

  function chartFor(room: Room, goal: Goal): HTMLElement | null {
    if (!goal.measure) return null;
    let c = charts.get(goal.id);
    if (!c) charts.set(goal.id, (c = goalCheckins(scope, goal.id)));
    c.update(room, { ...goal, measure: goal.measure }, checkins, progress.get(goal.id));
    return c.el;
  }

  const offCheckin = ctx.client.on('goal:checkin', (p) => {
    if (p.roomId !== roomId) return;
    if (!checkins.some((c) => c.id === p.checkin.id)) checkins = [...checkins, p.checkin];
    progress.set(p.progress.goalId, p.progress);
    updateCharts();
  });

  const who = (userId: string) => `${nameOf(userId)} (${roleOf(userId) ?? 'member'})`;

  function startEdit(room: Room): void {
    editingFrom = room.contract?.version ?? 0;
    editing = contractForm({
      current: room.contract,
      save: async (body) => {
        const next = await ctx.client.rest.lifecycle.putContract(roomId, body);
        editing = null;
        watch.apply(next);
        render();
        // Saved from the bottom of a long form: bring the new version and its "Accept" into view,
        // on a phone too (issue 16, finding 9).
        const view = content.querySelector<HTMLElement>('[data-testid="contract-view"]');
        view?.scrollIntoView({ block: 'start' });
        content.querySelector<HTMLButtonElement>('[data-testid="contract-accept"]')?.focus({ preventScroll: true });
      },
      cancel: () => {
        editing = null;
        render();
      },
    });
    content.replaceChildren(h('section', { class: 'card' }, editing.el));
    editing.el.querySelector<HTMLInputElement>('input')?.focus();
  }

  async function accept(contract: Contract, button: HTMLButtonElement, error: HTMLElement): Promise<void> {
    button.disabled = true;
    error.hidden = true;
    try {
      watch.apply(await ctx.client.rest.lifecycle.acceptContract(roomId, { version: contract.version }));
    } catch (err) {
      button.disabled = false;
      error.hidden = false;
      error.textContent = explain(err, { CONFLICT: 'The contract changed while you were reading it. Read the new version, then accept it.' });
      void watch.refresh().catch(() => undefined);
    }
  }

  async function patchGoal(goal: Goal, patch: { status?: GoalStatus; acknowledge?: true }): Promise<void> {
    goalErrors.delete(goal.id);
    try {
      watch.apply(await ctx.client.rest.lifecycle.patchGoal(roomId, goal.id, patch));
    } catch (err) {
      goalErrors.set(goal.id, explain(err));
      render();
    }
  }

  function goalActions(room: Room, goal: Goal): HTMLElement | null {
    if (room.status !== 'active') return null;
    const buttons: HTMLElement[] = [];
    const set = (status: GoalStatus, label: string) =>
      h(
        'button',
        {
          class: `btn btn-sm btn-ghost${goal.status === status ? ' is-selected' : ''}`,
          type: 'button',
          'aria-pressed': String(goal.status === status),
          'data-testid': `goal-set-${status}`,
          onclick: () => goal.status !== status && void patchGoal(goal, { status }),
        },
        label,
      );
    if (room.stage === 'cultivation') buttons.push(set('open', 'Open'), set('achieved', 'Achieved'), set('dropped', 'Dropped'));
    if (room.stage === 'separation') {
      buttons.push(set('achieved', 'Achieved'), set('dropped', 'Dropped'));
      if (goal.status !== 'open' && !goal.acknowledgedBy.includes(me)) {
        buttons.push(h('button', { class: 'btn btn-sm btn-primary', type: 'button', 'data-testid': 'goal-acknowledge', onclick: () => void patchGoal(goal, { acknowledge: true }) }, 'Acknowledge outcome'));
      }
    }
    return buttons.length > 0 ? h('div', { class: 'goal-actions', role: 'group', 'aria-label': `Outcome of ${goal.title}` }, buttons) : null;
  }

  function goalItem(room: Room, goal: Goal): HTMLElement {
    const error = goalErrors.get(goal.id);
    const acks = goal.acknowledgedBy.map(nameOf);
    return h(
      'li',
      { class: `goal goal-${goal.status}`, 'data-testid': 'goal', 'data-goal-id': goal.id, 'data-status': goal.status },
      h('div', { class: 'goal-head' }, h('h4', { class: 'goal-title' }, goal.title), h('span', { class: `chip chip-goal-${goal.status}`, 'data-testid': 'goal-status' }, OUTCOME_LABEL[goal.status])),
      h(
        'p',
        { class: 'goal-meta' },
        h('span', {}, h('span', { class: 'muted' }, 'Metric '), goal.metric),
        h('span', {}, h('span', { class: 'muted' }, 'Target '), goal.target),
        h('span', {}, h('span', { class: 'muted' }, 'Due '), calendarDate(goal.dueDate), goal.status === 'open' ? h('span', { class: 'muted' }, ` (${dueLabel(goal.dueDate)})`) : null),
      ),
      chartFor(room, goal),
      (room.stage === 'separation' || acks.length > 0) &&
        h('p', { class: 'goal-acks muted', 'data-testid': 'goal-acks' }, acks.length > 0 ? `Acknowledged by ${acks.join(' and ')}` : 'Not acknowledged yet'),
      goalActions(room, goal),
      error && h('p', { class: 'form-error', role: 'alert', 'data-testid': 'goal-error' }, error),
    );
  }

  function acceptance(room: Room, contract: Contract): HTMLElement {
    const members = [room.mentorId, room.menteeId];
    const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'contract-accept-error', hidden: true });
    const mine = contract.acceptedBy.includes(me);
    const button = h('button', { class: 'btn btn-primary', type: 'button', 'data-testid': 'contract-accept' }, `Accept v${contract.version}`);
    button.addEventListener('click', () => void accept(contract, button, error));
    return h(
      'div',
      { class: 'acceptance' },
      h(
        'ul',
        { class: 'accept-list', 'data-testid': 'contract-acceptances' },
        members.map((id) => {
          const yes = contract.acceptedBy.includes(id);
          return h(
            'li',
            { class: yes ? 'is-accepted' : '', 'data-testid': 'contract-acceptance', 'data-user-id': id, 'data-accepted': String(yes) },
            h('span', { class: 'accept-mark', 'aria-hidden': 'true' }, yes ? '✓' : '…'),
            avatar(id, nameOf(id), 'xs'),
            ` ${who(id)} `,
            h('span', { class: 'muted' }, yes ? `accepted v${contract.version}` : `has not accepted v${contract.version} yet`),
          );
        }),
      ),
      !mine && room.status === 'active' && button,
      error,
    );
  }

  function history(room: Room): HTMLElement | null {
    if (room.contractHistory.length === 0) return null;
    return h(
      'details',
      { class: 'card versions', 'data-testid': 'contract-versions' },
      h('summary', {}, `Earlier versions (${room.contractHistory.length})`),
      h(
        'ul',
        {},
        [...room.contractHistory].reverse().map((v) =>
          h(
            'li',
            {},
            h('strong', {}, `v${v.version}`),
            ` · ${v.goals.length} goals · edited by ${nameOf(v.updatedBy)} ${ago(v.updatedAt)} · `,
            v.acceptedBy.length > 0 ? `accepted by ${v.acceptedBy.map(who).join(' and ')}` : 'not accepted',
          ),
        ),
      ),
    );
  }

  function render(): void {
    const room = watch.room;
    if (!room) return;
    if (editing) {
      // Someone else saved a newer version while I edit: say so, keep my edit.
      if ((room.contract?.version ?? 0) > editingFrom && room.contract) {
        editing.warnNewer(room.contract.version, nameOf(room.contract.updatedBy), () => startEdit(room));
      }
      return;
    }
    const c = room.contract;
    const canEdit = editable(room);
    if (!c) {
      content.replaceChildren(
        h(
          'section',
          { class: 'card empty-state', 'data-testid': 'contract-empty' },
          h('h2', {}, 'No contract yet'),
          h('p', { class: 'muted' }, 'The contract is what you agree on: 3–5 goals with a metric, a target and a due date, ground rules, how often you meet, and when you review the mentorship.'),
          canEdit
            ? h('button', { class: 'btn btn-primary', type: 'button', 'data-testid': 'contract-draft', onclick: () => startEdit(room) }, 'Draft the contract')
            : h('p', { class: 'muted' }, room.status === 'pending' ? 'You can draft it once the request is accepted.' : 'The contract can no longer be drafted in this room.'),
        ),
      );
      return;
    }
    content.replaceChildren(
      h(
        'section',
        { class: 'card', 'data-testid': 'contract-view', 'data-version': String(c.version) },
        h(
          'div',
          { class: 'card-head' },
          h('h2', {}, `Contract v${c.version}`),
          canEdit && h('button', { class: 'btn btn-ghost btn-sm', type: 'button', 'data-testid': 'contract-edit', onclick: () => startEdit(room) }, 'Edit'),
        ),
        h('p', { class: 'muted' }, `Last changed by ${nameOf(c.updatedBy)} ${ago(c.updatedAt)}.`),
        acceptance(room, c),
      ),
      h(
        'section',
        { class: 'card' },
        h('h2', {}, 'Goals'),
        room.stage === 'separation' && h('p', { class: 'muted' }, 'The formal review: each of you acknowledges every goal’s outcome.'),
        room.stage === 'initiation' && h('p', { class: 'muted' }, 'Outcomes are recorded from Cultivation on.'),
        h('ol', { class: 'goals', 'data-testid': 'goals' }, c.goals.map((g) => goalItem(room, g))),
      ),
      h(
        'section',
        { class: 'card terms' },
        h('h2', {}, 'Terms'),
        h(
          'dl',
          {},
          h('dt', {}, 'We meet'),
          h('dd', { 'data-testid': 'contract-cadence' }, `Every ${cadenceText(c.cadence.every)} by ${c.cadence.channel}`),
          h('dt', {}, 'Between meetings'),
          h('dd', {}, c.channels.join(', ')),
          h('dt', {}, 'Review date'),
          h('dd', {}, `${calendarDate(c.reviewAt)}`),
          h('dt', {}, 'Ground rules'),
          h('dd', {}, h('ul', { class: 'rules' }, c.groundRules.map((r) => h('li', {}, r)))),
        ),
      ),
      history(room) ?? '',
    );
  }

  const off = watch.on('change', render);
  render();
  void loadCheckins();
  return {
    el,
    show: () => {
      render();
      void loadCheckins();
    },
    destroy: () => {
      off();
      offCheckin();
    },
  };
}
