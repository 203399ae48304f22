/**
 * Filters a client's awareness update entry by entry, before y-protocols applies it. The wire
 * format (y-protocols/awareness): varUint count, then per entry varUint clientID, varUint clock,
 * varString JSON state ("null" removes the state).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export interface AwarenessEntry {
  clientId: number;
  /** UTF-8 length of the JSON state. */
  stateBytes: number;
  /** The entry removes the client's state. */
  removal: boolean;
}

/**
 * Re-encodes `update` keeping only the entries `keep` accepts (called in order, so it may count).
 * Returns null when no entry is left. Throws (lib0's decoder) on a truncated update.
 */
export function filterAwarenessUpdate(update: Uint8Array, keep: (entry: AwarenessEntry) => boolean): Uint8Array | null {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const kept: Array<{ clientId: number; clock: number; state: string }> = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state = decoding.readVarString(decoder);
    if (keep({ clientId, stateBytes: Buffer.byteLength(state), removal: state === 'null' })) kept.push({ clientId, clock, state });
  }
  if (kept.length === 0) return null;
  if (kept.length === count) return update;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, kept.length);
  for (const e of kept) {
    encoding.writeVarUint(encoder, e.clientId);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, e.state);
  }
  return encoding.toUint8Array(encoder);
}
