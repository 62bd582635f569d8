// The alert banner across the top of every page (live view, wallboard, history views, alerts page) while alerts
// fire: how many by severity, the newest one's summary and how long it has fired, coloured by the most severe level
// (red critical, amber warning, blue info), a link to the alerts page. role="alert" so screen readers announce it;
// on the wallboard it grows with the screen (alerts.css). Nothing shows while no alert fires.
import { useEffect } from 'preact/hooks';
import { Since } from '../components/Timer.js';
import { alertCounts, firing } from './alerts-state.js';
import { severities, severityLabels } from './model.js';
import './alerts.css';

export function AlertIcon() {
  return (
    <svg class="alert-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M12 2 1 21h22L12 2zm1 15h-2v2h2v-2zm0-8h-2v6h2V9z" />
    </svg>
  );
}

export function AlertBanner() {
  const counts = alertCounts.value;
  const newest = firing.value[0];
  const shown = counts.total > 0 && newest !== undefined;
  useEffect(() => {
    document.documentElement.classList.toggle('alerts-firing', shown);
  }, [shown]);
  useEffect(() => () => document.documentElement.classList.remove('alerts-firing'), []);
  if (!shown || !newest || !counts.worst) return null;
  return (
    <div class={`alert-banner severity-${counts.worst.toLowerCase()}`} role="alert" data-count={counts.total}>
      <AlertIcon />
      <span class="alert-banner-counts">
        <strong>
          {counts.total} {counts.total === 1 ? 'alert' : 'alerts'}
        </strong>
        {severities
          .filter((severity) => counts.bySeverity[severity] > 0)
          .map((severity) => (
            <span key={severity} class={`alert-chip severity-${severity.toLowerCase()}`} data-severity={severity}>
              {counts.bySeverity[severity]} {severityLabels[severity].toLowerCase()}
            </span>
          ))}
      </span>
      <span class="alert-banner-summary" title={newest.summary}>
        {newest.summary}
      </span>
      <span class="alert-banner-since">
        for <Since at={Date.parse(newest.at)} />
      </span>
      <a class="alert-banner-link" href="#/alerts">
        View alerts
      </a>
    </div>
  );
}
