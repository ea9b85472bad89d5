import { createPrivateKey, createPublicKey, generateKeyPairSync, createHash, randomUUID, type KeyObject } from 'node:crypto';
import { open, seal } from '../shared/crypto.js';
import type { Clock } from '../shared/clock.js';
import { metaEntity, type ReadModel, type Store } from '../store/index.js';
import { signRs256 } from '../shared/jwt.js';

const META_KEY = 'workloadIssuerKey';
const CONTEXT = 'meta:workloadIssuerKey';
export const WORKLOAD_ISSUER_PATH = '/workload-issuer';

export interface WorkloadTokenRequest {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly audience: string;
  readonly lifetimeSeconds: number;
}

/**
 * A stand-in for a Kubernetes service-account issuer: its own RSA key
 * (sealed in the database, shared by every instance), an OIDC discovery
 * document and JWKS at an HTTPS issuer URL, and projected tokens with
 * subject system:serviceaccount:NAMESPACE:NAME. Federated credentials trust it
 * like any external issuer, but Keyless verifies its tokens in-process.
 */
export class WorkloadIssuer {
  private privateKey: KeyObject;
  /** Replaced as a whole when the key changes (an emergency rotation, on this or another instance). */
  private current: { readonly publicKey: KeyObject; readonly kid: string };

  private constructor(
    private readonly kek: Buffer,
    sealed: string,
    private readonly origin: () => string,
    private readonly clock: Clock,
  ) {
    this.privateKey = unsealKey(kek, sealed);
    this.current = publicPart(this.privateKey);
  }

  static async open(store: Store, model: ReadModel, kek: Buffer, origin: () => string, clock: Clock): Promise<WorkloadIssuer> {
    await store.write(async (writer) => {
      if ((await writer.get(metaEntity, META_KEY)) !== undefined) return;
      await writer.put(metaEntity, { key: META_KEY, value: newSealedWorkloadKey(kek).sealed });
    });
    const sealed = await store.load(metaEntity, META_KEY);
    if (sealed.value === undefined) throw new Error('the workload issuer key is missing');
    const issuer = new WorkloadIssuer(kek, sealed.value.value, origin, clock);
    model.on(metaEntity, (change) => {
      if (change.key === META_KEY && change.value !== undefined) issuer.load(change.value.value);
    });
    return issuer;
  }

  get publicKey(): KeyObject {
    return this.current.publicKey;
  }

  get kid(): string {
    return this.current.kid;
  }

  private load(sealed: string): void {
    this.privateKey = unsealKey(this.kek, sealed);
    this.current = publicPart(this.privateKey);
  }

  /** The issuer URL, on Keyless's canonical origin (https://localhost:PORT/workload-issuer). */
  get issuer(): string {
    return `${this.origin()}${WORKLOAD_ISSUER_PATH}`;
  }

  discovery(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      jwks_uri: `${this.issuer}/openid/v1/jwks`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    };
  }

  jwks(): { keys: Record<string, unknown>[] } {
    return { keys: [{ ...this.publicKey.export({ format: 'jwk' }), kid: this.kid, use: 'sig', alg: 'RS256' }] };
  }

  mint(request: WorkloadTokenRequest): { token: string; expiresOn: number } {
    const now = Math.floor(this.clock.now() / 1000);
    const exp = now + request.lifetimeSeconds;
    const token = signRs256(
      { kid: this.kid },
      {
        aud: [request.audience],
        exp,
        iat: now,
        nbf: now,
        iss: this.issuer,
        sub: `system:serviceaccount:${request.namespace}:${request.serviceAccount}`,
        jti: randomUUID(),
        'kubernetes.io': { namespace: request.namespace, serviceaccount: { name: request.serviceAccount, uid: randomUUID() } },
      },
      this.privateKey,
    );
    return { token, expiresOn: exp };
  }
}

/**
 * A new workload issuer key, sealed, and its kid. Writing it to the meta row
 * (in the caller's transaction) replaces the issuer's key on every instance:
 * tokens signed with the old key are refused from then on.
 */
export function newSealedWorkloadKey(kek: Buffer): { sealed: string; kid: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { sealed: seal(kek, privateKey.export({ format: 'der', type: 'pkcs8' }), CONTEXT), kid: publicPart(privateKey).kid };
}

export const WORKLOAD_KEY_META = META_KEY;

function unsealKey(kek: Buffer, sealed: string): KeyObject {
  return createPrivateKey({ key: open(kek, sealed, CONTEXT), format: 'der', type: 'pkcs8' });
}

/** The public key and its kid: the RFC 7638 thumbprint of its JWK. */
function publicPart(privateKey: KeyObject): { publicKey: KeyObject; kid: string } {
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = createHash('sha256').update(JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n })).digest('base64url');
  return { publicKey, kid };
}
