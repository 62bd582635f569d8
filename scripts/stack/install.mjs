// Installs what the local stack needs and is missing: Debian packages (Redis, ClickHouse, a JRE, Maven),
// the Kafka broker's jars from Maven Central, and the npm dependencies. Idempotent: a second run does nothing.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dirs, repoRoot } from './paths.mjs';

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`\`${command} ${args.join(' ')}\` failed with exit code ${result.status}`);
  }
}

/** Debian packages by the command each provides. */
const debianPackages = {
  java: 'default-jre-headless',
  mvn: 'maven',
  'redis-server': 'redis-server',
  '/usr/sbin/clickhouse-server': 'clickhouse-server',
  // The dashboard's browser tests (web/test): Debian's headless Chromium, and fonts for its screenshots.
  '/usr/bin/chromium-headless-shell': 'chromium-headless-shell',
  '/usr/share/fonts/truetype/liberation': 'fonts-liberation',
};

/** The browser of the dashboard's tests (npm test, npm run bench); without root a missing one is only a warning. */
export function ensureBrowser() {
  const needed = ['/usr/bin/chromium-headless-shell', '/usr/share/fonts/truetype/liberation'];
  if (process.env.CHROMIUM || process.getuid?.() === 0) {
    if (!process.env.CHROMIUM) ensureDebianPackages(needed);
    return;
  }
  const missing = needed.filter((path) => !existsSync(path));
  if (missing.length > 0) {
    console.warn(`[stack] the browser tests need: sudo apt-get install -y ${missing.map((path) => debianPackages[path]).join(' ')}`);
  }
}

export function ensureDebianPackages(needed = Object.keys(debianPackages)) {
  const missing = needed.filter((command) => !(command.startsWith('/') ? existsSync(command) : onPath(command)));
  if (missing.length === 0) return;
  const packages = missing.map((command) => debianPackages[command]);
  if (process.getuid?.() !== 0) {
    throw new Error(`missing ${missing.join(', ')}; install them with: sudo apt-get install -y ${packages.join(' ')}`);
  }
  console.log(`[stack] installing Debian packages: ${packages.join(' ')}`);
  // RUNLEVEL=1 keeps the packages' init scripts from starting their own servers on our ports.
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', RUNLEVEL: '1' };
  const listsEmpty = !existsSync('/var/lib/apt/lists') || readdirSync('/var/lib/apt/lists').length < 3;
  if (listsEmpty) run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env });
}

/** Fetches the Kafka broker's classpath with Maven, once per content of infra/kafka/pom.xml. */
export function ensureKafkaLibs() {
  const pom = resolve(repoRoot, 'infra/kafka/pom.xml');
  const digest = createHash('sha256').update(readFileSync(pom)).digest('hex');
  const marker = resolve(dirs.kafkaLibs, '.pom-sha256');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === digest) return;
  console.log('[stack] fetching the Kafka broker jars from Maven Central (once)');
  rmSync(dirs.kafkaLibs, { recursive: true, force: true });
  mkdirSync(dirs.kafkaLibs, { recursive: true });
  run('mvn', ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${dirs.kafkaLibs}`]);
  writeFileSync(marker, digest);
}

/** Installs npm dependencies when node_modules is missing or older than the lock file. */
export function ensureNpmDependencies() {
  const lock = resolve(repoRoot, 'package-lock.json');
  const installed = resolve(repoRoot, 'node_modules/.package-lock.json');
  if (existsSync(installed) && existsSync(lock) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('[stack] installing npm dependencies');
  run('npm', [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: repoRoot });
}
