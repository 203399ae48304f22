import { WebSocket, type RawData } from 'ws';
import { isAppError } from '../../shared/errors.js';
import { CollabClose } from '../../shared/events.js';
import { ServerLimits } from '../limits.js';
import type { Logger } from '../log.js';
import type { LiveDoc, Peer } from './live-doc.js';
import { decodeMessage, ProtocolError } from './protocol.js';

/** A RawData frame as one Uint8Array (ws hands over a Buffer, an ArrayBuffer or fragments). */
function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/** How a failed update closes the connection: client mistakes stop the provider's retries, server trouble does not. */
function closeFor(err: unknown): { code: number; reason: string } {
  if (isAppError(err, 'PAYLOAD_TOO_LARGE')) return { code: CollabClose.PAYLOAD_TOO_LARGE, reason: 'document too large' };
  if (isAppError(err, 'INVALID_INPUT')) return { code: CollabClose.INVALID_INPUT, reason: 'update does not decode' };
  return { code: CollabClose.INTERNAL, reason: 'update not stored' };
}

/**
 * One authenticated y-websocket connection to one document. Frames that arrive before the document
 * is ready are held, in order, and handled once the document greets the peer (`start`).
 */
export class Connection implements Peer {
  /** False after a ping went unanswered; the heartbeat terminates such a connection. */
  alive = true;
  private held: Uint8Array[] | null = [];
  /** Bytes in `held` (bounded by collabPendingBytes). */
  private heldBytes = 0;
  private closing = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly doc: LiveDoc,
    private readonly who: { userId: string; roomId: string },
    private readonly log: Logger,
  ) {
    ws.on('message', (data) => this.receive(toBytes(data)));
    ws.on('pong', () => (this.alive = true));
    ws.on('error', (err) => log.debug({ err, ...who }, 'collab socket error'));
  }

  /** The room (document) this connection edits. */
  get roomId(): string {
    return this.who.roomId;
  }

  send(frame: Uint8Array): void {
    if (this.closing || this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > ServerLimits.collabSendBufferBytes) {
      this.log.warn({ ...this.who, buffered: this.ws.bufferedAmount }, 'collab client is not reading; closing');
      this.close(CollabClose.INTERNAL, 'too far behind');
      return;
    }
    this.ws.send(frame);
  }

  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.held = null;
    this.ws.close(code, reason);
  }

  /** Heartbeat: terminates a connection that did not answer the previous ping, else pings again. */
  checkAlive(): void {
    if (!this.alive) {
      this.ws.terminate();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  /** Drops the socket without a closing handshake (shutdown, after the polite close had its chance). */
  terminate(): void {
    this.ws.terminate();
  }

  start(): void {
    const held = this.held ?? [];
    this.held = null;
    this.heldBytes = 0;
    for (const frame of held) this.handle(frame);
  }

  private receive(frame: Uint8Array): void {
    if (this.closing) return;
    if (this.held) {
      if (this.held.length >= ServerLimits.collabPendingFrames) {
        this.close(CollabClose.INVALID_INPUT, 'too many frames before sync');
        return;
      }
      if (this.heldBytes + frame.byteLength > ServerLimits.collabPendingBytes) {
        this.close(CollabClose.PAYLOAD_TOO_LARGE, 'too many bytes before sync');
        return;
      }
      this.heldBytes += frame.byteLength;
      this.held.push(frame);
      return;
    }
    this.handle(frame);
  }

  private handle(frame: Uint8Array): void {
    if (this.closing) return;
    try {
      const msg = decodeMessage(frame);
      switch (msg.kind) {
        case 'sync-step1':
          this.send(this.doc.syncStep2(msg.stateVector));
          break;
        case 'sync-step2':
        case 'update':
          this.doc.submitFromPeer(msg.update, this).catch((err: unknown) => this.failUpdate(err));
          break;
        case 'awareness':
          this.doc.applyAwareness(this, msg.update);
          break;
        case 'query-awareness':
          this.doc.sendAwareness(this);
          break;
        case 'auth':
          // Permission is settled during the upgrade; clients do not send auth frames.
          break;
      }
    } catch (err) {
      // A truncated state vector or awareness update throws from the decoder in y-protocols/yjs too.
      if (!(err instanceof ProtocolError)) this.log.debug({ err, ...this.who }, 'collab frame rejected');
      this.close(CollabClose.INVALID_INPUT, 'not a y-websocket frame');
    }
  }

  private failUpdate(err: unknown): void {
    const { code, reason } = closeFor(err);
    if (code === CollabClose.INTERNAL) this.log.error({ err, ...this.who }, 'collab update not stored');
    this.close(code, reason);
  }
}
