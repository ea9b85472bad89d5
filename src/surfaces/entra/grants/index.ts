import { clientCredentials } from './client-credentials.js';
import type { Grant } from './grant.js';
import { authorizationCode, refreshToken } from './sign-in.js';

export type { Grant, GrantContext, GrantResult } from './grant.js';

/** Grants by grant_type, as plug-ins (node-oidc-provider's shape). */
export const GRANTS: ReadonlyMap<string, Grant> = new Map([clientCredentials, authorizationCode, refreshToken].map((g) => [g.grantType, g]));
