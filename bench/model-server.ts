/*
 * A second, supplementary baseline for the data-plane benchmark
 * (bench/data-plane.ts): a chat route on the fastify configuration of
 * Keyless's other surfaces (src/surfaces/http/server.ts: TLS with Keyless's
 * certificate, the same logger at level silent, random request ids), with the
 * data plane's route shape and response headers and the simulator model
 * (src/models) called on every request, but no account or deployment lookup,
 * no api-version check, no authentication, no RBAC, no audit record and no
 * response cache. It is where the data plane would be on the framework
 * without its checks (Keyless's data plane runs on node's request and
 * response instead: src/surfaces/openai/listener.ts).
 *
 *   node dist/bench/model-server.js --cert PEM --key PEM [--exit-with-stdin]
 *
 * Listens on 127.0.0.1 on a free port and prints {"port":N} once listening.
 * SIGTERM or SIGINT closes it (and, with --exit-with-stdin, the end of stdin).
 */
import { stopWhenAsked } from './child-lifecycle.js';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from '../src/surfaces/http/server.js';
import { answeredModelName, createSimulator, type CallContext } from '../src/models/index.js';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}

const certFile = option('--cert');
const keyFile = option('--key');
if (certFile === undefined || keyFile === undefined) {
  process.stderr.write('usage: model-server --cert PEM --key PEM [--exit-with-stdin]\n');
  process.exit(2);
}

const MODEL_NAME = 'gpt-4o-mini';
// As the data plane names a deployment of the catalogue's default version in its answers.
const ANSWERED_MODEL = answeredModelName(MODEL_NAME, '2024-07-18');
const model = createSimulator();
model.warmUp([MODEL_NAME]);
const app = createServer({ tls: { cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8') }, logLevel: 'silent' });

app.post('/accounts/:account/openai/deployments/:deployment/chat/completions', (request, reply) => {
  reply.header('x-request-id', request.id).header('apim-request-id', request.id);
  const deployment = (request.params as { deployment: string }).deployment;
  const ctx: CallContext = {
    deployment,
    modelName: MODEL_NAME,
    answeredModel: ANSWERED_MODEL,
    created: Math.floor(Date.now() / 1000),
    id: `chatcmpl-${randomUUID().replace(/-/g, '')}`,
  };
  return reply.send(model.chat(request.body ?? {}, ctx));
});

await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ port: (app.server.address() as AddressInfo).port })}\n`);

stopWhenAsked(() => app.close());
