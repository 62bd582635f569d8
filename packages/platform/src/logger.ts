// Structured logs (pino) without secrets or personal data: one pass over each logged object replaces them.
import { type DestinationStream, destination, type Logger, pino, stdSerializers } from 'pino';

export type { Logger };

const censor = '[redacted]';
/** Keys whose values are secrets: credentials in headers, tokens, passwords, keys, JWTs, and the variables holding them. */
const secretKey = /password|passwd|secret|token|jwt|authorization|cookie|api_?keys?$|private_?key|credential/i;
/** Keys that carry personal data in RingCentral payloads (a party's number and name, whole bodies). */
const personalKeys = new Set(['phonenumber', 'from', 'to', 'body', 'raw', 'email']);
/** Redacted only below the top level: a top-level `name` is pino's logger name (and names of migrations, ...). */
const nestedPersonalKeys = new Set(['name', 'callername', 'displayname']);
const maxDepth = 8;

const redacts = (key: string, depth: number): boolean => {
  if (secretKey.test(key)) return true;
  const lower = key.toLowerCase();
  return personalKeys.has(lower) || lower.includes('phonenumber') || (depth > 0 && nestedPersonalKeys.has(lower));
};

const walkable = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return Array.isArray(value) || proto === Object.prototype || proto === null;
};

/**
 * value with every secret or personal field (at any depth up to 8) replaced by "[redacted]"; the same object when it
 * has none, a copy otherwise (the caller's object is never changed). Plain objects and arrays are walked.
 */
export function redact<T>(value: T, depth = 0): T {
  return walkable(value) ? redactFields(value, depth) : value;
}

function redactFields<T extends object>(value: T, depth: number): T {
  if (depth > maxDepth) return value;
  const fields = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(fields)) {
    const field = fields[key];
    const replaced = field !== undefined && field !== null && redacts(key, depth) ? censor : redact(field, depth + 1);
    if (replaced === field) continue;
    copy ??= shallowCopy(fields);
    copy[key] = replaced;
  }
  return (copy ?? value) as T;
}

const shallowCopy = (value: Record<string, unknown>): Record<string, unknown> =>
  Array.isArray(value)
    ? ([...value] as unknown as Record<string, unknown>)
    : Object.assign(Object.create(Object.getPrototypeOf(value)), value);

const redactError = (serialized: unknown) =>
  typeof serialized === 'object' && serialized !== null ? redactFields(serialized, 0) : serialized;

/** Standard error as a log destination (command-line tools, whose standard output is their answer). */
export const stderrDestination = (): DestinationStream => destination(2);

/** The service's logger; destination for tests and command-line tools (default stdout). */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options = {
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      log: (object: Record<string, unknown>) => redact(object),
      bindings: (bindings: Record<string, unknown>) => redact(bindings),
    },
    // An error's own fields (a response, its headers and body) are walked after pino turned it into an object; its
    // fields count as top-level ones (an error's `name` is its class).
    serializers: { err: (err: Error) => redactError(stdSerializers.err(err)) },
  };
  return destination ? pino(options, destination) : pino(options);
}
