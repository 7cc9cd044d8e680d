// Parameter reading and the error every REST method throws, shared by the sandbox's methods
// (rest.ts): the bank's codes for a missing (4) or invalid (5) parameter (docs/gateway-api.md §2.3).
import { createHash, timingSafeEqual } from 'node:crypto';
import { invalidParam, missingParam } from './messages';

export type Text = { ru: string; en: string };

export class RestError extends Error {
  constructor(
    readonly errorCode: number,
    readonly text: Text,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(text.en);
  }
}

export function param(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name)?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function required(params: URLSearchParams, name: string): string {
  const value = param(params, name);
  if (value === undefined) throw new RestError(4, missingParam(name));
  return value;
}

export function kopecks(value: string, name: string): number {
  if (!/^\d{1,12}$/.test(value)) throw new RestError(5, invalidParam(name));
  return Number(value);
}

export function jsonObject(params: URLSearchParams, name: string): Record<string, unknown> | undefined {
  const value = param(params, name);
  if (value === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new RestError(5, invalidParam(name));
}

/** expirationDate `yyyy-MM-ddTHH:mm:ss` overrides sessionTimeoutSecs; read as Moscow time (UTC+3). */
export function moscowTime(value: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(value)) throw new RestError(5, invalidParam('expirationDate'));
  const ms = Date.parse(`${value}+03:00`);
  if (Number.isNaN(ms)) throw new RestError(5, invalidParam('expirationDate'));
  return ms;
}

export function isAbsoluteUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Constant-time comparison of secrets of any length (hash first, then timingSafeEqual). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
