import type { Socket } from 'socket.io-client';
import type * as Y from 'yjs';
import { activeRoom, connect, register, type Session } from './clients.js';
import { openEditor, wsBase, type Editor } from './collab.js';
import type { MenteoParts } from '../../server/app.js';
import { startServer, type TestServer } from './server.js';

/**
 * The set-up most integration files share: a server, a registered mentor and mentee and (unless
 * `room: 'none'`) an active room between them, plus the sockets and collab providers a test opens
 * through it, which go with it.
 */
export interface RoomFixture {
  server: TestServer;
  mentor: Session;
  mentee: Session;
  /** The active room between mentor and mentee (throws with `room: 'none'`). */
  room: { id: string };
  /** A connected Socket.IO client as `who`, closed by closeClients(). */
  socket(who: Session): Promise<Socket>;
  /** A stock y-websocket provider on the room's roadmap as `who`, destroyed by closeClients(). */
  editor(who: Session, doc?: Y.Doc): Editor;
  /** The collab URL of the room for `who`, for raw WebSocket clients. */
  collabUrl(who: Session): string;
  /** Closes the sockets and destroys the editors opened so far. */
  closeClients(): void;
}

export interface RoomFixtureOptions {
  /** Server environment on top of startServer's. */
  env?: Record<string, string>;
  /** Parts injected into the server (a driven clock). */
  parts?: MenteoParts;
  /** 'active' (default): mentee requests, mentor accepts; 'none': the test makes its own rooms. */
  room?: 'active' | 'none';
}

/** What a RoomFixture stands on: the server, and its users and room. */
interface Parts {
  server: TestServer;
  mentor: Session;
  mentee: Session;
  room: { id: string } | null;
}

async function people(server: TestServer, room: RoomFixtureOptions['room']): Promise<Omit<Parts, 'server'>> {
  const mentor = await register(server.url, 'Mentor');
  const mentee = await register(server.url, 'Mentee');
  return { mentor, mentee, room: room === 'none' ? null : await activeRoom(server.url, mentor, mentee) };
}

function fixture(parts: () => Parts): RoomFixture & { dispose(): Promise<void> } {
  const sockets: Socket[] = [];
  const editors: Editor[] = [];
  const roomOf = () => {
    const { room } = parts();
    if (!room) throw new Error("this fixture was made with room: 'none'");
    return room;
  };
  const fx = {
    get server() {
      return parts().server;
    },
    get mentor() {
      return parts().mentor;
    },
    get mentee() {
      return parts().mentee;
    },
    get room() {
      return roomOf();
    },
    async socket(who: Session) {
      const s = await connect(parts().server.url, who.token);
      sockets.push(s);
      return s;
    },
    editor(who: Session, doc?: Y.Doc) {
      const e = openEditor(parts().server.url, roomOf().id, who.token, doc);
      editors.push(e);
      return e;
    },
    collabUrl: (who: Session) => `${wsBase(parts().server.url)}/collab/${roomOf().id}?token=${who.token}`,
    closeClients() {
      for (const s of sockets.splice(0)) s.close();
      for (const e of editors.splice(0)) e.destroy();
    },
    async dispose() {
      fx.closeClients();
      await parts().server.stop();
    },
  };
  return fx;
}

/** A fixture made now (for a test that needs one of its own); dispose() closes its clients and stops its server. */
export async function roomFixture(opts: RoomFixtureOptions & { dataDir?: string } = {}): Promise<RoomFixture & { dispose(): Promise<void> }> {
  const server = await startServer({ env: opts.env, dataDir: opts.dataDir, parts: opts.parts });
  const parts: Parts = { server, ...(await people(server, opts.room)) };
  return fixture(() => parts);
}

/**
 * Registers the mocha hooks of a describe block that uses a RoomFixture, and returns it (its
 * fields are set before each test). `fresh` says what each test gets anew:
 * - 'room' (default): new mentor, mentee and room per test on one server per block: tests stay
 *   independent as long as they look only at their own users, room and documents;
 * - 'server': a new server too, for tests that read server-wide state (metrics, timers, limits).
 * Clients opened through it are closed after every test.
 */
export function useRoomFixture(opts: RoomFixtureOptions & { fresh?: 'room' | 'server' } = {}): RoomFixture {
  let parts: Partial<Parts> = {};
  const fx = fixture(() => {
    if (!parts.server || !parts.mentor) throw new Error('the room fixture is used outside a test');
    return parts as Parts;
  });
  const fresh = opts.fresh ?? 'room';
  const startOne = async () => (parts.server = await startServer({ env: opts.env, parts: opts.parts }));
  if (fresh === 'room') before(startOne);
  beforeEach(async () => {
    if (fresh === 'server') await startOne();
    parts = { server: parts.server, ...(await people(parts.server!, opts.room)) };
  });
  afterEach(async () => {
    fx.closeClients();
    if (fresh === 'server') await parts.server?.stop();
  });
  if (fresh === 'room') after(async () => parts.server?.stop());
  return fx;
}
