import { expect } from 'chai';
import { RESYNC_MAX_SPREAD_MS, RESYNC_SOCKETS_PER_S, resyncDelays } from '../../server/realtime/resync.js';

describe('resyncDelays: sockets sent to catch up after a Redis outage are spread over time', () => {
  it('a handful close at once', () => {
    expect(resyncDelays(2, () => 0.99)).to.deep.equal([3, 3]);
  });

  it('the window grows with the count, RESYNC_SOCKETS_PER_S per second', () => {
    const delays = resyncDelays(RESYNC_SOCKETS_PER_S * 4, () => 0.999_999);
    expect(delays).to.have.length(RESYNC_SOCKETS_PER_S * 4);
    expect(Math.max(...delays)).to.equal(3999);
    expect(Math.min(...resyncDelays(100, () => 0))).to.equal(0);
  });

  it('never beyond RESYNC_MAX_SPREAD_MS, and uniformly random within it', () => {
    const delays = resyncDelays(100_000);
    expect(Math.max(...delays)).to.be.below(RESYNC_MAX_SPREAD_MS);
    const firstHalf = delays.filter((d) => d < RESYNC_MAX_SPREAD_MS / 2).length;
    expect(firstHalf).to.be.within(45_000, 55_000);
  });
});
