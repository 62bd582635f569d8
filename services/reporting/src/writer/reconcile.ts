// The heart of exactness, as a pure function: given the records of a batch and the rows already stored for their
// keys, the rows to insert so that, per leg (or session), the sum of signs is 1 for the newest version and 0 for
// every other. Duplicates and replays produce no rows; a newer version produces -1 (old values) and +1 (new).
// It also repairs a key whose stored rows break that rule (e.g. after a partly failed insert), and says so. A version
// that comes again with other content is a conflict: what is stored (or came first) is kept, and the conflict named.
import { type RowValues, rowKey, type Sign } from '../records/rows.js';

export interface Incoming<S> {
  key: string;
  version: number;
  values: RowValues;
  source: S;
}

export type StoredRow = RowValues & { sign: number };

export interface Unit<S> {
  key: string;
  /** Rows of one key; inserted together so a key is never half-updated by a split batch. */
  rows: Array<{ values: RowValues; sign: Sign }>;
  /** The incoming record whose +1 row this unit carries, if any (a repair-only unit has none). */
  source?: S;
}

export interface Plan<S> {
  units: Unit<S>[];
  /** Records that changed nothing: duplicates, replays, versions older than the stored or batched one. */
  skipped: S[];
  /** Keys whose stored rows were inconsistent and are being put right. */
  repaired: string[];
  /** Versions that came with other content than the one stored or first seen (which is kept); the columns differ. */
  conflicts: Conflict[];
}

export interface Conflict {
  key: string;
  version: number;
  columns: string[];
}

interface Net {
  values: RowValues;
  net: number;
}

function netsByVersion(rows: StoredRow[]): Map<number, Net> {
  const nets = new Map<number, Net>();
  for (const { sign, ...values } of rows) {
    const version = Number(values.version);
    const entry = nets.get(version) ?? { values, net: 0 };
    entry.net += sign;
    nets.set(version, entry);
  }
  return nets;
}

/** The columns whose values differ (compared as text: ClickHouse gives back numbers where a record has 0/1 flags). */
function differingColumns(incoming: RowValues, kept: RowValues): string[] {
  return Object.keys(incoming).filter((column) => String(incoming[column]) !== String(kept[column]));
}

const repeat = (times: number, values: RowValues, sign: Sign) => Array.from({ length: times }, () => ({ values, sign }));

export function reconcile<S>(kind: 'leg' | 'session', incoming: Incoming<S>[], stored: StoredRow[]): Plan<S> {
  const plan: Plan<S> = { units: [], skipped: [], repaired: [], conflicts: [] };
  const storedByKey = new Map<string, StoredRow[]>();
  for (const row of stored) {
    const key = rowKey(kind, row);
    storedByKey.set(key, [...(storedByKey.get(key) ?? []), row]);
  }
  const incomingByKey = new Map<string, Incoming<S>[]>();
  for (const item of incoming) incomingByKey.set(item.key, [...(incomingByKey.get(item.key) ?? []), item]);

  for (const [key, items] of incomingByKey) {
    const best = items.reduce((a, b) => (b.version > a.version ? b : a));
    for (const item of items) if (item !== best) plan.skipped.push(item.source);
    const nets = netsByVersion(storedByKey.get(key) ?? []);
    const seen = new Map([...nets].map(([version, { values }]) => [version, values]));
    for (const item of items) {
      const kept = seen.get(item.version);
      if (!kept) seen.set(item.version, item.values);
      else if (kept !== item.values) {
        const columns = differingColumns(item.values, kept);
        if (columns.length > 0) plan.conflicts.push({ key, version: item.version, columns });
      }
    }
    const storedMax = Math.max(-1, ...nets.keys());
    const target = Math.max(best.version, storedMax);
    const consistent = [...nets].every(([version, { net }]) => net === (version === storedMax ? 1 : 0));
    if (nets.size > 0 && !consistent) plan.repaired.push(key);

    const rows: Unit<S>['rows'] = [];
    for (const [version, { values, net }] of nets) {
      if (version === target || net === 0) continue;
      rows.push(...repeat(Math.abs(net), values, net > 0 ? -1 : 1));
    }
    const current = nets.get(target);
    const targetNet = current?.net ?? 0;
    const fromIncoming = best.version === target;
    // The stored values of the target version win over the incoming ones (a conflict keeps what is stored).
    if (targetNet < 1) rows.push(...repeat(1 - targetNet, current ? current.values : best.values, 1));
    if (targetNet > 1) rows.push(...repeat(targetNet - 1, (current as Net).values, -1));

    const carriesBest = fromIncoming && targetNet < 1 && !current;
    if (!carriesBest) plan.skipped.push(best.source);
    if (rows.length > 0) plan.units.push(carriesBest ? { key, rows, source: best.source } : { key, rows });
  }
  return plan;
}
