import path from 'node:path';
import { InvalidInputError } from '../shared/errors.js';
import { defaultDataDir } from '../runtime/data-dir.js';
import { parsePublicUrl, parseTlsFiles, type TlsFiles } from './deployment.js';

/** Everything `keyless up` can be told, validated once at boot. */
export interface UpOptions {
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  readonly identityHost: string;
  readonly identityHostExplicit: boolean;
  readonly identityPort: number;
  /** A postgres:// URL, or undefined for SQLite in the data folder. */
  readonly database: string | undefined;
  /** A redis:// or rediss:// URL where every instance counts quotas together, or undefined to count in this process. */
  readonly redis: string | undefined;
  readonly kekFile: string | undefined;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Fixed lifetime of application tokens in seconds; undefined = random 60–90 minutes as Entra. */
  readonly appTokenLifetime: number | undefined;
  /** Lifetime of managed identity tokens in seconds (Azure: about 24 h). */
  readonly identityTokenLifetime: number;
  /** Apply Azure's managed identity request limits (20/s and 5 concurrent per host). */
  readonly identityThrottle: boolean;
  /** Refuse tokens of deleted principals at once (Azure honours them until they expire). */
  readonly strictRevocation: boolean;
  /** Throttle the token endpoint per client (20 requests per second), with 429 and Retry-After. */
  readonly tokenThrottle: boolean;
  /** External issuers whose tokens federated credentials may accept (HTTPS, public addresses only). */
  readonly federatedIssuers: readonly string[];
  /** How long an instance may go without confirming it is current before it fences itself (and others stop waiting for it). */
  readonly leaseMs: number;
  /** The origin clients use (--public-url), e.g. https://keyless.example.com; undefined: https://localhost:PORT. */
  readonly publicUrl: string | undefined;
  /** A certificate chain and key to serve (--tls-cert, --tls-key); undefined: the generated localhost certificate. */
  readonly tls: TlsFiles | undefined;
  /** `controllable`: product time follows `keyless clock` (tests); `system`: the system clock. */
  readonly clock: ClockMode;
  /** Creates and deletes of Cognitive Services accounts and deployments answer as Azure's long-running operations. */
  readonly asyncOperations: boolean;
  /** How long such an operation runs, in milliseconds of product time. */
  readonly asyncDelayMs: number;
}

export type ClockMode = 'system' | 'controllable';

export interface RawUpOptions {
  data?: string;
  host?: string;
  port?: string;
  identityHost?: string;
  identityPort?: string;
  database?: string;
  redis?: string;
  kekFile?: string;
  logLevel?: string;
  appTokenLifetime?: string;
  identityTokenLifetime?: string;
  identityThrottle?: boolean;
  strictRevocation?: boolean;
  federatedIssuer?: string[];
  tokenThrottle?: boolean;
  lease?: string;
  publicUrl?: string;
  tlsCert?: string;
  tlsKey?: string;
  clock?: string;
  asyncOperations?: boolean;
  asyncDelay?: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function parseUpOptions(raw: RawUpOptions, env: NodeJS.ProcessEnv = process.env): UpOptions {
  const logLevel = raw.logLevel ?? env['KEYLESS_LOG_LEVEL'] ?? 'warn';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new InvalidInputError('InvalidOption', `--log-level must be one of ${LOG_LEVELS.join(', ')}.`);
  }
  const database = raw.database ?? env['KEYLESS_DATABASE'];
  if (database !== undefined && !/^postgres(ql)?:\/\//i.test(database)) {
    throw new InvalidInputError('InvalidOption', '--database must be a postgres:// URL (SQLite in the data folder is the default).');
  }
  const redis = raw.redis ?? env['KEYLESS_REDIS'];
  if (redis !== undefined && !isRedisUrl(redis)) {
    throw new InvalidInputError('InvalidOption', '--redis must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379 (without it, each instance counts quotas alone).');
  }
  const clock = raw.clock ?? 'system';
  if (clock !== 'system' && clock !== 'controllable') throw new InvalidInputError('InvalidOption', '--clock must be system or controllable.');
  // The controlled time lives in this process: instances sharing a database judge each other's tokens, so they would disagree.
  if (clock === 'controllable' && database !== undefined) {
    throw new InvalidInputError('InvalidOption', '--clock controllable cannot be used with --database: instances sharing a database must read the same time. Use it with SQLite in the data folder.');
  }
  // An empty variable counts as unset; an empty flag is refused.
  const fromEnv = (name: string): string | undefined => env[name] || undefined;
  const publicUrl = raw.publicUrl ?? fromEnv('KEYLESS_PUBLIC_URL');
  return {
    dataDir: path.resolve(raw.data ?? defaultDataDir(env)),
    host: raw.host ?? '127.0.0.1',
    port: port(raw.port ?? '8443', '--port'),
    identityHost: raw.identityHost ?? '127.0.0.1',
    identityHostExplicit: raw.identityHost !== undefined,
    identityPort: port(raw.identityPort ?? '8080', '--identity-port'),
    database,
    redis,
    kekFile: raw.kekFile,
    logLevel: logLevel as UpOptions['logLevel'],
    appTokenLifetime: raw.appTokenLifetime === undefined ? undefined : seconds(raw.appTokenLifetime, '--app-token-lifetime'),
    identityTokenLifetime: seconds(raw.identityTokenLifetime ?? '86400', '--identity-token-lifetime'),
    identityThrottle: raw.identityThrottle === true,
    strictRevocation: raw.strictRevocation === true,
    tokenThrottle: raw.tokenThrottle === true,
    leaseMs: lease(raw.lease ?? env['KEYLESS_LEASE'] ?? '5'),
    federatedIssuers: (raw.federatedIssuer ?? []).map((issuer) => {
      if (!/^https:\/\/[^\s]+$/.test(issuer)) throw new InvalidInputError('InvalidOption', `--federated-issuer ${issuer} must be an https URL.`);
      return issuer;
    }),
    publicUrl: publicUrl === undefined ? undefined : parsePublicUrl(publicUrl),
    tls: parseTlsFiles(raw.tlsCert ?? fromEnv('KEYLESS_TLS_CERT'), raw.tlsKey ?? fromEnv('KEYLESS_TLS_KEY')),
    clock,
    asyncOperations: raw.asyncOperations ?? flag(fromEnv('KEYLESS_ASYNC_OPERATIONS'), 'KEYLESS_ASYNC_OPERATIONS'),
    asyncDelayMs: asyncDelay(raw.asyncDelay ?? fromEnv('KEYLESS_ASYNC_DELAY') ?? '2'),
  };
}

/** A boolean environment variable: true/1/yes or false/0/no; unset is false. */
function flag(value: string | undefined, name: string): boolean {
  if (value === undefined) return false;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new InvalidInputError('InvalidOption', `${name} must be true or false.`);
}

/** `--async-delay`: seconds, decimals allowed, from 0 to 600. */
function asyncDelay(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 600) {
    throw new InvalidInputError('InvalidOption', '--async-delay must be a number of seconds from 0 to 600.');
  }
  return Math.round(n * 1000);
}

function isRedisUrl(value: string): boolean {
  if (!/^rediss?:\/\//i.test(value)) return false;
  try {
    return new URL(value).hostname !== '';
  } catch {
    return false;
  }
}

function port(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidInputError('InvalidOption', `${flag} must be a port number from 0 to 65535.`);
  return n;
}

function seconds(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 60 || n > 86400 * 7) throw new InvalidInputError('InvalidOption', `${flag} must be a number of seconds from 60 to 604800.`);
  return n;
}

/** `--lease`: seconds, decimals allowed, from 0.5 to 60. */
function lease(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0.5 || n > 60) throw new InvalidInputError('InvalidOption', '--lease must be a number of seconds from 0.5 to 60.');
  return Math.round(n * 1000);
}
