/** current signs; next is published ahead of use; retired verifies until its tokens expire; revoked never verifies. */
export type SigningKeyStatus = 'current' | 'next' | 'retired' | 'revoked';

export interface SigningKeyRecord {
  readonly kid: string;
  readonly status: SigningKeyStatus;
  readonly sealedPrivate: string;
  readonly publicJwk: Readonly<Record<string, string>>;
  readonly createdAt: string;
  readonly retiredAt: string | null;
}
