import type { AchievementRecord, RecordGoal } from '../../../../shared/record.js';
import { STAGES } from '../../../../shared/types.js';
import { STAGE_LABELS } from '@menteo/sdk';
import { h } from '../dom.js';
import { cadenceText, calendarDate, dateTime, duration } from '../format.js';
import { KIND_LABEL } from './entry-form.js';
import { explain } from './form.js';
import type { RoomScope, RoomTab } from './room-scope.js';

const OUTCOME: Record<RecordGoal['outcome'], string> = { open: 'Open', achieved: 'Achieved', dropped: 'Dropped' };

const table = (head: string[], rows: Array<Array<Node | string>>, testId: string) =>
  h(
    'div',
    // Focusable and named, so keyboards reach it if it scrolls (axe); on a phone each row reflows into a card (controls.css).
    { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': `${testId.replace(/^record-/, '').replace(/^\w/, (c) => c.toUpperCase())} table` },
    h('table', { 'data-testid': testId }, h('thead', {}, h('tr', {}, head.map((x) => h('th', { scope: 'col' }, x)))), h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => h('td', { 'data-label': head[i] }, c)))))),
  );

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'room';

/**
 * The record of achievement (GET /api/rooms/:id/record) laid out for reading: goals and outcomes,
 * the contract and its versions, time in each stage, roadmap progress and growth-thread
 * highlights; and the Markdown version to download. Fetched when the tab opens and again when the
 * room changes while it is open.
 */
export function recordTab(scope: RoomScope): RoomTab {
  const { ctx, roomId, watch } = scope;
  const content = h('div', { class: 'tab-inner stack-lg record', 'data-testid': 'record' }, h('p', { class: 'muted' }, 'Loading the record…'));
  const el = h('div', { class: 'tab-scroll' }, content);
  let visible = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let download: string | null = null;

  /** Saves the record as a file: Markdown for people, JSON for tools (issue 16, finding 9). */
  async function save(button: HTMLButtonElement, title: string, format: 'md' | 'json'): Promise<void> {
    button.disabled = true;
    try {
      // The route needs the bearer token, so a plain link cannot fetch it: fetch, then save a blob.
      const blob =
        format === 'md'
          ? new Blob([await ctx.client.rest.lifecycle.recordMarkdown(roomId)], { type: 'text/markdown;charset=utf-8' })
          : new Blob([JSON.stringify(await ctx.client.rest.lifecycle.record(roomId), null, 2)], { type: 'application/json' });
      if (download) URL.revokeObjectURL(download);
      download = URL.createObjectURL(blob);
      const a = h('a', { href: download, download: `menteo-record-${slug(title)}.${format}`, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
    } catch (err) {
      ctx.notify(`Could not download the record: ${explain(err)}`, 'error');
    } finally {
      button.disabled = false;
    }
  }

  function render(r: AchievementRecord): void {
    const downloadButton = h('button', { class: 'btn btn-primary btn-sm', type: 'button', 'data-testid': 'record-download' }, 'Download (.md)');
    downloadButton.addEventListener('click', () => void save(downloadButton, r.title, 'md'));
    const jsonButton = h('button', { class: 'btn btn-ghost btn-sm', type: 'button', 'data-testid': 'record-download-json' }, 'Export (.json)');
    jsonButton.addEventListener('click', () => void save(jsonButton, r.title, 'json'));
    const c = r.contract;
    const roleName = (role: string) => (role === 'mentor' ? r.mentor.displayName : r.mentee.displayName);
    content.replaceChildren(
      h(
        'section',
        { class: 'card record-head' },
        h('div', { class: 'card-head' }, h('h2', {}, 'Record of achievement'), h('div', { class: 'record-downloads' }, downloadButton, jsonButton)),
        h('p', { class: 'record-title' }, h('strong', {}, r.title), r.focus !== r.title ? ` — ${r.focus}` : ''),
        h(
          'p',
          { class: 'muted' },
          `${r.mentor.displayName} (mentor) and ${r.mentee.displayName} (mentee). `,
          r.startedAt ? `Started ${dateTime(r.startedAt)}; ` : 'Not started; ',
          r.status === 'active' ? `now in ${STAGE_LABELS[r.stage]}.` : `${r.status}.`,
        ),
        r.unavailable.length > 0 && h('p', { class: 'form-error' }, `Some parts could not be loaded: ${r.unavailable.join(', ')}.`),
        h('p', { class: 'muted small' }, `Generated ${dateTime(r.generatedAt)}.`),
      ),
      h(
        'section',
        { class: 'card' },
        h('h2', {}, 'Goals'),
        r.goals.length === 0
          ? h('p', { class: 'muted' }, 'No goals yet: they come with the contract.')
          : table(
              ['Goal', 'Measure', 'Due', 'Outcome', 'Acknowledged by'],
              r.goals.map((g) => [
                g.title,
                `${g.metric}: ${g.target}`,
                calendarDate(g.dueDate),
                h('span', { class: `chip chip-goal-${g.outcome}` }, OUTCOME[g.outcome]),
                g.acknowledgedByRoles.length > 0 ? g.acknowledgedByRoles.map(roleName).join(', ') : '—',
              ]),
              'record-goals',
            ),
        r.earlierGoals.length > 0 &&
          h('div', {}, h('h3', {}, 'Earlier goals'), table(['Goal', 'Last in', 'Outcome'], r.earlierGoals.map((g) => [g.title, `v${g.lastVersion}`, OUTCOME[g.outcome]]), 'record-earlier-goals')),
      ),
      h(
        'section',
        { class: 'card' },
        h('h2', {}, c ? `Contract v${c.version}` : 'Contract'),
        c
          ? h(
              'dl',
              { class: 'terms' },
              h('dt', {}, 'Accepted by'),
              h('dd', {}, c.acceptedBy.length > 0 ? c.acceptedBy.map((id) => (id === r.mentor.id ? r.mentor.displayName : id === r.mentee.id ? r.mentee.displayName : id)).join(' and ') : 'nobody yet'),
              h('dt', {}, 'Cadence'),
              h('dd', {}, `Every ${cadenceText(c.cadence.every)} by ${c.cadence.channel}`),
              h('dt', {}, 'Channels'),
              h('dd', {}, c.channels.join(', ')),
              h('dt', {}, 'Review date'),
              h('dd', {}, calendarDate(c.reviewAt)),
              h('dt', {}, 'Ground rules'),
              h('dd', {}, h('ul', { class: 'rules' }, c.groundRules.map((x) => h('li', {}, x)))),
            )
          : h('p', { class: 'muted' }, 'No contract yet.'),
        r.contractVersions.length > 1 &&
          table(
            ['Version', 'Goals', 'Accepted by', 'Changed'],
            r.contractVersions.map((v) => [`v${v.version}`, String(v.goals.length), String(v.acceptedBy.length === 2 ? 'both' : v.acceptedBy.length === 1 ? 'one side' : 'nobody'), dateTime(v.updatedAt)]),
            'record-versions',
          ),
      ),
      h(
        'section',
        { class: 'card' },
        h('h2', {}, 'Stages'),
        r.stages.periods.length === 0
          ? h('p', { class: 'muted' }, 'The stages start once the request is accepted.')
          : table(
              ['Stage', 'From', 'To', 'Time'],
              r.stages.periods.map((p) => [STAGE_LABELS[p.stage], dateTime(p.startedAt), p.endedAt ? dateTime(p.endedAt) : 'now', duration(p.durationMs)]),
              'record-stages',
            ),
        h(
          'p',
          { class: 'muted' },
          STAGES.filter((s) => r.stages.timeInStageMs[s] > 0)
            .map((s) => `${STAGE_LABELS[s]}: ${duration(r.stages.timeInStageMs[s])}`)
            .join(' · '),
          r.stages.cycleBacks > 0 ? ` · ${r.stages.cycleBacks} new challenge${r.stages.cycleBacks === 1 ? '' : 's'}` : '',
        ),
        r.stages.history.some((x) => x.note) &&
          h(
            'ul',
            { class: 'stage-notes' },
            r.stages.history.filter((x) => x.note).map((x) => h('li', {}, `${STAGE_LABELS[x.from]} → ${STAGE_LABELS[x.to]}: `, h('q', {}, x.note!))),
          ),
      ),
      h(
        'section',
        { class: 'card' },
        h('h2', {}, 'Roadmap'),
        r.roadmap && r.roadmap.total > 0
          ? h(
              'div',
              { class: 'progress', 'data-testid': 'record-roadmap', role: 'progressbar', 'aria-label': 'Roadmap milestones done', 'aria-valuemin': '0', 'aria-valuemax': String(r.roadmap.total), 'aria-valuenow': String(r.roadmap.done) },
              h('span', { class: 'progress-track' }, h('span', { class: 'progress-fill', style: `width: ${Math.round((r.roadmap.done / r.roadmap.total) * 100)}%` })),
              h('span', { class: 'progress-text' }, `${r.roadmap.done} of ${r.roadmap.total} milestones done`),
            )
          : h('p', { class: 'muted' }, 'No milestones yet.'),
      ),
      h(
        'section',
        { class: 'card' },
        h('h2', {}, 'Growth-thread highlights'),
        r.highlights.length === 0
          ? h('p', { class: 'muted' }, 'Breakthroughs and milestone evidence from the room’s threads appear here.')
          : h(
              'ul',
              { class: 'highlights', 'data-testid': 'record-highlights' },
              r.highlights.map((x) =>
                h(
                  'li',
                  {},
                  h('span', { class: `kind kind-${x.kind}` }, KIND_LABEL[x.kind]),
                  ' ',
                  h('a', { href: `/rooms/${roomId}/threads?thread=${encodeURIComponent(x.threadId)}` }, h('strong', {}, x.threadTitle)),
                  h('span', { class: 'muted' }, ` · ${calendarDate(x.createdAt.slice(0, 10))}`),
                  h('p', {}, x.excerpt),
                ),
              ),
            ),
      ),
    );
  }

  async function load(): Promise<void> {
    try {
      render(await ctx.client.rest.lifecycle.record(roomId));
    } catch (err) {
      content.replaceChildren(h('p', { class: 'form-error' }, `Could not load the record: ${explain(err)}`));
    }
  }

  const reloadSoon = () => {
    if (!visible || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void load();
    }, 300);
  };
  const offs = [watch.on('change', reloadSoon), ctx.client.on('thread', (ev) => ev.roomId === roomId && reloadSoon())];

  return {
    el,
    show() {
      visible = true;
      void load();
    },
    hide() {
      visible = false;
    },
    destroy() {
      offs.forEach((off) => off());
      if (timer) clearTimeout(timer);
      if (download) URL.revokeObjectURL(download);
    },
  };
}
