// Extensions of the account's directory as callpulse keeps them, and the pure rules over them: which are monitored,
// and how RingCentral's extension records and extension-list events are read.

export interface DirectoryExtension {
  /** RingCentral's extension id, as a string (notifications carry it as one). */
  id: string;
  extensionNumber: string;
  name: string;
  /** User, Department (call queue), IvrMenu, ParkLocation, VirtualUser, ... */
  type: string;
  /** Enabled, Disabled, Frozen, NotActivated, Unassigned. */
  status: string;
}

export type ExtensionListEventType = 'Create' | 'Update' | 'Delete';

export interface ExtensionListEvent {
  extensionId: string;
  eventType: ExtensionListEventType;
  /** What changed, when RingCentral says (the docs' example: `ExtensionInfo`, `CompanyNumbers`, ...). */
  hints?: string[];
}

const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

/** One record of RingCentral's extension list (or a single extension) as a DirectoryExtension; throws when it has no id. */
export function toDirectoryExtension(raw: unknown): DirectoryExtension {
  const record = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const id = text(record.id);
  // The record itself is not quoted: it holds names and numbers, and this message can end up in a log.
  if (id === '')
    throw new Error(`extension record has no id (a ${Array.isArray(raw) ? 'list' : typeof raw} with fields ${fieldNames(raw)})`);
  const contact = (typeof record.contact === 'object' && record.contact !== null ? record.contact : {}) as Record<string, unknown>;
  const contactName = [text(contact.firstName), text(contact.lastName)].filter((part) => part !== '').join(' ');
  return {
    id,
    extensionNumber: text(record.extensionNumber),
    name: text(record.name) || contactName,
    type: text(record.type),
    status: text(record.status),
  };
}

const fieldNames = (raw: unknown): string =>
  typeof raw === 'object' && raw !== null
    ? Object.keys(raw)
        .slice(0, 10)
        .map((key) => key.slice(0, 40))
        .join(', ') || 'none'
    : 'none';

/**
 * Whether every extension is monitored: until a directory or a monitored set exists at all (a webhook-only deployment
 * without RingCentral credentials), call-state follows every extension and the API shows every agent it has a state of.
 */
export function everyExtensionMonitored(stored: { directory: boolean; monitoredSet: boolean }): boolean {
  return !stored.directory && !stored.monitoredSet;
}

/** The extensions monitored unless an admin chose otherwise: enabled users. */
export function isMonitoredByDefault(extension: DirectoryExtension): boolean {
  return extension.type === 'User' && extension.status === 'Enabled';
}

/** Reads one extension-list change `{extensionId, eventType[, hints]}`; throws naming what is wrong (never the content). */
export function parseExtensionListEvent(value: unknown): ExtensionListEvent {
  if (typeof value !== 'object' || value === null) throw new Error('extension-list event must be an object');
  let body = value as Record<string, unknown>;
  if (body.extensionId === undefined && typeof body.body === 'object' && body.body !== null) body = body.body as Record<string, unknown>;
  const extensionId = text(body.extensionId);
  if (extensionId === '') throw new Error('extension-list event: `extensionId` is missing or not a string/number');
  const eventType = body.eventType;
  if (eventType !== 'Create' && eventType !== 'Update' && eventType !== 'Delete') {
    throw new Error(
      `extension-list event: \`eventType\` must be Create, Update or Delete (got ${typeof eventType === 'string' && /^[A-Za-z]{1,20}$/.test(eventType) ? eventType : `a ${typeof eventType}`})`,
    );
  }
  const hints = Array.isArray(body.hints) ? body.hints.filter((hint): hint is string => typeof hint === 'string') : undefined;
  return { extensionId, eventType, ...(hints?.length ? { hints } : {}) };
}

/**
 * Reads the changes of an extension-list notification (its body, or the whole notification) in both published shapes:
 * the spec's flat body `{extensionId, eventType, ownerId}` (ExtensionListEventBody) and the guide's example
 * `{extensions: [{extensionId, eventType, hints?}, ...]}`. Unreadable entries are left out and named in `problems`.
 */
export function parseExtensionListEvents(value: unknown): { events: ExtensionListEvent[]; problems: string[] } {
  if (typeof value !== 'object' || value === null) return { events: [], problems: ['extension-list event must be an object'] };
  let body = value as Record<string, unknown>;
  if (body.extensionId === undefined && body.extensions === undefined && typeof body.body === 'object' && body.body !== null) {
    body = body.body as Record<string, unknown>;
  }
  if (body.extensions === undefined) {
    try {
      return { events: [parseExtensionListEvent(body)], problems: [] };
    } catch (err) {
      return { events: [], problems: [(err as Error).message] };
    }
  }
  if (!Array.isArray(body.extensions)) return { events: [], problems: ['extension-list event: `extensions` is not a list'] };
  const events: ExtensionListEvent[] = [];
  const problems: string[] = [];
  body.extensions.forEach((entry, index) => {
    try {
      events.push(parseExtensionListEvent(entry));
    } catch (err) {
      problems.push(`extensions[${index}]: ${(err as Error).message}`);
    }
  });
  if (body.extensions.length === 0) problems.push('extension-list event: `extensions` is empty');
  return { events, problems };
}
