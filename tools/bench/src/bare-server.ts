// The baselines of the ingest benchmark, run as child processes like the ingest service (the bench starts them with
// the services' node flags and LOG_LEVEL). BARE_MODE=parse (the baseline the goal is set against): fastify with
// ingest's server options (our pino logger, no request logging), ingest's body handling (raw bytes, its hard cap) and
// ingest's own interpretWebhook from its build (Verification-Token check, JSON.parse, envelope and notification
// checks), answering 200 with no Kafka; GET /counts says what the checks decided. BARE_MODE=bare (the old baseline,
// kept for comparison): fastify with no logger answering 200 without reading the body.
// Env: BARE_PORT, BARE_MODE (parse | bare), BARE_VERIFICATION_TOKEN (parse).
import { createLogger, httpServerOptions } from '@callpulse/platform';
import Fastify, { type FastifyInstance } from 'fastify';

const port = Number(process.env.BARE_PORT);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  process.stderr.write(`bare-server: BARE_PORT must be a TCP port, got "${process.env.BARE_PORT ?? ''}"\n`);
  process.exit(78);
}
const mode = process.env.BARE_MODE ?? 'parse';
if (mode !== 'parse' && mode !== 'bare') {
  process.stderr.write(`bare-server: BARE_MODE must be parse or bare, got "${mode}"\n`);
  process.exit(78);
}

type Headers = Record<string, string | string[] | undefined>;
type InterpretWebhook = (
  raw: Buffer,
  headers: Headers,
  token: string | undefined,
  receivedAtMs?: number,
  bodyLimitBytes?: number,
) => {
  action: string;
};

/** ingest's default INGEST_BODY_LIMIT_BYTES (services/ingest/src/config.ts). */
const INGEST_BODY_LIMIT_BYTES = 256 * 1024;

async function parseAndValidate(): Promise<FastifyInstance> {
  // ingest's own functions from its build (the bench builds every workspace first); a service exports only main.js.
  const intake = (await import(new URL('../../../services/ingest/dist/webhook/intake.js', import.meta.url).href)) as {
    interpretWebhook: InterpretWebhook;
  };
  const route = (await import(new URL('../../../services/ingest/dist/webhook/route.js', import.meta.url).href)) as {
    bodyHardCapBytes: (bodyLimitBytes: number) => number;
    webhookPath: string;
  };
  const token = process.env.BARE_VERIFICATION_TOKEN || undefined;
  const hardCap = route.bodyHardCapBytes(INGEST_BODY_LIMIT_BYTES);
  const logger = createLogger('bench-baseline', process.env.LOG_LEVEL ?? 'info');
  const app = Fastify({ ...httpServerOptions(logger), bodyLimit: hardCap });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: hardCap }, (_request, body, done) => done(null, body));
  const counts: Record<string, number> = {};
  app.get('/counts', async () => counts);
  app.post(route.webhookPath, async (request, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const decided = intake.interpretWebhook(raw, request.headers, token, Date.now(), INGEST_BODY_LIMIT_BYTES);
    counts[decided.action] = (counts[decided.action] ?? 0) + 1;
    return reply.code(decided.action === 'unauthorized' ? 401 : 200).send();
  });
  return app;
}

function bare(): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.post('/webhooks/ringcentral', async (_request, reply) => reply.code(200).send());
  return app;
}

const app = mode === 'parse' ? await parseAndValidate() : bare();
app.get('/readyz', async () => ({ status: 'ready' }));
await app.listen({ port, host: '127.0.0.1' });
const stop = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
