// Which test files are unit tests, for `npm run test:unit` (vitest.unit.config.ts): those that need no server. A test
// file is one when neither it nor a test-side file it imports (its own support files, test/support/) names a server's
// address, starts a private stack or a process, makes a Kafka, Redis or ClickHouse client, or drives a browser.
// Read from the source, so a new pure test is a unit test without being listed anywhere; a few pure but slow ones
// are left to the whole suite.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** Where vitest finds tests (vitest.config.ts), as directories to walk. */
const testRoots = ['packages', 'services', 'tools', 'test', 'web/test'];

/** What a file that needs a server says somewhere in its text. */
const needsServer = [
  /\/support\/env\.js'/, // the servers' addresses (test/support/env.ts)
  /private-stack/,
  /service-process/,
  /\bcreate(Kafka|Redis|Subscriber|ClickHouseClient)\(/,
  /\bclickHouseFromConfig\(/,
  /\bnode:child_process'/,
  /\bplaywright|chromium/i,
  /\bstart(Ingest|CallState|Reporting|Api)\(/,
];

/** Pure, but not quick: they belong to the whole suite, not to the seconds-long unit run. */
const slow = [
  'services/ingest/test/fuzz/fuzz.test.ts', // 10,000 mutated webhooks through the whole decode and fold
  'services/ingest/test/ringcentral/standin.test.ts', // waits out the stand-in's handshake timeouts and rate-limit windows
];

const isTestSide = (file: string) => /\.test\.tsx?$/.test(file) || file.split('/').includes('test');

function testFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return ['node_modules', 'dist', '.stack'].includes(name) ? [] : testFiles(path);
    return /\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.[^'"]*)['"]/gm;

function localImports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(specifier)].flatMap((match) => {
    const target = resolve(dirname(file), (match[1] as string).replace(/\.js$/, '.ts'));
    const found = [target, `${target}.ts`, join(target, 'index.ts')].find((path) => existsSync(path) && statSync(path).isFile());
    return found ? [found] : [];
  });
}

/** Whether the file, or a test-side file it imports (at any depth), needs a server. */
function touchesServer(file: string, seen = new Set<string>()): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  if (needsServer.some((pattern) => pattern.test(readFileSync(file, 'utf8')))) return true;
  return localImports(file)
    .filter(isTestSide)
    .some((imported) => touchesServer(imported, seen));
}

/** The unit test files, relative to the repository root. */
export function unitTestFiles(): string[] {
  return testRoots
    .flatMap((dir) => testFiles(join(root, dir)))
    .filter((file) => !file.endsWith('.browser.test.ts') && !touchesServer(file))
    .map((file) => relative(root, file))
    .filter((file) => !slow.includes(file))
    .sort();
}
