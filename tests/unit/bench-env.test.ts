// The bench's servers start with every variable the shop reads set by the bench (blank unless it
// sets one): a developer's .env.local can never point the bench at a real bank, or send its
// orders' e-mails and alerts through their SMTP server and webhook.
import { describe, expect, it } from 'vitest';
import { APP_ENV_VARIABLES, SERVER_SETTINGS } from '../../scripts/bench/config.mjs';
import { rawSchema } from '../../lib/env-schema';

describe('the bench servers’ environment', () => {
  it('covers every variable of the shop’s configuration', () => {
    expect([...APP_ENV_VARIABLES].sort()).toEqual(Object.keys(rawSchema.shape).sort());
    for (const name of ['GATEWAY_URL', 'SMTP_URL', 'ALERT_WEBHOOK_URL', 'DATABASE_URL', 'CALLBACK_CERT'])
      expect(APP_ENV_VARIABLES).toContain(name);
  });

  it('writes the log at the production level, whatever the developer’s LOG_LEVEL', () => {
    expect(SERVER_SETTINGS.LOG_LEVEL).toBe('info');
  });
});
