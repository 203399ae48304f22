/**
 * The room roadmap's Yjs schema (DESIGN §3, docs/COLLAB.md), as a client edits it: root
 * `Y.Map("roadmap")` with `title` (string) and `milestones` (`Y.Array` of `Y.Map` {id, title,
 * status: todo | doing | done, due?, goalId?, evidence: Y.Array<string>, notes: Y.Text}).
 *
 * The server creates `title` and `milestones` before the first sync; a client must not create
 * them (two clients doing so on an empty document would race on one key and one list would be
 * lost), so every edit here waits for `ready()`. Reads are as forgiving as the server's: other
 * clients write the document directly.
 */
import * as Y from 'yjs';
import { MILESTONE_STATUSES, type Milestone, type MilestoneStatus, type Roadmap, type RoadmapProgress } from '../../../shared/types.js';
import { SdkError } from './errors.js';
import { newClientMsgId } from './ids.js';
import { diffText } from './text-diff.js';

export const ROADMAP_ROOT = 'roadmap';

/** A milestone as read from the document, with the shared types behind it (for bindings). */
export interface MilestoneView extends Milestone {
  /** Position in the document's list. */
  index: number;
  map: Y.Map<unknown>;
  /** The shared notes, or null when this milestone has none yet (notes() creates it). */
  text: Y.Text | null;
}

/** The fields a form changes; `null` clears `due` or `goalId`. */
export interface MilestonePatch {
  title?: string;
  status?: MilestoneStatus;
  due?: string | null;
  goalId?: string | null;
}

const isStatus = (v: unknown): v is MilestoneStatus => MILESTONE_STATUSES.includes(v as MilestoneStatus);

/** Typed reads and edits of one roadmap document. Edits run in one transaction each, with `origin`. */
export class RoadmapDoc {
  constructor(
    readonly doc: Y.Doc,
    /** The transaction origin of this client's edits (observers use it to tell theirs from others'). */
    readonly origin: unknown = null,
  ) {}

  get root(): Y.Map<unknown> {
    return this.doc.getMap(ROADMAP_ROOT);
  }

  private list(): Y.Array<unknown> | null {
    const list = this.root.get('milestones');
    return list instanceof Y.Array ? list : null;
  }

  /** True once the server's root structure is here (after the first sync): edits may start. */
  ready(): boolean {
    return this.list() !== null;
  }

  private mustList(): Y.Array<unknown> {
    const list = this.list();
    if (!list) throw new SdkError('GUARD_FAILED', 'the roadmap has not synced yet');
    return list;
  }

  title(): string {
    const t = this.root.get('title');
    return typeof t === 'string' ? t : '';
  }

  setTitle(title: string): void {
    if (title === this.title()) return;
    this.doc.transact(() => this.root.set('title', title), this.origin);
  }

  /**
   * The milestones in order. An entry that is not a map with a string id is skipped; when two
   * entries share an id (two people moved the same milestone at once), the first one is shown.
   */
  milestones(): MilestoneView[] {
    const out: MilestoneView[] = [];
    const seen = new Set<string>();
    (this.list()?.toArray() ?? []).forEach((item, index) => {
      if (!(item instanceof Y.Map)) return;
      const id = item.get('id');
      if (typeof id !== 'string' || id === '' || seen.has(id)) return;
      seen.add(id);
      const title = item.get('title');
      const status = item.get('status');
      const due = item.get('due');
      const goalId = item.get('goalId');
      const evidence = item.get('evidence');
      const notes = item.get('notes');
      const ids = evidence instanceof Y.Array ? evidence.toArray() : Array.isArray(evidence) ? evidence : [];
      const m: MilestoneView = {
        id,
        index,
        map: item as Y.Map<unknown>,
        title: typeof title === 'string' ? title : '',
        status: isStatus(status) ? status : 'todo',
        evidence: [...new Set(ids.filter((e): e is string => typeof e === 'string'))],
        notes: notes instanceof Y.Text ? notes.toString() : typeof notes === 'string' ? notes : '',
        text: notes instanceof Y.Text ? notes : null,
      };
      if (typeof due === 'string' && due !== '') m.due = due;
      if (typeof goalId === 'string' && goalId !== '') m.goalId = goalId;
      out.push(m);
    });
    return out;
  }

  /** The roadmap as JSON (the shape GET /api/rooms/:id/roadmap answers). */
  read(): Roadmap {
    return {
      title: this.title(),
      milestones: this.milestones().map(({ index: _i, map: _m, text: _t, ...m }) => m),
    };
  }

  progress(): RoadmapProgress {
    const all = this.milestones();
    return { done: all.filter((m) => m.status === 'done').length, total: all.length };
  }

  private find(id: string): MilestoneView {
    const m = this.milestones().find((x) => x.id === id);
    if (!m) throw new SdkError('NOT_FOUND', 'no such milestone');
    return m;
  }

  /** Appends a milestone (status todo, no evidence, empty notes); returns its id. */
  add(title: string, fields: Omit<MilestonePatch, 'title'> = {}): string {
    const list = this.mustList();
    const id = newClientMsgId();
    const m = new Y.Map<unknown>();
    this.doc.transact(() => {
      m.set('id', id);
      m.set('title', title);
      m.set('status', fields.status ?? 'todo');
      if (fields.due) m.set('due', fields.due);
      if (fields.goalId) m.set('goalId', fields.goalId);
      m.set('evidence', new Y.Array<string>());
      m.set('notes', new Y.Text());
      list.push([m]);
    }, this.origin);
    return id;
  }

  /** Changes the given fields of one milestone (unchanged values are not written). */
  update(id: string, patch: MilestonePatch): void {
    const { map } = this.find(id);
    this.doc.transact(() => {
      if (patch.title !== undefined && map.get('title') !== patch.title) map.set('title', patch.title);
      if (patch.status !== undefined && map.get('status') !== patch.status) map.set('status', patch.status);
      for (const key of ['due', 'goalId'] as const) {
        const value = patch[key];
        if (value === undefined) continue;
        if (value === null || value === '') {
          if (map.has(key)) map.delete(key);
        } else if (map.get(key) !== value) map.set(key, value);
      }
    }, this.origin);
  }

  /**
   * Moves a milestone to position `to` (0 = first) among the shown milestones. Yjs has no move:
   * the milestone is copied (same id, fields, evidence and notes text) to its new place and the
   * old one deleted, in one transaction. An edit someone makes to the old copy at that moment is
   * lost, and two people moving the same milestone at once leave two copies (the first is shown).
   */
  move(id: string, to: number): void {
    const list = this.mustList();
    const shown = this.milestones();
    const from = shown.findIndex((m) => m.id === id);
    if (from === -1) throw new SdkError('NOT_FOUND', 'no such milestone');
    const target = Math.max(0, Math.min(to, shown.length - 1));
    if (target === from) return;
    const m = shown[from]!;
    this.doc.transact(() => {
      const copy = new Y.Map<unknown>();
      for (const [key, value] of m.map.entries()) {
        if (value instanceof Y.Text) copy.set(key, new Y.Text(value.toString()));
        else if (value instanceof Y.Array) copy.set(key, Y.Array.from(value.toArray()));
        else if (!(value instanceof Y.AbstractType)) copy.set(key, value);
      }
      // Insert next to the milestone it lands beside, by document index (non-milestones may sit between).
      const others = shown.filter((x) => x.id !== id);
      const before = others[target];
      const at = before ? before.index : list.length;
      list.insert(at, [copy]);
      // The insert shifted the old copy by one when it went in before it.
      list.delete(at <= m.index ? m.index + 1 : m.index, 1);
    }, this.origin);
  }

  /** Deletes a milestone (every copy with that id). */
  remove(id: string): void {
    const list = this.mustList();
    const indexes = list
      .toArray()
      .map((item, i) => (item instanceof Y.Map && item.get('id') === id ? i : -1))
      .filter((i) => i !== -1);
    if (indexes.length === 0) return;
    this.doc.transact(() => {
      for (const i of indexes.reverse()) list.delete(i, 1);
    }, this.origin);
  }

  /** The milestone's shared notes, created when it has none (an older or foreign client's milestone). */
  notes(id: string): Y.Text {
    const m = this.find(id);
    if (m.text) return m.text;
    const text = new Y.Text(m.notes);
    this.doc.transact(() => m.map.set('notes', text), this.origin);
    return text;
  }

  /**
   * Makes the notes read `value` with the smallest splice from what they hold now, so a
   * concurrent edit elsewhere in the text survives. Returns false when nothing changed.
   */
  setNotes(id: string, value: string, origin: unknown = this.origin): boolean {
    const text = this.notes(id);
    const splice = diffText(text.toString(), value);
    if (!splice) return false;
    this.doc.transact(() => {
      if (splice.remove > 0) text.delete(splice.index, splice.remove);
      if (splice.insert) text.insert(splice.index, splice.insert);
    }, origin);
    return true;
  }
}
