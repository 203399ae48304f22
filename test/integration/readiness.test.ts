import { expect } from 'chai';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { healthRoutes } from '../../server/http/routes/health.js';
import { createLogger } from '../../server/log.js';

describe('readiness', () => {
  it('answers a failed check with just "failed", never the error text', async () => {
    const checks = [
      { name: 'store', check: async () => undefined },
      { name: 'redis', check: async () => { throw new Error('connect ECONNREFUSED 10.0.0.7:6379 (/srv/secret/path)'); } },
    ];
    const app = express().use(healthRoutes(checks, new Registry(), () => false, createLogger('silent')));
    const server = app.listen(0);
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`);
      expect(res.status).to.equal(503);
      const text = await res.text();
      expect(JSON.parse(text)).to.deep.equal({ ok: false, draining: false, checks: { store: 'ok', redis: 'failed' } });
      expect(text).to.not.contain('ECONNREFUSED');
    } finally {
      server.close();
    }
  });
});
