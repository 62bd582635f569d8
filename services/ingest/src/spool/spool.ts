// The durable local spool: an append-only log of Kafka messages in segment files under one directory.
// append() resolves only after the record is fsynced (group commit: the appends waiting while one write+fsync runs
// share the next one). The drainer reads records in order from the checkpoint (the first record Kafka has not
// acknowledged), acknowledges them after Kafka did, and the checkpoint is written atomically (temp file, fsync,
// rename, fsync of the directory); segments behind it are deleted. Opening the spool recovers it after any crash:
// a torn tail is dropped, a corrupt record is skipped, and what is left after the checkpoint is the backlog.
// One process at a time uses a directory (a lock file with its pid).
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm, rmdir, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@callpulse/platform';
import { encodeFrame, type ScannedFrame, type SpoolRecord, scanFrames } from './segment-file.js';

export class SpoolFullError extends Error {
  constructor(maxBytes: number) {
    super(`the spool is full (INGEST_SPOOL_MAX_BYTES = ${maxBytes} bytes)`);
    this.name = 'SpoolFullError';
  }
}

export class SpoolUnavailableError extends Error {
  constructor(reason: string) {
    super(`the spool cannot take records: ${reason}`);
    this.name = 'SpoolUnavailableError';
  }
}

export class SpoolLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `the spool directory ${dir} is in use by another running process (pid ${pid}); give each ingest instance its own INGEST_SPOOL_DIR`,
    );
    this.name = 'SpoolLockedError';
  }
}

export interface SpoolOptions {
  dir: string;
  maxBytes: number;
  /** A segment is sealed and a new one started once it holds this many bytes. */
  segmentBytes?: number;
  logger: Logger;
  now?: () => number;
}

export interface SpoolStats {
  /** Records not yet acknowledged by Kafka (including appends still being written). */
  records: number;
  /** Bytes on disk (and being written). */
  bytes: number;
  /** Epoch ms when the oldest record not yet acknowledged was spooled. */
  oldestSpooledAtMs: number | undefined;
  drainedTotal: number;
  spooledTotal: number;
  /** Damaged records skipped and torn tails dropped since start-up (recovery included). */
  corruptRecords: number;
  tornTails: number;
  /** Group commits (one write and one fsync each) since start-up. */
  fsyncs: number;
}

/** A record read from the spool, where it is. */
export interface SpoolEntry {
  record: SpoolRecord;
  segment: number;
  start: number;
  end: number;
}

interface Segment {
  id: number;
  /** Bytes durably written (for a recovered segment: up to its last valid frame). */
  end: number;
  sealed: boolean;
}

interface PendingAppend {
  frame: Buffer;
  spooledAtMs: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

const DEFAULT_SEGMENT_BYTES = 8 * 1024 * 1024;
const segmentName = (id: number) => `segment-${String(id).padStart(12, '0')}.log`;
const SEGMENT_PATTERN = /^segment-(\d{12})\.log$/;
const CHECKPOINT = 'checkpoint.json';
const LOCK = 'lock';

export class Spool {
  private readonly segments = new Map<number, Segment>();
  private active: { segment: Segment; file: FileHandle } | undefined;
  private nextSegmentId: number;
  private pending: PendingAppend[] = [];
  private pendingBytes = 0;
  private committing: Promise<void> | undefined;
  private broken: Error | undefined;
  private closed = false;
  /** Where the next unread byte is: records before it are in `buffered` or acknowledged. */
  private reader: { segment: number; offset: number };
  /** Records read but not acknowledged yet, in order. */
  private buffered: SpoolEntry[] = [];
  private checkpoint: { segment: number; offset: number };
  private checkpointWrites: Promise<void> = Promise.resolve();
  private appended: number;
  private acknowledged = 0;
  private oldest: number | undefined;
  private spooledTotal = 0;
  private drainedTotal = 0;
  private fsyncs = 0;
  /** An append was refused for lack of room; cleared when a drained segment is deleted. */
  private refusedForRoom = false;
  private corruptRecords: number;
  private tornTails: number;
  private waiters: Array<() => void> = [];
  private readonly segmentBytes: number;
  private readonly now: () => number;

  private constructor(
    private readonly options: SpoolOptions,
    recovered: Recovered,
  ) {
    this.segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    this.now = options.now ?? Date.now;
    for (const segment of recovered.segments) this.segments.set(segment.id, segment);
    this.nextSegmentId = recovered.nextSegmentId;
    this.checkpoint = recovered.checkpoint;
    this.reader = { ...recovered.checkpoint };
    this.appended = recovered.records;
    this.oldest = recovered.oldestSpooledAtMs;
    this.corruptRecords = recovered.corruptRecords;
    this.tornTails = recovered.tornTails;
  }

  /** Locks the directory, recovers what a previous run left, and returns the spool. */
  static async open(options: SpoolOptions): Promise<Spool> {
    await mkdir(options.dir, { recursive: true });
    await takeLock(options.dir);
    const recovered = await recover(options.dir, options.logger);
    const spool = new Spool(options, recovered);
    if (recovered.records > 0) {
      options.logger.warn(
        { records: recovered.records, segments: recovered.segments.length, dir: options.dir },
        'the spool holds records from a previous run; draining them to Kafka first',
      );
    }
    return spool;
  }

  /** Records not acknowledged by Kafka yet, including appends not yet written: while > 0, new records must follow them. */
  get backlog(): number {
    return this.appended - this.acknowledged;
  }

  /** Whether an append can succeed now (not full, no write failure, not closed). */
  get accepting(): boolean {
    return !this.broken && !this.closed && !this.refusedForRoom;
  }

  /** An append was refused for lack of room, and nothing was drained since. */
  get isFull(): boolean {
    return this.refusedForRoom;
  }

  get unavailableReason(): string | undefined {
    if (this.closed) return 'the spool is closed';
    if (this.broken) return this.broken.message;
    if (this.refusedForRoom) return new SpoolFullError(this.options.maxBytes).message;
    return undefined;
  }

  get bytes(): number {
    let bytes = this.pendingBytes;
    for (const segment of this.segments.values()) bytes += segment.end;
    return bytes;
  }

  stats(): SpoolStats {
    return {
      records: this.backlog,
      bytes: this.bytes,
      oldestSpooledAtMs: this.backlog > 0 ? this.oldest : undefined,
      drainedTotal: this.drainedTotal,
      spooledTotal: this.spooledTotal,
      corruptRecords: this.corruptRecords,
      tornTails: this.tornTails,
      fsyncs: this.fsyncs,
    };
  }

  /** Appends one record; resolves once it is on disk (fsynced). Rejects with SpoolFullError or SpoolUnavailableError. */
  append(record: Omit<SpoolRecord, 'spooledAtMs'>): Promise<void> {
    if (this.closed) return Promise.reject(new SpoolUnavailableError('the spool is closed'));
    if (this.broken) return Promise.reject(new SpoolUnavailableError(this.broken.message));
    const spooledAtMs = this.now();
    const frame = encodeFrame({ ...record, spooledAtMs });
    if (this.bytes + frame.length > this.options.maxBytes) {
      this.refusedForRoom = true;
      return Promise.reject(new SpoolFullError(this.options.maxBytes));
    }
    if (this.backlog === 0) this.oldest = spooledAtMs;
    this.appended++;
    this.spooledTotal++;
    this.pendingBytes += frame.length;
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ frame, spooledAtMs, resolve, reject });
      this.committing ??= this.commit();
    });
  }

  /** Resolves when there is a written record to read (or the spool closes). */
  async waitForRecords(): Promise<void> {
    while (!this.closed && !this.hasUnread()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Up to `max` records from the first one Kafka has not acknowledged, in order (the same ones again until acknowledged). */
  async read(max: number): Promise<SpoolEntry[]> {
    while (this.buffered.length < max && (await this.readMore())) {
      // readMore decoded the next written bytes
    }
    return this.buffered.slice(0, max);
  }

  /** The first `count` records read were acknowledged by Kafka: move the checkpoint past them. */
  async acknowledge(count: number): Promise<void> {
    if (count <= 0) return;
    if (count > this.buffered.length) throw new Error(`cannot acknowledge ${count} records: ${this.buffered.length} were read`);
    this.buffered.splice(0, count);
    this.acknowledged += count;
    this.drainedTotal += count;
    const head = this.buffered[0];
    if (head) this.oldest = head.record.spooledAtMs;
    if (this.backlog === 0 && this.pending.length === 0 && !this.committing) this.startAfresh();
    this.checkpoint = head ? { segment: head.segment, offset: head.start } : { ...this.reader };
    await this.persistCheckpoint();
  }

  /** Waits for appends in flight, writes the checkpoint, releases the lock; what is left stays for the next start. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const wake of this.waiters.splice(0)) wake();
    while (this.committing) await this.committing;
    await this.persistCheckpoint();
    await this.active?.file.close().catch(() => undefined);
    this.active = undefined;
    if (this.backlog === 0) {
      // Nothing left: leave no files behind (and no directory, unless something else lives in it).
      for (const id of [...this.segments.keys()]) await this.deleteSegment(id);
      await rm(join(this.options.dir, CHECKPOINT), { force: true });
    }
    await unlink(join(this.options.dir, LOCK)).catch(() => undefined);
    if (this.backlog === 0) await rmdir(this.options.dir).catch(() => undefined);
  }

  private hasUnread(): boolean {
    if (this.buffered.length > 0) return true;
    const segment = this.segments.get(this.reader.segment);
    if (segment && this.reader.offset < segment.end) return true;
    return [...this.segments.keys()].some((id) => id > this.reader.segment);
  }

  /** Decodes the next written bytes into `buffered`; false when there is nothing more to read now. */
  private async readMore(): Promise<boolean> {
    const segment = this.segments.get(this.reader.segment);
    if (segment && this.reader.offset < segment.end) {
      // Appends may complete while this reads: everything up to `end` (taken now) is written, the rest waits.
      const { offset } = this.reader;
      const end = segment.end;
      const bytes = await readRange(join(this.options.dir, segmentName(segment.id)), offset, end);
      if (bytes.length < end - offset) throw new Error(`spool segment ${segment.id} is shorter than what was written to it`);
      const scan = scanFrames(bytes, offset);
      this.noteDamage(segment.id, scan.corrupt.length, scan.validEnd < end);
      for (const frame of scan.frames) this.buffered.push(toEntry(segment.id, frame));
      this.oldest = this.buffered[0]?.record.spooledAtMs ?? this.oldest;
      this.reader = { segment: segment.id, offset: end };
      return true;
    }
    if (segment && !segment.sealed) return false;
    const next = [...this.segments.keys()].filter((id) => id > this.reader.segment).sort((a, b) => a - b)[0];
    if (next === undefined) return false;
    this.reader = { segment: next, offset: 0 };
    return true;
  }

  private noteDamage(segment: number, corrupt: number, tornTail: boolean): void {
    if (corrupt === 0 && !tornTail) return;
    this.corruptRecords += corrupt;
    if (tornTail) this.tornTails++;
    this.options.logger.error({ segment, corrupt, tornTail }, 'damaged records in a spool segment were skipped');
  }

  /** Writes and fsyncs every waiting append (one write and one fsync per segment touched), until none waits. */
  private async commit(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve)); // appends of the same moment share the fsync
    try {
      while (this.pending.length > 0) {
        const group = this.takeGroup();
        try {
          const { segment, file } = await this.activeSegment();
          await file.write(Buffer.concat(group.appends.map((append) => append.frame)), 0, group.bytes, segment.end);
          await file.datasync();
          this.fsyncs++;
          segment.end += group.bytes;
        } catch (err) {
          this.fail([...group.appends, ...this.pending.splice(0)], err as Error);
          return;
        }
        this.pendingBytes -= group.bytes;
        for (const append of group.appends) append.resolve();
        for (const wake of this.waiters.splice(0)) wake();
      }
    } finally {
      this.committing = undefined;
    }
  }

  /** The waiting appends that fit the active segment (at least one), removed from `pending`. */
  private takeGroup(): { appends: PendingAppend[]; bytes: number } {
    const first = this.pending.shift() as PendingAppend;
    // A segment that holds records is sealed when the next one does not fit; a new one takes any size.
    if (this.active && this.active.segment.end > 0 && this.active.segment.end + first.frame.length > this.segmentBytes) this.sealActive();
    const room = this.segmentBytes - (this.active?.segment.end ?? 0);
    const appends = [first];
    let bytes = first.frame.length;
    while (this.pending.length > 0 && bytes + (this.pending[0] as PendingAppend).frame.length <= room) {
      const next = this.pending.shift() as PendingAppend;
      appends.push(next);
      bytes += next.frame.length;
    }
    return { appends, bytes };
  }

  /** A failed write or fsync: what reached the disk is unknown, so the spool takes no more records (a restart recovers it). */
  private fail(appends: PendingAppend[], err: Error): void {
    this.broken = err;
    this.options.logger.error({ err, records: appends.length }, 'writing to the spool failed; it takes no more records');
    this.appended -= appends.length;
    this.spooledTotal -= appends.length;
    for (const append of appends) {
      this.pendingBytes -= append.frame.length;
      append.reject(new SpoolUnavailableError(err.message));
    }
  }

  private async activeSegment(): Promise<{ segment: Segment; file: FileHandle }> {
    if (this.active) return this.active;
    const id = this.nextSegmentId++;
    const file = await open(join(this.options.dir, segmentName(id)), 'wx+');
    fsyncDirectory(this.options.dir); // the new file's name is durable before a record in it is acknowledged
    const segment: Segment = { id, end: 0, sealed: false };
    this.segments.set(id, segment);
    this.active = { segment, file };
    return this.active;
  }

  private sealActive(): void {
    if (!this.active) return;
    const { segment, file } = this.active;
    segment.sealed = true;
    this.active = undefined;
    file.close().catch(() => undefined);
  }

  /** Nothing is left: the next record starts a new segment, and every old one goes. */
  private startAfresh(): void {
    this.sealActive();
    this.reader = { segment: this.nextSegmentId, offset: 0 };
    this.buffered = [];
  }

  /** Writes the current checkpoint (serialised: writes never overtake each other), then deletes the segments behind it. */
  private persistCheckpoint(): Promise<void> {
    this.checkpointWrites = this.checkpointWrites.then(async () => {
      const checkpoint = { ...this.checkpoint };
      const path = join(this.options.dir, CHECKPOINT);
      const temporary = `${path}.tmp`;
      const file = await open(temporary, 'w');
      try {
        await file.writeFile(`${JSON.stringify(checkpoint)}\n`);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, path);
      fsyncDirectory(this.options.dir);
      for (const id of [...this.segments.keys()]) {
        const segment = this.segments.get(id);
        if (id < checkpoint.segment && segment?.sealed) await this.deleteSegment(id);
      }
    });
    return this.checkpointWrites;
  }

  private async deleteSegment(id: number): Promise<void> {
    this.segments.delete(id);
    this.refusedForRoom = false;
    await rm(join(this.options.dir, segmentName(id)), { force: true });
  }
}

function toEntry(segment: number, frame: ScannedFrame): SpoolEntry {
  return { record: frame.record, segment, start: frame.start, end: frame.end };
}

async function readRange(path: string, start: number, end: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(end - start);
    let read = 0;
    while (read < buffer.length) {
      const { bytesRead } = await file.read(buffer, read, buffer.length - read, start + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return buffer.subarray(0, read);
  } finally {
    await file.close();
  }
}

function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

async function takeLock(dir: string): Promise<void> {
  const path = join(dir, LOCK);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(path, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    // A pid that no longer runs (or is our own, e.g. pid 1 again in a new container) holds nothing.
    if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) throw new SpoolLockedError(dir, holder);
    await unlink(path).catch(() => undefined);
  }
  throw new Error(`could not take the spool lock ${path}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Recovered {
  segments: Segment[];
  nextSegmentId: number;
  checkpoint: { segment: number; offset: number };
  records: number;
  oldestSpooledAtMs: number | undefined;
  corruptRecords: number;
  tornTails: number;
}

/** Reads the checkpoint and every segment: drops torn tails, counts what is left to drain. */
async function recover(dir: string, logger: Logger): Promise<Recovered> {
  let checkpoint = { segment: 0, offset: 0 };
  try {
    const parsed = JSON.parse(await readFile(join(dir, CHECKPOINT), 'utf8')) as { segment?: unknown; offset?: unknown };
    if (Number.isSafeInteger(parsed.segment) && Number.isSafeInteger(parsed.offset)) {
      checkpoint = { segment: parsed.segment as number, offset: parsed.offset as number };
    } else throw new Error('not a checkpoint');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      logger.error({ err }, 'the spool checkpoint is unreadable; draining every segment from its start (duplicates possible)');
    }
  }
  await rm(join(dir, `${CHECKPOINT}.tmp`), { force: true });

  const ids = (await readdir(dir))
    .map((name) => SEGMENT_PATTERN.exec(name)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const segments: Segment[] = [];
  let records = 0;
  let oldestSpooledAtMs: number | undefined;
  let corruptRecords = 0;
  let tornTails = 0;
  for (const id of ids) {
    const path = join(dir, segmentName(id));
    if (id < checkpoint.segment) {
      await rm(path, { force: true });
      continue;
    }
    const bytes = await readFile(path);
    const scan = scanFrames(bytes);
    if (scan.validEnd < bytes.length) {
      tornTails++;
      logger.warn({ segment: id, bytes: bytes.length - scan.validEnd }, 'dropped the torn tail of a spool segment (never acknowledged)');
      await truncate(path, scan.validEnd);
    }
    if (scan.corrupt.length > 0) {
      corruptRecords += scan.corrupt.length;
      logger.error({ segment: id, stretches: scan.corrupt.length }, 'skipped damaged records in a spool segment');
    }
    const unread = scan.frames.filter((frame) => id > checkpoint.segment || frame.start >= checkpoint.offset);
    records += unread.length;
    oldestSpooledAtMs ??= unread[0]?.record.spooledAtMs;
    segments.push({ id, end: scan.validEnd, sealed: true });
  }
  const last = ids.at(-1);
  const nextSegmentId = Math.max(checkpoint.segment, last === undefined ? 0 : last + 1);
  if (!segments.some((segment) => segment.id === checkpoint.segment)) {
    const first = segments[0];
    checkpoint = first ? { segment: first.id, offset: 0 } : { segment: nextSegmentId, offset: 0 };
  }
  return { segments, nextSegmentId, checkpoint, records, oldestSpooledAtMs, corruptRecords, tornTails };
}
