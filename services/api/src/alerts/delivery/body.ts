// The bodies POSTed to alert targets (docs/alerts.md, "Delivery"), pure: a WEBHOOK target gets the transition as JSON
// with `type` (alert.firing / alert.resolved) and `deliveredAt`; a SLACK target gets a Slack incoming-webhook message
// (`text` for notifications and old clients, `blocks` for the message, one coloured attachment with the times); and
// testAlertTarget's test body in either form. The transition's target ids are routing, not content: left out.
import type { AlertConditionKind, AlertSeverity, AlertTarget, AlertTargetKind, AlertTransition } from '@callpulse/contracts';

export type WebhookEventType = 'alert.firing' | 'alert.resolved' | 'alert.test';

/** The JSON body of a WEBHOOK target. */
export type WebhookBody = Omit<AlertTransition, 'targetIds'> & {
  type: Exclude<WebhookEventType, 'alert.test'>;
  /** When this attempt was made (ISO 8601, UTC): a retry has a later one. */
  deliveredAt: string;
};

export interface TestWebhookBody {
  type: 'alert.test';
  /** Unique per test: `test:<targetId>:<epoch ms>`. */
  id: string;
  targetId: string;
  targetName: string;
  summary: string;
  deliveredAt: string;
}

/** Slack's text object (https://api.slack.com/reference/block-kit/composition-objects#text). */
export interface SlackText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}
export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' };

/** An incoming-webhook message (https://api.slack.com/messaging/webhooks). */
export interface SlackBody {
  text: string;
  blocks: SlackBlock[];
  attachments: Array<{ color: string; blocks: SlackBlock[] }>;
}

export const webhookEventType = (transition: AlertTransition): WebhookEventType =>
  transition.status === 'FIRING' ? 'alert.firing' : 'alert.resolved';

export function webhookBody(transition: AlertTransition, nowMs: number): WebhookBody {
  const { targetIds: _routing, ...rest } = transition;
  return { type: webhookEventType(transition) as WebhookBody['type'], ...rest, deliveredAt: new Date(nowMs).toISOString() };
}

const severityEmoji: Record<AlertSeverity, string> = {
  CRITICAL: ':red_circle:',
  WARNING: ':large_orange_circle:',
  INFO: ':large_blue_circle:',
};
const severityColour: Record<AlertSeverity, string> = { CRITICAL: '#d92d20', WARNING: '#f79009', INFO: '#2e90fa' };
const resolvedEmoji = ':white_check_mark:';
const resolvedColour = '#12b76a';
const severityWord: Record<AlertSeverity, string> = { CRITICAL: 'Critical', WARNING: 'Warning', INFO: 'Info' };

/** Slack's mrkdwn treats &, < and > as control characters: escaped as its docs say. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack's limits: header text 150 characters, section text 3,000, a field 2,000. */
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

const unitOf = (kind: AlertConditionKind): 'count' | 'seconds' | 'percent' => {
  if (kind === 'SERVICE_LEVEL') return 'percent';
  if (kind === 'QUEUE_WAITING' || kind === 'MISSED_CALLS' || kind === 'ABANDONED_CALLS') return 'count';
  return 'seconds';
};

/** A measured value or threshold with its unit: 7, 42 s, 85 %. */
export function formatMeasure(kind: AlertConditionKind, value: number | null): string {
  if (value === null) return 'unknown';
  const rounded = Math.round(value * 10) / 10;
  switch (unitOf(kind)) {
    case 'percent':
      return `${rounded} %`;
    case 'seconds':
      return `${rounded} s`;
    default:
      return String(rounded);
  }
}

/** "7 (threshold > 5)"; service level: "72 % (threshold < 80 %)". */
export function valueAgainstThreshold(transition: Pick<AlertTransition, 'conditionKind' | 'value' | 'threshold'>): string {
  const comparison = transition.conditionKind === 'SERVICE_LEVEL' ? '<' : '>';
  return `${formatMeasure(transition.conditionKind, transition.value)} (threshold ${comparison} ${formatMeasure(transition.conditionKind, transition.threshold)})`;
}

/** Slack's date formatting: shown in each reader's time zone, the ISO text where Slack cannot. */
const slackDate = (ms: number) => `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time_secs}|${new Date(ms).toISOString()}>`;

export function slackBody(transition: AlertTransition): SlackBody {
  const firing = transition.status === 'FIRING';
  const emoji = firing ? severityEmoji[transition.severity] : resolvedEmoji;
  const state = firing ? 'Firing' : 'Resolved';
  const subject = transition.subjectName ? `${transition.subjectName} (${transition.subject})` : transition.subject;
  const times = firing
    ? `Since ${slackDate(transition.atMs)}`
    : `Resolved ${slackDate(transition.atMs)}${transition.firedAtMs !== null ? ` · fired ${slackDate(transition.firedAtMs)}` : ''}`;
  return {
    text: clip(`${firing ? '' : 'Resolved: '}[${severityWord[transition.severity]}] ${transition.ruleName}: ${transition.summary}`, 3000),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(`${emoji} ${state}: ${transition.ruleName}`, 150), emoji: true } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: clip(slackEscape(transition.summary), 3000) },
        fields: [
          { type: 'mrkdwn', text: `*Severity*\n${severityWord[transition.severity]}` },
          { type: 'mrkdwn', text: clip(`*Subject*\n${slackEscape(subject)}`, 2000) },
          { type: 'mrkdwn', text: `*Value*\n${slackEscape(valueAgainstThreshold(transition))}` },
          { type: 'mrkdwn', text: `*Condition*\n${transition.conditionKind}` },
        ],
      },
    ],
    attachments: [
      {
        color: firing ? severityColour[transition.severity] : resolvedColour,
        blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: `${times} · alert \`${slackEscape(transition.id)}\`` }] }],
      },
    ],
  };
}

/** The body of a transition for a target of this kind, as sent (JSON text). */
export function transitionBody(kind: AlertTargetKind, transition: AlertTransition, nowMs: number): string {
  return JSON.stringify(kind === 'SLACK' ? slackBody(transition) : webhookBody(transition, nowMs));
}

/** testAlertTarget's body: not a transition; a receiver tells it by `type: "alert.test"` (JSON) or its text (Slack). */
export function testBody(target: Pick<AlertTarget, 'id' | 'name' | 'kind'>, nowMs: number): { id: string; body: string } {
  const id = `test:${target.id}:${nowMs}`;
  const summary = `Test notification from callpulse to target "${target.name}": this target is reachable.`;
  if (target.kind === 'SLACK') {
    const slack: SlackBody = {
      text: summary,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: ':test_tube: callpulse test notification', emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: clip(slackEscape(summary), 3000) } },
      ],
      attachments: [{ color: '#667085', blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: `Sent ${slackDate(nowMs)}` }] }] }],
    };
    return { id, body: JSON.stringify(slack) };
  }
  const body: TestWebhookBody = {
    type: 'alert.test',
    id,
    targetId: target.id,
    targetName: target.name,
    summary,
    deliveredAt: new Date(nowMs).toISOString(),
  };
  return { id, body: JSON.stringify(body) };
}
