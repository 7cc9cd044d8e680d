// The shop's cookies are Secure exactly when its public origin is https (lib/web/cookie-security.ts).
import { describe, expect, it } from 'vitest';
import { cookieSecurityFor } from '../../lib/web/cookie-security';

describe('cookieSecurityFor', () => {
  it.each([
    ['https://shop.example.ru', true],
    ['https://localhost:3000', true],
    ['http://localhost:3000', false],
    ['http://192.168.1.10:3000', false],
  ])('%s → secure %s', (appUrl, secure) => expect(cookieSecurityFor(appUrl)).toEqual({ secure }));
});
