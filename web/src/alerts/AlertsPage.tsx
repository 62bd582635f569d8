// The alerts page (#/alerts, every key): the firing alerts (severity, rule, subject, value against threshold, since
// when and for how long, ticking) and the recent transitions from alertHistory, filtered by rule and status, under
// the same top bar and navigation as the other views. It follows the live signals (alerts-state) and queries the
// history again when a transition arrives.
import { useEffect, useState } from 'preact/hooks';
import { gql } from '../api/http.js';
import { Since } from '../components/Timer.js';
import { TopBar } from '../components/TopBar.js';
import { duration } from '../format.js';
import { apiKey, role } from '../state/auth.js';
import { timeZone } from '../state/settings.js';
import { AlertIcon } from './AlertBanner.js';
import { alertsAvailable, alertsLoaded, firing, received } from './alerts-state.js';
import { type AlertStatus, type AlertTransition, conditionInfo, formatValue, severityLabels, transitionFields } from './model.js';

const stamps = new Map<string, Intl.DateTimeFormat>();

/** "30 Nov 14:05:09" in the zone. */
function stamp(ms: number, zone: string): string {
  let format = stamps.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, {
      timeZone: zone,
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    stamps.set(zone, format);
  }
  return format.format(ms);
}

function Severity({ severity }: { severity: AlertTransition['severity'] }) {
  return <span class={`alert-chip severity-${severity.toLowerCase()}`}>{severityLabels[severity]}</span>;
}

function subjectOf(alert: AlertTransition): string {
  if (alert.subject === 'pipeline') return 'Pipeline';
  if (alert.subject === 'all') return 'All';
  if (alert.subject === 'extensions') return 'Selected agents';
  return alert.subjectName ?? alert.subject;
}

const severityOrder: Record<AlertTransition['severity'], number> = { CRITICAL: 0, WARNING: 1, INFO: 2 };

function ActiveTable() {
  // The most severe first, then the newest (the banner shows the newest whatever its level).
  const list = [...firing.value].sort((a, b) => severityOrder[a.severity] - severityOrder[b.severity]);
  const zone = timeZone.value;
  if (!alertsLoaded.value) return <p class="muted">Loading the alerts…</p>;
  if (list.length === 0) return <p class="alerts-none">No alert is firing.</p>;
  return (
    <table class="alerts-table active-alerts">
      <thead>
        <tr>
          <th>Severity</th>
          <th>Alert</th>
          <th>Subject</th>
          <th class="num">Value</th>
          <th class="num">Threshold</th>
          <th>Since</th>
          <th class="num">Firing for</th>
        </tr>
      </thead>
      <tbody>
        {list.map((alert) => (
          <tr key={alert.id} data-rule-id={alert.ruleId} data-subject={alert.subject} class={`severity-${alert.severity.toLowerCase()}`}>
            <td>
              <Severity severity={alert.severity} />
            </td>
            <td>
              <strong>{alert.ruleName}</strong>
              <div class="alert-summary">{alert.summary}</div>
            </td>
            <td>{subjectOf(alert)}</td>
            <td class="num alert-value">{formatValue(alert.conditionKind, alert.value)}</td>
            <td class="num">
              {formatValue(alert.conditionKind, alert.threshold)}
              <div class="muted small">{conditionInfo[alert.conditionKind]?.label}</div>
            </td>
            <td>{stamp(Date.parse(alert.at), zone)}</td>
            <td class="num alert-duration">
              <Since at={Date.parse(alert.at)} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function History() {
  const [ruleId, setRuleId] = useState('');
  const [status, setStatus] = useState<'' | AlertStatus>('');
  const [rows, setRows] = useState<AlertTransition[] | undefined>(undefined);
  const [rules, setRules] = useState<Map<string, string>>(new Map());
  const [message, setMessage] = useState('');
  const latest = received.value[0]?.id;
  useEffect(() => {
    let live = true;
    gql<{ alertHistory: AlertTransition[] }>(
      apiKey.value,
      `query($rule: ID) { alertHistory(first: 200, ruleId: $rule) { ${transitionFields} } }`,
      { rule: ruleId || null },
    ).then(
      (data) => {
        if (!live) return;
        setRows(data.alertHistory);
        setMessage('');
        // The rule filter offers every rule seen (this list and the ones before).
        const names = new Map(rules);
        for (const row of data.alertHistory) names.set(row.ruleId, row.ruleName);
        if (names.size !== rules.size) setRules(names);
      },
      (err: Error) => live && setMessage(err.message),
    );
    return () => {
      live = false;
    };
  }, [ruleId, latest]);
  const zone = timeZone.value;
  // Newest first by when each changed (the API lists them in commit order; a firing is dated when its condition began).
  const shown = (rows ?? [])
    .filter((row) => !status || row.status === status)
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || b.seq - a.seq);
  return (
    <section class="alerts-card">
      <div class="alerts-card-head">
        <h2>Recent history</h2>
        <label>
          Rule{' '}
          <select name="history-rule" value={ruleId} onChange={(e) => setRuleId((e.target as HTMLSelectElement).value)}>
            <option value="">All rules</option>
            {[...rules].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status{' '}
          <select
            name="history-status"
            value={status}
            onChange={(e) => setStatus((e.target as HTMLSelectElement).value as '' | AlertStatus)}
          >
            <option value="">Fired and resolved</option>
            <option value="FIRING">Fired</option>
            <option value="RESOLVED">Resolved</option>
          </select>
        </label>
        <span class="muted" data-rows={shown.length}>
          {rows ? `${shown.length} transitions` : ''}
        </span>
      </div>
      {message ? <p class="error">{message}</p> : null}
      {rows && shown.length === 0 ? <p class="alerts-none">No transition yet.</p> : null}
      {shown.length > 0 ? (
        <table class="alerts-table alert-history">
          <thead>
            <tr>
              <th>When</th>
              <th>Status</th>
              <th>Severity</th>
              <th>Alert</th>
              <th>Subject</th>
              <th class="num">Value</th>
              <th class="num">Threshold</th>
              <th class="num">Fired for</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.id} data-transition={row.id} data-status={row.status}>
                <td>{stamp(Date.parse(row.at), zone)}</td>
                <td>
                  <span class={`alert-status status-${row.status.toLowerCase()}`}>{row.status === 'FIRING' ? 'Fired' : 'Resolved'}</span>
                </td>
                <td>
                  <Severity severity={row.severity} />
                </td>
                <td>
                  <strong>{row.ruleName}</strong>
                  <div class="alert-summary">{row.summary}</div>
                </td>
                <td>{subjectOf(row)}</td>
                <td class="num">{formatValue(row.conditionKind, row.value)}</td>
                <td class="num">{formatValue(row.conditionKind, row.threshold)}</td>
                <td class="num">
                  {row.status === 'RESOLVED' && row.firedAt
                    ? duration(Math.round((Date.parse(row.at) - Date.parse(row.firedAt)) / 1000) * 1000)
                    : '–'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

export function AlertsPage({ hash }: { hash: string }) {
  return (
    <div class="app alerts-view">
      <TopBar hash={hash} title="Alerts" />
      <main class="alerts-page">
        {alertsAvailable.value ? null : <p class="error">This API has no alerts (activeAlerts is not in its schema).</p>}
        <section class="alerts-card">
          <div class="alerts-card-head">
            <h2>
              <AlertIcon /> Firing now
            </h2>
            <span class="muted" data-active={firing.value.length}>
              {firing.value.length} firing
            </span>
            {role.value === 'admin' ? (
              <a class="alerts-admin-link" href="#/admin">
                Manage rules and targets
              </a>
            ) : null}
          </div>
          <ActiveTable />
        </section>
        <History />
      </main>
    </div>
  );
}
