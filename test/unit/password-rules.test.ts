import { expect } from 'chai';
import { isAppError } from '../../shared/errors.js';
import { assertStrongEnough, MIN_PASSWORD_SCORE, userInputsFor } from '../../server/auth/password-rules.js';

describe('password rules', () => {
  it("the user's own words are the email, its local part, the name and each of their words", () => {
    expect(userInputsFor({ email: 'Maya.Stone@Example.test', displayName: 'Maya Stone' })).to.have.members([
      'maya.stone@example.test',
      'maya.stone',
      'Maya Stone',
      'maya',
      'stone',
      'Maya',
      'Stone',
    ]);
  });

  it('a score below the minimum is INVALID_INPUT whose message names the field and says why in words', () => {
    let caught: unknown;
    try {
      assertStrongEnough({ score: MIN_PASSWORD_SCORE - 1, warning: 'userInputs' }, 'newPassword');
    } catch (err) {
      caught = err;
    }
    expect(isAppError(caught, 'INVALID_INPUT')).to.equal(true);
    const err = caught as Error & { details: Array<{ path: string; message: string }> };
    expect(err.message).to.match(/^newPassword is too weak: it contains your email or name/);
    expect(err.details[0]!.path).to.equal('newPassword');
  });

  it('an unknown warning still gets a reason; the minimum score passes', () => {
    expect(() => assertStrongEnough({ score: 0, warning: 'somethingNew' })).to.throw(/password is too weak: it is too easy to guess/);
    expect(() => assertStrongEnough({ score: MIN_PASSWORD_SCORE, warning: null })).not.to.throw();
  });
});
