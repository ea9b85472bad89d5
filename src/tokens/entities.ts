import { defineEntity } from '../store/index.js';
import type { SigningKeyRecord, SigningKeyStatus } from './model.js';

type SigningKeyRow = { kid: string; status: string; sealed_private: string; public_jwk: string; created_at: string; retired_at: string | null };

/** A token signing key (sealed); the keyring is rebuilt from all of them when one changes. */
export const signingKeyEntity = defineEntity({
  name: 'signingKey',
  table: 'signing_keys',
  key: ['kid'],
  codec: {
    from: (r: SigningKeyRow): SigningKeyRecord => ({
      kid: r.kid, status: r.status as SigningKeyStatus, sealedPrivate: r.sealed_private,
      publicJwk: JSON.parse(r.public_jwk) as Record<string, string>, createdAt: r.created_at, retiredAt: r.retired_at,
    }),
    to: (k: SigningKeyRecord): SigningKeyRow => ({
      kid: k.kid, status: k.status, sealed_private: k.sealedPrivate, public_jwk: JSON.stringify(k.publicJwk),
      created_at: k.createdAt, retired_at: k.retiredAt,
    }),
  },
});
