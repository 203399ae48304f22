/**
 * The baseline for the collab bench: a bare y-protocols relay. One in-memory Y.Doc per path, sync
 * step 1/2 answered and updates applied at once with y-protocols' own readSyncMessage, every
 * update relayed to the other connections, awareness relayed to all. No auth, no storage, no
 * limits: what the protocol costs on its own. Prints `PORT <n>` when listening.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { readSyncMessage, writeSyncStep1, writeUpdate } from 'y-protocols/sync';
import { WebSocket, WebSocketServer } from 'ws';
import * as Y from 'yjs';

interface Shared {
  doc: Y.Doc;
  awareness: Awareness;
  conns: Set<WebSocket>;
}

const docs = new Map<string, Shared>();
const send = (ws: WebSocket, frame: Uint8Array) => ws.readyState === WebSocket.OPEN && ws.send(frame);

function shared(name: string): Shared {
  let s = docs.get(name);
  if (s) return s;
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  awareness.setLocalState(null);
  const conns = new Set<WebSocket>();
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    writeUpdate(e, update);
    const frame = encoding.toUint8Array(e);
    for (const c of conns) if (c !== origin) send(c, frame);
  });
  awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, encodeAwarenessUpdate(awareness, [...added, ...updated, ...removed]));
    const frame = encoding.toUint8Array(e);
    for (const c of conns) send(c, frame);
  });
  s = { doc, awareness, conns };
  docs.set(name, s);
  return s;
}

const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
wss.on('connection', (ws, req) => {
  const s = shared(new URL(req.url ?? '/', 'http://x').pathname);
  s.conns.add(ws);
  ws.on('close', () => s.conns.delete(ws));
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    const reply = encoding.createEncoder();
    const type = decoding.readVarUint(decoder);
    if (type === 0) {
      encoding.writeVarUint(reply, 0);
      readSyncMessage(decoder, reply, s.doc, ws);
      if (encoding.length(reply) > 1) send(ws, encoding.toUint8Array(reply));
    } else if (type === 1) {
      applyAwarenessUpdate(s.awareness, decoding.readVarUint8Array(decoder), ws);
    }
  });
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  writeSyncStep1(e, s.doc);
  send(ws, encoding.toUint8Array(e));
});
wss.on('listening', () => {
  const address = wss.address();
  console.log(`PORT ${typeof address === 'object' && address ? address.port : address}`);
});
