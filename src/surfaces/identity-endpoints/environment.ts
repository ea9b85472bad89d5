import { RESOURCE_TYPES } from '../../resources/index.js';
import { APP_SERVICE_PATH } from './app-service.js';

/**
 * The variables a hosting platform gives code it runs: App Service's
 * IDENTITY_ENDPOINT + IDENTITY_HEADER for web apps (and MSI_ENDPOINT +
 * MSI_SECRET, for the older protocol), and for VMs the
 * per-VM IMDS base that AZURE_POD_IDENTITY_AUTHORITY_HOST redirects to.
 */
export function hostEnvironment(type: string, identityUrl: string, secret: string): Record<string, string> {
  if (type === RESOURCE_TYPES.site) {
    // As App Service: the older protocol's pair (MSI_ENDPOINT/MSI_SECRET) names the same endpoint and secret.
    const endpoint = `${identityUrl}${APP_SERVICE_PATH}`;
    return { IDENTITY_ENDPOINT: endpoint, IDENTITY_HEADER: secret, MSI_ENDPOINT: endpoint, MSI_SECRET: secret };
  }
  return { AZURE_POD_IDENTITY_AUTHORITY_HOST: `${identityUrl}/${secret}` };
}
