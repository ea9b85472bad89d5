/**
 * The secret that identifies a host at the managed identity endpoints: the
 * X-IDENTITY-HEADER value of a web app, or the path prefix of a VM's IMDS
 * endpoint. Sealed at rest, found by keyed digest. Lowercase hex, because
 * msal-node lowercases the whole endpoint URL (client-libraries.md §1.1b).
 */
export interface HostSecret {
  readonly resourceKey: string;
  readonly sealed: string;
  readonly digest: string;
  readonly createdAt: string;
}

export const HOST_SECRET_PURPOSE = 'host-secret';
export const hostSecretContext = (resourceKey: string): string => `hostSecret:${resourceKey}`;
