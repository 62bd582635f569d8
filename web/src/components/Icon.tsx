// Small inline SVG icons for the agent states (shape as well as colour tells the state).
import type { AgentStateName } from '../types.js';

const paths: Record<AgentStateName, string> = {
  idle: 'M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z',
  ringing: 'M12 22a2 2 0 0 0 2-2h-4a2 2 0 0 0 2 2zm6-6V11c0-3.1-1.6-5.6-4.5-6.3V4a1.5 1.5 0 0 0-3 0v.7C7.6 5.4 6 7.9 6 11v5l-2 2v1h16v-1z',
  talking:
    'M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z',
  onHold: 'M6 5h4v14H6zm8 0h4v14h-4z',
  voicemail:
    'M18.5 6A5.5 5.5 0 0 0 14.3 15H9.7A5.5 5.5 0 1 0 5.5 17h13a5.5 5.5 0 0 0 0-11zm-13 9a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7zm13 0a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7z',
};

export function StateIcon({ state }: { state: AgentStateName }) {
  return (
    <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={paths[state]} />
    </svg>
  );
}
