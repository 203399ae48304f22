import * as Y from 'yjs';
import { newId } from '../ids.js';

/**
 * A Y.Doc whose guid comes from our pooled id generator. Yjs's default guid is lib0's uuidv4,
 * which draws ~31 separate crypto.getRandomValues calls: ~65 µs a document, and the reminder
 * tick builds one per active roadmap (1,000 of them stalled the event loop ~65 ms of a 170 ms
 * tick). The guid only names a document among subdocuments; nothing here uses it otherwise.
 */
export function newYDoc(opts: { gc?: boolean } = {}): Y.Doc {
  return new Y.Doc({ guid: newId(), ...opts });
}
