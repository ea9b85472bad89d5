import { API } from './api.js';

/** The resource types the portal creates, each with the api-version the CLI uses for it (src/cli/arm.ts). */
export interface Kind {
  readonly key: 'identity' | 'account' | 'site' | 'vm';
  readonly type: string;
  readonly apiVersion: string;
  readonly label: string;
  /** Whether it carries an `identity` block (system- and user-assigned identities). */
  readonly hostsIdentity: boolean;
}

export const KINDS: readonly Kind[] = [
  { key: 'identity', type: 'Microsoft.ManagedIdentity/userAssignedIdentities', apiVersion: API.identities, label: 'Managed Identity (user-assigned)', hostsIdentity: false },
  { key: 'account', type: 'Microsoft.CognitiveServices/accounts', apiVersion: API.cognitive, label: 'Azure OpenAI', hostsIdentity: true },
  { key: 'site', type: 'Microsoft.Web/sites', apiVersion: API.web, label: 'Web App', hostsIdentity: true },
  { key: 'vm', type: 'Microsoft.Compute/virtualMachines', apiVersion: API.compute, label: 'Virtual machine', hostsIdentity: true },
];

/** The provider type an ARM id names (`Microsoft.Web/sites` of `…/providers/Microsoft.Web/sites/app`), top-level only. */
export function typeOfId(id: string): string {
  const match = /\/providers\/([^/]+)\/([^/]+)\/[^/]+/i.exec(id);
  return match ? `${match[1]}/${match[2]}` : '';
}

export function kindOfType(type: string): Kind | undefined {
  return KINDS.find((k) => k.type.toLowerCase() === type.toLowerCase());
}

/** The api-version the CLI would use for this resource (ARM accepts any, but the portal calls exactly what the CLI calls). */
export function apiVersionOf(id: string): string {
  return kindOfType(typeOfId(id))?.apiVersion ?? API.groups;
}

/** ARM ids compare case-insensitively. */
export function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
