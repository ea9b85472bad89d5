import { removeSecretAction } from './actions.js';
import { command } from './commands.js';
import { DAY_MS, type PostureInput } from './input.js';
import type { Finding } from './model.js';
import { EXPIRY_WARNING_DAYS } from './model.js';

/** Applications' client secrets, and secrets and certificates expired or about to. */
export function credentialFindings(input: PostureInput): Finding[] {
  const findings: Finding[] = [];
  const federated = new Set(input.federatedCredentials.map((f) => f.objectId.toLowerCase()));
  const certified = new Set(input.certificates.map((c) => c.objectId.toLowerCase()));
  for (const secret of input.secrets) {
    const principal = input.principals.get(secret.objectId.toLowerCase());
    if (principal === undefined || input.exempt.has(principal.objectId.toLowerCase())) continue;
    const app = principal.appId;
    const expires = Date.parse(secret.expiresAt);
    const alternative = federated.has(principal.objectId.toLowerCase())
      ? 'it already has a federated credential'
      : certified.has(principal.objectId.toLowerCase()) ? 'it already has a certificate' : 'a federated credential or a certificate would do';
    const hasAlternative = federated.has(principal.objectId.toLowerCase()) || certified.has(principal.objectId.toLowerCase());
    findings.push({
      code: 'ApplicationUsesClientSecret',
      severity: 'medium',
      resource: principal.objectId,
      summary: `application '${principal.displayName}' (${app}) signs in with client secret ${secret.hint}… (key id ${secret.id}), valid until ${secret.expiresAt}; ${alternative}`,
      why: 'a client secret is a password that works from anywhere until it expires; a federated credential has no secret to leak, and a certificate key need not leave its host',
      fix: [
        ...(hasAlternative
          ? []
          : [command('ad', 'app', 'federated-credential', 'create', '--id', app, '-n', 'NAME', '--issuer', 'ISSUER_URL', '--subject', 'SUBJECT')]),
        command('ad', 'sp', 'credential', 'delete', '--id', app, '--key-id', secret.id),
      ],
      // With a federated credential or a certificate in place, removing the secret is the whole fix.
      ...(hasAlternative && principal.applicationObjectId !== null ? { action: removeSecretAction(principal.applicationObjectId, secret.id, principal.displayName) } : {}),
    });
    findings.push(...expiryFinding(input, principal.objectId, `client secret ${secret.hint}… (key id ${secret.id}) of application '${principal.displayName}' (${app})`, expires, [
      command('ad', 'sp', 'credential', 'reset', '--id', app, '--append'),
      command('ad', 'sp', 'credential', 'delete', '--id', app, '--key-id', secret.id),
    ]));
  }
  for (const certificate of input.certificates) {
    const principal = input.principals.get(certificate.objectId.toLowerCase());
    if (principal === undefined || input.exempt.has(principal.objectId.toLowerCase())) continue;
    const app = principal.appId;
    findings.push(...expiryFinding(input, principal.objectId, `certificate ${certificate.thumbprintSha1} (key id ${certificate.id}) of application '${principal.displayName}' (${app})`, Date.parse(certificate.expiresAt), [
      command('ad', 'sp', 'credential', 'reset', '--id', app, '--create-cert', '--append'),
      command('ad', 'sp', 'credential', 'delete', '--id', app, '--key-id', certificate.id),
    ]));
  }
  return findings;
}

function expiryFinding(input: PostureInput, objectId: string, what: string, expires: number, fix: readonly string[]): Finding[] {
  if (expires <= input.now) {
    return [{
      code: 'CredentialExpired',
      severity: 'high',
      resource: objectId,
      summary: `${what} expired on ${new Date(expires).toISOString()}`,
      why: 'whatever still uses it fails to sign in now; an expired credential left in place hides which one the app really uses',
      fix,
    }];
  }
  const days = Math.floor((expires - input.now) / DAY_MS);
  if (days >= EXPIRY_WARNING_DAYS) return [];
  return [{
    code: 'CredentialExpiringSoon',
    severity: 'medium',
    resource: objectId,
    summary: `${what} expires in ${days} days (${new Date(expires).toISOString()})`,
    why: `the app stops signing in when it expires; replace it within the next ${days} days, before the outage`,
    fix,
  }];
}
