import { expect } from 'chai';
import { Registry } from 'prom-client';
import * as Y from 'yjs';
import { LiveDoc, SERVER_ORIGIN } from '../../server/collab/live-doc.js';
import { createCollabMetrics } from '../../server/collab/metrics.js';
import { createLogger } from '../../server/log.js';
import { openSqliteStore, type SqliteStore } from '../../server/store/sqlite/index.js';
import { tempDir } from '../helpers/server.js';

/** hasRoomFor measures (encodes) a document past its cheap estimate; the measurement is reused. */
describe('collab: size check of a document near its limit', function () {
  this.timeout(20_000);
  const dir = tempDir();
  let store: SqliteStore;
  after(async () => {
    await store?.close();
    dir.remove();
  });

  it('re-encodes the document only when the log grew by a margin, and still refuses what would pass the limit', async () => {
    store = openSqliteStore({ file: `${dir.dir}/docs.db` });
    const registry = new Registry();
    const metrics = createCollabMetrics(registry);
    const live = new LiveDoc('doc', {
      store: store.docs,
      log: createLogger('silent'),
      metrics,
      compactAfterUpdates: 1_000_000,
      compactAfterBytes: 1_000_000_000,
      maxDocBytes: 64 * 1024,
    });
    await live.load();
    const author = new Y.Doc();
    const updates: Uint8Array[] = [];
    author.on('update', (u: Uint8Array) => updates.push(u));
    const text = author.getText('notes');
    const send = async () => {
      for (const u of updates.splice(0)) await live.submit(u, SERVER_ORIGIN);
    };
    text.insert(0, 'k'.repeat(20_000));
    await send();
    // Churn: the log passes the limit while the document itself stays ~20 KB.
    for (let i = 0; i < 3; i++) {
      text.insert(0, 'y'.repeat(20_000));
      text.delete(0, 20_000);
      await send();
    }
    const measures = async () => (await registry.getSingleMetric('menteo_collab_doc_measures_total')!.get()).values[0]?.value ?? 0;
    const before = await measures();
    for (let i = 0; i < 50; i++) {
      text.insert(0, 'a');
      await send();
    }
    expect(live.doc.getText('notes').length).to.equal(20_050);
    expect((await measures()) - before, 'encodes for 50 one-character edits').to.be.at.most(1);

    text.insert(0, 'z'.repeat(50_000));
    const [tooBig] = updates.splice(0);
    let refused: unknown = null;
    await live.submit(tooBig!, SERVER_ORIGIN).catch((err: unknown) => (refused = err));
    expect((refused as { code?: string } | null)?.code).to.equal('PAYLOAD_TOO_LARGE');
    live.close(1001, 'test over');
  });
});
