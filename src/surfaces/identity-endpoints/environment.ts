import { RESOURCE_TYPES } from '../../resources/index.js';
import { APP_SERVICE_PATH } from './app-service.js';

/**
 * The variables a hosting platform gives code it runs: App Service's
 * IDENTITY_ENDPOINT + IDENTITY_HEADER for web apps, and for VMs the
 * per-VM IMDS base that AZURE_POD_IDENTITY_AUTHORITY_HOST redirects to.
 */
export function hostEnvironment(type: string, identityUrl: string, secret: string): Record<string, string> {
  if (type === RESOURCE_TYPES.site) {
    return { IDENTITY_ENDPOINT: `${identityUrl}${APP_SERVICE_PATH}`, IDENTITY_HEADER: secret };
  }
  return { AZURE_POD_IDENTITY_AUTHORITY_HOST: `${identityUrl}/${secret}` };
}
