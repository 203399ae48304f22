/**
 * The y-websocket wire protocol: message-type constants and encode/decode pairs, nothing else.
 * Frames are `[type: varUint, ...]`; sync frames carry a y-protocols sync message, awareness
 * frames a y-protocols awareness update. Encoding is y-protocols' and lib0's own.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { encodeAwarenessUpdate, type Awareness } from 'y-protocols/awareness';
import { messageYjsSyncStep1, messageYjsSyncStep2, messageYjsUpdate, writeSyncStep1, writeSyncStep2, writeUpdate } from 'y-protocols/sync';
import type * as Y from 'yjs';

/** Top-level frame types, as y-websocket numbers them. */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
} as const;

/** A decoded client frame. */
export type Incoming =
  | { kind: 'sync-step1'; stateVector: Uint8Array }
  | { kind: 'sync-step2'; update: Uint8Array }
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'query-awareness' }
  | { kind: 'auth' };

/** A frame that does not follow the protocol. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/**
 * Decodes one frame. Payloads are copied out of the frame, so they stay valid after the socket
 * reuses its buffers. Throws ProtocolError for an unknown type or a truncated frame.
 */
export function decodeMessage(frame: Uint8Array): Incoming {
  try {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.sync: {
        const sub = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder).slice();
        if (sub === messageYjsSyncStep1) return { kind: 'sync-step1', stateVector: payload };
        if (sub === messageYjsSyncStep2) return { kind: 'sync-step2', update: payload };
        if (sub === messageYjsUpdate) return { kind: 'update', update: payload };
        throw new ProtocolError(`unknown sync message ${sub}`);
      }
      case MessageType.awareness:
        return { kind: 'awareness', update: decoding.readVarUint8Array(decoder).slice() };
      case MessageType.queryAwareness:
        return { kind: 'query-awareness' };
      case MessageType.auth:
        return { kind: 'auth' };
      default:
        throw new ProtocolError(`unknown message type ${type}`);
    }
  } catch (err) {
    if (err instanceof ProtocolError) throw err;
    throw new ProtocolError(`malformed frame: ${(err as Error).message}`);
  }
}

function frame(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** Sync step 1: our state vector, asking the peer for what we lack. */
export const encodeSyncStep1 = (doc: Y.Doc): Uint8Array => frame(MessageType.sync, (e) => writeSyncStep1(e, doc));

/** Sync step 2: everything in `doc` the peer's state vector lacks (all of it without one). */
export const encodeSyncStep2 = (doc: Y.Doc, stateVector?: Uint8Array): Uint8Array =>
  frame(MessageType.sync, (e) => writeSyncStep2(e, doc, stateVector));

/** One document update. */
export const encodeUpdate = (update: Uint8Array): Uint8Array => frame(MessageType.sync, (e) => writeUpdate(e, update));

/** The awareness states of `clients` (a removed client encodes as a null state). */
export const encodeAwareness = (awareness: Awareness, clients: number[]): Uint8Array =>
  frame(MessageType.awareness, (e) => encoding.writeVarUint8Array(e, encodeAwarenessUpdate(awareness, clients)));

/** Asks the peer to send every awareness state it knows. */
export const encodeQueryAwareness = (): Uint8Array => frame(MessageType.queryAwareness, () => {});
