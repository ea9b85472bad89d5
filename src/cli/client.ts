import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { isProcessAlive, readRuntimeFile } from '../runtime/runtime-file.js';
import type { RuntimeInfo } from '../runtime/runtime-file.js';
import { ADMIN_CREDENTIAL_FILE, readCredential } from '../setup/admin-credential.js';
import { CliError, armErrorFrom } from './errors.js';
import { listenerTarget, tlsOptionsFor, type ListenerTarget } from './listener-target.js';

export type HttpMethod = 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';

export interface ArmResult {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

type RawResponse = ArmResult;

const TIMEOUT_MS = 30_000;

export function notRunningError(dir: string): CliError {
  return new CliError(`Keyless is not running with data folder ${dir} (start it with \`keyless up\`).`, 1, true);
}

/**
 * Talks to a running Keyless over HTTPS, on its own listener (listenerTarget),
 * trusting only the CA runtime.json names (the Keyless CA, or the root at the
 * end of a --tls-cert chain), or the system's CAs when it names none, and
 * signs in as the admin service principal. The secret and token never leave
 * this object (no logging, never in error messages).
 */
export class KeylessClient {
  private token: string | undefined;
  private readonly baseUrl: string;
  private readonly target: ListenerTarget;

  private constructor(
    readonly runtime: RuntimeInfo,
    private readonly dataDir: string,
    private readonly agent: https.Agent,
  ) {
    this.baseUrl = runtime.baseUrl.replace(/\/+$/, '');
    this.target = listenerTarget(runtime);
  }

  /** Finds the server through the runtime file in `dataDir`; throws when it is not running. */
  static connect(dataDir: string): KeylessClient {
    let runtime: RuntimeInfo | undefined;
    try {
      runtime = readRuntimeFile(dataDir);
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    if (!runtime || !isProcessAlive(runtime.pid)) throw notRunningError(dataDir);
    const { caPath } = runtime;
    let ca: string | undefined;
    try {
      ca = caPath === undefined ? undefined : fs.readFileSync(caPath, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new CliError(`Cannot read the Keyless CA certificate ${caPath} (${code}).`);
    }
    // Without a CA file, Node's own roots (and NODE_EXTRA_CA_CERTS) decide.
    return new KeylessClient(runtime, dataDir, new https.Agent({ keepAlive: true, ...(ca !== undefined && { ca }) }));
  }

  close(): void {
    this.agent.destroy();
  }

  /** Checks that the server answers at all (no sign-in needed). */
  async health(): Promise<void> {
    const res = await this.send('GET', '/healthz', {});
    if (res.status !== 200) throw armErrorFrom(res.status, res.body);
  }

  /** One ARM call: adds api-version and the bearer token; a 401 gets one fresh token and one retry. */
  async request(method: HttpMethod, armPath: string, apiVersion: string, body?: unknown): Promise<ArmResult> {
    const sep = armPath.includes('?') ? '&' : '?';
    const target = `${armPath}${sep}api-version=${encodeURIComponent(apiVersion)}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let res = await this.send(method, target, await this.headers(false), payload);
    if (res.status === 401) res = await this.send(method, target, await this.headers(true), payload);
    if (res.status < 200 || res.status >= 300) throw armErrorFrom(res.status, res.body);
    return res;
  }

  /** A GET of a URL the server handed out (a long-running operation's): its path and query, sent to this Keyless. */
  async follow(url: string): Promise<ArmResult> {
    const { pathname, search } = new URL(url);
    let res = await this.send('GET', `${pathname}${search}`, await this.headers(false));
    if (res.status === 401) res = await this.send('GET', `${pathname}${search}`, await this.headers(true));
    if (res.status < 200 || res.status >= 300) throw armErrorFrom(res.status, res.body);
    return res;
  }

  private async headers(fresh: boolean): Promise<Record<string, string>> {
    if (fresh || this.token === undefined) this.token = await this.signIn();
    return { authorization: `Bearer ${this.token}` };
  }

  /** Client-credentials sign-in with the admin secret the server keeps in the data folder. */
  private async signIn(): Promise<string> {
    const file = path.join(this.dataDir, ADMIN_CREDENTIAL_FILE);
    const credential = readCredential(file);
    if (!credential) {
      throw new CliError(`The admin credential ${file} is missing or unreadable; restart Keyless with \`keyless up\` to recreate it.`);
    }
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: credential.clientId,
      client_secret: credential.clientSecret,
      scope: `${this.baseUrl}/.default`,
    }).toString();
    const res = await this.send('POST', `/${encodeURIComponent(credential.tenantId)}/oauth2/v2.0/token`, {
      'content-type': 'application/x-www-form-urlencoded',
    }, form);
    const token = (res.body as { access_token?: unknown } | null)?.access_token;
    if (res.status !== 200) throw armErrorFrom(res.status, res.body);
    if (typeof token !== 'string') throw new CliError('The Keyless token endpoint answered without an access token.');
    return token;
  }

  private send(method: HttpMethod, pathAndQuery: string, headers: Record<string, string>, payload?: string): Promise<RawResponse> {
    // Parsed against the public origin only to normalise the path; the request goes to the listener itself.
    const url = new URL(`${this.baseUrl}${pathAndQuery}`);
    const { address, port, hostHeader } = this.target;
    const all: Record<string, string> = { host: hostHeader, accept: 'application/json', ...headers };
    if (payload !== undefined) {
      all['content-type'] ??= 'application/json';
      all['content-length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      const options = { host: address, port, path: `${url.pathname}${url.search}`, method, headers: all, agent: this.agent, timeout: TIMEOUT_MS, ...tlsOptionsFor(this.target) };
      const req = https.request(options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => reject(this.networkError(error)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: parseBody(Buffer.concat(chunks).toString('utf8')), headers: res.headers }));
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', (error) => reject(this.networkError(error)));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  private networkError(error: Error): CliError {
    const code = (error as NodeJS.ErrnoException).code ?? error.message;
    const { caPath } = this.runtime;
    const { address, port, serverName } = this.target;
    const at = `${this.baseUrl} (listening on ${address.includes(':') ? `[${address}]` : address}:${port})`;
    if (/CERT|SELF_SIGNED|SSL|TLS|UNABLE_TO_VERIFY|SIGNATURE/i.test(code)) {
      if (caPath !== undefined) return new CliError(`Keyless at ${at} did not present a certificate for ${serverName} from the CA in ${caPath} (${code}).`);
      return new CliError(`Keyless at ${at} presented a certificate for ${serverName} that this machine does not trust (${code}); add its CA to NODE_EXTRA_CA_CERTS.`);
    }
    return new CliError(`Cannot reach Keyless at ${at} (${code}); is it still running? Start it with \`keyless up\`.`);
  }
}

function parseBody(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
