// The explorer's columns (pure): what each shows of a call as text, and which are chosen (kept in localStorage).
import { clockTime, duration, endpointText } from '../format.js';

export interface CallRow {
  telephonySessionId: string;
  partyId: string;
  extensionId: string;
  /** The directory's entry of the extension (the API reads the page's names at once); null when it does not know it. */
  agent: { extensionNumber: string; name: string } | null;
  direction: string;
  result: string;
  endReason: string | null;
  endedBy: string;
  endedDuringHold: boolean;
  startTime: string;
  answerTime: string | null;
  endTime: string | null;
  ringMs: number;
  talkMs: number;
  holdMs: number;
  holdCount: number;
  durationMs: number;
  queueId: string | null;
  queueName: string | null;
  from: { phoneNumber: string | null; name: string | null; extensionId: string | null };
  to: { phoneNumber: string | null; name: string | null; extensionId: string | null };
}

export const callFields = `telephonySessionId partyId extensionId agent { extensionNumber name } direction result endReason endedBy endedDuringHold startTime answerTime
  endTime ringMs talkMs holdMs holdCount durationMs queueId queueName from { phoneNumber name extensionId } to { phoneNumber name extensionId }`;

/** The agent of a leg as people know them: "Ada Lovelace (201)", or the extension id when the directory has no entry. */
export function agentText(call: Pick<CallRow, 'agent' | 'extensionId'>): string {
  if (!call.agent) return `Ext. ${call.extensionId}`;
  return call.agent.extensionNumber ? `${call.agent.name} (${call.agent.extensionNumber})` : call.agent.name;
}

export interface Column {
  id: string;
  label: string;
  sort?: string;
  numeric?: boolean;
  text: (call: CallRow, timeZone: string) => string;
}

function dateTime(iso: string | null, timeZone: string): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  return `${new Intl.DateTimeFormat('en-CA', { timeZone, month: '2-digit', day: '2-digit' }).format(ms)} ${clockTime(ms, timeZone)}`;
}

export const columns: Column[] = [
  { id: 'start', label: 'Start', sort: 'START', text: (c, z) => dateTime(c.startTime, z) },
  { id: 'extension', label: 'Agent', text: agentText },
  { id: 'direction', label: 'Direction', text: (c) => c.direction },
  { id: 'from', label: 'From', text: (c) => endpointText(c.from) },
  { id: 'to', label: 'To', text: (c) => endpointText(c.to) },
  { id: 'queue', label: 'Queue', text: (c) => c.queueName ?? '' },
  { id: 'result', label: 'Result', text: (c) => c.result },
  { id: 'ring', label: 'Ring', sort: 'RING', numeric: true, text: (c) => duration(c.ringMs) },
  { id: 'talk', label: 'Talk', sort: 'TALK', numeric: true, text: (c) => duration(c.talkMs) },
  { id: 'hold', label: 'Hold', sort: 'HOLD', numeric: true, text: (c) => duration(c.holdMs) },
  { id: 'duration', label: 'Duration', sort: 'DURATION', numeric: true, text: (c) => duration(c.durationMs) },
  { id: 'endedBy', label: 'Ended by', text: (c) => c.endedBy },
  { id: 'endReason', label: 'End reason', text: (c) => c.endReason ?? '' },
  { id: 'session', label: 'Session', text: (c) => c.telephonySessionId },
];

const STORAGE = 'callpulse.columns';
const defaults = ['start', 'extension', 'direction', 'from', 'to', 'queue', 'result', 'ring', 'talk', 'hold'];

export function loadColumns(): string[] {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE) ?? 'null') as unknown;
    if (Array.isArray(stored) && stored.every((id) => typeof id === 'string')) return stored as string[];
  } catch {
    // fall back to the defaults
  }
  return defaults;
}

export function saveColumns(ids: string[]): void {
  localStorage.setItem(STORAGE, JSON.stringify(ids));
}
