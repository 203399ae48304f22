import { expect } from 'chai';
import { LoginThrottle } from '../../server/auth/login-throttle.js';
import { memoryLimiters } from '../../server/rate/limiter.js';

const limits = { perEmailAndIp: 3, perIp: 5, windowSec: 60 };

describe('login throttle', () => {
  it('stops guessing one email from one client after the allowed failures, with a retry time', async () => {
    const t = new LoginThrottle(memoryLimiters, limits);
    for (let i = 0; i < 3; i++) expect((await t.reserve('a@x', '10.0.0.1')).ok).to.equal(true);
    const refused = await t.reserve('a@x', '10.0.0.1');
    expect(refused.ok).to.equal(false);
    expect(refused.ok === false && refused.retryAfterMs).to.be.within(1, 60_000);
  });

  it('never refuses the owner on a client that has not failed, while the guesser is locked out', async () => {
    const t = new LoginThrottle(memoryLimiters, limits);
    for (let i = 0; i < 3; i++) await t.reserve('a@x', '10.0.0.1');
    expect((await t.reserve('a@x', '10.0.0.1')).ok).to.equal(false);
    expect((await t.reserve('a@x', '192.168.1.9')).ok).to.equal(true);
  });

  it('throttles one client spraying many emails', async () => {
    const t = new LoginThrottle(memoryLimiters, limits);
    const granted = [];
    for (let i = 0; i < 30; i++) granted.push((await t.reserve(`user${i}@x`, '10.0.0.1')).ok);
    expect(granted.filter(Boolean)).to.have.length(5);
    expect((await t.reserve('user0@x', '10.0.0.2')).ok).to.equal(true);
  });

  it('gives back an attempt released unchecked (hash queue full) without forgetting real failures', async () => {
    const t = new LoginThrottle(memoryLimiters, limits);
    await t.reserve('a@x', '10.0.0.1');
    await t.reserve('a@x', '10.0.0.1');
    for (let i = 0; i < 10; i++) {
      expect((await t.reserve('a@x', '10.0.0.1')).ok).to.equal(true);
      await t.release('a@x', '10.0.0.1');
    }
    // The two failures still count: one more is allowed, then the pair is refused.
    expect((await t.reserve('a@x', '10.0.0.1')).ok).to.equal(true);
    expect((await t.reserve('a@x', '10.0.0.1')).ok).to.equal(false);
  });

  it('forgets the failures of a pair after a right password', async () => {
    const t = new LoginThrottle(memoryLimiters, limits);
    for (let i = 0; i < 3; i++) await t.reserve('a@x', '10.0.0.1');
    await t.succeeded('a@x', '10.0.0.1');
    expect((await t.reserve('a@x', '10.0.0.1')).ok).to.equal(true);
  });

  it('counts an attempt when it is reserved, so a burst reserved before any answer stops at the limit', async () => {
    const t = new LoginThrottle(memoryLimiters, { perEmailAndIp: 10, perIp: 100, windowSec: 60 });
    const results = await Promise.all(Array.from({ length: 40 }, () => t.reserve('a@x', '10.0.0.1')));
    expect(results.filter((r) => r.ok)).to.have.length(10);
  });
});
