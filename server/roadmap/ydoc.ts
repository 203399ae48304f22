/**
 * The roadmap's Yjs schema (DESIGN §3): root `Y.Map("roadmap")` with `title` (string) and
 * `milestones` (`Y.Array` of `Y.Map` {id, title, status, due?, goalId?, evidence: Y.Array<string>,
 * notes: Y.Text}). Reading goes through the pure domain normaliser; the writers here are what the
 * server's own edits (templates, evidence links) do to the document.
 */
import * as Y from 'yjs';
import type { Roadmap, RoadmapTemplate } from '../../shared/types.js';
import type { DocInit } from '../collab/live-doc.js';
import { roadmapFromJson } from '../domain/roadmap.js';
import { roadmapShapeDefect } from './shape.js';

export const ROOT = 'roadmap';

type Milestones = Y.Array<unknown>;

const rootOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT);

/**
 * The document as roadmap JSON. Reads only the schema's own places, one level at a time, never a
 * recursive `toJSON()`: a document may already hold off-schema data from before updates were
 * checked (issue 13: 20,000 nested maps under one key overflowed the stack of every read).
 */
export const readRoadmap = (doc: Y.Doc): Roadmap => roadmapFromJson(shallowRoadmapJson(rootOf(doc)));

/** A plain value as is; a shared type as what the schema expects in that place, or undefined. */
const plain = (v: unknown): unknown => (v instanceof Y.AbstractType ? undefined : v);

function shallowRoadmapJson(root: Y.Map<unknown>): unknown {
  const list = root.get('milestones');
  return {
    title: plain(root.get('title')),
    milestones: list instanceof Y.Array ? list.toArray().map((m) => (m instanceof Y.Map ? shallowMilestoneJson(m) : null)) : [],
  };
}

function shallowMilestoneJson(m: Y.Map<unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['id', 'title', 'status', 'due', 'goalId']) out[key] = plain(m.get(key));
  const evidence = m.get('evidence');
  out.evidence = evidence instanceof Y.Array ? evidence.toArray().map(plain) : plain(evidence);
  const notes = m.get('notes');
  out.notes = notes instanceof Y.Text ? notes.toString() : plain(notes);
  return out;
}

/** The milestone list, or null when the document has none yet (or something else sits under that key). */
function milestonesOf(doc: Y.Doc): Milestones | null {
  const list = rootOf(doc).get('milestones');
  return list instanceof Y.Array ? list : null;
}

/** The milestone list, created when missing. */
function ensureMilestones(doc: Y.Doc): Milestones {
  const existing = milestonesOf(doc);
  if (existing) return existing;
  const list = new Y.Array<unknown>();
  rootOf(doc).set('milestones', list);
  return list;
}

/**
 * Creates the root structure of a new roadmap before its first editor syncs. Two clients that each
 * created `milestones` on an empty document would race on one map key and one list would be lost;
 * a list made by the server first is the one both of them edit.
 */
export const roadmapInit: DocInit = {
  needed: (doc) => !rootOf(doc).has('milestones') || !rootOf(doc).has('title'),
  // Only missing keys: whatever a member already put there (even off-schema) is theirs to keep.
  apply(doc) {
    const root = rootOf(doc);
    if (!root.has('milestones')) root.set('milestones', new Y.Array<unknown>());
    if (!root.has('title')) root.set('title', '');
  },
  offSchema: (decoded, doc, pending) => roadmapShapeDefect(decoded, doc, ROOT, pending),
};

/** The milestone map with `id`, or null. */
export function findMilestone(doc: Y.Doc, id: string): Y.Map<unknown> | null {
  for (const item of milestonesOf(doc) ?? []) {
    if (item instanceof Y.Map && item.get('id') === id) return item;
  }
  return null;
}

/** A new milestone map (not yet in a document). */
export function newMilestone(id: string, title: string, notes: string): Y.Map<unknown> {
  const m = new Y.Map<unknown>();
  m.set('id', id);
  m.set('title', title);
  m.set('status', 'todo');
  m.set('evidence', new Y.Array<string>());
  m.set('notes', new Y.Text(notes));
  return m;
}

/**
 * Puts a template into the document. `append` adds its milestones after the existing ones and
 * sets the title only when there is none; `replace` swaps the title and every milestone.
 */
export function applyTemplate(doc: Y.Doc, template: RoadmapTemplate, mode: 'append' | 'replace', newId: () => string): void {
  const root = rootOf(doc);
  const list = ensureMilestones(doc);
  if (mode === 'replace') {
    list.delete(0, list.length);
    root.set('title', template.title);
  } else if (typeof root.get('title') !== 'string' || root.get('title') === '') {
    root.set('title', template.title);
  }
  list.push(template.milestones.map((m) => newMilestone(newId(), m.title, m.notes)));
}

/** The milestone's evidence list, turned into a Y.Array when a client stored something else there. */
function evidenceOf(milestone: Y.Map<unknown>): Y.Array<string> {
  const current = milestone.get('evidence');
  if (current instanceof Y.Array) return current as Y.Array<string>;
  const list = new Y.Array<string>();
  if (Array.isArray(current)) list.push(current.filter((e): e is string => typeof e === 'string'));
  milestone.set('evidence', list);
  return list;
}

/** Links a growth-thread entry to a milestone. False when there is no such milestone; linking twice changes nothing. */
export function addEvidence(doc: Y.Doc, milestoneId: string, entryId: string): boolean {
  const milestone = findMilestone(doc, milestoneId);
  if (!milestone) return false;
  const evidence = evidenceOf(milestone);
  if (!evidence.toArray().includes(entryId)) evidence.push([entryId]);
  return true;
}

/** Unlinks an entry (every copy, should concurrent links have added it twice). False when there is no such milestone. */
export function removeEvidence(doc: Y.Doc, milestoneId: string, entryId: string): boolean {
  const milestone = findMilestone(doc, milestoneId);
  if (!milestone) return false;
  const current = milestone.get('evidence');
  const linked = current instanceof Y.Array ? current.toArray().includes(entryId) : Array.isArray(current) && current.includes(entryId);
  if (!linked) return true;
  const evidence = evidenceOf(milestone);
  const items = evidence.toArray();
  for (let i = items.length - 1; i >= 0; i--) if (items[i] === entryId) evidence.delete(i, 1);
  return true;
}
