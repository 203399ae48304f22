/**
 * Issue 13: eight back-to-back 1 MB replacements of one key on a ~1 MB document were closed with
 * 4413 (which stops the provider for good): the bytes in flight were counted in full on top of the
 * document, although each replacement leaves the document at ~1 MB.
 */
import { expect } from 'chai';
import { CollabClose } from '../../shared/events.js';
import { activeRoom, api, eventually, register, type Session } from '../helpers/clients.js';
import { openEditor, type Editor } from '../helpers/collab.js';
import { startServer, type TestServer } from '../helpers/server.js';

const MB = 1_000_000;

describe('collab: a valid burst near the size limit (issue 13)', function () {
  this.timeout(60_000);
  let server: TestServer;
  let mentor: Session;
  let room: { id: string };
  let editor: Editor | null = null;
  before(async () => {
    server = await startServer();
    mentor = await register(server.url, 'Mentor');
    room = await activeRoom(server.url, mentor, await register(server.url, 'Mentee'));
  });
  after(async () => {
    editor?.destroy();
    await server.stop();
  });

  it('stores eight back-to-back 1 MB replacements of one key on a 1 MB document', async () => {
    editor = openEditor(server.url, room.id, mentor.token);
    await editor.synced;
    const root = editor.doc.getMap('roadmap');
    root.set('title', `${'t'.repeat(MB)}-start`);
    const title = async () => (await api(server.url, 'GET', `/api/rooms/${room.id}/roadmap`, { token: mentor.token })).body.roadmap.title as string;
    await eventually(async () => expect((await title()).endsWith('-start')).to.equal(true), 20_000);
    for (let i = 0; i < 8; i++) root.set('title', `${String(i).repeat(MB)}-${i}`); // eight updates, sent back to back
    await eventually(async () => expect((await title()).endsWith('-7')).to.equal(true), 30_000, 100);
    expect(editor.closes.map((c) => c.code)).not.to.include(CollabClose.PAYLOAD_TOO_LARGE);
    expect(editor.closes).to.deep.equal([]);
  });

  it('still refuses an update that would take the document past the limit (4413)', async () => {
    const root = editor!.doc.getMap('roadmap');
    root.set('extra', 'x'.repeat(4.5 * MB));
    await eventually(() => expect(editor!.closes.map((c) => c.code)).to.include(CollabClose.PAYLOAD_TOO_LARGE), 20_000);
  });
});
