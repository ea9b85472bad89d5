/*
 * The bare baseline of the data-plane benchmark (bench/data-plane.ts), run in
 * its own process so that it competes for the CPU the way Keyless does: a
 * plain node:http or node:https server that reads the request body, parses it
 * when there is one (as Keyless must), and answers every request with the same
 * bytes, a response captured from Keyless beforehand. No routing, no checks.
 *
 *   node dist/bench/baseline-server.js --body FILE [--cert PEM --key PEM] [--audit DIR] [--checks] [--exit-with-stdin]
 *
 * With --cert and --key it serves HTTPS (keep-alive, as node:https does by
 * default), else plain HTTP. With --audit it also keeps one audit record per
 * request the way Keyless does (src/audit/log.ts and src/store/audit-store.ts:
 * queued, written in batches by the writer thread to a SQLite database made
 * in DIR), so that the cost of a durable record can be told apart from the
 * rest of Keyless's work. With --checks (and the key in BENCH_API_KEY) it is
 * the floor of the benchmark, (f): it also does the least the data plane's
 * contract requires per call (bench/floor-checks.ts). Listens on 127.0.0.1 on a free port and prints
 * one line, {"port":N}, once listening. SIGTERM or SIGINT closes it (and,
 * with --exit-with-stdin, the end of its stdin).
 */
import { serveChild } from './child-lifecycle.js';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AuditLog } from '../src/audit/log.js';
import { AuditStore } from '../src/store/audit-store.js';
import { openDatabase } from '../src/store/database.js';
import { ENTITIES } from '../src/entities.js';
import http from 'node:http';
import { floorChecks, keyCredential, withFreshId } from './floor-checks.js';
import { allowedCallRecord } from './allowed-record.js';
import { usageFromJson } from '../src/models/index.js';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}

const bodyFile = option('--body');
if (bodyFile === undefined) {
  process.stderr.write('usage: baseline-server --body FILE [--cert PEM --key PEM]\n');
  process.exit(2);
}
const certFile = option('--cert');
const keyFile = option('--key');
const answer = fs.readFileSync(bodyFile);
const auditDir = option('--audit');
const database = auditDir === undefined ? undefined : await openDatabase({ url: path.join(auditDir, 'baseline-audit.db'), entities: ENTITIES });
const audit = database === undefined ? undefined : new AuditLog(new AuditStore(database));
/** The tokens the captured answer reports, which Keyless records with each allowed model call. */
const spent = usageFromJson(answer.toString('utf8'));
const record = () => allowedCallRecord('key', randomUUID(), spent);
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(answer.length) };
const checks = process.argv.includes('--checks') ? floorChecks(keyCredential(process.env['BENCH_API_KEY'] ?? '')) : undefined;
const fill = withFreshId(answer.toString('utf8'));

function handle(request: http.IncomingMessage, response: http.ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    let body: unknown;
    let length = 0;
    if (chunks.length > 0) {
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        length = text.length;
        // Without --checks the parsed value is not used: this is the work every JSON API does.
        body = JSON.parse(text);
      } catch {
        response.writeHead(400, { 'content-type': 'application/json; charset=utf-8' }).end('{"error":"bad json"}');
        return;
      }
    }
    if (checks !== undefined) {
      const checked = checks(request.headers, typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}, length);
      if (!checked.allowed) {
        response.writeHead(checked.status, { 'content-type': 'application/json; charset=utf-8' }).end(checked.body);
        return;
      }
      audit?.record(record());
      const filled = fill(checked.requestId);
      checked.headers['content-type'] = 'application/json; charset=utf-8';
      checked.headers['content-length'] = Buffer.byteLength(filled);
      response.writeHead(200, checked.headers).end(filled);
      return;
    }
    audit?.record(record());
    response.writeHead(200, headers).end(answer);
  });
}

serveChild(handle, { certFile, keyFile }, async () => {
  await audit?.close();
  await database?.db.destroy();
});
