// GET / : the small live dashboard (public/index.html), static; it asks for a key and uses the SSE subscriptions.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';

const page = resolve(import.meta.dirname, '../../public/index.html');

export function addDashboardRoute(app: FastifyInstance): void {
  app.get('/', async (_request, reply) => {
    reply.header('content-type', 'text/html; charset=utf-8');
    reply.header('content-security-policy', "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'");
    return readFileSync(page, 'utf8');
  });
}
