// The verification token of a subscription as kept in Redis: a salted SHA-256, never the token. RingCentral never
// returns the token of a subscription, so this hash is how ingest knows which token its live subscription delivers with.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The hash kept for a subscription created without a verification token. */
export const NO_TOKEN = 'none';

const digest = (salt: Buffer, token: string) => createHash('sha256').update(salt).update(token, 'utf8').digest();

/** `sha256:<salt>:<digest>` (base64url), or `none` without a token. */
export function hashToken(token: string | undefined, salt: Buffer = randomBytes(16)): string {
  if (token === undefined) return NO_TOKEN;
  return `sha256:${salt.toString('base64url')}:${digest(salt, token).toString('base64url')}`;
}

/**
 * The token each hash was last matched by, so that every webhook after the first is checked without a SHA-256 (its
 * hashing was about a twelfth of ingest's CPU at 2,000 webhooks/s). Only a token that matched is kept, and one that
 * does not equal it is hashed as before: the time taken says no more than the answer does (a correct token is quick).
 * A handful of hashes are live at once (configured, subscription, previous, pending); past MATCHED_MAX it starts over.
 */
const matched = new Map<string, Buffer>();
const MATCHED_MAX = 16;

/** Whether `token` (undefined: none) is the one hashed; constant time in the token. A malformed hash matches nothing. */
export function tokenMatchesHash(token: string | undefined, hash: string): boolean {
  if (hash === NO_TOKEN) return token === undefined;
  if (token === undefined) return false;
  const known = matched.get(hash);
  if (known !== undefined) {
    const presented = Buffer.from(token, 'utf8');
    if (presented.length === known.length && timingSafeEqual(presented, known)) return true;
  }
  const [scheme, salt, expected] = hash.split(':');
  if (scheme !== 'sha256' || salt === undefined || expected === undefined) return false;
  const presented = digest(Buffer.from(salt, 'base64url'), token);
  const wanted = Buffer.from(expected, 'base64url');
  const matches = wanted.length === presented.length && timingSafeEqual(presented, wanted);
  if (matches) {
    if (matched.size >= MATCHED_MAX) matched.clear();
    matched.set(hash, Buffer.from(token, 'utf8'));
  }
  return matches;
}
