// The console's session cookie, password check and login throttle.
import { describe, expect, it } from 'vitest';
import { createLoginThrottle, issueSession, passwordMatches, SESSION_TTL_MS, verifySession } from '../../lib/web/merchant-session';

const PASSWORD = 'correct horse battery';

describe('merchant session', () => {
  it('a fresh session verifies until it expires', () => {
    const now = Date.now();
    const value = issueSession(PASSWORD, now);
    expect(verifySession(value, PASSWORD, now)).toBe(true);
    expect(verifySession(value, PASSWORD, now + SESSION_TTL_MS - 1)).toBe(true);
    expect(verifySession(value, PASSWORD, now + SESSION_TTL_MS)).toBe(false);
  });

  it('a changed password, a changed expiry or a forged mac fails', () => {
    const now = Date.now();
    const value = issueSession(PASSWORD, now);
    expect(verifySession(value, 'another password', now)).toBe(false);
    const [expires, nonce, mac] = value.split('.');
    expect(verifySession(`${Number(expires) + SESSION_TTL_MS}.${nonce}.${mac}`, PASSWORD, now)).toBe(false);
    expect(verifySession(`${expires}.${nonce}.${'A'.repeat(43)}`, PASSWORD, now)).toBe(false);
    for (const junk of [undefined, '', 'x', `${expires}.${nonce}`, `${value}.extra`]) expect(verifySession(junk, PASSWORD, now)).toBe(false);
  });

  it('passwordMatches is exact', () => {
    expect(passwordMatches(PASSWORD, PASSWORD)).toBe(true);
    expect(passwordMatches(`${PASSWORD} `, PASSWORD)).toBe(false);
    expect(passwordMatches('', PASSWORD)).toBe(false);
  });

  it('the throttle doubles the wait per failure up to 8 s, forgets after 15 minutes and on success', () => {
    let now = 0;
    const throttle = createLoginThrottle(() => now);
    expect(throttle.delayFor('a')).toBe(0);
    const delays = [];
    for (let i = 0; i < 6; i++) {
      throttle.failed('a');
      delays.push(throttle.delayFor('a'));
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(throttle.delayFor('b')).toBe(0);
    now += 15 * 60_000 + 1;
    expect(throttle.delayFor('a')).toBe(0);
    throttle.failed('a');
    throttle.succeeded('a');
    expect(throttle.delayFor('a')).toBe(0);
  });
});
