import type { Clock } from '../shared/clock.js';
import type { ReadModel } from '../store/index.js';
import { decodeJwt, hasCriticalHeader } from '../shared/jwt.js';
import type { Principal } from './model.js';
import type { DirectoryService } from './service.js';
import { ClientAuthenticationError } from './errors.js';
import { verifyCertificateAssertion } from './client-assertion.js';
import { verifyFederatedAssertion, type IssuerKeySource } from './federated.js';
import { certificateEntity, federatedCredentialEntity } from './entities.js';

export type ClientMethod = 'secret' | 'certificate' | 'federated';

export interface AuthenticatedClient {
  readonly principal: Principal;
  readonly method: ClientMethod;
  /** The assertion's jti was seen before (msal-node reuses its assertion for up to 10 minutes; accepted, and audited). */
  readonly reusedAssertion: boolean;
}

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  readonly clientAssertion: string | undefined;
}

/**
 * How a client proves who it is at the token endpoint: a client secret, a
 * certificate-signed assertion whose `iss` is its own client id, or a
 * federated assertion from a trusted issuer. Applications may use all three;
 * a user-assigned identity only federated credentials.
 */
export class ClientAuthenticator {
  private readonly seenJti = new Map<string, number>();

  constructor(
    private readonly directory: DirectoryService,
    private readonly model: ReadModel,
    private readonly issuerKeys: IssuerKeySource,
    private readonly isTokenEndpoint: (aud: string) => boolean,
    private readonly clock: Clock,
  ) {}

  async authenticate(credentials: ClientCredentials): Promise<AuthenticatedClient> {
    const { clientId, clientAssertion } = credentials;
    if (clientAssertion === undefined) {
      return { principal: this.directory.authenticateClientSecret(clientId, credentials.clientSecret), method: 'secret', reusedAssertion: false };
    }
    const principal = this.directory.principalByAppId(clientId);
    const usable = principal && (principal.kind === 'Application' || principal.kind === 'UserAssignedIdentity');
    if (!principal || !usable) throw new ClientAuthenticationError('UnknownClient', clientId);
    const jwt = decodeJwt(clientAssertion);
    if (!jwt) throw new ClientAuthenticationError('MalformedAssertion', clientId);
    // RFC 7515 §4.1.11: no JWS extension is understood here, so none may be critical.
    if (hasCriticalHeader(jwt)) throw new ClientAuthenticationError('MalformedAssertion', clientId, { reason: 'crit header' });
    const now = Math.floor(this.clock.now() / 1000);
    // Client ids are GUIDs, compared in any case (as the principal lookup does).
    const iss = jwt.payload['iss'];
    const selfSigned = typeof iss === 'string' && iss.toLowerCase() === principal.appId.toLowerCase() && principal.kind === 'Application';
    if (selfSigned) {
      verifyCertificateAssertion(principal, jwt, [...this.model.table(certificateEntity).values()], this.isTokenEndpoint, now);
    } else {
      await verifyFederatedAssertion(principal, jwt, [...this.model.table(federatedCredentialEntity).values()], this.issuerKeys, now);
    }
    return { principal, method: selfSigned ? 'certificate' : 'federated', reusedAssertion: this.seen(clientId, jwt.payload, now) };
  }

  /** The object id behind a client id, for the audit (null when there is none). */
  principalId(clientId: string): string | null {
    return this.directory.principalByAppId(clientId)?.objectId ?? null;
  }

  /** The principal of a client id, for grants that authenticate with something other than the client's own credential (a sign-in code). */
  principal(clientId: string): Principal | undefined {
    return this.directory.principalByAppId(clientId);
  }

  /** Whether this client already presented this issuer's assertion with this jti. */
  private seen(clientId: string, claims: Record<string, unknown>, now: number): boolean {
    if (typeof claims['jti'] !== 'string') return false;
    const jti = `${clientId.toLowerCase()}\0${String(claims['iss'])}\0${claims['jti']}`;
    if (this.seenJti.size > 10_000) for (const [id, exp] of this.seenJti) if (exp < now) this.seenJti.delete(id);
    const before = this.seenJti.has(jti);
    this.seenJti.set(jti, typeof claims['exp'] === 'number' ? claims['exp'] : now);
    return before;
  }
}
