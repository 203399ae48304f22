import { expect } from 'chai';
import type { Socket } from 'socket.io-client';
import { Ev } from '../../shared/events.js';
import { activeRoom, api, connect, eventually, register, type Session } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';

interface Seen {
  event: string;
  payload: any;
}

/** Live events of growth threads, over real sockets: who gets what (docs/THREADS.md § Events). */
describe('growth thread live events', () => {
  let server: TestServer;
  let mentee: Session;
  let mentor: Session;
  let stranger: Session;
  let roomId: string;
  let strangerRoomId: string;
  const sockets: Socket[] = [];
  const seen = new Map<Socket, Seen[]>();
  let menteeA: Socket;
  let menteeB: Socket; // the mentee's second device
  let mentorS: Socket;
  let strangerS: Socket;

  const open = async (s: Session) => {
    const socket = await connect(server.url, s.token);
    const list: Seen[] = [];
    socket.onAny((event: string, payload: unknown) => {
      if (event.startsWith('thread:')) list.push({ event, payload });
    });
    seen.set(socket, list);
    sockets.push(socket);
    return socket;
  };
  const events = (socket: Socket, event?: string) => seen.get(socket)!.filter((e) => event === undefined || e.event === event);
  const call = async (s: Session, method: string, path: string, body?: unknown, status = method === 'POST' ? 201 : 200) => {
    const res = await api(server.url, method, path, { token: s.token, ...(body !== undefined ? { body } : {}) });
    expect(res.status, JSON.stringify(res.body)).to.equal(status);
    return res.body;
  };
  /** A thread tied to the mentee–mentor room unless another room, or null for none, is given. */
  const newThread = async (s: Session, visibility: string, room: string | null = roomId) =>
    (await call(s, 'POST', '/api/threads', { title: `${visibility} journey`, visibility, ...(room ? { roomId: room } : {}) })).thread.id as string;
  const newEntry = async (s: Session, threadId: string, body = 'an entry') => (await call(s, 'POST', `/api/threads/${threadId}/entries`, { kind: 'progress', body })).entry;
  /** Waits until `socket` got an event about `entryId`: everything sent to it before has arrived too (one connection, in order). */
  const received = (socket: Socket, entryId: string) =>
    eventually(() => expect(events(socket, Ev.threadEntryNew).some((e) => e.payload.entry.id === entryId)).to.equal(true));

  beforeEach(async () => {
    server = await startServer();
    mentee = await register(server.url, 'Mentee');
    mentor = await register(server.url, 'Mentor');
    stranger = await register(server.url, 'Stranger');
    roomId = (await activeRoom(server.url, mentor, mentee)).id;
    strangerRoomId = (await activeRoom(server.url, mentor, stranger)).id;
    [menteeA, menteeB, mentorS, strangerS] = await Promise.all([open(mentee), open(mentee), open(mentor), open(stranger)]);
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    seen.clear();
    await server.stop();
  });

  it("a room thread's new entry reaches both members, on every device, with roomId and threadId", async () => {
    const threadId = await newThread(mentee, 'room');
    const entry = await newEntry(mentee, threadId, 'Tried pairing with the new hire');
    for (const socket of [menteeA, menteeB, mentorS]) await received(socket, entry.id);
    const got = events(mentorS, Ev.threadEntryNew)[0]!.payload;
    expect(got).to.deep.equal({ roomId, threadId, entry });
    const created = events(mentorS, Ev.threadNew).map((e) => [e.payload.roomId, e.payload.threadId, e.payload.thread.id, e.payload.thread.visibility]);
    expect(created).to.deep.equal([[roomId, threadId, threadId, 'room']]);
  });

  it("the mentor's comment, its edit and its delete reach both members; entry edits and deletes too", async () => {
    const threadId = await newThread(mentee, 'room');
    const entry = await newEntry(mentee, threadId);
    const base = `/api/threads/${threadId}/entries/${entry.id}`;
    const { comment } = await call(mentor, 'POST', `${base}/comments`, { body: 'What would you try next?' });
    await call(mentor, 'PATCH', `${base}/comments/${comment.id}`, { body: 'What will you try next?' });
    await call(mentor, 'DELETE', `${base}/comments/${comment.id}`);
    await call(mentee, 'PATCH', base, { kind: 'breakthrough' });
    await call(mentee, 'DELETE', base);
    const expected = [
      [Ev.threadEntryNew, entry.id],
      [Ev.threadCommentNew, comment.id],
      [Ev.threadCommentUpdated, comment.id],
      [Ev.threadCommentDeleted, comment.id],
      [Ev.threadEntryUpdated, entry.id],
      [Ev.threadEntryDeleted, entry.id],
    ];
    const summary = (socket: Socket) =>
      events(socket)
        .filter((e) => e.event !== Ev.threadNew)
        .map((e) => [e.event, e.payload.comment?.id ?? e.payload.commentId ?? e.payload.entry?.id ?? e.payload.entryId]);
    for (const socket of [menteeA, mentorS]) await eventually(() => expect(summary(socket)).to.deep.equal(expected));
    const commentNew = events(mentorS, Ev.threadCommentNew)[0]!.payload;
    expect(commentNew).to.include({ roomId, threadId, entryId: entry.id });
    expect(events(menteeA, Ev.threadEntryDeleted)[0]!.payload).to.deep.equal({ roomId, threadId, entryId: entry.id });
    expect(events(menteeA, Ev.threadEntryUpdated)[0]!.payload.entry.kind).to.equal('breakthrough');
  });

  it("a stranger's comment on a public room thread reaches both members, and the stranger gets no room events", async () => {
    const threadId = await newThread(mentee, 'public');
    const entry = await newEntry(mentee, threadId);
    const { comment } = await call(stranger, 'POST', `/api/threads/${threadId}/entries/${entry.id}/comments`, { body: 'Same here!' });
    for (const socket of [menteeA, mentorS]) {
      await eventually(() => expect(events(socket, Ev.threadCommentNew).map((e) => e.payload.comment.id)).to.deep.equal([comment.id]));
    }
    // The stranger's own room thread is the sentinel: once its entry arrived, anything sent before has too.
    const own = await newEntry(stranger, await newThread(stranger, 'room', strangerRoomId));
    await received(strangerS, own.id);
    expect(events(strangerS).filter((e) => e.payload.roomId === roomId)).to.deep.equal([]);
  });

  it('a private thread’s events reach only its owner; a thread tied to no room sends none', async () => {
    const privateId = await newThread(mentee, 'private');
    const secret = await newEntry(mentee, privateId, 'Not ready to share');
    const looseId = await newThread(mentee, 'public', null);
    const loose = await newEntry(mentee, looseId, 'Side project');
    await received(menteeA, secret.id);
    const sentinel = await newEntry(mentee, await newThread(mentee, 'room'), 'shared');
    await received(mentorS, sentinel.id);
    await received(menteeA, sentinel.id);
    expect(events(mentorS).filter((e) => e.payload.threadId === privateId)).to.deep.equal([]);
    for (const socket of [menteeA, mentorS]) expect(events(socket).filter((e) => e.payload.threadId === looseId || e.payload.entry?.id === loose.id)).to.deep.equal([]);
  });

  it('turning a room thread private tells the mentor it is gone and the owner it changed', async () => {
    const threadId = await newThread(mentee, 'room');
    await call(mentee, 'PATCH', `/api/threads/${threadId}`, { visibility: 'private', title: 'Just for me' });
    await eventually(() => expect(events(mentorS, Ev.threadDeleted).map((e) => e.payload)).to.deep.equal([{ roomId, threadId }]));
    await eventually(() => expect(events(menteeA, Ev.threadUpdated).map((e) => e.payload.thread.visibility)).to.deep.equal(['private']));
    expect(events(mentorS, Ev.threadUpdated)).to.deep.equal([]);
    expect(JSON.stringify(events(mentorS))).to.not.include('Just for me');
  });
});
