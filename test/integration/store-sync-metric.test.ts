import { expect } from 'chai';
import type { SqliteStore } from '../../server/store/sqlite/index.js';
import { activeRoom, api, eventually, register } from '../helpers/clients.js';
import { metricsText, startServer, type TestServer } from '../helpers/server.js';

describe('store sync metric', () => {
  let server: TestServer;
  beforeEach(async () => (server = await startServer()));
  afterEach(async () => server.stop());

  const syncCount = async () => {
    const text = await metricsText(server.url);
    return Number(/^menteo_store_sync_seconds_count (\d+)/m.exec(text)?.[1] ?? Number.NaN);
  };

  it('counts one WAL fsync per durable batch in /metrics (menteo_store_sync_seconds)', async () => {
    const mentor = await register(server.url, 'Mentor');
    const mentee = await register(server.url, 'Mentee');
    const room = await activeRoom(server.url, mentor, mentee);
    const batches = () => (server.store as SqliteStore).writeStats.batches;
    const before = await syncCount();
    expect(before, 'registering and opening a room wrote and synced').to.be.greaterThan(0);
    const sent = await api(server.url, 'POST', `/api/rooms/${room.id}/messages`, { token: mentor.token, body: { clientMsgId: 'm-1', body: 'hello' } });
    expect(sent.status).to.equal(201);
    // The ack waited for its batch's fsync; the notification producers' writes (issue 15) follow
    // on their own, so the count is compared with the batches committed, once nothing is syncing.
    expect(await syncCount()).to.be.greaterThan(before);
    await eventually(async () => expect(await syncCount(), 'one fsync per committed batch').to.equal(batches()));
  });
});
