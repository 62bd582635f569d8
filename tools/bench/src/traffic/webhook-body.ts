// Webhook bodies for the ingest load: one realistic telephony notification from the scenario library as a template,
// with a distinct telephony session id (and party ids and uuid) per request, built by string concatenation so the
// load generator spends its time sending, not serialising.
import { buildCall } from './calls.js';

export function webhookBodyFactory(runSeed: number): (index: number) => string {
  const built = buildCall({ seed: runSeed, startMs: Date.now(), extensionPool: 100, scenario: 'inbound-answered-two-holds' });
  const agentRinging = built.notifications.find(({ notification }) => notification.body.parties[0]?.status.code === 'Proceeding');
  if (!agentRinging) throw new Error('inbound-answered-two-holds has no Proceeding notification');
  const { notification } = agentRinging;
  const hex = notification.body.telephonySessionId.replace(/^s-/, '');
  const json = JSON.stringify({ ...notification, uuid: 'UUID-MARK' });
  const pieces = json.split(hex).flatMap((piece, index) => (index === 0 ? piece.split('UUID-MARK') : [piece]));
  // pieces: [before uuid, between uuid and first hex, ...between hex occurrences]
  const [beforeUuid = '', afterUuid = '', ...rest] = pieces;
  const prefix = runSeed.toString(16).padStart(8, '0').slice(-8);
  const uuidPrefix = `9${String(runSeed % 1e6).padStart(6, '0')}`;
  return (index) => {
    const id = `${prefix}${index.toString(16).padStart(24, '0')}`;
    return `${beforeUuid}${uuidPrefix}${index.toString().padStart(12, '0')}${afterUuid}${rest.map((piece) => id + piece).join('')}`;
  };
}
