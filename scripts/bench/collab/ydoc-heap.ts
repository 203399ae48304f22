/**
 * The V8 heap one Y.Doc of a templated roadmap keeps, in a bare Node process (no server): the
 * floor under any Yjs server that holds a document in memory, beside the server's own figure.
 * N documents built from the same update, a full GC before and after, the growth divided by N.
 *
 *   node --expose-gc --import tsx scripts/bench/collab/ydoc-heap.ts [--docs 1000]
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { findTemplate } from '../../../server/roadmap/templates.js';
import { applyTemplate, roadmapInit } from '../../../server/roadmap/ydoc.js';

const { values } = parseArgs({ options: { docs: { type: 'string', default: '1000' } } });
const docs = Number(values.docs);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

// The memory bench's roadmaps: the director-role template applied to a new roadmap.
const source = new Y.Doc();
roadmapInit.apply(source);
applyTemplate(source, findTemplate('director-role')!, 'replace', () => randomUUID());
const update = Y.encodeStateAsUpdate(source);

const heapUsed = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const held: Y.Doc[] = [];
const before = heapUsed();
for (let i = 0; i < docs; i++) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  held.push(doc);
}
const after = heapUsed();
console.log(JSON.stringify({ docs: held.length, updateBytes: update.length, heapPerDocKiB: (after - before) / docs / 1024 }));
