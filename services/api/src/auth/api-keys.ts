// API keys with roles, from API_KEYS (`admin:KEY1,viewer:KEY2`), and the constant-time check of a bearer token.
import { createHash, timingSafeEqual } from 'node:crypto';

export const roles = ['viewer', 'admin'] as const;
export type KeyRole = (typeof roles)[number];
/** `local`: no keys are configured, the API answers on loopback only and read-only. */
export type Role = KeyRole | 'local';

export interface ApiKey {
  role: KeyRole;
  /** sha256 of the key: equal length for timingSafeEqual, and the key itself is not kept around. */
  digest: Buffer;
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Parses `role:key,role:key`; throws naming the entry that is wrong. An empty string gives no keys. */
export function parseApiKeys(raw: string): ApiKey[] {
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return entries.map((entry, index) => {
    const colon = entry.indexOf(':');
    const role = colon === -1 ? '' : entry.slice(0, colon).trim();
    const key = colon === -1 ? '' : entry.slice(colon + 1).trim();
    if (!(roles as readonly string[]).includes(role)) {
      throw new Error(`entry ${index + 1} must be role:key with role ${roles.join(' or ')} (e.g. admin:s3cret)`);
    }
    if (key === '') throw new Error(`entry ${index + 1} (${role}) has an empty key`);
    return { role: role as KeyRole, digest: digest(key) };
  });
}

/** The key in `Authorization: Bearer KEY`, compared in constant time; undefined when none matches. */
function keyOfAuthorization(keys: readonly ApiKey[], authorization: string | undefined): ApiKey | undefined {
  if (typeof authorization !== 'string') return undefined;
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match?.[1]) return undefined;
  const given = digest(match[1]);
  let found: ApiKey | undefined;
  // Every key is compared, so the time taken does not tell which one matched.
  for (const key of keys) if (timingSafeEqual(key.digest, given) && found === undefined) found = key;
  return found;
}

/** The role of the key in `Authorization: Bearer KEY`; undefined when none matches. */
export function roleOfAuthorization(keys: readonly ApiKey[], authorization: string | undefined): KeyRole | undefined {
  return keyOfAuthorization(keys, authorization)?.role;
}

export const canMutate = (role: Role): boolean => role === 'admin';

/** The caller's role: `local` when no keys are configured, else the key's role; undefined means 401. */
export function resolveRole(keys: readonly ApiKey[], authorization: string | undefined): Role | undefined {
  return resolveCaller(keys, authorization)?.role;
}

/** Who calls: the role, and an id of the key for per-key limits (a prefix of its digest; `local` without keys). */
export interface Caller {
  role: Role;
  id: string;
}

export function resolveCaller(keys: readonly ApiKey[], authorization: string | undefined): Caller | undefined {
  if (keys.length === 0) return { role: 'local', id: 'local' };
  const key = keyOfAuthorization(keys, authorization);
  return key && { role: key.role, id: `key-${key.digest.toString('hex').slice(0, 12)}` };
}
