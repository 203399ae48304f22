import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CollabClose } from '../../../shared/events.js';
import type { RoomId, UserId } from '../../../shared/types.js';
import { Emitter } from './emitter.js';
import { RoadmapDoc } from './roadmap-doc.js';

/** A collaborator on the roadmap right now, from the collab endpoint's awareness. */
export interface Collaborator {
  userId: UserId;
  name: string;
  /** Yjs client ids of this user's open editors (one per tab or device). */
  clientIds: number[];
  /** The milestone whose notes they are editing now, if any (awareness field `editing`). */
  editing?: string;
}

/**
 * `connecting` until the socket is open, `syncing` until the first full sync (no edits yet),
 * `live`, `offline` while the provider reconnects (edits are kept and sent on reconnect), and
 * `refused` when the server closed for good (4400–4499: not a member, document too large, ...).
 */
export type RoadmapStatus = 'connecting' | 'syncing' | 'live' | 'offline' | 'refused';

export interface RoadmapEvents {
  /** The document changed: read it again. `local` is false for what came from the server (others' edits, templates). */
  change: { local: boolean };
  status: { status: RoadmapStatus; code?: number };
  /** Who else has the roadmap open changed. */
  collaborators: { collaborators: Collaborator[] };
}

export interface RoadmapSessionOptions {
  /** Server origin (`http://host:3000`); '' means the page's own origin. */
  baseUrl: string;
  roomId: RoomId;
  token: string;
  /**
   * A fresh access token when the server closed the connection for its token (4401: expired, or
   * the session ended); null when there is none (the status becomes `refused`). Without it, 4401 is final.
   */
  renewToken?: () => Promise<string | null>;
  /** Me, as announced to the other editors. */
  user: { id: UserId; name: string };
  /** Node has no global WebSocket: pass `ws`'s class. */
  WebSocketPolyfill?: typeof globalThis.WebSocket;
}

/** ws(s)://host for an http(s) origin; the page's origin when '' (browsers). */
export function wsOrigin(baseUrl: string): string {
  const origin = baseUrl || (globalThis as { location?: { origin: string } }).location?.origin || '';
  return origin.replace(/^http/, 'ws').replace(/\/$/, '');
}

/**
 * One room's roadmap, co-edited live: the stock y-websocket WebsocketProvider on
 * `/collab/<roomId>?token=` (docs/COLLAB.md) and a RoadmapDoc for typed edits. Edits wait for the
 * first sync (`synced`), because the server creates the document's root keys before it.
 * Presence of the other editors comes from awareness (`collaborators()`).
 */
export class RoadmapSession {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly roadmap: RoadmapDoc;
  /** Resolves on the first completed sync; edits before it are refused by RoadmapDoc. */
  readonly synced: Promise<void>;
  private readonly emitter = new Emitter<RoadmapEvents>();
  private current: RoadmapStatus = 'connecting';
  private closed = false;

  constructor(private readonly opts: RoadmapSessionOptions) {
    this.roadmap = new RoadmapDoc(this.doc, this);
    this.provider = new WebsocketProvider(`${wsOrigin(opts.baseUrl)}/collab`, opts.roomId, this.doc, {
      params: { token: opts.token },
      // Every tab talks to the server: the server is the one place that stores what was agreed.
      disableBc: true,
      ...(opts.WebSocketPolyfill && { WebSocketPolyfill: opts.WebSocketPolyfill }),
    });
    this.provider.awareness.setLocalStateField('user', { id: opts.user.id, name: opts.user.name });

    this.synced = new Promise((resolve) => {
      if (this.provider.synced) resolve();
      this.provider.on('sync', (isSynced: boolean) => {
        if (isSynced) resolve();
        this.refreshStatus();
      });
    });
    this.provider.on('status', () => this.refreshStatus());
    this.provider.on('connection-close', () => this.refreshStatus());
    this.provider.on('closed', (event: { code: number }) => {
      if (event.code === CollabClose.UNAUTHENTICATED && opts.renewToken) void this.reconnectWithNewToken(event.code, opts.renewToken);
      else this.setStatus('refused', event.code);
    });
    this.doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.changed.size > 0 || tr.deleteSet.clients.size > 0) this.emitter.emit('change', { local: tr.origin !== this.provider });
    });
    this.provider.awareness.on('change', () => this.emitter.emit('collaborators', { collaborators: this.collaborators() }));
  }

  /** After a 4401: the provider stopped; it starts again with a renewed token, or the session is refused. */
  private async reconnectWithNewToken(code: number, renew: () => Promise<string | null>): Promise<void> {
    let token: string | null = null;
    try {
      token = await renew();
    } catch {
      // Offline: treated as no token; the page can open the roadmap again later.
    }
    if (this.closed) return;
    if (!token) {
      this.setStatus('refused', code);
      return;
    }
    this.provider.params.token = token;
    this.provider.connect();
  }

  on<K extends keyof RoadmapEvents>(event: K, fn: (payload: RoadmapEvents[K]) => void): () => void {
    return this.emitter.on(event, fn);
  }

  get status(): RoadmapStatus {
    return this.current;
  }

  private refreshStatus(): void {
    if (this.closed || this.current === 'refused') return;
    const connected = this.provider.wsconnected;
    const next: RoadmapStatus = connected ? (this.provider.synced ? 'live' : 'syncing') : this.provider.synced || this.current !== 'connecting' ? 'offline' : 'connecting';
    this.setStatus(next);
  }

  private setStatus(status: RoadmapStatus, code?: number): void {
    if (status === this.current) return;
    this.current = status;
    this.emitter.emit('status', { status, ...(code !== undefined && { code }) });
  }

  /** The other people with this roadmap open (not me), one entry per user. */
  collaborators(): Collaborator[] {
    const me = this.provider.awareness.clientID;
    const byUser = new Map<UserId, Collaborator>();
    for (const [clientId, state] of this.provider.awareness.getStates()) {
      const user = (state as { user?: { id?: unknown; name?: unknown } }).user;
      if (clientId === me || typeof user?.id !== 'string' || user.id === this.opts.user.id) continue;
      const name = typeof user.name === 'string' && user.name.trim() ? user.name : 'Someone';
      const entry: Collaborator = byUser.get(user.id) ?? { userId: user.id, name, clientIds: [] };
      entry.clientIds.push(clientId);
      const editing = (state as { editing?: unknown }).editing;
      if (typeof editing === 'string' && editing.length <= 64) entry.editing = editing;
      byUser.set(user.id, entry);
    }
    return [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Tells the others which milestone's notes I am editing (null: none), through awareness. */
  setEditing(milestoneId: string | null): void {
    if (this.closed) return;
    this.provider.awareness.setLocalStateField('editing', milestoneId);
  }

  /** Disconnects and frees the document (the awareness timer too: provider.destroy() leaves it running). */
  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.emitter.clear();
    this.provider.destroy();
    this.provider.awareness.destroy();
    this.doc.destroy();
  }
}
