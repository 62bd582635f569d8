// Sign-in: the API key is typed once and kept in this tab's sessionStorage, or in localStorage when "remember" is
// ticked; it goes to the API as a Bearer header and in the WebSocket's connection_init, never in a URL. `me { role }`
// says whether admin functions show. Without API_KEYS (a keyless API on loopback) no key is needed.
import { signal } from '@preact/signals';
import { AuthError, gql } from '../api/http.js';
import type { Role } from '../types.js';

const STORAGE = 'callpulse.key';

export type AuthStatus = 'checking' | 'signed-out' | 'signed-in' | 'unreachable';

export const apiKey = signal(sessionStorage.getItem(STORAGE) ?? localStorage.getItem(STORAGE) ?? '');
export const role = signal<Role | undefined>(undefined);
export const authStatus = signal<AuthStatus>('checking');
export const authMessage = signal('');

/** Asks `me { role }` with the key; true when the API accepts it. */
export async function signIn(key: string, remember: boolean): Promise<boolean> {
  authStatus.value = 'checking';
  try {
    const data = await gql<{ me: { role: Role } }>(key, '{ me { role } }');
    role.value = data.me.role;
    apiKey.value = key;
    authMessage.value = '';
    sessionStorage.removeItem(STORAGE);
    localStorage.removeItem(STORAGE);
    if (key) (remember ? localStorage : sessionStorage).setItem(STORAGE, key);
    authStatus.value = 'signed-in';
    return true;
  } catch (err) {
    if (err instanceof AuthError) {
      authMessage.value = key
        ? 'That API key was refused. Check it and try again (keys are set in API_KEYS on the server).'
        : 'This dashboard needs an API key.';
      authStatus.value = 'signed-out';
    } else {
      authMessage.value = `The API could not be reached: ${(err as Error).message}. Retrying…`;
      authStatus.value = 'unreachable';
    }
    return false;
  }
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE);
  localStorage.removeItem(STORAGE);
  apiKey.value = '';
  role.value = undefined;
  authMessage.value = '';
  authStatus.value = 'signed-out';
}
