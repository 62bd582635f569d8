// GET / and /assets/*: the dashboard (web/, built by Vite into services/api/dist/web) with hashed file names, cached
// for a year, and a Content-Security-Policy without 'unsafe-inline' (the page has no inline script or style; the
// scripts set styles through the CSSOM, which the CSP allows). Files are read once at start-up; only names that exist
// are served, so no path from a request reaches the file system.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';

export const webDir = resolve(import.meta.dirname, '../web');

export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const types: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

const notBuilt = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>callpulse</title></head><body>
<h1>callpulse</h1><p>The dashboard is not built. Run <code>npm run build</code> (or <code>npm start</code>), then reload.</p>
<p>The GraphQL API is at <a href="/graphql">/graphql</a>.</p></body></html>`;

export function addDashboardRoute(app: FastifyInstance, dir = webDir): void {
  const indexFile = resolve(dir, 'index.html');
  const page = existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : notBuilt;
  const assetsDir = resolve(dir, 'assets');
  const assets = new Map<string, { body: Buffer; type: string }>();
  if (existsSync(assetsDir)) {
    for (const name of readdirSync(assetsDir)) {
      const type = types[extname(name)];
      if (type) assets.set(name, { body: readFileSync(resolve(assetsDir, name)), type });
    }
  }
  const secure = (reply: { header: (name: string, value: string) => unknown }) => {
    reply.header('content-security-policy', contentSecurityPolicy);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
  };
  app.get('/', async (_request, reply) => {
    secure(reply);
    reply.header('content-type', 'text/html; charset=utf-8');
    reply.header('cache-control', 'no-cache');
    reply.header('x-frame-options', 'DENY');
    return page;
  });
  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const asset = assets.get(request.params.name);
    if (!asset) return reply.code(404).send({ error: 'not found' });
    secure(reply);
    reply.header('content-type', asset.type);
    reply.header('cache-control', 'public, max-age=31536000, immutable');
    return asset.body;
  });
}
