import { InvalidInputError } from '../shared/errors.js';
import { FAULT_SURFACES, type Fault, type FaultEffect, type FaultSurface } from './model.js';

/** A fault as asked for (the admin API's body), before it is given an id and a time. */
export interface FaultSpec extends Pick<Fault, 'surface' | 'host' | 'clientId' | 'deployment' | 'effect' | 'times'> {
  /** How long it applies from now, in milliseconds of product time; null: until cleared or spent. */
  readonly forMs: number | null;
}

const MAX_TIMES = 1_000_000;
const MAX_FOR_MS = 30 * 86_400_000;
const MAX_DELAY_MS = 600_000;
const MAX_RETRY_AFTER_SECONDS = 3600;

/** Which selectors and effects each surface can honour. */
const SELECTORS: Readonly<Record<FaultSurface, readonly ('host' | 'clientId' | 'deployment')[]>> = {
  imds: ['host', 'clientId'],
  'app-service': ['host', 'clientId'],
  token: ['clientId'],
  'data-plane': ['deployment'],
};
const EFFECTS: Readonly<Record<FaultSurface, readonly FaultEffect['kind'][]>> = {
  imds: ['status', 'delay', 'dropConnection'],
  'app-service': ['status', 'delay', 'dropConnection'],
  token: ['status', 'aadsts', 'delay', 'dropConnection'],
  'data-plane': ['status', 'contentFilter', 'delay', 'dropConnection'],
};
const FLAG: Readonly<Record<string, string>> = {
  host: '--host', clientId: '--client-id', deployment: '--deployment',
  status: '--status', delay: '--delay-ms', aadsts: '--aadsts', contentFilter: '--content-filter', dropConnection: '--drop-connection',
};

const invalid = (message: string): InvalidInputError => new InvalidInputError('InvalidFault', message);

/**
 * Validates a fault as the admin API receives it: `{ surface, host?, clientId?,
 * deployment?, status?, retryAfterSeconds?, delayMs?, aadsts?, contentFilter?,
 * dropConnection?, times?, forMs? }`, with exactly one effect, and only the
 * selectors and effects the surface can honour.
 */
export function parseFaultSpec(body: Record<string, unknown>): FaultSpec {
  const surface = body['surface'];
  if (typeof surface !== 'string' || !(FAULT_SURFACES as readonly string[]).includes(surface)) {
    throw invalid(`'surface' must be one of ${FAULT_SURFACES.join(', ')}.`);
  }
  const s = surface as FaultSurface;
  const effect = parseEffect(body, s);
  if (!EFFECTS[s].includes(effect.kind)) throw invalid(`${FLAG[effect.kind]} does not apply to the ${s} surface.`);
  const selector = (name: 'host' | 'clientId' | 'deployment'): string | null => {
    const value = body[name];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string' || value.trim() === '' || value.length > 256) throw invalid(`${FLAG[name]} must be a non-empty name.`);
    if (!SELECTORS[s].includes(name)) throw invalid(`${FLAG[name]} does not apply to the ${s} surface.`);
    return name === 'deployment' ? value : value.toLowerCase();
  };
  return {
    surface: s,
    host: selector('host'),
    clientId: selector('clientId'),
    deployment: selector('deployment'),
    effect,
    times: optionalInteger(body, 'times', 1, MAX_TIMES, '--times must be a whole number from 1 to 1000000.'),
    forMs: optionalInteger(body, 'forMs', 1, MAX_FOR_MS, '--for must be a duration of at most 30 days.'),
  };
}

function parseEffect(body: Record<string, unknown>, surface: FaultSurface): FaultEffect {
  const given = ['status', 'delayMs', 'aadsts', 'contentFilter', 'dropConnection'].filter((name) => body[name] !== undefined && body[name] !== null && body[name] !== false);
  if (given.length !== 1) throw invalid('Give exactly one of --status, --delay-ms, --aadsts, --content-filter or --drop-connection.');
  const retryAfter = optionalInteger(body, 'retryAfterSeconds', 0, MAX_RETRY_AFTER_SECONDS, '--retry-after must be a whole number of seconds from 0 to 3600.');
  if (retryAfter !== null && given[0] !== 'status') throw invalid('--retry-after goes with --status.');
  switch (given[0]) {
    case 'status': {
      const status = body['status'];
      if (status !== 429 && status !== 500 && status !== 503 && status !== 410) throw invalid('--status must be 429, 500, 503 or 410.');
      if (status === 410 && surface !== 'imds') throw invalid('--status 410 is IMDS\'s answer during an upgrade: only for the imds surface.');
      return { kind: 'status', status, retryAfterSeconds: retryAfter };
    }
    case 'delayMs':
      return { kind: 'delay', delayMs: optionalInteger(body, 'delayMs', 1, MAX_DELAY_MS, '--delay-ms must be a whole number of milliseconds from 1 to 600000.') ?? 0 };
    case 'aadsts': {
      const code = body['aadsts'];
      if (typeof code !== 'number' || !Number.isInteger(code) || code <= 0) throw invalid('--aadsts must be an AADSTS code number, e.g. 7000215.');
      return { kind: 'aadsts', code };
    }
    case 'contentFilter': {
      const target = body['contentFilter'];
      if (target !== 'prompt' && target !== 'completion') throw invalid('--content-filter must be prompt or completion.');
      return { kind: 'contentFilter', target };
    }
    default:
      if (body['dropConnection'] !== true) throw invalid("'dropConnection' must be true.");
      return { kind: 'dropConnection' };
  }
}

function optionalInteger(body: Record<string, unknown>, name: string, min: number, max: number, message: string): number | null {
  const value = body[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw invalid(message);
  return value;
}
