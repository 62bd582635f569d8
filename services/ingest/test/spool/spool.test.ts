// The spool on plain files: fsynced appends in order, group commit, checkpoint and segment deletion, recovery after
// a crash (SIGKILL of a writing process, a torn tail, a corrupt record), the size bound and the directory lock.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@callpulse/platform';
import { afterEach, describe, expect, it } from 'vitest';
import { Spool, type SpoolEntry, SpoolFullError, SpoolLockedError } from '../../src/spool/spool.js';

const logger = createLogger('test', 'silent');
const dirs: string[] = [];
const spools: Spool[] = [];

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'callpulse-spool-'));
  dirs.push(dir);
  return dir;
}

async function openSpool(dir: string, options: { maxBytes?: number; segmentBytes?: number } = {}): Promise<Spool> {
  const spool = await Spool.open({ dir, maxBytes: options.maxBytes ?? 64 * 1024 * 1024, segmentBytes: options.segmentBytes, logger });
  spools.push(spool);
  return spool;
}

const message = (i: number) => ({
  topic: 'callpulse.telephony-sessions',
  key: Buffer.from(`s-${i % 3}`),
  value: Buffer.from(JSON.stringify({ uuid: String(i) })),
  headers: { 'callpulse-notification-uuid': String(i) },
});
const uuids = (entries: SpoolEntry[]) => entries.map((entry) => JSON.parse(entry.record.value.toString()).uuid as string);
const segmentFiles = (dir: string) => readdirSync(dir).filter((name) => name.startsWith('segment-'));

/** What a restart finds: the spool opened again on the same directory without closing the first (as after SIGKILL). */
async function afterCrash(dir: string, options: { segmentBytes?: number } = {}): Promise<Spool> {
  return openSpool(dir, options);
}

afterEach(async () => {
  for (const spool of spools.splice(0)) await spool.close().catch(() => undefined);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('Spool', () => {
  it('keeps records in order until acknowledged, and a restart resumes after the checkpoint', async () => {
    const dir = freshDir();
    const spool = await openSpool(dir);
    await Promise.all(Array.from({ length: 10 }, (_, i) => spool.append(message(i))));
    expect(spool.backlog).toBe(10);
    const first = await spool.read(4);
    expect(uuids(first)).toEqual(['0', '1', '2', '3']);
    expect(uuids(await spool.read(4))).toEqual(['0', '1', '2', '3']); // the same until acknowledged
    await spool.acknowledge(4);
    expect(spool.backlog).toBe(6);

    const restarted = await afterCrash(dir);
    expect(restarted.backlog).toBe(6);
    expect(uuids(await restarted.read(100))).toEqual(['4', '5', '6', '7', '8', '9']);
  });

  it('reads every record exactly once, in order, while appends keep completing during the reads', async () => {
    const spool = await openSpool(freshDir(), { segmentBytes: 16 * 1024 });
    const total = 3000;
    const appending = (async () => {
      for (let i = 0; i < total; i += 30) {
        await Promise.all(Array.from({ length: 30 }, (_, j) => spool.append(message(i + j))));
      }
    })();
    const seen: string[] = [];
    const deadline = Date.now() + 20000;
    while (seen.length < total && Date.now() < deadline) {
      await Promise.race([spool.waitForRecords(), appending.then(() => sleep(10))]);
      const entries = await spool.read(50);
      seen.push(...uuids(entries));
      await spool.acknowledge(entries.length);
    }
    await appending;
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => String(i)));
    expect(spool.backlog).toBe(0);
    expect(spool.stats().tornTails).toBe(0);
  });

  it('shares one fsync among the appends that arrive together', async () => {
    const spool = await openSpool(freshDir());
    await Promise.all(Array.from({ length: 500 }, (_, i) => spool.append(message(i))));
    expect(spool.stats().fsyncs).toBeLessThanOrEqual(3);
    expect(spool.backlog).toBe(500);
  });

  it('rolls over segments, deletes the drained ones and leaves no files once empty and closed', async () => {
    const dir = freshDir();
    const spool = await openSpool(dir, { segmentBytes: 1024 });
    for (let i = 0; i < 100; i++) await spool.append(message(i));
    expect(segmentFiles(dir).length).toBeGreaterThan(5);
    const seen: string[] = [];
    while (spool.backlog > 0) {
      const entries = await spool.read(7);
      seen.push(...uuids(entries));
      await spool.acknowledge(entries.length);
    }
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
    expect(segmentFiles(dir)).toEqual([]);
    await spool.append(message(100));
    expect(uuids(await spool.read(10))).toEqual(['100']);
    await spool.acknowledge(1);
    await spool.close();
    expect(existsSync(dir)).toBe(false);
  });

  it('drops a torn tail after a crash (never acknowledged) and keeps appending after it', async () => {
    const dir = freshDir();
    const spool = await openSpool(dir);
    for (let i = 0; i < 5; i++) await spool.append(message(i));
    const [segment] = segmentFiles(dir);
    const path = join(dir, segment as string);
    const sizeBefore = readFileSync(path).length;
    appendFileSync(path, readFileSync(path).subarray(0, 30)); // a write the crash cut short

    const restarted = await afterCrash(dir);
    expect(restarted.stats().tornTails).toBe(1);
    expect(readFileSync(path).length).toBe(sizeBefore);
    await restarted.append(message(5));
    expect(uuids(await restarted.read(100))).toEqual(['0', '1', '2', '3', '4', '5']);
  });

  it('skips a corrupt record and delivers the others', async () => {
    const dir = freshDir();
    const spool = await openSpool(dir);
    for (let i = 0; i < 5; i++) await spool.append(message(i));
    const path = join(dir, segmentFiles(dir)[0] as string);
    const bytes = readFileSync(path);
    const third = bytes.indexOf('"uuid":"2"');
    bytes[third + 3] ^= 0x20;
    writeFileSync(path, bytes);

    const restarted = await afterCrash(dir);
    expect(restarted.stats().corruptRecords).toBe(1);
    expect(restarted.backlog).toBe(4);
    expect(uuids(await restarted.read(100))).toEqual(['0', '1', '3', '4']);
  });

  it('keeps every acknowledged append, in order, when the writing process is killed with SIGKILL', async () => {
    const dir = freshDir();
    const script = resolve(import.meta.dirname, 'support/append-until-killed.mjs');
    const child = spawn(process.execPath, [script, dir, String(64 * 1024)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    await new Promise<void>((resolveWait, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${output.split('\n').length} appends acknowledged`)), 30000);
      child.stdout.on('data', () => {
        if (output.split('\n').length > 3000) {
          clearTimeout(timer);
          resolveWait();
        }
      });
    });
    child.kill('SIGKILL');
    await new Promise((resolveExit) => child.once('exit', resolveExit));
    const acknowledged = output
      .split('\n')
      .filter((line) => line !== '')
      .map(Number);

    const restarted = await afterCrash(dir, { segmentBytes: 64 * 1024 });
    const found = (await restarted.read(1_000_000)).map((entry) => Number(entry.record.headers.i));
    const present = new Set(found);
    expect(acknowledged.filter((i) => !present.has(i))).toEqual([]);
    expect(found).toEqual([...found].sort((a, b) => a - b)); // appended in order, read back in order
    expect(restarted.stats().corruptRecords).toBe(0);
  });

  it('refuses appends beyond its size bound, and takes them again once drained', async () => {
    const spool = await openSpool(freshDir(), { maxBytes: 2000 });
    let accepted = 0;
    let full: unknown;
    for (let i = 0; i < 100 && !full; i++) {
      await spool.append(message(i)).then(
        () => accepted++,
        (err: unknown) => {
          full = err;
        },
      );
    }
    expect(full).toBeInstanceOf(SpoolFullError);
    expect(spool.accepting).toBe(false);
    await spool.acknowledge((await spool.read(1000)).length);
    expect(spool.backlog).toBe(0);
    await spool.append(message(1000));
    expect(spool.backlog).toBe(1);
    expect(accepted).toBeGreaterThan(5);
  });

  it('refuses a directory another running process holds', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'lock'), `${process.ppid}\n`);
    await expect(Spool.open({ dir, maxBytes: 1000, logger })).rejects.toBeInstanceOf(SpoolLockedError);
    writeFileSync(join(dir, 'lock'), '999999999\n'); // a pid that does not run: a stale lock
    spools.push(await Spool.open({ dir, maxBytes: 1000, logger }));
  });
});
