// The alert rules and targets on the admin page (admin key only): the rules with an enable switch, a form with every
// field of AlertRuleInput (the condition kind shows only the fields it needs: the threshold in its unit, a window for
// windowed kinds; the scope: all, a queue, or extensions), edit and delete; the targets with their delivery status
// (FAILING in red with the last error and the last success), "Send test", a form, edit and delete. Every validation
// error of the API is shown next to the field it names (and in full above the buttons).
import { useEffect, useState } from 'preact/hooks';
import { gql } from '../api/http.js';
import { zonedDateTime } from '../format.js';
import { apiKey } from '../state/auth.js';
import { agents, queues } from '../state/board.js';
import { timeZone } from '../state/settings.js';
import {
  type AlertConditionKind,
  type AlertScopeKind,
  type AlertSeverity,
  conditionInfo,
  conditionKinds,
  emptyRuleForm,
  errorFor,
  fieldErrors,
  formatValue,
  formOfRule,
  numberErrors,
  type RuleForm,
  ruleInput,
  severities,
  severityLabels,
  unitLabels,
} from './model.js';
import './alerts.css';

interface Delivery {
  failing: boolean;
  failures: number;
  lastError: string | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  pending: number;
}

interface Target {
  id: string;
  name: string;
  kind: 'WEBHOOK' | 'SLACK';
  url: string;
  hasSecret: boolean;
  enabled: boolean;
  delivery: Delivery | null;
}

interface Rule {
  id: string;
  name: string;
  enabled: boolean;
  severity: AlertSeverity;
  scope: { kind: AlertScopeKind; queueId: string | null; extensionIds: string[] };
  condition: { kind: AlertConditionKind; threshold: number; windowMinutes: number | null };
  forSeconds: number;
  targets: Array<{ id: string; name: string }>;
}

const ruleFields =
  'id name enabled severity scope { kind queueId extensionIds } condition { kind threshold windowMinutes } forSeconds targets { id name }';
const targetFields = 'id name kind url hasSecret enabled delivery { failing failures lastError lastAttemptAt lastSuccessAt pending }';

function ask<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  return gql<T>(apiKey.value, query, variables);
}

/** The message of a field, shown next to it. */
function FieldError({ errors, field }: { errors: Record<string, string>; field: string }) {
  const text = errorFor(errors, field);
  return text ? (
    <span class="field-error" data-field={field}>
      {text}
    </span>
  ) : null;
}

function FormErrors({ errors }: { errors: Record<string, string> }) {
  const all = Object.values(errors);
  return all.length ? (
    <div class="form-errors" aria-live="polite">
      {all.map((text) => (
        <p key={text}>{text}</p>
      ))}
    </div>
  ) : null;
}

function queueName(queueId: string | null): string {
  if (!queueId) return '?';
  return queues.value.find((queue) => queue.queueId === queueId)?.queueName ?? queueId;
}

function scopeText(rule: Rule): string {
  if (rule.scope.kind === 'QUEUE') return `Queue ${queueName(rule.scope.queueId)}`;
  if (rule.scope.kind === 'EXTENSIONS') {
    const count = rule.scope.extensionIds.length;
    return `${count} ${count === 1 ? 'extension' : 'extensions'}`;
  }
  return 'All';
}

function conditionText(rule: Rule): string {
  const info = conditionInfo[rule.condition.kind];
  const op = rule.condition.kind === 'SERVICE_LEVEL' ? '<' : '>';
  const window = info?.windowed && rule.condition.windowMinutes ? ` in ${rule.condition.windowMinutes} min` : '';
  const hold = rule.forSeconds > 0 ? `, for ${rule.forSeconds} s` : '';
  return `${info?.label ?? rule.condition.kind} ${op} ${formatValue(rule.condition.kind, rule.condition.threshold)}${window}${hold}`;
}

/** Extension numbers the board knows, turned into ids (anything else is taken as an id). */
function extensionId(idOrNumber: string): string {
  for (const agent of agents.values()) if (agent.extensionNumber === idOrNumber) return agent.extensionId;
  return idOrNumber;
}

function RuleEditor({
  initial,
  ruleId,
  targets,
  onDone,
}: {
  initial: RuleForm;
  ruleId: string | undefined;
  targets: Target[];
  onDone: (saved: boolean) => void;
}) {
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof RuleForm>(key: K, value: RuleForm[K]) => setForm({ ...form, [key]: value });
  const info = conditionInfo[form.conditionKind];
  const save = async (event: Event) => {
    event.preventDefault();
    const local = numberErrors(form);
    if (Object.keys(local).length) {
      setErrors(local);
      return;
    }
    setBusy(true);
    try {
      const rule = ruleInput(form, extensionId);
      if (ruleId)
        await ask(`mutation($id: ID!, $rule: AlertRuleInput!) { updateAlertRule(id: $id, rule: $rule) { id } }`, { id: ruleId, rule });
      else await ask(`mutation($rule: AlertRuleInput!) { createAlertRule(rule: $rule) { id } }`, { rule });
      setErrors({});
      onDone(true);
    } catch (err) {
      setErrors(fieldErrors((err as Error).message));
    } finally {
      setBusy(false);
    }
  };
  const resolved = form.scopeKind === 'EXTENSIONS' ? (ruleInput(form, extensionId).scope.extensionIds ?? []) : [];
  return (
    <form class="alert-form rule-form" onSubmit={(e) => void save(e)} aria-label={ruleId ? 'Edit rule' : 'New rule'}>
      <h3>{ruleId ? `Edit rule “${initial.name}”` : 'New rule'}</h3>
      <div class="form-grid">
        <label>
          Name
          <input name="name" value={form.name} maxLength={200} onInput={(e) => set('name', (e.target as HTMLInputElement).value)} />
          <FieldError errors={errors} field="name" />
        </label>
        <label>
          Severity
          <select
            name="severity"
            value={form.severity}
            onChange={(e) => set('severity', (e.target as HTMLSelectElement).value as AlertSeverity)}
          >
            {severities.map((severity) => (
              <option key={severity} value={severity}>
                {severityLabels[severity]}
              </option>
            ))}
          </select>
          <FieldError errors={errors} field="severity" />
        </label>
        <label>
          Condition
          <select
            name="conditionKind"
            value={form.conditionKind}
            onChange={(e) => {
              const kind = (e.target as HTMLSelectElement).value as AlertConditionKind;
              // The pipeline's conditions watch everything: their scope is ALL.
              setForm({ ...form, conditionKind: kind, scopeKind: conditionInfo[kind].pipeline ? 'ALL' : form.scopeKind });
            }}
          >
            {conditionKinds.map((kind) => (
              <option key={kind} value={kind}>
                {conditionInfo[kind].label}
              </option>
            ))}
          </select>
          <span class="muted small">{info.hint}</span>
          <FieldError errors={errors} field="condition.kind" />
        </label>
        <label>
          Threshold ({unitLabels[info.unit]})
          <span class="with-unit">
            <input
              name="threshold"
              inputMode="decimal"
              value={form.threshold}
              data-unit={info.unit}
              onInput={(e) => set('threshold', (e.target as HTMLInputElement).value)}
            />
            <span class="unit">{info.unit === 'count' ? 'calls' : info.unit === 'seconds' ? 's' : '%'}</span>
          </span>
          <FieldError errors={errors} field="condition.threshold" />
        </label>
        {info.windowed ? (
          <label>
            Window (minutes)
            <input
              name="windowMinutes"
              inputMode="numeric"
              value={form.windowMinutes}
              onInput={(e) => set('windowMinutes', (e.target as HTMLInputElement).value)}
            />
            <FieldError errors={errors} field="condition.windowMinutes" />
          </label>
        ) : null}
        <label>
          Holds for (seconds) before firing
          <input
            name="forSeconds"
            inputMode="numeric"
            value={form.forSeconds}
            onInput={(e) => set('forSeconds', (e.target as HTMLInputElement).value)}
          />
          <FieldError errors={errors} field="forSeconds" />
        </label>
        <fieldset class="scope-picker">
          <legend>Scope</legend>
          {(['ALL', 'QUEUE', 'EXTENSIONS'] as const).map((kind) => (
            <label key={kind} class="inline">
              <input
                type="radio"
                name="scopeKind"
                value={kind}
                checked={form.scopeKind === kind}
                disabled={info.pipeline && kind !== 'ALL'}
                onChange={() => set('scopeKind', kind)}
              />{' '}
              {kind === 'ALL' ? 'All' : kind === 'QUEUE' ? 'A queue' : 'Extensions'}
            </label>
          ))}
          {info.pipeline ? <span class="muted small">The pipeline's conditions watch everything.</span> : null}
          {form.scopeKind === 'QUEUE' ? (
            <label>
              Queue (id; the board's queues are suggested)
              <input
                name="queueId"
                list="alert-queues"
                value={form.queueId}
                onInput={(e) => set('queueId', (e.target as HTMLInputElement).value)}
              />
              <datalist id="alert-queues">
                {queues.value.map((queue) => (
                  <option key={queue.queueId} value={queue.queueId}>
                    {queue.queueName ?? queue.queueId}
                  </option>
                ))}
              </datalist>
              {form.queueId && queueName(form.queueId) !== form.queueId ? <span class="muted small">{queueName(form.queueId)}</span> : null}
            </label>
          ) : null}
          {form.scopeKind === 'EXTENSIONS' ? (
            <label>
              Extensions (ids or numbers, separated by commas or spaces)
              <textarea
                name="extensions"
                rows={2}
                value={form.extensions}
                onInput={(e) => set('extensions', (e.target as HTMLTextAreaElement).value)}
              />
              <span class="muted small">
                {resolved.length} {resolved.length === 1 ? 'extension' : 'extensions'}
                {resolved.length
                  ? `: ${resolved
                      .slice(0, 5)
                      .map((id) => agents.get(id)?.name ?? id)
                      .join(', ')}${resolved.length > 5 ? '…' : ''}`
                  : ''}
              </span>
            </label>
          ) : null}
          <FieldError errors={errors} field="scope" />
        </fieldset>
        <fieldset class="target-picker">
          <legend>Notify</legend>
          {targets.length === 0 ? <span class="muted small">No target yet: the alert shows in the dashboard only.</span> : null}
          {targets.map((target) => (
            <label key={target.id} class="inline">
              <input
                type="checkbox"
                name="targetIds"
                value={target.id}
                checked={form.targetIds.includes(target.id)}
                onChange={(e) =>
                  set(
                    'targetIds',
                    (e.target as HTMLInputElement).checked
                      ? [...form.targetIds, target.id]
                      : form.targetIds.filter((id) => id !== target.id),
                  )
                }
              />{' '}
              {target.name}
            </label>
          ))}
          <FieldError errors={errors} field="targetIds" />
        </fieldset>
        <label class="inline">
          <input
            type="checkbox"
            name="enabled"
            checked={form.enabled}
            onChange={(e) => set('enabled', (e.target as HTMLInputElement).checked)}
          />{' '}
          Enabled
        </label>
      </div>
      <FormErrors errors={errors} />
      <div class="form-buttons">
        <button type="submit" class="primary" disabled={busy}>
          {ruleId ? 'Save rule' : 'Create rule'}
        </button>
        <button type="button" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

interface TargetForm {
  name: string;
  kind: 'WEBHOOK' | 'SLACK';
  url: string;
  secret: string;
  enabled: boolean;
}

function TargetEditor({ target, onDone }: { target: Target | undefined; onDone: (saved: boolean) => void }) {
  const [form, setForm] = useState<TargetForm>(
    target
      ? { name: target.name, kind: target.kind, url: target.url, secret: '', enabled: target.enabled }
      : { name: '', kind: 'WEBHOOK', url: '', secret: '', enabled: true },
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof TargetForm>(key: K, value: TargetForm[K]) => setForm({ ...form, [key]: value });
  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    // The secret is write-only: left empty when editing, the stored one is kept.
    const input = {
      name: form.name.trim(),
      kind: form.kind,
      url: form.url.trim(),
      enabled: form.enabled,
      ...(form.secret ? { secret: form.secret } : {}),
    };
    try {
      if (target)
        await ask('mutation($id: ID!, $t: AlertTargetInput!) { updateAlertTarget(id: $id, target: $t) { id } }', {
          id: target.id,
          t: input,
        });
      else await ask('mutation($t: AlertTargetInput!) { createAlertTarget(target: $t) { id } }', { t: input });
      setErrors({});
      onDone(true);
    } catch (err) {
      setErrors(fieldErrors((err as Error).message));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="alert-form target-form" onSubmit={(e) => void save(e)} aria-label={target ? 'Edit target' : 'New target'}>
      <h3>{target ? `Edit target “${target.name}”` : 'New target'}</h3>
      <div class="form-grid">
        <label>
          Name
          <input name="targetName" value={form.name} onInput={(e) => set('name', (e.target as HTMLInputElement).value)} />
          <FieldError errors={errors} field="name" />
        </label>
        <label>
          Format
          <select
            name="targetKind"
            value={form.kind}
            onChange={(e) => set('kind', (e.target as HTMLSelectElement).value as TargetForm['kind'])}
          >
            <option value="WEBHOOK">Webhook (callpulse JSON)</option>
            <option value="SLACK">Slack incoming webhook</option>
          </select>
          <FieldError errors={errors} field="kind" />
        </label>
        <label class="wide">
          URL
          <input
            name="url"
            type="url"
            value={form.url}
            placeholder="https://…"
            onInput={(e) => set('url', (e.target as HTMLInputElement).value)}
          />
          <FieldError errors={errors} field="url" />
        </label>
        <label>
          Signing secret {target?.hasSecret ? '(set; leave empty to keep it)' : '(optional)'}
          <input
            name="secret"
            type="password"
            autoComplete="new-password"
            value={form.secret}
            onInput={(e) => set('secret', (e.target as HTMLInputElement).value)}
          />
          <FieldError errors={errors} field="secret" />
        </label>
        <label class="inline">
          <input
            type="checkbox"
            name="targetEnabled"
            checked={form.enabled}
            onChange={(e) => set('enabled', (e.target as HTMLInputElement).checked)}
          />{' '}
          Enabled
        </label>
      </div>
      <FormErrors errors={errors} />
      <div class="form-buttons">
        <button type="submit" class="primary" disabled={busy}>
          {target ? 'Save target' : 'Create target'}
        </button>
        <button type="button" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** A delivery's time in the chosen zone, as the page's other times (2026-12-01 15:26 CET). */
function when(iso: string | null): string {
  return iso ? zonedDateTime(iso, timeZone.value) : 'never';
}

function DeliveryStatus({ target }: { target: Target }) {
  const delivery = target.delivery;
  if (!delivery) return <span class="muted">–</span>;
  return (
    <span class={`delivery ${delivery.failing ? 'delivery-failing' : 'delivery-ok'}`} data-failing={delivery.failing}>
      <strong>{delivery.failing ? 'FAILING' : delivery.failures > 0 ? `Retrying (${delivery.failures})` : 'OK'}</strong>
      {delivery.lastError ? <span class="delivery-error"> {delivery.lastError}</span> : null}
      <span class="muted small delivery-times">
        Last success: {when(delivery.lastSuccessAt)}
        {delivery.pending > 0 ? `; ${delivery.pending} waiting` : ''}
      </span>
    </span>
  );
}

/** Delete, armed by a first click and done by a second ("Confirm delete"). */
function DeleteButton({ armed, onArm, onConfirm }: { armed: boolean; onArm: () => void; onConfirm: () => void }) {
  return armed ? (
    <button type="button" class="danger" onClick={onConfirm}>
      Confirm delete
    </button>
  ) : (
    <button type="button" onClick={onArm}>
      Delete
    </button>
  );
}

export function AlertRulesAdmin() {
  const [rules, setRules] = useState<Rule[]>([]);
  const [targets, setTargets] = useState<Target[]>([]);
  const [editing, setEditing] = useState<{ rule?: Rule; form: RuleForm } | undefined>(undefined);
  const [editingTarget, setEditingTarget] = useState<{ target?: Target } | undefined>(undefined);
  const [confirm, setConfirm] = useState('');
  const [messages, setMessages] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [epoch, setEpoch] = useState(0);
  const say = (id: string, text: string) => setMessages((all) => ({ ...all, [id]: text }));
  useEffect(() => {
    let live = true;
    const load = () =>
      ask<{ alertRules: Rule[]; alertTargets: Target[] }>(`{ alertRules { ${ruleFields} } alertTargets { ${targetFields} } }`).then(
        (data) => {
          if (!live) return;
          setRules(data.alertRules);
          setTargets(data.alertTargets);
          setError('');
        },
        (err: Error) => live && setError(err.message),
      );
    void load();
    // The delivery status changes on its own: read again every 5 s.
    const timer = setInterval(() => void load(), 5000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [epoch]);
  const reload = () => setEpoch(epoch + 1);
  const run = async (id: string, mutation: string, variables: Record<string, unknown>) => {
    try {
      await ask(mutation, variables);
      say(id, '');
      reload();
    } catch (err) {
      say(id, (err as Error).message);
    }
  };
  const test = async (target: Target) => {
    say(target.id, 'Sending…');
    try {
      const data = await ask<{ testAlertTarget: boolean }>('mutation($id: ID!) { testAlertTarget(id: $id) }', { id: target.id });
      say(target.id, data.testAlertTarget ? 'Test delivered (2xx).' : 'Test refused by the receiver.');
    } catch (err) {
      say(target.id, (err as Error).message);
    }
    reload();
  };
  return (
    <section class="report-card alert-admin" data-admin-alerts>
      <h2>Alert rules</h2>
      {error ? <p class="error">{error}</p> : null}
      <table class="alerts-table rules-table">
        <thead>
          <tr>
            <th>On</th>
            <th>Rule</th>
            <th>Severity</th>
            <th>Condition</th>
            <th>Scope</th>
            <th>Notifies</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rules.map((rule) => (
            <tr key={rule.id} data-rule-id={rule.id} class={rule.enabled ? undefined : 'disabled'}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Enable ${rule.name}`}
                  checked={rule.enabled}
                  onChange={(e) =>
                    void run(rule.id, 'mutation($id: ID!, $on: Boolean!) { setAlertRuleEnabled(id: $id, enabled: $on) { id } }', {
                      id: rule.id,
                      on: (e.target as HTMLInputElement).checked,
                    })
                  }
                />
              </td>
              <td>
                <strong>{rule.name}</strong>
                {messages[rule.id] ? <div class="error small">{messages[rule.id]}</div> : null}
              </td>
              <td>
                <span class={`alert-chip severity-${rule.severity.toLowerCase()}`}>{severityLabels[rule.severity]}</span>
              </td>
              <td>{conditionText(rule)}</td>
              <td>{scopeText(rule)}</td>
              <td>{rule.targets.map((target) => target.name).join(', ') || <span class="muted">dashboard only</span>}</td>
              <td class="row-buttons">
                <button type="button" onClick={() => setEditing({ rule, form: formOfRule(rule) })}>
                  Edit
                </button>
                <DeleteButton
                  armed={confirm === rule.id}
                  onArm={() => setConfirm(rule.id)}
                  onConfirm={() => {
                    setConfirm('');
                    void run(rule.id, 'mutation($id: ID!) { deleteAlertRule(id: $id) }', { id: rule.id });
                  }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rules.length === 0 ? <p class="muted">No rule yet.</p> : null}
      {editing ? (
        <RuleEditor
          key={editing.rule?.id ?? 'new'}
          initial={editing.form}
          ruleId={editing.rule?.id}
          targets={targets}
          onDone={(saved) => {
            setEditing(undefined);
            if (saved) reload();
          }}
        />
      ) : (
        <button type="button" class="primary" onClick={() => setEditing({ form: emptyRuleForm() })}>
          New rule
        </button>
      )}

      <h2 class="targets-title">Alert targets</h2>
      <table class="alerts-table targets-table">
        <thead>
          <tr>
            <th>Target</th>
            <th>Format</th>
            <th>URL</th>
            <th>Signed</th>
            <th>Enabled</th>
            <th>Delivery</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {targets.map((target) => (
            <tr key={target.id} data-target-id={target.id} class={target.delivery?.failing ? 'failing' : undefined}>
              <td>
                <strong>{target.name}</strong>
                {messages[target.id] ? <div class="small target-message">{messages[target.id]}</div> : null}
              </td>
              <td>{target.kind === 'SLACK' ? 'Slack' : 'Webhook'}</td>
              <td class="url" title={target.url}>
                {target.url}
              </td>
              <td>{target.hasSecret ? 'yes' : 'no'}</td>
              <td>{target.enabled ? 'yes' : 'no'}</td>
              <td>
                <DeliveryStatus target={target} />
              </td>
              <td class="row-buttons">
                <button type="button" onClick={() => void test(target)}>
                  Send test
                </button>
                <button type="button" onClick={() => setEditingTarget({ target })}>
                  Edit
                </button>
                <DeleteButton
                  armed={confirm === target.id}
                  onArm={() => setConfirm(target.id)}
                  onConfirm={() => {
                    setConfirm('');
                    void run(target.id, 'mutation($id: ID!) { deleteAlertTarget(id: $id) }', { id: target.id });
                  }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {targets.length === 0 ? <p class="muted">No target yet.</p> : null}
      {editingTarget ? (
        <TargetEditor
          key={editingTarget.target?.id ?? 'new'}
          target={editingTarget.target}
          onDone={(saved) => {
            setEditingTarget(undefined);
            if (saved) reload();
          }}
        />
      ) : (
        <button type="button" class="primary" onClick={() => setEditingTarget({})}>
          New target
        </button>
      )}
    </section>
  );
}
