// The one place values become SQL text. ClickHouse 18.16 has no server-side query parameters, so every value in a
// query goes through these functions: strings, numbers, booleans, arrays, tuples and identifiers.
import type { TableName, ViewName } from '@callpulse/contracts';

/** A piece of SQL that is already safe (an escaped value, an identifier, or a composed query). */
export class Sql {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type SqlValue = string | number | bigint | boolean | null | Sql | readonly SqlValue[];

const stringEscapes: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
};

/** A ClickHouse string literal: backslash, quote and control characters escaped; other text (UTF-8) as is. */
export function escapeString(value: string): string {
  if (typeof value !== 'string') throw new TypeError(`escapeString: expected a string, got ${typeof value}`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point: they get escaped
  const body = value.replace(/[\\'\n\r\t\0\b\f]|[\x01-\x07\x0b\x0e-\x1f\x7f]/g, (char) => {
    const known = stringEscapes[char];
    if (known) return known;
    return `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
  return `'${body}'`;
}

/** A ClickHouse identifier in backquotes, e.g. a database, table or column name. */
export function escapeIdentifier(name: string): string {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError('escapeIdentifier: expected a non-empty string');
  if (name.includes('\0')) throw new TypeError('escapeIdentifier: an identifier cannot contain NUL');
  return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}

/** Any supported value as SQL: numbers must be finite; arrays become [..]; Sql passes through unchanged. */
export function escapeValue(value: SqlValue): string {
  if (value instanceof Sql) return value.text;
  if (value === null) return 'NULL';
  if (Array.isArray(value)) return `[${value.map((item: SqlValue) => escapeValue(item)).join(', ')}]`;
  switch (typeof value) {
    case 'string':
      return escapeString(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`escapeValue: ${value} is not a finite number`);
      return String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? '1' : '0';
    default:
      throw new TypeError(`escapeValue: cannot use a value of type ${typeof value} in SQL`);
  }
}

/** A tuple literal, e.g. for `(a, b) IN (tuple, tuple)`. */
export function tuple(values: readonly SqlValue[]): Sql {
  if (values.length === 0) throw new TypeError('tuple: needs at least one value');
  return new Sql(`(${values.map((value) => escapeValue(value)).join(', ')})`);
}

/** A comma-separated list of escaped values, for `IN (...)`. */
export function list(values: readonly SqlValue[]): Sql {
  if (values.length === 0) throw new TypeError('list: needs at least one value (an empty IN list is not valid SQL)');
  return new Sql(values.map((value) => escapeValue(value)).join(', '));
}

/** An identifier as an Sql fragment; a dotted pair when a database is given. */
export function ident(name: string, database?: string): Sql {
  return new Sql(database === undefined ? escapeIdentifier(name) : `${escapeIdentifier(database)}.${escapeIdentifier(name)}`);
}

/** Tagged template: sql`SELECT * FROM ${ident('legs', db)} WHERE party_id = ${partyId}` escapes every value. */
export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): Sql {
  let text = strings[0] ?? '';
  values.forEach((value, index) => {
    text += escapeValue(value) + (strings[index + 1] ?? '');
  });
  return new Sql(text);
}

/** `database`.`name` of a reporting table or view, escaped, for use in queries. */
export function qualified(database: string, name: TableName | ViewName): string {
  return `${escapeIdentifier(database)}.${escapeIdentifier(name)}`;
}
