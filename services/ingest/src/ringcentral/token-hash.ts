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

/** Whether `token` (undefined: none) is the one hashed; constant time in the token. A malformed hash matches nothing. */
export function tokenMatchesHash(token: string | undefined, hash: string): boolean {
  if (hash === NO_TOKEN) return token === undefined;
  if (token === undefined) return false;
  const [scheme, salt, expected] = hash.split(':');
  if (scheme !== 'sha256' || salt === undefined || expected === undefined) return false;
  const presented = digest(Buffer.from(salt, 'base64url'), token);
  const wanted = Buffer.from(expected, 'base64url');
  return wanted.length === presented.length && timingSafeEqual(presented, wanted);
}
