// Mutated webhook bodies from valid ones, for fuzzing: wrong types, huge and negative numbers (including JSON
// numbers that parse to Infinity), NaN-like strings, unicode (lone surrogates, NUL, right-to-left), 10,000-deep
// nesting, prototype keys (`__proto__`, `constructor`), missing and extra fields, far-apart event times, odd party
// lists, and byte damage after serialisation (truncation, flipped bytes, invalid UTF-8). Pure and seeded.
import { type JsonObject, pick, type Random } from './base-calls.js';

export interface Mutant {
  raw: Buffer;
  /** What was done, for reports (never logged by the service). */
  mutations: string[];
}

type Path = Array<string | number>;
type Container = Record<string | number, unknown>;

const DEEP = 10000;
/** Raw JSON text put in place of a placeholder string after serialisation (JSON.stringify cannot write these). */
const rawTokens = [
  '1e999',
  '-1e999',
  '123456789012345678901234567890',
  '-0',
  '0.0000000000000000000000001',
  '9007199254740993',
  '1E+2',
  `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`,
  `${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`,
];
const prototypeKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'];
const weirdStrings = [
  '',
  ' ',
  'NaN',
  'Infinity',
  '-Infinity',
  'undefined',
  'null',
  '0x1F',
  '1e999',
  '٣٤',
  '🙂👨‍👩‍👧',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '\u202eevil\u202c',
  'Ω≈ç√∫',
  '<script>alert(1)</script>',
  "'; DROP TABLE legs; --",
  '../../etc/passwd',
  'a'.repeat(10000),
];
const weirdScalars: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  -0.5,
  1.5,
  2 ** 31,
  -(2 ** 31),
  2 ** 53,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  5e-324,
];
const containers = (): unknown[] => [[], {}, [[]], [null], { a: {} }, [1, 'two', null]];

const clone = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (typeof value !== 'object' || value === null) return out;
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    out.push(path);
    paths(child, path, out);
  }
  return out;
}

const describe = (path: Path) => path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`)).join('');

const isPlainObject = (value: unknown): value is Container => typeof value === 'object' && value !== null && !Array.isArray(value);

function valueAt(root: Container, path: Path): unknown {
  let node: unknown = root;
  for (const part of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Container)[part];
  }
  return node;
}

function parentOf(root: Container, path: Path): Container | undefined {
  let node: unknown = root;
  for (const part of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Container)[part];
  }
  return typeof node === 'object' && node !== null ? (node as Container) : undefined;
}

/** The fields the pipeline reads, mutated more often than the rest. */
const keyPaths: Path[] = [
  ['uuid'],
  ['event'],
  ['body'],
  ['body', 'telephonySessionId'],
  ['body', 'sequence'],
  ['body', 'eventTime'],
  ['body', 'parties'],
  ['body', 'parties', 0],
  ['body', 'parties', 0, 'id'],
  ['body', 'parties', 0, 'extensionId'],
  ['body', 'parties', 0, 'direction'],
  ['body', 'parties', 0, 'status'],
  ['body', 'parties', 0, 'status', 'code'],
  ['body', 'parties', 0, 'status', 'reason'],
  ['body', 'parties', 0, 'status', 'peerId'],
  ['body', 'parties', 0, 'recordings'],
  ['body', 'parties', 0, 'recordings', 0],
  ['body', 'parties', 0, 'uiCallInfo', 'primary', 'type'],
  ['body', 'parties', 0, 'to'],
  ['body', 'parties', 0, 'park'],
  ['body', 'parties', 1, 'status', 'code'],
  ['body', 'origin'],
];

export function createMutator(random: Random, nowMs: number) {
  let placeholders = new Map<string, string>();
  const raw = (text: string) => {
    const placeholder = `__fuzz_raw_${placeholders.size}__`;
    placeholders.set(`"${placeholder}"`, text);
    return placeholder;
  };
  const weirdValue = (): unknown => {
    const roll = random();
    if (roll < 0.3) return pick(random, weirdScalars);
    if (roll < 0.6) return pick(random, weirdStrings);
    if (roll < 0.8) return pick(random, containers());
    return raw(pick(random, rawTokens));
  };
  const choosePath = (root: Container): Path => (random() < 0.6 ? pick(random, keyPaths) : pick(random, paths(root)));

  const farTime = (): unknown => {
    const day = 86400000;
    return pick(random, [
      new Date(0).toISOString(),
      '9999-12-31T23:59:59.999Z',
      '+275760-09-13T00:00:00.000Z',
      new Date(nowMs - 8 * day).toISOString(),
      new Date(nowMs - 7 * day + 60000).toISOString(),
      new Date(nowMs - 30 * 365 * day).toISOString(),
      new Date(nowMs + 2 * 3600000).toISOString(),
      new Date(nowMs + 59 * 60000).toISOString(),
      new Date(nowMs + 40 * 365 * day).toISOString(),
      '2026-02-30T25:61:00Z',
      'yesterday',
      '1',
      nowMs,
      String(nowMs),
      null,
    ]);
  };

  const operations: Array<(root: Container) => string> = [
    (root) => {
      const path = choosePath(root);
      const parent = parentOf(root, path);
      if (!parent) return 'noop';
      parent[path.at(-1) as string] = weirdValue();
      return `set ${describe(path)}`;
    },
    (root) => {
      const path = choosePath(root);
      const parent = parentOf(root, path);
      if (!parent) return 'noop';
      if (Array.isArray(parent)) parent.splice(Number(path.at(-1)), 1);
      else delete parent[path.at(-1) as string];
      return `delete ${describe(path)}`;
    },
    (root) => {
      const objectPaths = [[] as Path, ...paths(root).filter((path) => isPlainObject(valueAt(root, path)))];
      const path = pick(random, objectPaths);
      const target = (path.length === 0 ? root : valueAt(root, path)) as Container;
      const key = random() < 0.5 ? pick(random, prototypeKeys) : pick(random, ['extra', 'sequence', 'parties', 'id', '', 'ü', '🙂']);
      // Keys go in as raw text: assigning `__proto__` in JS would change the prototype instead of adding a key.
      const placeholder = `__fuzz_key_${placeholders.size}__`;
      placeholders.set(`"${placeholder}"`, JSON.stringify(key));
      target[placeholder] = random() < 0.5 ? weirdValue() : { polluted: true, code: 'Answered', id: 'p-polluted' };
      return `add ${JSON.stringify(key)} at ${describe(path) || 'root'}`;
    },
    (root) => {
      const path = choosePath(root);
      const parent = parentOf(root, path);
      if (!parent) return 'noop';
      parent[path.at(-1) as string] = raw(pick(random, rawTokens.slice(-2)));
      return `nest 10,000 deep at ${describe(path)}`;
    },
    (root) => {
      const body = root.body as Container | undefined;
      if (typeof body !== 'object' || body === null) return 'noop';
      body.eventTime = farTime();
      return 'far-apart eventTime';
    },
    (root) => {
      const body = root.body as Container | undefined;
      if (typeof body !== 'object' || body === null) return 'noop';
      body.sequence = pick(random, [-1, 1.5, 2 ** 53, raw('9007199254740993'), raw('1e999'), '3', null, 2 ** 31 + 7, 0]);
      return 'odd sequence';
    },
    (root) => {
      const path = pick(random, [
        ['body', 'telephonySessionId'],
        ['body', 'parties', 0, 'id'],
        ['body', 'parties', 0, 'status', 'code'],
        ['body', 'parties', 0, 'extensionId'],
        ['uuid'],
      ] as Path[]);
      const parent = parentOf(root, path);
      if (!parent) return 'noop';
      parent[path.at(-1) as string] = pick(
        random,
        weirdStrings.filter((text) => text !== ''),
      );
      return `unicode ${describe(path)}`;
    },
    (root) => {
      const body = root.body as Container | undefined;
      if (typeof body !== 'object' || body === null || !Array.isArray(body.parties)) return 'noop';
      const parties = body.parties as unknown[];
      const choice = Math.floor(random() * 5);
      if (choice === 0) body.parties = [];
      else if (choice === 1) body.parties = [null, ...parties];
      else if (choice === 2) body.parties = Array.from({ length: 40 }, () => clone(parties[0]));
      else if (choice === 3) body.parties = [...parties, ...parties];
      else body.parties = parties.map((party) => ({ ...(party as object), status: 'Answered' }));
      return `parties variant ${choice}`;
    },
    (root) => {
      const path = pick(random, [
        ['body'],
        ['body', 'parties'],
        ['body', 'parties', 0, 'status'],
        ['body', 'parties', 0, 'from'],
        ['body', 'parties', 0, 'recordings'],
      ] as Path[]);
      const parent = parentOf(root, path);
      if (!parent) return 'noop';
      parent[path.at(-1) as string] = pick(random, ['x', 1, true, [], {}, [{}], null]);
      return `type swap ${describe(path)}`;
    },
  ];

  const damage = (bytes: Buffer): [Buffer, string] => {
    const choice = Math.floor(random() * 6);
    if (choice === 0) return [bytes.subarray(0, Math.floor(random() * bytes.length)), 'truncated'];
    if (choice === 1) {
      const copy = Buffer.from(bytes);
      for (let i = 0; i < 1 + Math.floor(random() * 8); i++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
      return [copy, 'flipped bytes'];
    }
    if (choice === 2) {
      const at = Math.floor(random() * bytes.length);
      return [Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff, 0xfe, 0xc0, 0x80]), bytes.subarray(at)]), 'invalid UTF-8'];
    }
    if (choice === 3) return [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]), 'byte order mark'];
    if (choice === 4) return [Buffer.from(pick(random, ['', ' ', 'null', '[]', '"x"', '1', 'true', '{}', '{"uuid":'])), 'not an object'];
    return [Buffer.from(Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256))), 'random bytes'];
  };

  return {
    /** One to three mutations of a clone of `notification`, serialised; now and then damaged as bytes too. */
    mutate(notification: JsonObject): Mutant {
      placeholders = new Map();
      const root = clone(notification) as Container;
      const mutations: string[] = [];
      const count = 1 + Math.floor(random() * 3);
      for (let i = 0; i < count; i++) mutations.push((pick(random, operations) as (root: Container) => string)(root));
      let text = JSON.stringify(root);
      for (const [placeholder, replacement] of placeholders) text = text.split(placeholder).join(replacement);
      let bytes: Buffer = Buffer.from(text, 'utf8');
      if (random() < 0.1) {
        const [damaged, what] = damage(bytes);
        bytes = damaged;
        mutations.push(what);
      }
      return { raw: bytes, mutations };
    },
  };
}
