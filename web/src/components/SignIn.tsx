// Sign-in: the API key, typed once; a refused key is said plainly.
import { useState } from 'preact/hooks';
import { authMessage, authStatus, signIn } from '../state/auth.js';

export function SignIn() {
  const [key, setKey] = useState('');
  const [remember, setRemember] = useState(false);
  return (
    <main class="signin">
      <form
        class="dialog"
        aria-label="Sign in"
        onSubmit={(event) => {
          event.preventDefault();
          void signIn(key.trim(), remember);
        }}
      >
        <h1>callpulse</h1>
        <p>Live call dashboard. Enter your API key to continue.</p>
        <label class="field">
          API key
          <input
            type="password"
            autocomplete="current-password"
            value={key}
            onInput={(event) => setKey((event.target as HTMLInputElement).value)}
            required
          />
        </label>
        <label class="check">
          <input type="checkbox" checked={remember} onChange={(event) => setRemember((event.target as HTMLInputElement).checked)} />{' '}
          Remember on this computer
        </label>
        {authMessage.value ? (
          <p class="error" role="alert">
            {authMessage.value}
          </p>
        ) : null}
        <button type="submit" class="primary" disabled={authStatus.value === 'checking'}>
          Sign in
        </button>
      </form>
    </main>
  );
}
