import { entraErrors } from './errors.js';

export type TokenEndpointVersion = 'v1' | 'v2' | 'adfs';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The parts of a token request Keyless reads; every other parameter is ignored, as Entra ignores it. */
export interface TokenRequest {
  readonly grantType: string;
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  /** A JWT-bearer client assertion: certificate-signed (private_key_jwt) or federated. */
  readonly clientAssertion: string | undefined;
  /** v2: the `.default` scope's resource; v1: the `resource` parameter. */
  readonly resource: string;
  /** authorization_code: the one-time sign-in code (`keyless portal`). */
  readonly code: string | undefined;
  /** refresh_token: the portal session's current refresh token. */
  readonly refreshToken: string | undefined;
}

/** The grant types the token endpoint knows (grants/index.ts has their handlers). */
const GRANT_TYPES = new Set(['client_credentials', 'authorization_code', 'refresh_token']);

export function parseTokenRequest(
  body: Record<string, unknown>,
  authorization: string | undefined,
  version: TokenEndpointVersion,
): TokenRequest {
  const field = (name: string): string | undefined => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
  const grantType = field('grant_type');
  if (!grantType) throw entraErrors.missingParameter('grant_type');
  if (!GRANT_TYPES.has(grantType)) throw entraErrors.unsupportedGrant(grantType);
  const basic = parseBasic(authorization);
  const clientId = field('client_id') ?? basic?.id;
  if (!clientId) throw entraErrors.missingParameter('client_id');
  const clientSecret = field('client_secret') ?? (basic && basic.id === clientId ? basic.secret : undefined);
  const clientAssertion = field('client_assertion');
  if (clientAssertion !== undefined && field('client_assertion_type') !== JWT_BEARER) throw entraErrors.assertionType(field('client_assertion_type'));
  // The ADFS endpoint takes either form; Entra's v1 endpoint takes `resource`, v2 takes `scope`.
  const resource = version === 'v2' || (version === 'adfs' && field('scope') !== undefined) ? resourceOfScope(field('scope')) : resourceParameter(field('resource'));
  return { grantType, clientId, clientSecret, clientAssertion, resource, code: field('code'), refreshToken: field('refresh_token') };
}

function resourceOfScope(scope: string | undefined): string {
  if (scope === undefined || scope.trim() === '') throw entraErrors.missingScope();
  const scopes = scope.trim().split(/\s+/);
  const single = scopes.length === 1 ? scopes[0] : undefined;
  if (!single || !single.endsWith('/.default') || single.length === '/.default'.length) throw entraErrors.invalidScope(scope);
  return single.slice(0, -'/.default'.length);
}

function resourceParameter(resource: string | undefined): string {
  if (resource === undefined || resource.trim() === '') throw entraErrors.missingParameter('resource');
  return resource.trim();
}

/** HTTP Basic client authentication (RFC 6749 §2.3.1: form-encoded id and secret). */
function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}
