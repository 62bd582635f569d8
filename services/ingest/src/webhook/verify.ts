// Who may post: the verification token RingCentral sends with every notification, compared in constant time.
// RingCentral's sources disagree on the header (`Verification-Token` in the spec, the FAQ and the older guide;
// `Validation-Token` in the current guide), so a notification may present it in either.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Compares digests, so neither the content nor the length of the token leaks through timing. */
export function tokensMatch(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

export type Headers = Record<string, string | string[] | undefined>;

export function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A verdict on one presented token (undefined: none was presented), e.g. the subscription manager's (ringcentral/). */
export type TokenCheck = (presented: string | undefined) => { ok: true } | { ok: false; error: string };

/**
 * The configured token(s): one, several during a rotation overlap, a check that knows them, or none (undefined or
 * an empty list: every request is taken as RingCentral's).
 */
export type AcceptedTokens = string | readonly string[] | TokenCheck | undefined;

/**
 * Why a notification is not RingCentral's (a missing or wrong token while one is configured); undefined when it is.
 * Every presented token is compared with every accepted one, without stopping at the first match.
 */
export function unverifiedReason(headers: Headers, accepted: AcceptedTokens): string | undefined {
  const presented = [header(headers, 'verification-token'), header(headers, 'validation-token')].filter((token) => token !== undefined);
  if (typeof accepted === 'function') {
    const verdicts = (presented.length === 0 ? [undefined] : presented).map((token) => accepted(token));
    for (const verdict of verdicts) if (verdict.ok) return undefined;
    const [first] = verdicts;
    return first && !first.ok ? first.error : undefined;
  }
  const expected = accepted === undefined ? [] : typeof accepted === 'string' ? [accepted] : accepted;
  if (expected.length === 0) return undefined;
  if (presented.length === 0) return 'missing Verification-Token or Validation-Token header';
  let matched = false;
  for (const token of presented) for (const candidate of expected) matched = tokensMatch(token, candidate) || matched;
  return matched ? undefined : 'Verification-Token / Validation-Token does not match';
}
