/**
 * Integrity checks and defensive replay of Yjs updates. Pure Yjs, no I/O.
 *
 * `Y.decodeUpdate` accepts some updates that `Y.applyUpdate` then throws on. Stored, such an update
 * would make every later load fail; so updates are checked before they are stored, and stored
 * entries are replayed so that one that still throws is skipped instead of failing the whole load.
 */
import * as Y from 'yjs';
import { newYDoc } from './ydoc.js';

interface IdLike {
  client: number;
  clock: number;
}

const isId = (v: unknown): v is IdLike =>
  typeof v === 'object' && v !== null && typeof (v as IdLike).client === 'number' && typeof (v as IdLike).clock === 'number';

/**
 * Why a decoded update cannot be integrated, or null when no known defect was found. Detects items
 * whose origin, right origin or parent points at their own client at a clock not before their own
 * (a client can only refer to what it created earlier), and delete-set ranges of zero length.
 */
export function findDefect(decoded: ReturnType<typeof Y.decodeUpdate>): string | null {
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    const own = struct.id;
    for (const [what, ref] of [['origin', struct.origin], ['rightOrigin', struct.rightOrigin], ['parent', struct.parent]] as const) {
      if (isId(ref) && ref.client === own.client && ref.clock >= own.clock) return `${what} refers to a later clock of its own client`;
    }
  }
  for (const ranges of decoded.ds.clients.values()) {
    for (const range of ranges) if (range.len <= 0) return 'a delete range of zero length';
  }
  return null;
}

/** A stored entry that threw while replayed, and why. */
export interface SkippedEntry {
  id: number;
  err: unknown;
}

/**
 * Applies `snapshot` (if any), then `entries` in order, to `target`. The fast path is one
 * transaction. If an entry throws (applyUpdate may then have left partial state), the replay starts
 * over on a fresh document without that entry, as often as needed: `target` is only written once a
 * replay succeeded, so it never holds a half-applied entry. A snapshot that throws is rethrown (it
 * is the server's own encoding; skipping it would drop the whole history before it).
 *
 * Returns the document that holds the result (`target` on the fast path, otherwise a new one the
 * caller takes over, `target` untouched) and the entries that were skipped.
 */
export function replay(
  target: Y.Doc,
  snapshot: Uint8Array | null,
  entries: ReadonlyArray<{ id: number; update: Uint8Array }>,
): { doc: Y.Doc; skipped: SkippedEntry[] } {
  const skipped: SkippedEntry[] = [];
  const skip = new Set<number>();
  let doc = target;
  for (;;) {
    let failed: SkippedEntry | null = null;
    let snapshotError: unknown = null;
    doc.transact(() => {
      if (snapshot) {
        try {
          Y.applyUpdate(doc, snapshot);
        } catch (err) {
          snapshotError = err;
          return;
        }
      }
      for (const entry of entries) {
        if (skip.has(entry.id)) continue;
        try {
          Y.applyUpdate(doc, entry.update);
        } catch (err) {
          failed = { id: entry.id, err };
          return;
        }
      }
    });
    if (snapshotError) {
      if (doc !== target) doc.destroy();
      throw snapshotError;
    }
    if (!failed) return { doc, skipped };
    skipped.push(failed);
    skip.add((failed as SkippedEntry).id);
    if (doc !== target) doc.destroy();
    doc = newYDoc({ gc: target.gc });
  }
}
