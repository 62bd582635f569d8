// Entry point: mounts the app. Everything the page shows from RingCentral is rendered as text by Preact (never as HTML).
import { render } from 'preact';
import { App } from './app.js';
import { metrics } from './state/board.js';
import './styles.css';

// What the bench reads in the page (event-to-screen times); nothing secret.
(window as unknown as { __callpulse: unknown }).__callpulse = { metrics };

const root = document.getElementById('app');
if (root) render(<App />, root);
