import { expect } from 'chai';
import { ClientId } from '../../shared/schemas/common.js';
import { systemMessageKey } from '../../server/domain/change.js';

describe('system message keys', () => {
  const domainKeys = ['stage:3', 'contract:v2', 'contract:v2:accept', 'goal:abc_1:r7', 'request:accept', 'request:decline'];

  it('are refused as a client clientMsgId, so a chat message cannot take a system message\'s key', () => {
    for (const key of domainKeys) expect(ClientId.safeParse(systemMessageKey(key)).success, key).to.equal(false);
  });

  it('differ for different domain keys', () => {
    expect(new Set(domainKeys.map(systemMessageKey)).size).to.equal(domainKeys.length);
  });
});
