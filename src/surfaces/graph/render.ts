import { X509Certificate } from 'node:crypto';
import type { ClientCertificate, ClientSecret, FederatedCredential, Principal } from '../../directory/index.js';

/** Graph v1.0 shapes of Keyless's directory objects. */

export const GRAPH_METADATA = 'https://graph.microsoft.com/v1.0/$metadata';

export function renderServicePrincipal(principal: Principal): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.servicePrincipal',
    id: principal.objectId,
    appId: principal.appId,
    displayName: principal.displayName,
    servicePrincipalType: principal.kind === 'Application' ? 'Application' : 'ManagedIdentity',
    servicePrincipalNames: servicePrincipalNames(principal),
    alternativeNames: principal.resourceId === null ? [] : [`isExplicit=${principal.kind === 'UserAssignedIdentity'}`, principal.resourceId],
  };
}

/**
 * The names a service principal answers to: its application (client) id.
 * Entra adds an application's identifier URIs (Keyless's applications have
 * none) and, for a managed identity, an identity.azure.net URI.
 */
export function servicePrincipalNames(principal: Principal): string[] {
  return [principal.appId];
}

/** The application object of an Application principal (Keyless keeps one object for the application and its service principal). */
export function renderApplication(principal: Principal, secrets: readonly ClientSecret[], certificates: readonly ClientCertificate[]): Record<string, unknown> {
  return {
    id: principal.applicationObjectId,
    appId: principal.appId,
    displayName: principal.displayName,
    createdDateTime: principal.createdAt,
    signInAudience: 'AzureADMyOrg',
    passwordCredentials: [...secrets].sort(byCreated).map(renderPassword),
    keyCredentials: [...certificates].sort(byCreated).map(renderKey),
  };
}

/** A password credential as listed: the secret text is never shown again. */
export function renderPassword(secret: ClientSecret): Record<string, unknown> {
  return {
    customKeyIdentifier: null,
    displayName: secret.displayName,
    endDateTime: secret.expiresAt,
    hint: secret.hint,
    keyId: secret.id,
    secretText: null,
    startDateTime: secret.createdAt,
  };
}

/** A certificate: its validity comes from the certificate itself, the thumbprint (SHA-1, upper-case hex) is the custom key identifier. */
export function renderKey(certificate: ClientCertificate): Record<string, unknown> {
  const notBefore = new X509Certificate(Buffer.from(certificate.der, 'base64')).validFrom;
  return {
    customKeyIdentifier: Buffer.from(certificate.thumbprintSha1, 'base64url').toString('hex').toUpperCase(),
    displayName: certificate.displayName,
    endDateTime: certificate.expiresAt,
    key: null,
    keyId: certificate.id,
    startDateTime: new Date(notBefore).toISOString(),
    type: 'AsymmetricX509Cert',
    usage: 'Verify',
  };
}

/** Keyless does not keep descriptions: `description` is always null. */
export function renderFederated(credential: FederatedCredential): Record<string, unknown> {
  return {
    audiences: credential.audiences,
    description: null,
    id: credential.id,
    issuer: credential.issuer,
    name: credential.name,
    subject: credential.subject,
  };
}

const byCreated = (a: { createdAt: string }, b: { createdAt: string }): number => a.createdAt.localeCompare(b.createdAt);
