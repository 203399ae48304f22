/**
 * The chat bench's baseline: a bare Socket.IO relay with the same server options as Menteo and no
 * auth, no validation and no storage. A client says which pair it belongs to in its handshake
 * (`auth: { pair }`); each `message:send` is answered with a Menteo-shaped message, emitted as
 * `message:new` to the other client of the pair, then acked. What is left is the cost of
 * Socket.IO itself on this machine, so Menteo's figures divided by these are comparable across
 * machines.
 *
 * Run by scripts/bench/chat.ts: `PORT=0 node --import tsx scripts/bench/baseline-relay.ts`.
 * Prints one JSON line with the bound port when ready; SIGTERM stops it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { ServerLimits } from '../../server/limits.js';

const http = createServer();
// The same options as server/app.ts, so the transport does the same work.
const io = new Server(http, {
  maxHttpBufferSize: ServerLimits.socketFrameBytes,
  serveClient: false,
  pingInterval: 25_000,
  pingTimeout: 20_000,
});

interface SendIn {
  roomId: string;
  clientMsgId: string;
  body: string;
}

/** Per-pair counter: gives the relayed message a seq like Menteo's, without storing anything. */
const seqs = new Map<string, number>();

io.on('connection', (socket) => {
  const pair = String((socket.handshake.auth as { pair?: unknown }).pair ?? '');
  void socket.join(pair);
  socket.on('message:send', (input: SendIn, ack?: unknown) => {
    const seq = (seqs.get(pair) ?? 0) + 1;
    seqs.set(pair, seq);
    const message = {
      id: `${pair}.${seq}`,
      roomId: input.roomId,
      seq,
      authorId: socket.id,
      clientMsgId: input.clientMsgId,
      kind: 'text',
      body: input.body,
      reactions: {},
      createdAt: new Date().toISOString(),
    };
    socket.to(pair).emit('message:new', { message });
    if (typeof ack === 'function') ack({ ok: true, message });
  });
});

http.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const { port } = http.address() as AddressInfo;
  console.log(JSON.stringify({ msg: 'baseline relay listening', port }));
});

const stop = () => {
  io.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
