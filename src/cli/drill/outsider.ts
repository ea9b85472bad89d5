import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { RuntimeInfo } from '../../runtime/runtime-file.js';
import { listenerTarget, tlsOptionsFor } from '../listener-target.js';

/** The header every drill request carries, naming the drill (what `drills/start` returned). */
export const DRILL_HEADER = 'x-keyless-drill';

export interface OutsiderAnswer {
  readonly status: number;
  readonly body: unknown;
}

const TIMEOUT_MS = 30_000;

/**
 * An attacker's HTTP client: no credential of its own, only what the drill
 * hands it per request. It reaches Keyless's public surfaces as any client
 * on this machine does (the HTTPS listener, trusting the CA runtime.json
 * names, and the managed identity port), never the data folder.
 */
export class Outsider {
  private readonly agent: https.Agent;

  constructor(
    private readonly runtime: RuntimeInfo,
    private readonly drillId: string,
  ) {
    const ca = runtime.caPath === undefined ? undefined : fs.readFileSync(runtime.caPath, 'utf8');
    this.agent = new https.Agent({ keepAlive: false, ...(ca !== undefined && { ca }) });
  }

  /** A request to the main listener; `url` is a path or any URL on Keyless's public origin (an account endpoint, say). */
  main(method: string, url: string, headers: Record<string, string> = {}, body?: string): Promise<OutsiderAnswer> {
    const target = listenerTarget(this.runtime);
    const { pathname, search } = new URL(url, this.runtime.baseUrl);
    return this.send(https, { host: target.address, port: target.port, agent: this.agent, ...tlsOptionsFor(target) }, method, `${pathname}${search}`, { host: target.hostHeader, ...headers }, body);
  }

  /** A GET on the managed identity port (plain HTTP, as the identity endpoints are). */
  identity(pathAndQuery: string, headers: Record<string, string> = {}): Promise<OutsiderAnswer> {
    const url = new URL(this.runtime.identityUrl);
    return this.send(http, { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port) }, 'GET', pathAndQuery, headers);
  }

  close(): void {
    this.agent.destroy();
  }

  private send(
    transport: typeof http | typeof https,
    options: https.RequestOptions,
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<OutsiderAnswer> {
    const all: Record<string, string> = { accept: 'application/json', 'user-agent': 'keyless-drill', [DRILL_HEADER]: this.drillId, ...headers };
    if (body !== undefined) all['content-length'] = String(Buffer.byteLength(body));
    return new Promise((resolve, reject) => {
      const req = transport.request({ ...options, method, path, headers: all, timeout: TIMEOUT_MS }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: parse(Buffer.concat(chunks).toString('utf8')) }));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${path.split('?')[0] ?? ''} within ${TIMEOUT_MS} ms`)));
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A short, secret-free description of a refusal: status and the error code the body names. */
export function refusal(answer: OutsiderAnswer): string {
  const b = answer.body as Record<string, unknown> | undefined;
  const inner = b?.['error'];
  const code =
    typeof inner === 'object' && inner !== null
      ? String((inner as Record<string, unknown>)['code'] ?? '')
      : typeof inner === 'string'
        ? `${inner}${Array.isArray(b?.['error_codes']) ? ` AADSTS${String((b['error_codes'] as unknown[])[0])}` : ''}`
        : '';
  return code === '' || code === String(answer.status) ? `refused (${answer.status})` : `refused (${answer.status} ${code})`;
}
