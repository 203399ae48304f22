/** Collab resource bounds: awareness state per connection (from the security review). */
import { expect } from 'chai';
import * as encoding from 'lib0/encoding';
import { ServerLimits } from '../../server/limits.js';
import { activeRoom, eventually, register, type Session } from '../helpers/clients.js';
import { rawClient, wsBase } from '../helpers/collab.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** An awareness frame announcing `ids` with one state each. */
function awarenessFrame(ids: number[], clock: number, state: unknown): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, ids.length);
  for (const id of ids) {
    encoding.writeVarUint(inner, id);
    encoding.writeVarUint(inner, clock);
    encoding.writeVarString(inner, JSON.stringify(state));
  }
  const outer = encoding.createEncoder();
  encoding.writeVarUint(outer, 1);
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
  return encoding.toUint8Array(outer);
}

describe('collab: awareness is bounded per connection', function () {
  this.timeout(60_000);
  let server: TestServer;
  let mentor: Session;
  let mentee: Session;
  let room: { id: string };
  const url = (s: Session) => `${wsBase(server.url)}/collab/${room.id}?token=${s.token}`;

  beforeEach(async () => {
    server = await startServer();
    mentor = await register(server.url, 'Mentor');
    mentee = await register(server.url, 'Mentee');
    room = await activeRoom(server.url, mentor, mentee);
  });
  afterEach(async () => {
    await server.stop();
  });

  /** The awareness instance of the room's live document (private: read for the assertion only). */
  const awarenessOf = () => (server.collab.docs as any).docs.get(room.id)?.awareness as
    | { getStates(): Map<number, Record<string, unknown>>; meta: Map<number, unknown> }
    | undefined;

  /** Before: 20 frames × 5,000 ids × ~1 KB = ~100 MB of JSON held by the server from one member. */
  it('one connection cannot make the server hold an unbounded number of awareness states', async () => {
    const client = await rawClient(url(mentee));
    client.ws.on('message', () => {}); // keep reading the echoes
    const state = { user: { name: 'x'.repeat(1000) } };
    for (let f = 0; f < 20; f++) {
      const ids = Array.from({ length: 5000 }, (_, i) => 1_000_000 + f * 5000 + i);
      client.ws.send(awarenessFrame(ids, 1, state));
    }
    await new Promise((r) => setTimeout(r, 2000));
    const held: number = awarenessOf()?.getStates().size ?? 0;
    const meta: number = awarenessOf()?.meta.size ?? 0;
    client.ws.terminate();
    expect(held, `states held (meta entries: ${meta})`).to.be.at.most(ServerLimits.collabAwarenessClientsPerConnection);
    expect(meta, 'awareness meta entries held').to.be.at.most(ServerLimits.collabAwarenessClientsPerConnection + 1);
  });

  it('a client id announced by one connection cannot be taken over by another', async () => {
    const owner = await rawClient(url(mentor));
    owner.ws.on('message', () => {});
    owner.ws.send(awarenessFrame([42], 1, { user: { name: 'Mentor' } }));
    await eventually(() => expect(awarenessOf()?.getStates().get(42)).to.deep.equal({ user: { name: 'Mentor' } }));
    const spoofer = await rawClient(url(mentee));
    spoofer.ws.on('message', () => {});
    spoofer.ws.send(awarenessFrame([42], 5, { user: { name: 'Spoof' } }));
    spoofer.ws.send(awarenessFrame([43], 1, { user: { name: 'Mentee' } }));
    await eventually(() => expect(awarenessOf()?.getStates().get(43)).to.deep.equal({ user: { name: 'Mentee' } }));
    expect(awarenessOf()?.getStates().get(42)).to.deep.equal({ user: { name: 'Mentor' } });
    // Once its owner leaves, the id's state and meta entry are gone.
    owner.ws.terminate();
    await eventually(() => expect(awarenessOf()?.getStates().has(42)).to.equal(false));
    expect(awarenessOf()?.meta.has(42)).to.equal(false);
    spoofer.ws.terminate();
  });

  it('an awareness state larger than the limit is not held; a normal one from the same frame is', async () => {
    const client = await rawClient(url(mentee));
    client.ws.on('message', () => {});
    client.ws.send(awarenessFrame([7], 1, { user: { name: 'x'.repeat(ServerLimits.collabAwarenessStateBytes) } }));
    client.ws.send(awarenessFrame([8], 1, { user: { name: 'Mentee' } }));
    await eventually(() => expect(awarenessOf()?.getStates().has(8)).to.equal(true));
    expect(awarenessOf()?.getStates().has(7)).to.equal(false);
    client.ws.terminate();
  });

});
