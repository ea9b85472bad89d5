/** `keyless ad sp …` and `keyless ad app …`: applications, their service principals and credentials, through Keyless's Graph slice. */
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import type { Command } from 'commander';
import type { Json } from '../arm.js';
import { asObject, listValue, pick } from '../arm.js';
import type { CommandContext } from '../context.js';
import { nounCommand, run } from '../context.js';
import { ArmResponseError, CliError, UsageError } from '../errors.js';
import { parsePositiveInt, requireArmPath } from '../flags.js';
import type { HttpMethod } from '../client.js';
import type { Column } from '../output.js';
import { printResult } from '../output.js';
import { leaf } from '../resources.js';
import { isGuid } from '../role-ref.js';
import { writeFileAtomic } from '../../runtime/data-dir.js';
import { createAssignment, resolveRoleId } from './role.js';

const TOKEN_EXCHANGE = 'api://AzureADTokenExchange';

/** One Graph call through the CLI's client (its `api-version` query parameter is ignored by Graph). */
async function graph(ctx: CommandContext, method: HttpMethod, url: string, body?: unknown): Promise<Json> {
  const result = asObject((await ctx.client().request(method, url, 'v1.0', body)).body);
  delete result['@odata.context'];
  return result;
}

const eqFilter = (field: string, value: string): string => `$filter=${encodeURIComponent(`${field} eq '${value.replace(/'/g, "''")}'`)}`;

/** The application behind an app id (or an application object id). */
async function findApplication(ctx: CommandContext, id: string): Promise<Json> {
  const found = listValue(await graph(ctx, 'GET', `/v1.0/applications?${eqFilter('appId', id)}`))[0];
  if (found) return found;
  if (isGuid(id)) {
    try {
      return await graph(ctx, 'GET', `/v1.0/applications/${encodeURIComponent(id)}`);
    } catch (error) {
      if (!(error instanceof ArmResponseError && error.status === 404)) throw error;
    }
  }
  throw new CliError(`Application '${id}' doesn't exist.`);
}

async function findServicePrincipal(ctx: CommandContext, id: string): Promise<Json> {
  const found = listValue(await graph(ctx, 'GET', `/v1.0/servicePrincipals?${eqFilter('appId', id)}`))[0];
  if (found) return found;
  if (isGuid(id)) {
    try {
      return await graph(ctx, 'GET', `/v1.0/servicePrincipals/${encodeURIComponent(id)}`);
    } catch (error) {
      if (!(error instanceof ArmResponseError && error.status === 404)) throw error;
    }
  }
  throw new CliError(`Service principal '${id}' doesn't exist.`);
}

const appPath = (app: Json): string => `/v1.0/applications/${encodeURIComponent(String(app['id']))}`;
const keyIds = (app: Json, kind: 'passwordCredentials' | 'keyCredentials'): string[] =>
  (Array.isArray(app[kind]) ? (app[kind] as unknown[]) : []).map((c) => String(pick(c, 'keyId')));

function yearsFromNow(years: number): Date {
  const end = new Date();
  end.setUTCFullYear(end.getUTCFullYear() + years);
  return end;
}

interface NewCredential {
  readonly password: string | null;
  readonly file?: string;
}

/**
 * Adds a secret, or a self-signed certificate made here (its private key never
 * leaves this machine: key and certificate go into one 0600 file in the data
 * folder). Unless `append`, the application's other secrets and certificates
 * are removed afterwards, as az does.
 */
async function addCredential(ctx: CommandContext, app: Json, o: { cert: boolean; years: number; append: boolean; displayName: string }): Promise<NewCredential> {
  const oldPasswords = keyIds(app, 'passwordCredentials');
  const oldKeys = keyIds(app, 'keyCredentials');
  let added: NewCredential;
  if (o.cert) {
    const cert = await createCertificate(String(app['displayName']), o.years);
    const file = certificateFile(ctx.dataDir, String(app['appId']), cert.thumbprint, o.append);
    // The key goes to a pending file first and replaces the old one only once the server has the certificate:
    // a failed upload leaves the registered certificate and its key as they were.
    const pending = `${file}.pending`;
    writeFileAtomic(pending, `${cert.keyPem}${cert.certPem}`, 0o600);
    const keep = o.append ? oldKeys.map((keyId) => ({ keyId })) : [];
    const entry = { type: 'AsymmetricX509Cert', usage: 'Verify', key: cert.derBase64, displayName: `CN=${String(app['displayName'])}` };
    try {
      await graph(ctx, 'PATCH', appPath(app), { keyCredentials: [...keep, entry] });
    } catch (error) {
      fs.rmSync(pending, { force: true });
      throw error;
    }
    fs.renameSync(pending, file);
    added = { password: null, file };
  } else {
    const body = { passwordCredential: { displayName: o.displayName, endDateTime: yearsFromNow(o.years).toISOString() } };
    const secret = await graph(ctx, 'POST', `${appPath(app)}/addPassword`, body);
    added = { password: String(secret['secretText']) };
    if (!o.append && oldKeys.length > 0) await graph(ctx, 'PATCH', appPath(app), { keyCredentials: [] });
  }
  if (!o.append) for (const keyId of oldPasswords) await graph(ctx, 'POST', `${appPath(app)}/removePassword`, { keyId });
  return added;
}

/** `<data>/certificates/<appId>.pem` (folder 0700); an appended certificate gets its own file, named by thumbprint. */
function certificateFile(dataDir: string, appId: string, thumbprint: string, append: boolean): string {
  const dir = path.join(dataDir, 'certificates');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const plain = path.join(dir, `${appId}.pem`);
  return append && fs.existsSync(plain) ? path.join(dir, `${appId}-${thumbprint.slice(0, 8)}.pem`) : plain;
}

/** A self-signed RSA-2048 certificate (SHA-256), CN=name, valid from now for `years`. */
async function createCertificate(name: string, years: number): Promise<{ certPem: string; keyPem: string; derBase64: string; thumbprint: string }> {
  // Loaded here: runtime/tls.ts brings the ASN.1 modules, a third of every other command's start-up.
  const { loadX509 } = await import('../../runtime/tls.js');
  const x509 = await loadX509();
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: `CN=${name.replace(/([,+"\\<>;=#])/g, '\\$1')}`,
    notBefore: new Date(),
    notAfter: yearsFromNow(years),
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    ],
  });
  const der = Buffer.from(cert.rawData);
  const keyPem = x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  return { certPem: ensureNewline(cert.toString('pem')), keyPem: ensureNewline(keyPem), derBase64: der.toString('base64'), thumbprint: createHash('sha1').update(der).digest('hex') };
}

const ensureNewline = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);

/** What az prints for a new credential: appId, [displayName,] [fileWithCertAndPrivateKey,] password, tenant. */
function credentialOutput(ctx: CommandContext, app: Json, added: NewCredential, withName: boolean): Json {
  const out: Json = { appId: app['appId'] };
  if (withName) out['displayName'] = app['displayName'];
  if (added.file !== undefined) out['fileWithCertAndPrivateKey'] = added.file;
  out['password'] = added.password;
  out['tenant'] = ctx.client().runtime.tenantId;
  return out;
}

const CREDENTIAL_COLUMNS: readonly Column<Json>[] = [
  { header: 'AppId', value: (r) => r['appId'] },
  { header: 'DisplayName', value: (r) => r['displayName'] },
  { header: 'Password', value: (r) => r['password'] },
  { header: 'Tenant', value: (r) => r['tenant'] },
  { header: 'FileWithCertAndPrivateKey', value: (r) => r['fileWithCertAndPrivateKey'] },
];
const SP_COLUMNS: readonly Column<Json>[] = [
  { header: 'DisplayName', value: (r) => r['displayName'] },
  { header: 'AppId', value: (r) => r['appId'] },
  { header: 'Id', value: (r) => r['id'] },
  { header: 'Type', value: (r) => r['servicePrincipalType'] },
];
const APP_COLUMNS: readonly Column<Json>[] = [
  { header: 'DisplayName', value: (r) => r['displayName'] },
  { header: 'AppId', value: (r) => r['appId'] },
  { header: 'Id', value: (r) => r['id'] },
  { header: 'CreatedDateTime', value: (r) => r['createdDateTime'] },
];
const KEY_COLUMNS: readonly Column<Json>[] = ['keyId', 'type', 'displayName', 'hint', 'endDateTime'].map((k) => ({
  header: k.charAt(0).toUpperCase() + k.slice(1),
  value: (r: Json) => r[k],
}));
const FIC_COLUMNS: readonly Column<Json>[] = [
  { header: 'Name', value: (r) => r['name'] },
  { header: 'Issuer', value: (r) => r['issuer'] },
  { header: 'Subject', value: (r) => r['subject'] },
  { header: 'Audiences', value: (r) => (Array.isArray(r['audiences']) ? r['audiences'].join(', ') : r['audiences']) },
];

/** The credential table, with the file column only when there is a file. */
const credentialColumns = (out: Json, withName: boolean): readonly Column<Json>[] =>
  CREDENTIAL_COLUMNS.filter((c) => (withName || c.header !== 'DisplayName') && (c.header !== 'FileWithCertAndPrivateKey' || out['fileWithCertAndPrivateKey'] !== undefined));

const print = (ctx: CommandContext, json: Json | Json[], columns: readonly Column<Json>[]): void =>
  printResult(ctx.format, json, Array.isArray(json) ? json : [json], columns);

interface CredentialFlags {
  readonly createCert?: boolean;
  readonly years: number;
}

const withCredentialFlags = (cmd: Command): Command =>
  cmd
    .option('--create-cert', 'create a self-signed certificate (its key stays in the data folder) instead of a secret')
    .option('--years <n>', 'years the secret or certificate is valid', parsePositiveInt, 1);

export function registerAdCommands(program: Command): void {
  const ad = nounCommand(program, 'ad', 'Applications and service principals (Microsoft Entra ID, through Graph).');
  const sp = nounCommand(ad, 'sp', 'Service principals.');

  withCredentialFlags(leaf(sp, 'create-for-rbac', 'Create an application with its service principal and a credential, optionally with role assignments.'))
    .option('-n, --name <name>', 'display name (default: keyless-<time>)')
    .option('--display-name <name>', 'same as --name')
    .option('--role <role>', 'role to assign at each of --scopes')
    .option('--scopes <scopes...>', 'ARM ids of the scopes for --role')
    .action(
      run(async (ctx, o: CredentialFlags & { name?: string; displayName?: string; role?: string; scopes?: string[] }) => {
        if ((o.role === undefined) !== (o.scopes === undefined)) throw new UsageError('usage error: To create role assignments, specify both --role and --scopes.');
        const scopes = (o.scopes ?? []).map((s) => requireArmPath('--scopes', s));
        const roleId = o.role === undefined ? undefined : await resolveRoleId(ctx, o.role);
        const displayName = o.name ?? o.displayName ?? `keyless-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        const app = await graph(ctx, 'POST', '/v1.0/applications', { displayName });
        const added = await addCredential(ctx, app, { cert: o.createCert === true, years: o.years, append: true, displayName: 'rbac' });
        if (roleId !== undefined) {
          const principal = await findServicePrincipal(ctx, String(app['appId']));
          for (const scope of scopes) await createAssignment(ctx, scope, roleId, String(principal['id']), 'ServicePrincipal');
        }
        const out = credentialOutput(ctx, app, added, true);
        print(ctx, out, credentialColumns(out, true));
      }),
    );

  leaf(sp, 'list', 'List service principals (applications and managed identities).')
    .option('--display-name <prefix>', 'only those whose display name starts with this')
    .action(
      run(async (ctx, o: { displayName?: string }) => {
        const filter = o.displayName === undefined ? '' : `?$filter=${encodeURIComponent(`startswith(displayName,'${o.displayName.replace(/'/g, "''")}')`)}`;
        print(ctx, listValue(await graph(ctx, 'GET', `/v1.0/servicePrincipals${filter}`)), SP_COLUMNS);
      }),
    );

  leaf(sp, 'show', 'Show a service principal.')
    .requiredOption('--id <id>', 'app id (or object id) of the service principal')
    .action(run(async (ctx, o: { id: string }) => print(ctx, await findServicePrincipal(ctx, o.id), SP_COLUMNS)));

  leaf(sp, 'delete', 'Delete a service principal and its application (its role assignments stay, as orphans).')
    .requiredOption('--id <id>', 'app id of the service principal')
    .action(run(async (ctx, o: { id: string }) => void (await graph(ctx, 'DELETE', appPath(await findApplication(ctx, o.id))))));

  registerCredentialCommands(nounCommand(sp, 'credential', 'Secrets and certificates of a service principal.'));
  registerAppCommands(nounCommand(ad, 'app', 'Applications.'));
}

function registerCredentialCommands(credential: Command): void {
  withCredentialFlags(leaf(credential, 'reset', "Add a new secret (or certificate); without --append, remove the others."))
    .requiredOption('--id <id>', 'app id of the service principal')
    .option('--append', 'keep the existing secrets and certificates')
    .option('--display-name <name>', 'display name of the new secret')
    .action(
      run(async (ctx, o: CredentialFlags & { id: string; append?: boolean; displayName?: string }) => {
        const app = await findApplication(ctx, o.id);
        const added = await addCredential(ctx, app, { cert: o.createCert === true, years: o.years, append: o.append === true, displayName: o.displayName ?? 'rbac' });
        const out = credentialOutput(ctx, app, added, false);
        print(ctx, out, credentialColumns(out, false));
      }),
    );

  leaf(credential, 'list', 'List the secrets and certificates of a service principal (never their values).')
    .requiredOption('--id <id>', 'app id of the service principal')
    .action(
      run(async (ctx, o: { id: string }) => {
        const app = await findApplication(ctx, o.id);
        const row = (type: string) => (c: unknown): Json => ({
          keyId: pick(c, 'keyId'), type, displayName: pick(c, 'displayName'), hint: pick(c, 'hint') ?? null, endDateTime: pick(c, 'endDateTime'),
        });
        const list = (name: string): unknown[] => (Array.isArray(app[name]) ? (app[name] as unknown[]) : []);
        print(ctx, [...list('passwordCredentials').map(row('Password')), ...list('keyCredentials').map(row('AsymmetricX509Cert'))], KEY_COLUMNS);
      }),
    );

  leaf(credential, 'delete', 'Delete one secret or certificate.')
    .requiredOption('--id <id>', 'app id of the service principal')
    .requiredOption('--key-id <keyId>', 'key id of the secret or certificate')
    .action(
      run(async (ctx, o: { id: string; keyId: string }) => {
        const app = await findApplication(ctx, o.id);
        const keyId = o.keyId.toLowerCase();
        if (keyIds(app, 'passwordCredentials').includes(keyId)) {
          await graph(ctx, 'POST', `${appPath(app)}/removePassword`, { keyId });
        } else if (keyIds(app, 'keyCredentials').includes(keyId)) {
          await graph(ctx, 'PATCH', appPath(app), { keyCredentials: keyIds(app, 'keyCredentials').filter((k) => k !== keyId).map((k) => ({ keyId: k })) });
        } else {
          throw new CliError(`Application '${o.id}' has no credential with key id '${o.keyId}'.`);
        }
      }),
    );
}

function registerAppCommands(app: Command): void {
  leaf(app, 'list', 'List applications.')
    .option('--display-name <name>', 'only the applications with this display name')
    .action(
      run(async (ctx, o: { displayName?: string }) => {
        const filter = o.displayName === undefined ? '' : `?${eqFilter('displayName', o.displayName)}`;
        print(ctx, listValue(await graph(ctx, 'GET', `/v1.0/applications${filter}`)), APP_COLUMNS);
      }),
    );

  leaf(app, 'show', 'Show an application.')
    .requiredOption('--id <id>', 'app id (or object id) of the application')
    .action(run(async (ctx, o: { id: string }) => print(ctx, await findApplication(ctx, o.id), APP_COLUMNS)));

  leaf(app, 'delete', 'Delete an application and its service principal.')
    .requiredOption('--id <id>', 'app id (or object id) of the application')
    .action(run(async (ctx, o: { id: string }) => void (await graph(ctx, 'DELETE', appPath(await findApplication(ctx, o.id))))));

  const fic = nounCommand(app, 'federated-credential', 'Federated identity credentials of an application.');
  const ficPath = (a: Json, name: string): string => `${appPath(a)}/federatedIdentityCredentials/${encodeURIComponent(name)}`;
  type FicFlags = { id: string; name?: string; federatedCredentialId?: string };
  const ficName = (o: FicFlags): string => {
    const name = o.name ?? o.federatedCredentialId;
    if (name === undefined) throw new UsageError('the following arguments are required: --name/-n');
    return name;
  };
  const withFic = (cmd: Command): Command =>
    cmd
      .requiredOption('--id <id>', 'app id (or object id) of the application')
      .option('-n, --name <name>', 'name of the federated credential')
      .option('--federated-credential-id <idOrName>', 'same as --name (its id or name)');

  withFic(leaf(fic, 'create', 'Trust tokens of an external issuer for this application.'))
    .requiredOption('--issuer <url>', 'issuer URL (https)')
    .requiredOption('--subject <subject>', 'subject claim to match exactly')
    .option('--audiences <audiences...>', 'audience to match', [TOKEN_EXCHANGE])
    .option('--description <text>', 'description')
    .action(
      run(async (ctx, o: FicFlags & { issuer: string; subject: string; audiences: string[]; description?: string }) => {
        const name = ficName(o);
        const a = await findApplication(ctx, o.id);
        const body: Json = { name, issuer: o.issuer, subject: o.subject, audiences: o.audiences };
        if (o.description !== undefined) body['description'] = o.description;
        print(ctx, await graph(ctx, 'POST', `${appPath(a)}/federatedIdentityCredentials`, body), FIC_COLUMNS);
      }),
    );

  leaf(fic, 'list', "List an application's federated credentials.")
    .requiredOption('--id <id>', 'app id (or object id) of the application')
    .action(
      run(async (ctx, o: { id: string }) => {
        const a = await findApplication(ctx, o.id);
        print(ctx, listValue(await graph(ctx, 'GET', `${appPath(a)}/federatedIdentityCredentials`)), FIC_COLUMNS);
      }),
    );

  withFic(leaf(fic, 'show', 'Show a federated credential.')).action(
    run(async (ctx, o: FicFlags) => {
      const name = ficName(o);
      print(ctx, await graph(ctx, 'GET', ficPath(await findApplication(ctx, o.id), name)), FIC_COLUMNS);
    }),
  );

  withFic(leaf(fic, 'delete', 'Delete a federated credential.')).action(
    run(async (ctx, o: FicFlags) => {
      const name = ficName(o);
      await graph(ctx, 'DELETE', ficPath(await findApplication(ctx, o.id), name));
    }),
  );
}
