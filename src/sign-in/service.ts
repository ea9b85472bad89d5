import type { Clock } from '../shared/clock.js';
import type { EntityTable, ReadModel, Store, Writer } from '../store/index.js';
import { signInGrantEntity } from './entities.js';
import { SignInError, type SignInFailure } from './errors.js';
import { CODE_LIFETIME_MS, PURGE_AFTER_MS, SESSION_LIFETIME_MS, type IssuedSecret, type SignInGrant, type SignInGrantKind } from './model.js';
import { matches, newSecret, parseSecret } from './secret.js';

/** What a redemption gives: the principal to sign in as, and the session's next refresh token. */
export interface Redeemed {
  readonly principalId: string;
  readonly refresh: IssuedSecret;
}

type Outcome = { ok: Redeemed } | { failure: SignInFailure };

const MESSAGES: Record<SignInFailure, string> = {
  SignInCodeInvalid: 'The sign-in code is not valid.',
  SignInCodeExpired: 'The sign-in code has expired.',
  SignInCodeRedeemed: 'The sign-in code was already redeemed.',
  RefreshTokenInvalid: 'The refresh token is not valid.',
  RefreshTokenExpired: 'The refresh token has expired.',
  RefreshTokenReused: 'The refresh token was already redeemed; its session has been ended.',
  SignInClientMismatch: 'The sign-in code or refresh token was issued to another client.',
};

/**
 * One-time sign-in codes (`keyless portal`) and the portal's rotating refresh tokens. Every redemption is one
 * store transaction (serialised across instances), so a code or refresh token is honoured once, whichever
 * instance sees it. Secrets are stored as digests only and never logged.
 */
export class SignInService {
  private readonly grants: EntityTable<SignInGrant>;

  constructor(
    private readonly store: Store,
    private readonly model: ReadModel,
    private readonly clock: Clock,
  ) {
    this.grants = model.table(signInGrantEntity);
  }

  /** A new one-time code for `principalId`, valid 2 minutes. */
  async issueCode(principalId: string): Promise<IssuedSecret> {
    const now = this.clock.now();
    const secret = newSecret();
    const expiresAt = new Date(now + CODE_LIFETIME_MS).toISOString();
    const stale = [...this.grants.values()].filter((g) => Date.parse(g.expiresAt) + PURGE_AFTER_MS < now).map((g) => g.id);
    const { revision } = await this.store.write(async (writer) => {
      for (const id of stale) await writer.delete(signInGrantEntity, id);
      await writer.put(signInGrantEntity, this.grant(secret, 'code', principalId, secret.id, expiresAt, now));
    });
    await this.model.reach(revision);
    return { value: secret.value, expiresAt };
  }

  /** Redeems a code once for the principal whose client presents it; answers the session's first refresh token. */
  async redeemCode(value: string, principalId: string | undefined): Promise<Redeemed> {
    return this.redeem(value, 'code', principalId);
  }

  /** Rotates a refresh token: the presented one is spent, the next one is answered; a spent one presented again ends the session. */
  async redeemRefresh(value: string, principalId: string | undefined): Promise<Redeemed> {
    return this.redeem(value, 'refresh', principalId);
  }

  private async redeem(value: string, kind: SignInGrantKind, principalId: string | undefined): Promise<Redeemed> {
    const fail = (failure: SignInFailure): Outcome => ({ failure });
    const invalid = kind === 'code' ? 'SignInCodeInvalid' : 'RefreshTokenInvalid';
    const parsed = parseSecret(value);
    if (parsed === undefined) throw new SignInError(invalid, MESSAGES[invalid]);
    const now = this.clock.now();
    const { value: outcome, revision } = await this.store.write(async (writer): Promise<Outcome> => {
      const grant = await writer.get(signInGrantEntity, parsed.id);
      if (grant === undefined || grant.kind !== kind || !matches(parsed.secret, grant.digest)) return fail(invalid);
      if (principalId !== grant.principalId) return fail('SignInClientMismatch');
      if (grant.usedAt !== null) {
        if (kind === 'code') return fail('SignInCodeRedeemed');
        await this.endSession(writer, grant.session);
        return fail('RefreshTokenReused');
      }
      if (Date.parse(grant.expiresAt) <= now) return fail(kind === 'code' ? 'SignInCodeExpired' : 'RefreshTokenExpired');
      await writer.put(signInGrantEntity, { ...grant, usedAt: new Date(now).toISOString() });
      const next = newSecret();
      // A session ends 24 hours after its sign-in, however often its refresh token is rotated.
      const sessionEnds = kind === 'code' ? new Date(now + SESSION_LIFETIME_MS).toISOString() : grant.expiresAt;
      await writer.put(signInGrantEntity, this.grant(next, 'refresh', grant.principalId, grant.session, sessionEnds, now));
      return { ok: { principalId: grant.principalId, refresh: { value: next.value, expiresAt: sessionEnds } } };
    });
    await this.model.reach(revision);
    if ('failure' in outcome) throw new SignInError(outcome.failure, MESSAGES[outcome.failure]);
    return outcome.ok;
  }

  private async endSession(writer: Writer, session: string): Promise<void> {
    for (const g of await writer.all(signInGrantEntity)) if (g.session === session) await writer.delete(signInGrantEntity, g.id);
  }

  private grant(secret: { id: string; digest: string }, kind: SignInGrantKind, principalId: string, session: string, expiresAt: string, now: number): SignInGrant {
    return { id: secret.id, kind, digest: secret.digest, principalId, session, expiresAt, usedAt: null, createdAt: new Date(now).toISOString() };
  }
}
