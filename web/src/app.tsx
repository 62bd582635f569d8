// The app: sign-in when the API wants a key, then the live view, the wallboard (#/wall), the alerts page (#/alerts)
// or a history view (#/calls, #/reports, #/admin: loaded lazily in their own chunk), chosen by the fragment; the
// alert banner over every one of them while alerts fire.
import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { AlertBanner } from './alerts/AlertBanner.js';
import { AlertsPage } from './alerts/AlertsPage.js';
import { startAlerts } from './alerts/alerts-state.js';
import { SignIn } from './components/SignIn.js';
import { apiKey, authMessage, authStatus, signIn } from './state/auth.js';
import { startClock } from './state/clock.js';
import { startFeed } from './state/feed.js';
import { LiveView } from './views/LiveView.js';
import { Wallboard } from './views/Wallboard.js';

function useHash(): string {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const update = () => setHash(window.location.hash);
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return hash;
}

const historyRoutes = ['#/calls', '#/reports', '#/admin'];
let History: FunctionComponent<{ hash: string }> | undefined;

/** The history views' chunk, imported on first use. */
function LazyHistory({ hash }: { hash: string }) {
  const [, setLoaded] = useState(0);
  useEffect(() => {
    if (!History)
      void import('./history/HistoryView.js').then((module) => {
        History = module.HistoryView;
        setLoaded(1);
      });
  }, []);
  return History ? <History hash={hash} /> : <p class="loading">Loading…</p>;
}

export function App() {
  const hash = useHash();
  useEffect(() => {
    startClock();
    // A stored key, or none (a keyless API lets everyone in); an unreachable API is tried again.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const attempt = async () => {
      const ok = await signIn(apiKey.value, localStorage.getItem('callpulse.key') !== null);
      if (!ok && authStatus.value === 'unreachable') timer = setTimeout(attempt, 3000);
      if (!ok && authStatus.value === 'signed-out' && !apiKey.value) authMessage.value = '';
    };
    void attempt();
    return () => clearTimeout(timer);
  }, []);
  const signedIn = authStatus.value === 'signed-in';
  useEffect(() => (signedIn ? startFeed() : undefined), [signedIn, apiKey.value]);
  useEffect(() => (signedIn ? startAlerts() : undefined), [signedIn, apiKey.value]);

  if (authStatus.value === 'checking' && !signedIn) return <p class="loading">Connecting…</p>;
  if (authStatus.value === 'unreachable') return <p class="loading error">{authMessage.value}</p>;
  if (!signedIn) return <SignIn />;
  const view = historyRoutes.some((route) => hash === route || hash.startsWith(`${route}?`)) ? (
    <LazyHistory hash={hash} />
  ) : hash === '#/alerts' || hash.startsWith('#/alerts?') ? (
    <AlertsPage hash={hash} />
  ) : hash.startsWith('#/wall') ? (
    <Wallboard hash={hash} />
  ) : (
    <LiveView hash={hash} />
  );
  return (
    <>
      <AlertBanner />
      {view}
    </>
  );
}
