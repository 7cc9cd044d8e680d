// A bearer token checked in constant time: the metrics endpoint's only protection, so its answer
// must not tell, by how long it takes, how much of a guess was right.
import { createHash, timingSafeEqual } from 'node:crypto';

export function bearerTokenMatches(authorization: string | null, token: string): boolean {
  const sent = /^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '';
  // Hashed first: timingSafeEqual needs equal lengths, and the lengths must not leak either.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(sent), digest(token));
}
