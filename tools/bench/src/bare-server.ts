// The baseline of the ingest benchmark: fastify answering the webhook with 200 and nothing else (no Kafka), run as a
// child process like the ingest service so the ratio compares like with like. Body handling matches ingest's (raw
// bytes, same body limit). Env: BARE_PORT.
import Fastify from 'fastify';

const port = Number(process.env.BARE_PORT);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  process.stderr.write(`bare-server: BARE_PORT must be a TCP port, got "${process.env.BARE_PORT ?? ''}"\n`);
  process.exit(78);
}

const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
app.get('/readyz', async () => ({ status: 'ready' }));
app.post('/webhooks/ringcentral', async (_request, reply) => reply.code(200).send());

await app.listen({ port, host: '127.0.0.1' });
const stop = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
