import { RESOURCE_TYPES } from '../../resources/index.js';
import { APP_SERVICE_PATH } from './app-service.js';

/**
 * The variables a hosting platform gives code it runs: App Service's
 * IDENTITY_ENDPOINT + IDENTITY_HEADER for web apps (and MSI_ENDPOINT +
 * MSI_SECRET, for the older protocol), and for VMs the
 * per-VM IMDS base that AZURE_POD_IDENTITY_AUTHORITY_HOST redirects to.
 */
export function hostEnvironment(type: string, name: string, identityUrl: string, secret: string): Record<string, string> {
  if (type === RESOURCE_TYPES.site) {
    // As App Service: the older protocol's pair (MSI_ENDPOINT/MSI_SECRET) names the same endpoint and secret.
    const endpoint = `${identityUrl}${APP_SERVICE_PATH}`;
    return {
      IDENTITY_ENDPOINT: endpoint,
      IDENTITY_HEADER: secret,
      MSI_ENDPOINT: endpoint,
      MSI_SECRET: secret,
      // The site's name, as App Service sets it (and as an app setting): msrestazure, and so az 2.45's
      // `az login --identity`, take APPSETTING_WEBSITE_SITE_NAME as the sign that it runs in App Service,
      // and only then speak the 2017-09-01 protocol to MSI_ENDPOINT.
      WEBSITE_SITE_NAME: name,
      APPSETTING_WEBSITE_SITE_NAME: name,
    };
  }
  return { AZURE_POD_IDENTITY_AUTHORITY_HOST: `${identityUrl}/${secret}` };
}
