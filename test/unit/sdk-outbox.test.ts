import { expect } from 'chai';
import { SdkError } from '../../client/src/sdk/errors.js';
import { memoryStorage, Outbox, type OutboxEntry } from '../../client/src/sdk/outbox.js';
import type { Message } from '../../shared/types.js';

const draft = (clientMsgId: string) => ({ clientMsgId, roomId: 'r1', body: `hi ${clientMsgId}`, createdAt: '2024-01-01T00:00:00.000Z' });

describe('sdk Outbox', () => {
  it("keeps an entry's clientMsgId through sending, a lost connection and a second attempt", () => {
    const changes: OutboxEntry[] = [];
    const box = new Outbox(memoryStorage(), (e) => changes.push(e));
    box.add(draft('a'));
    box.sending('a');
    box.requeue('a');
    box.sending('a');
    box.sent('a', { id: 'm1', seq: 1, clientMsgId: 'a' } as Message);
    expect(changes.map((e) => [e.status, e.clientMsgId, e.attempts])).to.deep.equal([
      ['queued', 'a', 0],
      ['sending', 'a', 1],
      ['queued', 'a', 1],
      ['sending', 'a', 2],
      ['sent', 'a', 2],
    ]);
    expect(box.list()).to.deep.equal([]);
  });

  it('sends oldest first and skips failed entries', () => {
    const box = new Outbox(memoryStorage(), () => undefined);
    box.add(draft('a'));
    box.add(draft('b'));
    box.sending('a');
    box.fail('a', new SdkError('FORBIDDEN', 'no'));
    expect(box.nextQueued()?.clientMsgId).to.equal('b');
  });

  it('restores unsent entries from storage as queued, with their clientMsgIds and failures', () => {
    const storage = memoryStorage();
    const first = new Outbox(storage, () => undefined);
    first.add(draft('a'));
    first.sending('a'); // in flight when the app stopped
    first.add(draft('b'));
    first.sending('b');
    first.fail('b', new SdkError('GUARD_FAILED', 'room closed'));
    first.add(draft('c'));
    first.sending('c');
    first.sent('c', { id: 'm3', seq: 3, clientMsgId: 'c' } as Message);

    const again = new Outbox(storage, () => undefined);
    const restored = again.list();
    expect(restored.map((e) => [e.clientMsgId, e.status, e.attempts])).to.deep.equal([
      ['a', 'queued', 1],
      ['b', 'failed', 1],
    ]);
    const failed = restored[1]!;
    if (failed.status !== 'failed') throw new Error('unreachable');
    expect(failed.error.code).to.equal('GUARD_FAILED');
    expect(failed.error.isRetryable()).to.equal(false);
  });

  it('ignores storage content that is not a list of entries', () => {
    for (const junk of [null, 'x', { a: 1 }, [{ clientMsgId: 1 }], [null]]) {
      const box = new Outbox({ load: () => junk, save: () => undefined }, () => undefined);
      expect(box.list()).to.deep.equal([]);
    }
  });
});

describe('sdk SdkError', () => {
  it('answers whether a retry can help', () => {
    for (const code of ['NETWORK', 'TIMEOUT', 'DISCONNECTED', 'RATE_LIMITED', 'INTERNAL'] as const) expect(new SdkError(code, '').isRetryable(), code).to.equal(true);
    for (const code of ['INVALID_INPUT', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'GUARD_FAILED', 'UNAUTHENTICATED', 'PAYLOAD_TOO_LARGE'] as const) {
      expect(new SdkError(code, '').isRetryable(), code).to.equal(false);
    }
  });

  it("reads the server's error body, and falls back on the HTTP status when the body is not ours", () => {
    const e = SdkError.fromWire({ code: 'CONFLICT', message: 'email is already registered' }, 409);
    expect(e).to.include({ code: 'CONFLICT', message: 'email is already registered', status: 409 });
    expect(SdkError.fromWire(undefined, 404).code).to.equal('NOT_FOUND');
    expect(SdkError.fromWire(undefined, 502).code).to.equal('INTERNAL');
  });

  it("names socket.io-client's transport failures", () => {
    expect(SdkError.from(new Error('operation has timed out')).code).to.equal('TIMEOUT');
    expect(SdkError.from(new Error('socket has been disconnected')).code).to.equal('DISCONNECTED');
    expect(SdkError.from(new TypeError('fetch failed')).code).to.equal('NETWORK');
  });
});
