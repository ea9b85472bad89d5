import type { FastifyInstance } from 'fastify';
import { RESOURCE_TYPES } from '../../resources/index.js';
import { useErrorDialect } from '../http/index.js';
import { appServiceDialect, appServiceErrors } from './app-service-errors.js';
import type { IdentityEndpointDeps } from './context.js';
import { identityTokenPipeline, type IdentityPlatform } from './pipeline.js';

export const APP_SERVICE_PATH = '/msi/token';

/** What App Service does its own way; the steps are the pipeline's. */
export const APP_SERVICE: IdentityPlatform = {
  faultSurface: 'app-service',
  operation: `GET ${APP_SERVICE_PATH}`,
  hostType: RESOURCE_TYPES.site,
  defaultRule: 'appService',
  selectors: { client_id: 'clientId', principal_id: 'objectId', object_id: 'objectId', mi_res_id: 'resourceId' },
  hostSecret: (request) => {
    const secret = request.headers['x-identity-header'];
    return typeof secret === 'string' && secret !== '' ? secret : undefined;
  },
  checkApiVersion: (version) => {
    if (version !== '2019-08-01') throw appServiceErrors.apiVersion(version);
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
  render: (token, principal, resource) => ({
    access_token: token.accessToken,
    expires_on: String(token.expiresOn),
    resource,
    token_type: 'Bearer',
    client_id: principal.appId,
  }),
};

/**
 * The App Service / Functions / Container Apps identity endpoint:
 * `GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=…` with the app's
 * own secret in X-IDENTITY-HEADER. Errors use App Service's own envelope.
 * Registered in a scope of its own, so that its errors keep that envelope.
 */
export function registerAppServiceSource(app: FastifyInstance, deps: IdentityEndpointDeps): void {
  useErrorDialect(app, appServiceDialect);
  app.get(APP_SERVICE_PATH, identityTokenPipeline(APP_SERVICE, deps));
}
