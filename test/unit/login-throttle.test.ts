import { expect } from 'chai';
import { LoginThrottle } from '../../server/auth/login-throttle.js';

describe('login throttle', () => {
  it('locks an email after the allowed failures, until the window passes', () => {
    let now = 0;
    const t = new LoginThrottle(3, 1000, () => now);
    for (let i = 0; i < 3; i++) expect(t.reserve('a@x')).to.equal(true);
    expect(t.reserve('a@x')).to.equal(false);
    expect(t.blocked('a@x')).to.equal(true);
    expect(t.blocked('b@x')).to.equal(false);
    now = 1001;
    expect(t.blocked('a@x')).to.equal(false);
  });

  it('forgets failures after a successful login', () => {
    const t = new LoginThrottle(2, 1000, () => 0);
    t.reserve('a@x');
    t.succeeded('a@x');
    t.reserve('a@x');
    expect(t.blocked('a@x')).to.equal(false);
  });

  it('counts an attempt when it is reserved, so a burst reserved before any answer stops at the limit', () => {
    const t = new LoginThrottle(10, 1000, () => 0);
    const granted = Array.from({ length: 40 }, () => t.reserve('a@x')).filter(Boolean).length;
    expect(granted).to.equal(10);
  });
});
