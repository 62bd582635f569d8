// Entry point: mounts the app. Everything the page shows from RingCentral is rendered as text by Preact (never as HTML).
import { render } from 'preact';
import { App } from './app.js';
import './styles.css';

const root = document.getElementById('app');
if (root) render(<App />, root);
