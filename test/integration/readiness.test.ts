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
      { name: 'search', check: async () => { throw new Error('connect ECONNREFUSED 10.0.0.7:6379 (/srv/secret/path)'); } },
    ];
    const app = express().use(healthRoutes(checks, new Registry(), () => false, createLogger('silent')));
    const server = app.listen(0);
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`);
      expect(res.status).to.equal(503);
      const text = await res.text();
      expect(JSON.parse(text)).to.deep.equal({ ok: false, draining: false, degraded: false, checks: { store: 'ok', search: 'failed' } });
      expect(text).to.not.contain('ECONNREFUSED');
    } finally {
      server.close();
    }
  });

  it('reports a failing degrading check (redis) as degraded and stays ready: the node still serves its clients', async () => {
    const checks = [
      { name: 'store', check: async () => undefined },
      { name: 'redis', onFailure: 'degraded' as const, check: async () => { throw new Error('redis did not answer PING in time'); } },
    ];
    const app = express().use(healthRoutes(checks, new Registry(), () => false, createLogger('silent')));
    const server = app.listen(0);
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`);
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({ ok: true, draining: false, degraded: true, checks: { store: 'ok', redis: 'degraded' } });
    } finally {
      server.close();
    }
  });
});
