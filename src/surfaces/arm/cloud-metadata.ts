import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { KeylessNames } from '../../config/names.js';
import { armErrors } from './errors.js';

/**
 * ARM's cloud metadata, `GET /metadata/endpoints?api-version=…`: where a
 * cloud's authority, resource manager and Graph are, served anonymously as
 * Azure serves it, naming Keyless's own origin (the one the caller used).
 *
 * The body's shape depends on the api-version, as Azure's does (captures of
 * management.azure.com kept in pulumi-azure-native's and hashicorp's metadata
 * tests; the 2017-12-01 answer in a pam_aad log):
 * - `1.0` and dates before 2017-12-01: the first object form
 *   `{graphEndpoint, authentication:{loginEndpoint, audiences}}` (what az 2.45's
 *   `az cloud register --endpoint-resource-manager` reads, through msrestazure, at 2015-01-01);
 * - 2017-12-01 up to 2019-05-01: the same with `graphAudience` and `authentication.tenant`/`identityProvider`;
 * - 2019-05-01 up to 2022-09-01: an array of clouds (here the one cloud, Keyless) (what az reads through `ARM_CLOUD_METADATA_URL`);
 * - 2022-09-01 and later, and `latest`: the one cloud as a single object.
 *
 * The login endpoint is Keyless's `/adfs` authority: MSAL (Python and Node)
 * treats an ADFS authority as known and asks no instance discovery, where a
 * plain `https://host/{tenant}` authority makes it ask login.microsoftonline.com
 * first (msal/authority.py), which az 2.45 cannot turn off. Services Keyless
 * does not serve (gallery, portal, batch, media, storage, Key Vault, …) are
 * left out, as Azure's sovereign clouds leave out the services they lack.
 */
export const CLOUD_NAME = 'Keyless';
export const METADATA_PATH = '/metadata/endpoints';

type Form = 'v2015' | 'v2018' | 'list' | 'v2022';

/** The first api-version of each form, newest first. */
const FORMS: readonly (readonly [string, Form])[] = [
  ['2022-09-01', 'v2022'],
  ['2019-05-01', 'list'],
  ['2017-12-01', 'v2018'],
  ['0000-00-00', 'v2015'],
];
const DATE_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

/** The form an api-version asks for: the newest form whose first version is not later than it. */
export function metadataForm(version: string | undefined): Form {
  if (version === undefined || version === '') throw armErrors.missingApiVersion();
  if (version === '1.0') return 'v2015';
  if (version.toLowerCase() === 'latest') return 'v2022';
  if (!DATE_VERSION.test(version)) throw armErrors.invalidApiVersion(version);
  const date = version.slice(0, 10);
  return (FORMS.find(([first]) => first <= date) ?? FORMS[FORMS.length - 1]!)[1];
}

/** The body for `origin` (e.g. `https://127.0.0.1:8443`) in the form the api-version asks for. */
export function cloudMetadata(origin: string, version: string | undefined): unknown {
  const form = metadataForm(version);
  const own = `${origin}/`;
  const loginEndpoint = `${origin}/adfs`;
  // Keyless's own origin first: az takes audiences[0] as the resource of its control-plane tokens.
  const audiences = [own, 'https://management.core.windows.net/', 'https://management.azure.com/'];
  // Keyless serves Microsoft Graph (/v1.0/…) on its own origin; there is no Azure AD Graph, so the AD Graph names point there too.
  if (form === 'v2015') return { graphEndpoint: own, authentication: { loginEndpoint, audiences } };
  const authentication = { loginEndpoint, audiences, tenant: 'adfs', identityProvider: 'ADFS' };
  if (form === 'v2018') return { graphEndpoint: own, graphAudience: own, authentication };
  const cloud = {
    authentication,
    graphAudience: own,
    graph: own,
    name: CLOUD_NAME,
    suffixes: {},
    resourceManager: own,
    microsoftGraphResourceId: own,
  };
  return form === 'list' ? [cloud] : cloud;
}

/** The route, on the ARM scope (its errors are ARM's): no authentication, as in Azure. */
export function registerCloudMetadata(app: FastifyInstance, names: KeylessNames): void {
  app.get(METADATA_PATH, async (request: FastifyRequest) => {
    const query = (request.query ?? {}) as Record<string, string | string[]>;
    const version = query['api-version'];
    if (Array.isArray(version)) throw armErrors.repeatedQueryParameter('api-version');
    return cloudMetadata(names.originFor(request.headers.host), version);
  });
}
