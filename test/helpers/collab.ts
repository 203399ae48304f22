import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Store } from '../../server/store/port.js';
import { metricsText } from './server.js';

/** ws://host:port for an http://host:port base URL. */
export const wsBase = (httpUrl: string): string => httpUrl.replace(/^http/, 'ws');

export interface Editor {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Resolves on the first completed sync (the server's sync step 2 arrived). */
  synced: Promise<void>;
  /** Close events the provider saw, in order. */
  closes: Array<{ code: number; reason: string }>;
  /** Stops the provider and its awareness timer; the document stays usable (e.g. for a new provider). */
  stop(): void;
  /** stop(), then destroys the document. */
  destroy(): void;
}

/**
 * The stock y-websocket provider in Node, connected as a user to a room's roadmap (DESIGN §4).
 * BroadcastChannel is off: providers in one process would otherwise sync through it, not the server.
 */
export function openEditor(httpUrl: string, roomId: string, token: string, doc = new Y.Doc(), opts: { connect?: boolean } = {}): Editor {
  const provider = new WebsocketProvider(`${wsBase(httpUrl)}/collab`, roomId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: opts.connect ?? true,
  });
  const closes: Array<{ code: number; reason: string }> = [];
  provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    provider.on('sync', (isSynced: boolean) => isSynced && resolve());
  });
  return {
    doc,
    provider,
    synced,
    closes,
    stop() {
      provider.destroy();
      provider.awareness.destroy();
    },
    destroy() {
      this.stop();
      doc.destroy();
    },
  };
}

/** A bare WebSocket to a collab URL, open once the server's first frame arrived; `closed` resolves with the close code. */
export async function rawClient(url: string): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const ws = new WebSocket(url);
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve());
    ws.once('error', reject);
  });
  return { ws, closed };
}

/** Resolves `p`, or rejects after `ms` naming `what`. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** The roadmap root map as JSON (the raw document, before the server's normalising). */
export const rawRoadmap = (doc: Y.Doc): unknown => doc.getMap('roadmap').toJSON();

/** The milestones list of a synced roadmap document (the server creates it before the first sync). */
export function milestones(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
  const list = doc.getMap('roadmap').get('milestones');
  if (!(list instanceof Y.Array)) throw new Error('the roadmap has no milestones list yet');
  return list as Y.Array<Y.Map<unknown>>;
}

/** Appends a milestone the way a client would. */
export function addMilestone(doc: Y.Doc, id: string, title: string, notes = ''): Y.Map<unknown> {
  const m = new Y.Map<unknown>();
  doc.transact(() => {
    m.set('id', id);
    m.set('title', title);
    m.set('status', 'todo');
    m.set('evidence', new Y.Array<string>());
    m.set('notes', new Y.Text(notes));
    milestones(doc).push([m]);
  });
  return m;
}

/** The milestone map with `id` in a document. */
export function milestone(doc: Y.Doc, id: string): Y.Map<unknown> {
  const found = milestones(doc).toArray().find((m) => m.get('id') === id);
  if (!found) throw new Error(`no milestone ${id}`);
  return found;
}

/** A document rebuilt from what the store holds for `name` (snapshot, then log). */
export async function storedDoc(store: Store, name: string): Promise<Y.Doc> {
  const stored = await store.docs.load(name);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const { update } of stored.updates) Y.applyUpdate(doc, update);
  return doc;
}

/** True when `doc` holds everything `other` holds (the diff against its state vector has no structs). */
export const covers = (doc: Y.Doc, other: Y.Doc): boolean => Y.decodeUpdate(Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc))).structs.length === 0;

/** A counter's value from a Prometheus /metrics text (0 when absent). */
export async function metric(httpUrl: string, name: string): Promise<number> {
  const text = await metricsText(httpUrl);
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

/** Decoded state vector: client id → clock. */
export const stateVector = (doc: Y.Doc): Map<number, number> => Y.decodeStateVector(Y.encodeStateVector(doc));

/** Sorted entries, so two state vectors compare with deep.equal. */
export const svEntries = (doc: Y.Doc): Array<[number, number]> => [...stateVector(doc)].sort((a, b) => a[0] - b[0]);
