/**
 * The Bus port (server/scale/bus.ts) behaves alike on LocalHub (in-process nodes) and on Redis:
 * typed channels with topics, binary payloads intact, a node never hears its own messages, and
 * RedisBus tells its listeners to resync after Redis came back.
 */
import { expect } from 'chai';
import type { Bus } from '../../server/scale/bus.js';
import { LocalHub } from '../../server/scale/local-bus.js';
import { RedisBus } from '../../server/scale/redis-bus.js';
import { createLogger } from '../../server/log.js';
import { eventually } from '../helpers/clients.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

declare module '../../server/scale/bus.js' {
  interface BusChannels {
    'bus-test': { n: number; bytes: Uint8Array };
  }
}

/** Publishes a priming message (n = 0) until the subscriber saw one: its SUBSCRIBE is in effect. */
async function primed(a: Bus, topic: string, seen: () => boolean): Promise<void> {
  await eventually(() => {
    if (!seen()) a.publish('bus-test', topic, { n: 0, bytes: new Uint8Array() });
    expect(seen()).to.equal(true);
  }, 10_000, 50);
}

function busContract(name: string, make: () => Promise<{ nodes: [Bus, Bus]; close: () => Promise<void> }>): void {
  describe(`bus: ${name}`, () => {
    it('delivers to the other node on the same (channel, topic) only, in order, bytes intact, never back to the sender', async () => {
      const { nodes: [a, b], close } = await make();
      try {
        const onB: number[] = [];
        const onA: number[] = [];
        const otherTopic: number[] = [];
        let bytes: Uint8Array | null = null;
        let ready = false;
        b.subscribe('bus-test', 'room-1', (m, from) => {
          expect(from).to.equal(a.nodeId);
          if (m.n === 0) ready = true;
          else onB.push(m.n);
          bytes = m.bytes;
        });
        b.subscribe('bus-test', 'room-2', (m) => otherTopic.push(m.n));
        a.subscribe('bus-test', 'room-1', (m) => onA.push(m.n));
        await primed(a, 'room-1', () => ready);
        for (let n = 1; n <= 20; n++) a.publish('bus-test', 'room-1', { n, bytes: new Uint8Array([n, 0, 255]) });
        await eventually(() => expect(onB).to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 1)));
        expect(bytes).to.be.instanceOf(Uint8Array);
        expect([...bytes!]).to.deep.equal([20, 0, 255]);
        expect(onA).to.deep.equal([]);
        expect(otherTopic).to.deep.equal([]);
      } finally {
        await close();
      }
    });

    it('stops delivering after unsubscribe', async () => {
      const { nodes: [a, b], close } = await make();
      try {
        const seen: number[] = [];
        const off = b.subscribe('bus-test', 't', (m) => m.n > 0 && seen.push(m.n));
        const canary: number[] = [];
        b.subscribe('bus-test', 'canary', (m) => canary.push(m.n));
        await primed(a, 'canary', () => canary.length > 0);
        a.publish('bus-test', 't', { n: 1, bytes: new Uint8Array() });
        await eventually(() => expect(seen).to.deep.equal([1]));
        off();
        a.publish('bus-test', 't', { n: 2, bytes: new Uint8Array() });
        a.publish('bus-test', 'canary', { n: 3, bytes: new Uint8Array() });
        // One publishing connection and one subscribing connection keep order: the canary after it means n = 2 had its chance.
        await eventually(() => expect(canary).to.include(3));
        expect(seen).to.deep.equal([1]);
      } finally {
        await close();
      }
    });
  });
}

busContract('LocalHub', async () => {
  const hub = new LocalHub();
  const nodes: [Bus, Bus] = [hub.bus('a'), hub.bus('b')];
  return { nodes, close: async () => void (await Promise.all(nodes.map((n) => n.close()))) };
});

describe('bus over a real redis-server', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.close();
  });

  busContract('RedisBus', async () => {
    const log = createLogger('silent');
    const nodes: [Bus, Bus] = [new RedisBus(redis.url, log, 'a'), new RedisBus(redis.url, log, 'b')];
    // Publishing while not yet connected is dropped by design (no offline queue): start once both answer.
    await eventually(() => Promise.all(nodes.map((n) => n.ping())));
    return { nodes, close: async () => void (await Promise.all(nodes.map((n) => n.close()))) };
  });

  it('survives a Redis restart: ping fails while down, resync is signalled, delivery resumes', async () => {
    const log = createLogger('silent');
    const a = new RedisBus(redis.url, log, 'a');
    const b = new RedisBus(redis.url, log, 'b');
    try {
      const seen: number[] = [];
      let resyncs = 0;
      b.onResync(() => resyncs++);
      b.subscribe('bus-test', 'x', (m) => seen.push(m.n));
      await eventually(() => b.ping());
      await redis.stop();
      a.publish('bus-test', 'x', { n: 1, bytes: new Uint8Array() }); // lost, never thrown
      let failed = false;
      await b.ping().catch(() => (failed = true));
      expect(failed).to.equal(true);
      await redis.start();
      await eventually(() => expect(resyncs).to.equal(1), 10_000, 50);
      await eventually(async () => {
        a.publish('bus-test', 'x', { n: 2, bytes: new Uint8Array() });
        await new Promise((r) => setTimeout(r, 50));
        expect(seen).to.include(2);
      }, 10_000, 100);
      expect(seen).to.not.include(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
