/*
 * The bare reverse proxy of the gateway benchmark (bench/gateway.ts), run in
 * its own process: the least any Node proxy in front of an OpenAI-compatible
 * server must do for an Azure-shaped call, and nothing else. It reads the
 * body, parses it and sets `model` (the upstream needs it; Azure callers name
 * the deployment in the path), and forwards it over pooled keep-alive
 * connections to the operation's path under the upstream's base URL; the
 * answer's status, content type and bytes are piped back as they arrive
 * (streams included). No authentication, quota, audit or error shaping.
 *
 *   node dist/bench/proxy-server.js --upstream URL --model NAME [--client undici|http] [--cert PEM --key PEM]
 *                                   [--audit DIR --checks] [--exit-with-stdin]
 *
 * With --audit DIR and --checks (the bearer token in BENCH_TOKEN; undici
 * only) it is the gateway's floor, (f): the same proxy plus the least the
 * data plane's contract requires per call (bench/floor-checks.ts: the caller
 * known, the quota counted, Azure's headers) and the durable audit record of
 * each allowed call with the tokens the answer reports, kept as Keyless keeps
 * it (src/audit/log.ts, the writer thread, SQLite in DIR).
 *
 * --client picks the upstream client: undici's Agent (the default, what
 * Keyless's relay uses) or node:http with a keep-alive Agent. With --cert and
 * --key it serves HTTPS (Keyless's certificate, so that the TLS work is the
 * same as Keyless's listener), else plain HTTP. Listens on 127.0.0.1 on a
 * free port and prints {"port":N} once listening.
 */
import { serveChild } from './child-lifecycle.js';
import http from 'node:http';
import path from 'node:path';
import { Agent } from 'undici';
import { AuditLog } from '../src/audit/log.js';
import { ENTITIES } from '../src/entities.js';
import { AuditStore } from '../src/store/audit-store.js';
import { openDatabase } from '../src/store/database.js';
import { floorChecks, tokenCredential, type FloorCheck } from './floor-checks.js';
import { allowedCallRecord } from './allowed-record.js';
import { usageFromJson } from '../src/models/index.js';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}

const upstreamUrl = option('--upstream');
const model = option('--model');
if (upstreamUrl === undefined || model === undefined) {
  process.stderr.write('usage: proxy-server --upstream URL --model NAME [--client undici|http] [--cert PEM --key PEM]\n');
  process.exit(2);
}
const upstream = new URL(upstreamUrl);
const basePath = upstream.pathname.replace(/\/+$/, '');
const certFile = option('--cert');
const keyFile = option('--key');
// The same pool settings as Keyless's relay (src/upstreams/relay.ts).
const undici = new Agent({ keepAliveTimeout: 30_000, connections: 512 });
const nodeAgent = new http.Agent({ keepAlive: true, maxSockets: 512 });
const useUndici = (option('--client') ?? 'undici') === 'undici';
const auditDir = option('--audit');
const database = auditDir === undefined ? undefined : await openDatabase({ url: path.join(auditDir, 'floor-audit.db'), entities: ENTITIES });
const audit = database === undefined ? undefined : new AuditLog(new AuditStore(database));
const checks = process.argv.includes('--checks') ? floorChecks(tokenCredential(process.env['BENCH_TOKEN'] ?? '')) : undefined;

/** `/openai/deployments/{d}/chat/completions?…` → `{basePath}/chat/completions`. */
function upstreamPath(url: string): string {
  const path = url.split('?', 1)[0] ?? '';
  const at = path.indexOf('/deployments/');
  const operation = at === -1 ? path : path.slice(path.indexOf('/', at + '/deployments/'.length));
  return `${basePath}${operation}`;
}

function handle(request: http.IncomingMessage, response: http.ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    let body: string;
    let checked: FloorCheck | undefined;
    try {
      const text = Buffer.concat(chunks).toString('utf8');
      const parsed = JSON.parse(text) as Record<string, unknown>;
      checked = checks?.(request.headers, parsed, text.length);
      body = JSON.stringify({ ...parsed, model });
    } catch {
      response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad json"}');
      return;
    }
    if (checked !== undefined && !checked.allowed) {
      response.writeHead(checked.status, { 'content-type': 'application/json' }).end(checked.body);
      return;
    }
    const path = upstreamPath(request.url ?? '/');
    const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    if (useUndici) viaUndici(path, headers, body, response, checked);
    else viaNodeHttp(path, headers, body, response);
  });
}

function viaUndici(path: string, headers: Record<string, string>, body: string, response: http.ServerResponse, checked: FloorCheck | undefined): void {
  undici.request({ origin: upstream.origin, path, method: 'POST', headers, body }).then(
    (answer) => {
      const out: Record<string, string | number> = checked?.allowed === true ? checked.headers : {};
      out['content-type'] = String(answer.headers['content-type'] ?? 'application/json');
      const length = answer.headers['content-length'];
      if (length !== undefined) out['content-length'] = String(length);
      response.writeHead(answer.statusCode, out);
      if (checked?.allowed === true) recordWhenOver(answer.body, checked.requestId);
      answer.body.pipe(response);
    },
    () => response.writeHead(502).end(),
  );
}

function viaNodeHttp(path: string, headers: Record<string, string>, body: string, response: http.ServerResponse): void {
  const req = http.request({ host: upstream.hostname, port: upstream.port, path, method: 'POST', headers, agent: nodeAgent }, (answer) => {
    const out: Record<string, string> = { 'content-type': answer.headers['content-type'] ?? 'application/json' };
    if (answer.headers['content-length'] !== undefined) out['content-length'] = answer.headers['content-length'];
    response.writeHead(answer.statusCode ?? 502, out);
    answer.pipe(response);
  });
  req.on('error', () => (response.headersSent ? response.destroy() : response.writeHead(502).end()));
  req.end(body);
}

/** The allowed call's record, once its answer is over, with the tokens its last chunk reports (none when a stream does not). */
function recordWhenOver(answer: NodeJS.ReadableStream, requestId: string): void {
  let last = '';
  answer.on('data', (chunk: Buffer) => (last = chunk.toString('utf8')));
  answer.on('end', () => audit?.record(allowedCallRecord('token', requestId, usageFromJson(last))));
}

serveChild(handle, { certFile, keyFile }, async () => {
  await undici.close();
  nodeAgent.destroy();
  await audit?.close();
  await database?.db.destroy();
});
