import type { FastifyInstance } from 'fastify';
import { RESOURCE_TYPES } from '../../resources/index.js';
import { useErrorDialect } from '../http/index.js';
import type { IdentityEndpointDeps } from './context.js';
import { imdsDialect, imdsErrors } from './imds-errors.js';
import { identityTokenPipeline, type IdentityPlatform } from './pipeline.js';

export const IMDS_TOKEN_PATH = '/metadata/identity/oauth2/token';
const API_VERSION = /^\d{4}-\d{2}-\d{2}$/;

/** What IMDS does its own way; the steps are the pipeline's. Every value in its success body is a string. */
export const IMDS: IdentityPlatform = {
  faultSurface: 'imds',
  operation: `GET ${IMDS_TOKEN_PATH}`,
  hostType: RESOURCE_TYPES.virtualMachine,
  defaultRule: 'imds',
  selectors: { client_id: 'clientId', object_id: 'objectId', msi_res_id: 'resourceId' },
  screen: (request) => {
    // A request that came through a proxy, whichever header says so (RFC 7239 is the standard form of X-Forwarded-For).
    if (request.headers['x-forwarded-for'] !== undefined) throw imdsErrors.forwarded('X-Forwarded-For');
    if (request.headers['forwarded'] !== undefined) throw imdsErrors.forwarded('Forwarded');
    if (request.headers['metadata'] !== 'true') throw imdsErrors.noMetadataHeader();
  },
  hostSecret: (request) => (request.params as { secret?: string }).secret,
  checkApiVersion: (version) => {
    if (version === undefined) throw imdsErrors.noApiVersion();
    if (!API_VERSION.test(version) || version < '2018-02-01') throw imdsErrors.badApiVersion();
  },
  errors: {
    unknownHost: imdsErrors.unknownHost,
    throttled: imdsErrors.throttled,
    noResource: imdsErrors.noResource,
    severalSelectors: imdsErrors.severalSelectors,
    selection: imdsErrors.selection,
    unknownResource: imdsErrors.unknownResource,
    injected: imdsErrors.injected,
  },
  render: (token, principal, resource, nowSeconds) => ({
    access_token: token.accessToken,
    refresh_token: '',
    expires_in: String(token.expiresOn - nowSeconds),
    expires_on: String(token.expiresOn),
    ext_expires_in: String(token.expiresOn - nowSeconds),
    not_before: String(token.notBefore),
    resource,
    token_type: 'Bearer',
    client_id: principal.appId,
  }),
};

/**
 * The IMDS identity endpoint of a VM. Each VM has its own endpoint: a secret
 * path prefix before `/metadata/identity/oauth2/token`, reached through
 * AZURE_POD_IDENTITY_AUTHORITY_HOST (msal-node lowercases it and adds a
 * trailing slash; both forms work). Registered in a scope of its own, so that
 * its errors keep IMDS's bodies.
 */
export function registerImdsSource(app: FastifyInstance, deps: IdentityEndpointDeps): void {
  useErrorDialect(app, imdsDialect);
  const handler = identityTokenPipeline(IMDS, deps);
  app.get(`/:secret${IMDS_TOKEN_PATH}`, handler);
  // The bare path is what a VM's own IMDS would be; no Keyless host lives there.
  app.get(IMDS_TOKEN_PATH, handler);
}
