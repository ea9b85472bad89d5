/** `keyless ad sp credential …`, and the secrets and certificates that `create-for-rbac` adds. */
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import type { Command } from 'commander';
import type { Json } from '../arm.js';
import { pick } from '../arm.js';
import type { CommandContext } from '../context.js';
import { run } from '../context.js';
import { CliError } from '../errors.js';
import { parsePositiveInt } from '../flags.js';
import type { Column } from '../output.js';
import { leaf } from '../resources.js';
import { writeFileAtomic } from '../../runtime/data-dir.js';
import { appPath, findApplication, graph, keyIds, print } from '../graph.js';

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
export async function addCredential(ctx: CommandContext, app: Json, o: { cert: boolean; years: number; append: boolean; displayName: string }): Promise<NewCredential> {
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
export function credentialOutput(ctx: CommandContext, app: Json, added: NewCredential, withName: boolean): Json {
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
const KEY_COLUMNS: readonly Column<Json>[] = ['keyId', 'type', 'displayName', 'hint', 'endDateTime'].map((k) => ({
  header: k.charAt(0).toUpperCase() + k.slice(1),
  value: (r: Json) => r[k],
}));

/** The credential table, with the file column only when there is a file. */
export const credentialColumns = (out: Json, withName: boolean): readonly Column<Json>[] =>
  CREDENTIAL_COLUMNS.filter((c) => (withName || c.header !== 'DisplayName') && (c.header !== 'FileWithCertAndPrivateKey' || out['fileWithCertAndPrivateKey'] !== undefined));

export interface CredentialFlags {
  readonly createCert?: boolean;
  readonly years: number;
}

export const withCredentialFlags = (cmd: Command): Command =>
  cmd
    .option('--create-cert', 'create a self-signed certificate (its key stays in the data folder) instead of a secret')
    .option('--years <n>', 'years the secret or certificate is valid', parsePositiveInt, 1);

export function registerCredentialCommands(credential: Command): void {
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
