// With --profile, the services run with --cpu-prof; this reads the .cpuprofile files they wrote on exit and names the
// functions where each spent most of its CPU time (self time), so a missed goal points at its bottleneck.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  startTime: number;
  endTime: number;
}

function shortUrl(url: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (match) return `${match[1]}/${match[2]}`;
  return url.replace(/^file:\/\//, '').replace(/^.*\/(services|packages|tools)\//, '$1/') || '(native)';
}

/** The top `count` functions by self time, as "name (file:line) share%". */
export function topFunctions(profile: CpuProfile, count = 8): string[] {
  const hits = new Map<number, number>();
  for (const id of profile.samples ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
  const total = [...hits.values()].reduce((sum, value) => sum + value, 0) || 1;
  const byFrame = new Map<string, number>();
  for (const node of profile.nodes) {
    const value = hits.get(node.id) ?? node.hitCount ?? 0;
    if (value === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} (${shortUrl(url)}${url ? `:${lineNumber + 1}` : ''})`;
    byFrame.set(key, (byFrame.get(key) ?? 0) + value);
  }
  return [...byFrame.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, value]) => `${key} ${((100 * value) / total).toFixed(1)}%`);
}

/** Self time grouped by package (node_modules) or source file of the repo, top `count`: where a bottleneck lives. */
export function topModules(profile: CpuProfile, count = 8): string[] {
  const hits = new Map<number, number>();
  for (const id of profile.samples ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
  const total = [...hits.values()].reduce((sum, value) => sum + value, 0) || 1;
  const byModule = new Map<string, number>();
  for (const node of profile.nodes) {
    const value = hits.get(node.id) ?? 0;
    if (value === 0) continue;
    const { url, functionName } = node.callFrame;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
    const group =
      pkg ??
      (url
        ? shortUrl(url).replace(/^node:internal\/([^/]+).*$/, 'node:$1')
        : `(${functionName || 'native'})`.replace(/^\(\((.*)\)\)$/, '($1)'));
    byModule.set(group, (byModule.get(group) ?? 0) + value);
  }
  return [...byModule.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([group, value]) => `${group} ${((100 * value) / total).toFixed(1)}%`);
}

export function summariseProfiles(dir: string): string[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
  } catch {
    return [];
  }
  return files.map((file) => {
    try {
      const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
      const seconds = ((profile.endTime - profile.startTime) / 1e6).toFixed(0);
      return `profile ${file} (${seconds} s), self time by module: ${topModules(profile).join('; ')}; by function: ${topFunctions(profile).join('; ')} [${join(dir, file)}]`;
    } catch (err) {
      return `profile ${file}: unreadable (${(err as Error).message})`;
    }
  });
}
