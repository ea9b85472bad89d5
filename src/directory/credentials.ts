import type { Clock } from '../shared/clock.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../shared/errors.js';
import { newGuid } from '../shared/ids.js';
import type { EntityTable, ReadModel, Store, Writer } from '../store/index.js';
import type { ClientCertificate, ClientSecret, FederatedCredential, Principal } from './model.js';
import type { DirectoryService } from './service.js';
import { parseCertificate } from './certificates.js';
import { certificateEntity, federatedCredentialEntity, principalEntity, secretEntity } from './entities.js';

export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';
const FIC_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/;
const MAX_FEDERATED = 20;

export interface FederatedInput {
  readonly name: string;
  readonly issuer: unknown;
  readonly subject: unknown;
  readonly audiences?: unknown;
  /** 'create' refuses a name that exists, 'update' one that does not; 'upsert' (the default) does either. Checked inside the write. */
  readonly mode?: 'create' | 'update' | 'upsert';
}

/** A certificate to register: base64 DER and its display name. */
export interface NewCertificate {
  readonly certificate: string;
  readonly displayName: string | null;
}

/**
 * Applications and the credentials of principals: client secrets (shown once,
 * kept as keyed digests), certificates (public part, by thumbprint) and
 * federated credentials (issuer + subject + audience, matched exactly).
 */
export class CredentialService {
  private readonly principals: EntityTable<Principal, 'appId'>;
  private readonly secretTable: EntityTable<ClientSecret>;
  private readonly certificateTable: EntityTable<ClientCertificate>;
  private readonly federatedTable: EntityTable<FederatedCredential>;

  constructor(
    private readonly store: Store,
    private readonly model: ReadModel,
    private readonly directory: DirectoryService,
    private readonly clock: Clock,
  ) {
    this.principals = model.table(principalEntity);
    this.secretTable = model.table(secretEntity);
    this.certificateTable = model.table(certificateEntity);
    this.federatedTable = model.table(federatedCredentialEntity);
  }

  async createApplication(displayName: string): Promise<Principal> {
    const name = displayName.trim();
    if (name === '' || name.length > 256) throw new InvalidInputError('InvalidDisplayName', 'An application needs a display name of 1 to 256 characters.');
    return this.write((writer) => this.directory.createPrincipal(writer, 'Application', name, null));
  }

  application(id: string): Principal {
    const lower = id.toLowerCase();
    const principal =
      [...this.principals.values()].find((p) => p.kind === 'Application' && p.applicationObjectId?.toLowerCase() === lower) ??
      this.directory.principalByAppId(lower);
    if (!principal || principal.kind !== 'Application') {
      throw new NotFoundError('Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
    }
    return principal;
  }

  applications(): Principal[] {
    return [...this.principals.values()].filter((p) => p.kind === 'Application').sort((a, b) => a.displayName.localeCompare(b.displayName));
  }

  async deleteApplication(principal: Principal): Promise<void> {
    await this.write((writer) => this.directory.deletePrincipal(writer, principal.objectId));
  }

  async addSecret(principal: Principal, displayName: string | null, endDateTime: string | undefined): Promise<{ secret: string; record: ClientSecret }> {
    const days = this.daysUntil(endDateTime, 730);
    return this.write(async (writer) => {
      const added = await this.directory.addClientSecret(writer, principal.objectId, days);
      const record = { ...added.record, displayName };
      await writer.put(secretEntity, record);
      return { secret: added.secret, record };
    });
  }

  async addCertificate(principal: Principal, certificate: string, displayName: string | null): Promise<ClientCertificate> {
    const record = this.certificateRecord(principal, { certificate, displayName });
    await this.write((writer) => writer.put(certificateEntity, record));
    return record;
  }

  /**
   * Makes a principal's certificates exactly `keep` (ids of registered ones)
   * plus `add`, in one transaction: a failure leaves them as they were.
   */
  async replaceCertificates(principal: Principal, keep: ReadonlySet<string>, add: readonly NewCertificate[]): Promise<void> {
    const records = add.map((c) => this.certificateRecord(principal, c));
    await this.write(async (writer) => {
      for (const current of await writer.find(certificateEntity, 'object_id', principal.objectId)) {
        if (!keep.has(current.id)) await writer.delete(certificateEntity, current.id);
      }
      for (const record of records) await writer.put(certificateEntity, record);
    });
  }

  /** Whether a certificate's end lies in the past, on the injected clock. */
  hasExpired(notAfter: Date): boolean {
    return notAfter.getTime() <= this.clock.now();
  }

  private certificateRecord(principal: Principal, input: NewCertificate): ClientCertificate {
    const parsed = parseCertificate(input.certificate);
    if (this.hasExpired(parsed.notAfter)) throw new InvalidInputError('InvalidCertificate', 'The certificate has already expired.');
    return {
      id: newGuid(),
      objectId: principal.objectId,
      thumbprintSha1: parsed.thumbprintSha1,
      thumbprintSha256: parsed.thumbprintSha256,
      der: parsed.der.toString('base64'),
      displayName: input.displayName,
      expiresAt: parsed.notAfter.toISOString(),
      createdAt: new Date(this.clock.now()).toISOString(),
    };
  }

  secrets(principal: Principal): ClientSecret[] {
    return [...this.secretTable.values()].filter((s) => s.objectId === principal.objectId);
  }

  certificates(principal: Principal): ClientCertificate[] {
    return [...this.certificateTable.values()].filter((c) => c.objectId === principal.objectId);
  }

  /** Removes a secret or certificate by its key id; false when the principal has none with that id. */
  async removeCredential(principal: Principal, keyId: string): Promise<boolean> {
    const id = keyId.toLowerCase();
    return this.write(async (writer) => {
      if ((await writer.find(secretEntity, 'object_id', principal.objectId)).some((s) => s.id === id)) {
        await writer.delete(secretEntity, id);
        return true;
      }
      if ((await writer.find(certificateEntity, 'object_id', principal.objectId)).some((c) => c.id === id)) {
        await writer.delete(certificateEntity, id);
        return true;
      }
      return false;
    });
  }

  federated(principal: Principal): FederatedCredential[] {
    return [...this.federatedTable.values()]
      .filter((f) => f.objectId === principal.objectId)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Creates or replaces the federated credential `name` of a principal (an
   * application or a user-assigned identity). In 'update' mode a field left
   * undefined keeps its current value, read inside the write, so that two
   * updates of different fields both land.
   */
  async putFederated(principal: Principal, input: FederatedInput): Promise<{ credential: FederatedCredential; created: boolean }> {
    if (!FIC_NAME.test(input.name)) {
      throw new InvalidInputError('InvalidFederatedCredentialName', 'A federated credential name is 3 to 120 letters, digits, hyphens and underscores, starting with a letter or digit.');
    }
    if (input.mode !== 'update') checkFederatedFields(input.issuer, input.subject, input.audiences ?? [TOKEN_EXCHANGE_AUDIENCE]);
    return this.write(async (writer) => {
      const existing = await writer.find(federatedCredentialEntity, 'object_id', principal.objectId);
      const same = existing.find((f) => f.name.toLowerCase() === input.name.toLowerCase());
      if (same && input.mode === 'create') throw new ConflictError('FederatedCredentialExists', `FederatedIdentityCredential with name ${input.name} already exists.`);
      if (!same && input.mode === 'update') throw new NotFoundError('FederatedCredentialNotFound', `The federated credential '${input.name}' does not exist.`);
      const issuer = input.issuer ?? same?.issuer;
      const subject = input.subject ?? same?.subject;
      const audiences = input.audiences ?? same?.audiences ?? [TOKEN_EXCHANGE_AUDIENCE];
      const fields = checkFederatedFields(issuer, subject, audiences);
      if (!same && existing.length >= MAX_FEDERATED) {
        throw new ConflictError('FederatedCredentialLimit', `A principal can have at most ${MAX_FEDERATED} federated credentials.`);
      }
      const clash = existing.find((f) => f !== same && f.issuer === fields.issuer && f.subject === fields.subject);
      if (clash) throw new ConflictError('FederatedCredentialConflict', `The federated credential '${clash.name}' already has this issuer and subject.`);
      const credential: FederatedCredential = {
        id: same?.id ?? newGuid(),
        objectId: principal.objectId,
        name: same?.name ?? input.name,
        ...fields,
        createdAt: same?.createdAt ?? new Date(this.clock.now()).toISOString(),
      };
      await writer.put(federatedCredentialEntity, credential);
      return { credential, created: !same };
    });
  }

  async deleteFederated(principal: Principal, name: string): Promise<boolean> {
    const credential = this.federated(principal).find((f) => f.name.toLowerCase() === name.toLowerCase() || f.id === name.toLowerCase());
    if (!credential) return false;
    await this.write((writer) => writer.delete(federatedCredentialEntity, credential.id));
    return true;
  }

  private daysUntil(endDateTime: string | undefined, fallbackDays: number): number {
    if (endDateTime === undefined) return fallbackDays;
    const end = Date.parse(endDateTime);
    if (Number.isNaN(end)) throw new InvalidInputError('InvalidEndDateTime', "'endDateTime' must be an ISO-8601 time.");
    return (end - this.clock.now()) / 86_400_000;
  }

  private async write<T>(work: (writer: Writer) => Promise<T>): Promise<T> {
    const { value, revision } = await this.store.write(work);
    await this.model.reach(revision);
    return value;
  }
}

/** A federated credential's issuer, subject and audiences as Entra accepts them. */
function checkFederatedFields(issuer: unknown, subject: unknown, audiences: unknown): { issuer: string; subject: string; audiences: string[] } {
  if (typeof issuer !== 'string' || !/^https:\/\/[^\s]+$/.test(issuer) || issuer.length > 600) {
    throw new InvalidInputError('InvalidIssuer', "The federated credential's issuer must be an https URL of at most 600 characters.");
  }
  if (typeof subject !== 'string' || subject === '' || subject.length > 600) {
    throw new InvalidInputError('InvalidSubject', "The federated credential's subject must be 1 to 600 characters.");
  }
  if (!Array.isArray(audiences) || audiences.length !== 1 || typeof audiences[0] !== 'string' || audiences[0] === '') {
    throw new InvalidInputError('InvalidAudiences', 'A federated credential has exactly one audience (default api://AzureADTokenExchange).');
  }
  return { issuer, subject, audiences: [audiences[0]] };
}
