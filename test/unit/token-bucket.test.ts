import { expect } from 'chai';
import { KeyedTokenBuckets, TokenBucket } from '../../server/rate/token-bucket.js';

describe('token bucket', () => {
  it('allows the burst, then the refill rate, and never more than the burst after a pause', () => {
    let now = 0;
    const b = new TokenBucket(10, 3, () => now);
    expect([b.take(), b.take(), b.take(), b.take()]).to.deep.equal([true, true, true, false]);
    now = 100;
    expect([b.take(), b.take()]).to.deep.equal([true, false]);
    now = 60_000;
    expect(Array.from({ length: 5 }, () => b.take()).filter(Boolean)).to.have.length(3);
  });

  it('keeps one bucket per key', () => {
    const k = new KeyedTokenBuckets(1, 2, 10, () => 0);
    expect([k.take('a'), k.take('a'), k.take('a')]).to.deep.equal([true, true, false]);
    expect(k.take('b')).to.equal(true);
  });
});
