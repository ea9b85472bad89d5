import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RESOURCE_TYPES } from '../../resources/index.js';
import { useErrorDialect } from '../http/index.js';
import { appServiceDialect, appServiceErrors } from './app-service-errors.js';
import { firstQueryValue, type IdentityEndpointDeps } from './context.js';
import { identityTokenPipeline, type IdentityPlatform } from './pipeline.js';

export const APP_SERVICE_PATH = '/msi/token';

/** App Service's current protocol and its older one (still given to apps as MSI_ENDPOINT/MSI_SECRET, and used by az 2.45 and msrestazure). */
export const APP_SERVICE_VERSION = '2019-08-01';
export const APP_SERVICE_LEGACY_VERSION = '2017-09-01';

/** What App Service does its own way; the steps are the pipeline's. Both protocols share this, but for the parts below. */
const APP_SERVICE_COMMON = {
  faultSurface: 'app-service',
  operation: `GET ${APP_SERVICE_PATH}`,
  hostType: RESOURCE_TYPES.site,
  defaultRule: 'appService',
  checkApiVersion: (version: string | undefined) => {
    if (version !== APP_SERVICE_VERSION && version !== APP_SERVICE_LEGACY_VERSION) throw appServiceErrors.apiVersion(version);
  },
  errors: {
    unknownHost: appServiceErrors.unknownHost,
    throttled: appServiceErrors.throttled,
    noResource: appServiceErrors.noResource,
    severalSelectors: appServiceErrors.severalSelectors,
    selection: appServiceErrors.identityNotLoaded,
    unknownResource: appServiceErrors.unknownResource,
    injected: appServiceErrors.injected,
  },
} as const satisfies Partial<IdentityPlatform>;

/** The host's secret from the header a protocol names. */
const secretFrom = (header: string) => (request: FastifyRequest): string | undefined => {
  const secret = request.headers[header];
  return typeof secret === 'string' && secret !== '' ? secret : undefined;
};

/** 2019-08-01: the secret in X-IDENTITY-HEADER; `expires_on` in epoch seconds; the client id in the answer. */
export const APP_SERVICE: IdentityPlatform = {
  ...APP_SERVICE_COMMON,
  selectors: { client_id: 'clientId', principal_id: 'objectId', object_id: 'objectId', mi_res_id: 'resourceId' },
  hostSecret: secretFrom('x-identity-header'),
  render: (token, principal, resource) => ({
    access_token: token.accessToken,
    expires_on: String(token.expiresOn),
    resource,
    token_type: 'Bearer',
    client_id: principal.appId,
  }),
};

/** 2017-09-01: the secret in a `secret` header; a user-assigned identity named by `clientid`; `expires_on` as a date. */
export const APP_SERVICE_LEGACY: IdentityPlatform = {
  ...APP_SERVICE_COMMON,
  errors: { ...APP_SERVICE_COMMON.errors, unknownHost: (given: boolean) => appServiceErrors.unknownHost(given, 'secret') },
  selectors: { clientid: 'clientId' },
  hostSecret: secretFrom('secret'),
  render: (token, _principal, resource) => ({
    access_token: token.accessToken,
    expires_on: legacyExpiresOn(token.expiresOn),
    resource,
    token_type: 'Bearer',
  }),
};

/**
 * `expires_on` as App Service formats it for 2017-09-01: `MM/DD/YYYY HH:mm:ss +00:00`, UTC, 24-hour
 * (as az 2.45 records it from App Service and parses it, with '%m/%d/%Y %H:%M:%S %z';
 * azure-identity's parser also takes an AM/PM form, which az's would not).
 */
export function legacyExpiresOn(epochSeconds: number): string {
  const at = new Date(epochSeconds * 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  const date = `${two(at.getUTCMonth() + 1)}/${two(at.getUTCDate())}/${at.getUTCFullYear()}`;
  return `${date} ${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())} +00:00`;
}

/**
 * The App Service / Functions / Container Apps identity endpoint:
 * `GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=…` with the app's
 * own secret in X-IDENTITY-HEADER, and the older
 * `GET {MSI_ENDPOINT}?api-version=2017-09-01&resource=…` with it in `secret`.
 * Errors use App Service's own envelope. Registered in a scope of its own,
 * so that its errors keep that envelope.
 */
export function registerAppServiceSource(app: FastifyInstance, deps: IdentityEndpointDeps): void {
  useErrorDialect(app, appServiceDialect);
  const current = identityTokenPipeline(APP_SERVICE, deps);
  const legacy = identityTokenPipeline(APP_SERVICE_LEGACY, deps);
  app.get(APP_SERVICE_PATH, (request, reply) =>
    firstQueryValue(request.query as Record<string, unknown>, 'api-version') === APP_SERVICE_LEGACY_VERSION ? legacy(request, reply) : current(request, reply),
  );
}
