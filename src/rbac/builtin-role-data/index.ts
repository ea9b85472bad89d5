import { AZURE_AI_ROLES } from './azure-ai.js';
import { COGNITIVE_SERVICES_APP_ROLES } from './cognitive-services-apps.js';
import { LANGUAGE_OWNER_ROLES, LANGUAGE_SPEECH_ROLES } from './cognitive-services-language-speech.js';
import { COGNITIVE_SERVICES_CONTRIBUTOR_ROLES, COGNITIVE_SERVICES_NARROW_ROLES, COGNITIVE_SERVICES_USER_ROLES } from './cognitive-services.js';
import { COMPUTE_ROLES } from './compute.js';
import { GENERAL_ROLES } from './general.js';
import { IDENTITY_ROLES } from './identity.js';
import type { BuiltInRoleData } from './types.js';
import { WEB_ROLES } from './web.js';

export type { BuiltInRoleData } from './types.js';

/*
 * Every built-in role Keyless ships: those of the namespaces it serves
 * (Microsoft.CognitiveServices, Microsoft.ManagedIdentity, Microsoft.Web,
 * Microsoft.Compute) and the general ones. The order is the catalogue's
 * (ARM lists roles in it) and runs from least to most privileged, so that a
 * denial names the narrowest role that would grant first: OpenAI User before
 * the single-service roles (which read every Cognitive Services resource too),
 * those before Cognitive Services User, the general roles last.
 */
const AZURE_AI_ACCOUNT_ROLES = AZURE_AI_ROLES.filter((r) => r.roleName !== 'Azure AI Account Owner');
const AZURE_AI_ACCOUNT_OWNER = AZURE_AI_ROLES.filter((r) => r.roleName === 'Azure AI Account Owner');

export const BUILTIN_ROLE_DATA: readonly BuiltInRoleData[] = [
  ...COGNITIVE_SERVICES_NARROW_ROLES,
  ...COGNITIVE_SERVICES_APP_ROLES,
  ...LANGUAGE_SPEECH_ROLES,
  ...COGNITIVE_SERVICES_USER_ROLES,
  ...LANGUAGE_OWNER_ROLES,
  ...AZURE_AI_ACCOUNT_ROLES,
  ...COGNITIVE_SERVICES_CONTRIBUTOR_ROLES,
  ...AZURE_AI_ACCOUNT_OWNER,
  ...IDENTITY_ROLES,
  ...WEB_ROLES,
  ...COMPUTE_ROLES,
  ...GENERAL_ROLES,
];
