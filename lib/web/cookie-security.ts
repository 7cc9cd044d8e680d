// Whether the shop's own cookies carry `Secure`: exactly when its public origin (APP_URL) is
// https. Then a browser never sends the cart, the open order or the language over plain http (a
// network attacker's redirect to http://, a mixed-content request). Over plain http, as the demo on
// a LAN is reached, a Secure cookie would not be stored at all, so there they are not.

/** `{ secure }` for the options of every cookie the shop sets, from its public origin. */
export function cookieSecurityFor(appUrl: string): { secure: boolean } {
  return { secure: new URL(appUrl).protocol === 'https:' };
}
