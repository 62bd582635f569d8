// The header every page shares: the name and the page's title, the navigation, what the page adds (children: the live
// view's health, zone, clock, wallboard and settings), then the viewer badge and sign-out.
import type { ComponentChildren } from 'preact';
import { apiKey, role, signOut } from '../state/auth.js';
import { Nav } from './Nav.js';

export function TopBar({
  hash,
  title,
  before,
  children,
}: {
  hash: string;
  title?: string;
  before?: ComponentChildren;
  children?: ComponentChildren;
}) {
  return (
    <header class="topbar">
      <h1>
        callpulse{title ? ' ' : null}
        {title ? <span class="sub">{title}</span> : null}
      </h1>
      <Nav hash={hash} />
      {before}
      <span class="spacer" />
      {children}
      {role.value === 'viewer' ? <span class="role">viewer</span> : null}
      {apiKey.value ? (
        <button type="button" class="link" onClick={signOut}>
          Sign out
        </button>
      ) : null}
    </header>
  );
}
