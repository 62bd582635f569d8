// Debian's Chromium for the dashboard part: testkit's launcher (the browser tests use the same one), with the
// description the report prints; and the memory of its processes as Linux counts it (PSS, and PSS by mapping) and as
// Chromium's allocators count it (a memory-infra dump: V8, Blink's GC heap, PartitionAlloc, malloc, cc tiles...).
import { readFileSync } from 'node:fs';
import { launchChromium } from '@callpulse/testkit/browser';
import type { Browser, CDPSession } from 'playwright-core';

export async function launchBenchBrowser(): Promise<{ browser: Browser; description: string }> {
  const { browser, description } = await launchChromium();
  return { browser, description };
}

/** A process's proportional set size (shared pages divided among their users), from /proc/<pid>/smaps_rollup. */
export function pssBytes(pid: number): number {
  try {
    const match = /^Pss:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** A process's private memory (Private_Clean + Private_Dirty of /proc/<pid>/smaps_rollup): pages no other process maps. */
export function privateBytes(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(rollup)?.[1] ?? 0) * 1024;
    return field('Private_Clean') + field('Private_Dirty');
  } catch {
    return 0;
  }
}

/** The kind of a mapping of /proc/<pid>/smaps, from its name (Chromium names its anonymous heaps on Linux >= 5.17). */
export function mappingKind(name: string): string {
  if (name === '') return 'anonymous';
  if (name.startsWith('[anon:')) return name.replace(/[:\s]\d+\]$/, ']'); // [anon:partition_alloc], [anon:v8], ...
  if (name.startsWith('/memfd:') || name.startsWith('/dev/shm') || name.startsWith('/SYSV')) return 'shared memory';
  if (name.startsWith('[')) return name; // [heap], [stack], [vdso]
  if (/\.so(\.|$)/.test(name)) return 'libraries';
  if (/\.(pak|dat|bin)$/.test(name) || name.includes('/fonts/')) return 'resources and fonts';
  return 'executable and other files';
}

/** PSS by kind of mapping (mappingKind) in bytes, largest first. */
export function pssByMapping(pid: number): Array<{ kind: string; bytes: number }> {
  const sums = new Map<string, number>();
  let kind = 'anonymous';
  try {
    for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
      // A mapping's header: "start-end perms offset dev inode [name]"
      const header = /^[0-9a-f]+-[0-9a-f]+\s+\S+\s+\S+\s+\S+\s+\d+\s*(.*)$/.exec(line);
      if (header) {
        kind = mappingKind((header[1] ?? '').trim());
        continue;
      }
      const pss = /^Pss:\s+(\d+)\s+kB/.exec(line);
      if (pss) sums.set(kind, (sums.get(kind) ?? 0) + Number(pss[1]) * 1024);
    }
  } catch {
    // gone
  }
  return [...sums].map(([name, bytes]) => ({ kind: name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/**
 * Allocators of a memory-infra dump, summed over the renderer processes, in bytes, largest first: the top-level ones
 * (v8, blink_gc, malloc, partition_alloc, cc, shared_memory...), or with `detailed` every one down to `depth` levels.
 */
export async function rendererAllocators(
  session: CDPSession,
  { detailed = false, depth = 1 }: { detailed?: boolean; depth?: number } = {},
): Promise<Array<{ allocator: string; bytes: number }>> {
  type DumpEvent = {
    ph: string;
    pid: number;
    name: string;
    args?: { name?: string; dumps?: { allocators?: Record<string, { attrs?: { size?: { value: string } } }> } };
  };
  const events: DumpEvent[] = [];
  const collect = ({ value }: { value: unknown[] }) => {
    events.push(...(value as DumpEvent[]));
  };
  session.on('Tracing.dataCollected', collect);
  const complete = new Promise<void>((done) => session.once('Tracing.tracingComplete', () => done()));
  try {
    await session.send('Tracing.start', {
      traceConfig: {
        includedCategories: ['disabled-by-default-memory-infra'],
        excludedCategories: ['*'],
        memoryDumpConfig: { triggers: [] } as unknown as Record<string, string>,
      },
      transferMode: 'ReportEvents',
    });
    await session.send('Tracing.requestMemoryDump', { deterministic: false, levelOfDetail: detailed ? 'detailed' : 'light' });
    await session.send('Tracing.end');
    await complete;
  } finally {
    session.off('Tracing.dataCollected', collect);
  }
  const renderers = new Set(
    events.filter((e) => e.ph === 'M' && e.name === 'process_name' && e.args?.name === 'Renderer').map((e) => e.pid),
  );
  const sums = new Map<string, number>();
  for (const event of events) {
    if (event.ph !== 'v' || !renderers.has(event.pid)) continue;
    for (const [path, dump] of Object.entries(event.args?.dumps?.allocators ?? {})) {
      if (path.split('/').length > depth || !dump.attrs?.size) continue;
      sums.set(path, (sums.get(path) ?? 0) + Number.parseInt(dump.attrs.size.value, 16));
    }
  }
  return [...sums].map(([allocator, bytes]) => ({ allocator, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** What the renderer's frames did for `ms` milliseconds (a devtools.timeline trace): style recalculations and layouts, their sizes. */
export async function renderingWork(session: CDPSession, ms: number): Promise<string> {
  type TimelineEvent = {
    ph: string;
    name: string;
    dur?: number;
    args?: { beginData?: { dirtyObjects?: number; totalObjects?: number }; elementCount?: number; data?: Record<string, unknown> };
  };
  const events: TimelineEvent[] = [];
  const collect = ({ value }: { value: unknown[] }) => {
    events.push(...(value as TimelineEvent[]));
  };
  session.on('Tracing.dataCollected', collect);
  const complete = new Promise<void>((done) => session.once('Tracing.tracingComplete', () => done()));
  try {
    await session.send('Tracing.start', {
      categories: 'devtools.timeline,disabled-by-default-devtools.timeline',
      transferMode: 'ReportEvents',
    });
    await new Promise((done) => setTimeout(done, ms));
    await session.send('Tracing.end');
    await complete;
  } finally {
    session.off('Tracing.dataCollected', collect);
  }
  const layouts = events.filter((event) => event.name === 'Layout' && event.ph === 'X');
  const styles = events.filter((event) => event.name === 'UpdateLayoutTree' && event.ph === 'X');
  const paints = events.filter((event) => event.name === 'Paint' && event.ph === 'X');
  const mean = (values: number[]) => (values.length === 0 ? 0 : Math.round(values.reduce((a, b) => a + b, 0) / values.length));
  const perSecond = (count: number) => Math.round((count / ms) * 1000);
  return (
    `${perSecond(layouts.length)} layouts/s (mean ${mean(layouts.map((e) => e.args?.beginData?.dirtyObjects ?? 0))} dirty of ` +
    `${mean(layouts.map((e) => e.args?.beginData?.totalObjects ?? 0))} objects, ${mean(layouts.map((e) => e.dur ?? 0))} µs), ` +
    `${perSecond(styles.length)} style recalculations/s (mean ${mean(styles.map((e) => e.args?.elementCount ?? 0))} elements, ` +
    `${mean(styles.map((e) => e.dur ?? 0))} µs), ${perSecond(paints.length)} paints/s`
  );
}
