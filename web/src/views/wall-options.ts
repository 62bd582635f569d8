// The wallboard's options from the URL fragment (pure): pages, queues and the rotation period.

export type WallPage = 'kpis' | 'queues' | 'agents';

export interface WallOptions {
  pages: WallPage[];
  queues: string[] | undefined;
  everyS: number;
}

/** Reads the wallboard's options from the fragment (pure). */
export function wallOptions(hash: string): WallOptions {
  const query = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '';
  const params = new URLSearchParams(query);
  const pages = (params.get('pages') ?? 'kpis,queues,agents')
    .split(',')
    .map((page) => page.trim())
    .filter((page): page is WallPage => page === 'kpis' || page === 'queues' || page === 'agents');
  const queues = params
    .get('queues')
    ?.split(',')
    .map((queue) => queue.trim())
    .filter(Boolean);
  const every = Number(params.get('every') ?? 20);
  return { pages: pages.length > 0 ? pages : ['kpis'], queues: queues?.length ? queues : undefined, everyS: every >= 5 ? every : 20 };
}
