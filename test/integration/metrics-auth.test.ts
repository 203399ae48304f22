import { expect } from 'chai';
import { startServer, TEST_METRICS_TOKEN, type TestServer } from '../helpers/server.js';

describe('/metrics needs METRICS_TOKEN (issue 13)', () => {
  let server: TestServer | undefined;
  afterEach(async () => server?.stop());

  it('without METRICS_TOKEN configured, /metrics is not served (404), with or without a bearer', async () => {
    server = await startServer({ env: { METRICS_TOKEN: '' } });
    const anonymous = await fetch(`${server.url}/metrics`);
    expect(anonymous.status).to.equal(404);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).to.equal('NOT_FOUND');
    const guessed = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer anything-at-all-here' } });
    expect(guessed.status).to.equal(404);
  });

  it('with METRICS_TOKEN, only its bearer gets the metrics; anyone else gets 401', async () => {
    server = await startServer();
    for (const authorization of [undefined, 'Bearer wrong-token-wrong-token', `Basic ${TEST_METRICS_TOKEN}`, `Bearer ${TEST_METRICS_TOKEN}x`]) {
      const res = await fetch(`${server.url}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(res.status, String(authorization)).to.equal(401);
      expect(await res.text()).not.to.include('menteo_');
    }
    const ok = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } });
    expect(ok.status).to.equal(200);
    expect(await ok.text()).to.match(/^menteo_sockets /m);
  });
});
