/**
 * The record of achievement, pure: what the mentorship set out to do, what came of each goal,
 * how long it spent in each stage, and (when those features are wired) roadmap progress and
 * growth-thread highlights. `buildRecord` makes the JSON; `renderRecordMarkdown` the Markdown.
 */
import type {
  AchievementRecord,
  MemberRole,
  RecordEarlierGoal,
  RecordGoal,
  RecordStageChange,
  ReplyBreach,
  StagePeriod,
  ThreadHighlight,
} from '../../shared/record.js';
import { STAGES, type Checkin, type Contract, type Goal, type Meeting, type Room, type Stage } from '../../shared/types.js';
import { goalProgress } from './measure.js';
import { stageLabel } from './guards.js';
import { isCycleBack } from './stages.js';

/** What the record is built from: the stored room plus what other features know about it. */
export interface RecordInput {
  room: Room;
  names: { mentor: string; mentee: string };
  /** The moment the record describes (ISO): the current stage's stay lasts until then. */
  now: string;
  roadmap: { done: number; total: number } | null;
  highlights: ThreadHighlight[];
  unavailable?: string[];
  /** Issue 19: check-ins of measured goals, reply-promise breaches, sessions (absent: none). */
  checkins?: Checkin[];
  replyBreaches?: ReplyBreach[];
  sessions?: Meeting[];
}

const roleOfId = (room: Room, id: string): MemberRole | null => (id === room.mentorId ? 'mentor' : id === room.menteeId ? 'mentee' : null);

function recordGoal(room: Room, g: Goal, checkins: readonly Checkin[] = []): RecordGoal {
  const series = g.measure
    ? {
        measure: g.measure,
        checkins: checkins
          .filter((c) => c.goalId === g.id)
          .map((c) => ({ value: c.value, at: c.createdAt, byRole: roleOfId(room, c.authorId), ...(c.note ? { note: c.note } : {}), ...(c.entryId ? { entryId: c.entryId } : {}) })),
        progress: goalProgress({ ...g, measure: g.measure }, checkins),
      }
    : {};
  return {
    id: g.id,
    title: g.title,
    metric: g.metric,
    target: g.target,
    dueDate: g.dueDate,
    outcome: g.status,
    acknowledgedBy: [...g.acknowledgedBy],
    acknowledgedByRoles: g.acknowledgedBy.map((id) => roleOfId(room, id)).filter((r): r is MemberRole => r !== null),
    ...series,
  };
}

/** Goals of superseded versions that the current contract dropped, each as its last version held it. */
function earlierGoals(room: Room): RecordEarlierGoal[] {
  const current = new Set((room.contract?.goals ?? []).map((g) => g.id));
  const seen = new Set<string>();
  const found: RecordEarlierGoal[] = [];
  for (const version of [...room.contractHistory].reverse()) {
    for (const g of version.goals) {
      if (current.has(g.id) || seen.has(g.id)) continue;
      seen.add(g.id);
      found.push({ ...recordGoal(room, g), lastVersion: version.version });
    }
  }
  return found.sort((a, b) => a.lastVersion - b.lastVersion);
}

/**
 * The stays in each stage: the first starts when the request was accepted, each transition ends
 * one and starts the next; the last runs until `now` (or until the room was closed).
 */
export function stagePeriods(room: Room, now: string): StagePeriod[] {
  if (room.status === 'pending' || room.status === 'declined') return [];
  const start = room.acceptedAt ?? room.createdAt;
  const end = room.status === 'closed' ? room.updatedAt : now;
  const ms = (a: string, b: string) => Math.max(0, Date.parse(b) - Date.parse(a));
  const periods: StagePeriod[] = [];
  let stage: Stage = room.stageHistory[0]?.from ?? room.stage;
  let since = start;
  for (const change of room.stageHistory) {
    periods.push({ stage, startedAt: since, endedAt: change.at, durationMs: ms(since, change.at) });
    stage = change.to;
    since = change.at;
  }
  periods.push({ stage, startedAt: since, endedAt: room.status === 'closed' ? end : null, durationMs: ms(since, end) });
  return periods;
}

/** The record of achievement as JSON. */
export function buildRecord(input: RecordInput): AchievementRecord {
  const { room, now } = input;
  const periods = stagePeriods(room, now);
  const timeInStageMs = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
  for (const p of periods) timeInStageMs[p.stage] += p.durationMs;
  const history: RecordStageChange[] = room.stageHistory.map((c) => ({ ...c, byRole: roleOfId(room, c.by), cycleBack: isCycleBack(c.from, c.to) }));
  const contractVersions: Contract[] = room.contract ? [...room.contractHistory, room.contract] : [...room.contractHistory];
  return {
    roomId: room.id,
    title: room.title,
    focus: room.focus,
    status: room.status,
    stage: room.stage,
    mentor: { id: room.mentorId, role: 'mentor', displayName: input.names.mentor },
    mentee: { id: room.menteeId, role: 'mentee', displayName: input.names.mentee },
    requestedAt: room.createdAt,
    startedAt: room.status === 'pending' || room.status === 'declined' ? null : (room.acceptedAt ?? room.createdAt),
    generatedAt: now,
    contract: room.contract,
    contractVersions,
    goals: (room.contract?.goals ?? []).map((g) => recordGoal(room, g, input.checkins)),
    earlierGoals: earlierGoals(room),
    stages: { history, periods, timeInStageMs, cycleBacks: history.filter((c) => c.cycleBack).length },
    roadmap: input.roadmap,
    highlights: input.highlights,
    replyBreaches: input.replyBreaches ?? [],
    sessions: {
      held: (input.sessions ?? []).filter((s) => s.status === 'held').length,
      noShow: (input.sessions ?? []).filter((s) => s.status === 'no-show').length,
      cancelled: (input.sessions ?? []).filter((s) => s.status === 'cancelled').length,
      scheduled: (input.sessions ?? []).filter((s) => s.status === 'scheduled').length,
    },
    unavailable: input.unavailable ?? [],
  };
}

/** "3 d 4 h", "2 h 5 min", "12 min", "< 1 min". */
export function formatDuration(ms: number): string {
  const min = Math.floor(ms / 60_000);
  const h = Math.floor(min / 60);
  const d = Math.floor(h / 24);
  if (d > 0) return `${d} d ${h % 24} h`;
  if (h > 0) return `${h} h ${min % 60} min`;
  return min > 0 ? `${min} min` : '< 1 min';
}

/** User text inside Markdown: one line, with the characters that would start markup escaped. */
export function mdText(s: string): string {
  // "!" needs no escape: it only makes an image before "[", which is escaped.
  // Whitespace runs holding a line break become one space. Not /\s*\n\s*/: that regex rescans every
  // run of spaces from each of its positions (quadratic on a long run with no line break; issue 13).
  return s.replace(/\s+/g, (run) => (run.includes('\n') ? ' ' : run)).replace(/([\\`*_[\]<>|#~])/g, '\\$1');
}

const day = (iso: string): string => iso.slice(0, 10);
const whoOf = (r: AchievementRecord) => (role: MemberRole | null): string =>
  role === null ? 'someone else' : `${mdText(r[role].displayName)} (${role})`;

function goalTable(r: AchievementRecord, goals: RecordGoal[], extra?: (g: RecordGoal) => string): string[] {
  const who = whoOf(r);
  const head = extra ? '| Goal | Metric | Target | Due | Outcome | Acknowledged by | Last in |' : '| Goal | Metric | Target | Due | Outcome | Acknowledged by |';
  const rule = extra ? '|---|---|---|---|---|---|---|' : '|---|---|---|---|---|---|';
  const rows = goals.map((g) => {
    const acks = g.acknowledgedByRoles.length ? g.acknowledgedByRoles.map(who).join(', ') : '—';
    const cells = [mdText(g.title), mdText(g.metric), mdText(g.target), g.dueDate, g.outcome, acks, ...(extra ? [extra(g)] : [])];
    return `| ${cells.join(' | ')} |`;
  });
  return [head, rule, ...rows];
}

/** The record as Markdown: the same facts as the JSON, for people. */
export function renderRecordMarkdown(r: AchievementRecord): string {
  const who = whoOf(r);
  const out: string[] = [];
  out.push(`# Record of achievement: ${mdText(r.title)}`, '');
  out.push(`- Focus: ${mdText(r.focus)}`);
  out.push(`- Mentor: ${mdText(r.mentor.displayName)}`);
  out.push(`- Mentee: ${mdText(r.mentee.displayName)}`);
  out.push(`- Status: ${r.status}; stage: ${stageLabel(r.stage)}`);
  out.push(`- Requested ${day(r.requestedAt)}${r.startedAt ? `; started ${day(r.startedAt)}` : ''}; record generated ${r.generatedAt}`);
  if (r.unavailable.length) out.push(`- Not available when generated: ${r.unavailable.join(', ')}`);
  out.push('');

  out.push('## Goals', '');
  if (r.goals.length === 0) out.push('No contract yet.');
  else out.push(...goalTable(r, r.goals));
  out.push('');
  if (r.earlierGoals.length) {
    out.push('### Earlier goals (removed from the contract)', '');
    out.push(...goalTable(r, r.earlierGoals, (g) => `v${(g as RecordEarlierGoal).lastVersion}`), '');
  }

  if (r.contract) {
    const c = r.contract;
    out.push(`## Contract v${c.version}`, '');
    out.push(`- Accepted by: ${c.acceptedBy.length ? c.acceptedBy.map((id) => who(id === r.mentor.id ? 'mentor' : id === r.mentee.id ? 'mentee' : null)).join(', ') : 'nobody yet'}`);
    out.push(`- Meets every ${mdText(c.cadence.every)} by ${mdText(c.cadence.channel)}`);
    out.push(`- Channels: ${c.channels.map(mdText).join(', ')}`);
    out.push(`- Review date (exit plan): ${c.reviewAt}`);
    out.push('- Ground rules:');
    for (const rule of c.groundRules) out.push(`  - ${mdText(rule)}`);
    out.push('');
    out.push('### Versions', '', '| Version | Updated | By | Goals | Accepted by |', '|---|---|---|---|---|');
    for (const v of r.contractVersions) {
      const by = who(v.updatedBy === r.mentor.id ? 'mentor' : v.updatedBy === r.mentee.id ? 'mentee' : null);
      const accepted = v.acceptedBy.length ? v.acceptedBy.map((id) => (id === r.mentor.id ? 'mentor' : 'mentee')).join(', ') : '—';
      out.push(`| v${v.version} | ${v.updatedAt} | ${by} | ${v.goals.map((g) => mdText(g.title)).join('; ')} | ${accepted} |`);
    }
    out.push('');
  }

  out.push('## Stages', '');
  if (r.stages.periods.length === 0) out.push('The mentorship has not started.');
  else {
    out.push('| Stage | From | To | Time spent |', '|---|---|---|---|');
    for (const p of r.stages.periods) out.push(`| ${stageLabel(p.stage)} | ${p.startedAt} | ${p.endedAt ?? 'now'} | ${formatDuration(p.durationMs)} |`);
    out.push('');
    const total = (s: Stage) => (r.stages.timeInStageMs[s] > 0 ? formatDuration(r.stages.timeInStageMs[s]) : '—');
    out.push(`- Time in each stage: ${STAGES.map((s) => `${stageLabel(s)} ${total(s)}`).join(' · ')}`);
    out.push(`- Cycle-backs: ${r.stages.cycleBacks}`);
  }
  out.push('');
  if (r.stages.history.length) {
    out.push('### Transitions', '');
    for (const c of r.stages.history) {
      const note = c.note ? `: ${mdText(c.note)}` : '';
      out.push(`- ${c.at}: ${stageLabel(c.from)} → ${stageLabel(c.to)} by ${who(c.byRole)}${c.cycleBack ? ' (cycle-back)' : ''}${note}`);
    }
    out.push('');
  }

  const measured = r.goals.filter((g) => g.measure);
  if (measured.length) {
    out.push('## Check-ins', '');
    for (const g of measured) {
      out.push(`### ${mdText(g.title)} (${g.measure!.baseline} → ${g.measure!.target} ${mdText(g.measure!.unit)}; now ${g.progress!.percent} %)`, '');
      if (g.checkins!.length === 0) out.push('No check-ins.');
      for (const c of g.checkins!) out.push(`- ${c.at}: ${c.value} by ${who(c.byRole)}${c.note ? `: ${mdText(c.note)}` : ''}`);
      out.push('');
    }
  }

  out.push('## Sessions', '');
  out.push(`Held ${r.sessions.held} · no-show ${r.sessions.noShow} · cancelled ${r.sessions.cancelled} · upcoming or unrecorded ${r.sessions.scheduled}.`, '');
  out.push('## Reply promises', '');
  if (r.replyBreaches.length === 0) out.push('No breaches.');
  for (const b of r.replyBreaches) {
    out.push(`- ${b.since}: the ${b.role} answered ${b.answeredAt ? `after ${b.waitedHours} h` : `not yet (${b.waitedHours} h so far)`}; promise ${b.promiseHours} h (${b.level})`);
  }
  out.push('');

  out.push('## Roadmap', '');
  if (r.roadmap) {
    const pct = r.roadmap.total ? Math.round((100 * r.roadmap.done) / r.roadmap.total) : 0;
    out.push(`${r.roadmap.done} of ${r.roadmap.total} milestones done (${pct}%).`);
  } else out.push('No roadmap.');
  out.push('');

  out.push('## Growth-thread highlights', '');
  if (r.highlights.length === 0) out.push('None.');
  for (const h of r.highlights) out.push(`- ${day(h.createdAt)} [${mdText(h.kind)}] ${mdText(h.threadTitle)}: ${mdText(h.excerpt)}`);
  out.push('');
  return out.join('\n');
}
