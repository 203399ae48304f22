import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { api } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('password rules at sign-up (issue 13)', () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(async () => server.stop());

  const signUp = (password: string, email = `maya-${randomUUID().slice(0, 8)}@example.test`, displayName = 'Maya Stonebridge') =>
    api(server.url, 'POST', '/api/auth/register', { body: { email, password, displayName } });

  for (const [what, password] of [
    ['a common password', '12345678'],
    ['eight spaces', '        '],
    ['a keyboard row', 'qwertyuiop'],
    ['a common word with a digit', 'password1'],
  ] as const) {
    it(`refuses ${what} with INVALID_INPUT naming the password, and creates no account`, async () => {
      const email = `weak-${randomUUID().slice(0, 8)}@example.test`;
      const res = await signUp(password, email);
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('INVALID_INPUT');
      expect(res.body.error.message).to.match(/^password is too weak: .+/);
      // The email is still free: nothing was stored.
      expect((await signUp('correct horse battery', email)).status).to.equal(201);
    });
  }

  it("refuses the user's own email or name as the password", async () => {
    const email = `maya.stonebridge-${randomUUID().slice(0, 6)}@example.test`;
    const byEmail = await signUp(email, email);
    expect(byEmail.status).to.equal(400);
    expect(byEmail.body.error.message).to.match(/password is too weak/);
    const byName = await signUp('Maya Stonebridge', undefined, 'Maya Stonebridge');
    expect(byName.status).to.equal(400);
    expect(byName.body.error.message).to.match(/password is too weak/);
  });

  it('accepts a passphrase of a few unrelated words', async () => {
    const res = await signUp('orbit lantern pickle');
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
  });
});
