import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cliJson, runCli, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request } from '../fixtures/http.js';

/**
 * `keyless posture` on a subscription prepared finding by finding: each
 * finding appears when it should, and is gone once its fix has been applied;
 * the exit code follows --fail-on; -o json is the admin API's report.
 */
let keyless: InProcessKeyless;
let sub: string;
const json = cliJson(() => keyless.dataDir);
const cli = (...args: string[]) => runCli(keyless.dataDir, args);
const DAY = 86_400_000;

type Finding = { code: string; severity: string; resource: string; summary: string; why: string; fix: string[]; path?: Record<string, any> };
const posture = async (...flags: string[]): Promise<{ summary: Record<string, number>; value: Finding[] } & Record<string, unknown>> => json('posture', ...flags);
const codes = (findings: readonly Finding[], resource?: string): string[] =>
  findings.filter((f) => resource === undefined || f.resource.toLowerCase() === resource.toLowerCase()).map((f) => f.code).sort();

before(async () => {
  keyless = await startInProcess();
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
  await json('group', 'create', '-n', 'pz');
});
after(async () => keyless.stop());

describe('keyless posture', () => {
  let account: string;

  test('a subscription with nothing but Keyless itself has no findings, and --fail-on medium exits 0', async () => {
    const report = await posture();
    assert.deepEqual(report.value, []);
    assert.deepEqual(report.summary, { high: 0, medium: 0, low: 0 });
    const run = await cli('posture', '--fail-on', 'medium');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '');
  });

  test('an account: keys allowed, open network, keys never regenerated; the json shape; --fail-on high 0, medium 3', async () => {
    account = (await json('openai', 'create', '-g', 'pz', '-n', 'pz-acct')).id;
    const report = await posture();
    assert.deepEqual(Object.keys(report), ['subscriptionId', 'generatedAt', 'maxKeyAgeDays', 'summary', 'value']);
    assert.equal(report['subscriptionId'], keyless.info.subscriptionId);
    assert.equal(report['maxKeyAgeDays'], 90);
    assert.deepEqual(report.summary, { high: 0, medium: 2, low: 2 });
    assert.deepEqual(codes(report.value), ['KeyAuthenticationEnabled', 'KeyNeverRegenerated', 'KeyNeverRegenerated', 'NetworkOpenToAll']);
    const keyAuth = report.value.find((f) => f.code === 'KeyAuthenticationEnabled')!;
    assert.deepEqual(Object.keys(keyAuth), ['code', 'severity', 'resource', 'summary', 'why', 'fix', 'action']);
    assert.equal(keyAuth.resource, account);
    assert.equal(keyAuth.severity, 'medium');
    assert.deepEqual(keyAuth.fix, ['keyless openai update -g pz -n pz-acct --disable-local-auth true']);
    assert.deepEqual(report.value.find((f) => f.code === 'NetworkOpenToAll')!.fix, ['keyless openai network-rule add -g pz -n pz-acct --ip-address ADDRESS_OR_CIDR']);
    assert.deepEqual(report.value.filter((f) => f.code === 'KeyNeverRegenerated').map((f) => f.fix[0]), [
      'keyless openai keys regenerate -g pz -n pz-acct --key-name key1',
      'keyless openai keys regenerate -g pz -n pz-acct --key-name key2',
    ]);

    const high = await cli('posture', '--fail-on', 'high');
    assert.equal(high.code, 0, high.stderr);
    const medium = await cli('posture', '--fail-on', 'medium');
    assert.equal(medium.code, 3);
    assert.equal(medium.stderr, 'posture: 2 finding(s) at or above medium\n');
    assert.match(medium.stdout, /^Severity\s+Finding\s+Resource\s+Summary\s+Why\s+Fix\s+FixId$/m);
    assert.match(medium.stdout, /^medium\s+KeyAuthenticationEnabled\s+\/subscriptions\/.*keyless openai update -g pz -n pz-acct --disable-local-auth true\s+[0-9a-f]{12}$/m);
  });

  test('keys: older than --max-key-age after 100 days, gone once regenerated; disabling keys and a Deny rule clear the account', async () => {
    keyless.clock.advance(100 * DAY);
    let report = await posture();
    assert.deepEqual(codes(report.value, account), ['KeyAuthenticationEnabled', 'KeyOlderThanMaxAge', 'KeyOlderThanMaxAge', 'NetworkOpenToAll']);
    assert.match(report.value.find((f) => f.code === 'KeyOlderThanMaxAge')!.summary, /^key1 of account 'pz-acct' is 100 days old \(more than 90\)$/);
    assert.deepEqual(codes((await posture('--max-key-age', '200')).value, account), ['KeyAuthenticationEnabled', 'KeyNeverRegenerated', 'KeyNeverRegenerated', 'NetworkOpenToAll']);

    await json('openai', 'keys', 'regenerate', '-g', 'pz', '-n', 'pz-acct', '--key-name', 'key1');
    report = await posture();
    assert.deepEqual(report.value.filter((f) => f.code.startsWith('Key') && f.code !== 'KeyAuthenticationEnabled').map((f) => f.summary.slice(0, 4)), ['key2']);

    await json('openai', 'update', '-g', 'pz', '-n', 'pz-acct', '--disable-local-auth', 'true');
    await json('openai', 'network-rule', 'add', '-g', 'pz', '-n', 'pz-acct', '--ip-address', '127.0.0.1');
    assert.deepEqual(codes((await posture()).value, account), []);
  });

  test('an application with a secret and Contributor at the group: high and medium findings, --fail-on high exits 3; fixed, they are gone', async () => {
    const app = await json('ad', 'sp', 'create-for-rbac', '-n', 'pz-ci', '--role', 'Contributor', '--scopes', `${sub}/resourceGroups/pz`);
    const sp = await json('ad', 'sp', 'show', '--id', app.appId);
    const report = await posture();
    assert.deepEqual(codes(report.value), ['ApplicationUsesClientSecret', 'PrivilegedRoleHeldByWorkload']);
    const privileged = report.value.find((f) => f.code === 'PrivilegedRoleHeldByWorkload')!;
    assert.equal(privileged.severity, 'high');
    assert.equal(privileged.summary, `application 'pz-ci' (${sp.id}) holds Contributor at group scope ${sub}/resourceGroups/pz`);
    const [assignment] = await json('role', 'assignment', 'list', '--assignee', sp.id);
    assert.equal(privileged.resource, assignment.id);
    assert.deepEqual(privileged.fix, [`keyless role assignment delete --ids ${assignment.id}`]);
    const secret = report.value.find((f) => f.code === 'ApplicationUsesClientSecret')!;
    const [credential] = await json('ad', 'sp', 'credential', 'list', '--id', app.appId);
    assert.equal(secret.resource, sp.id);
    assert.match(secret.summary, new RegExp(`^application 'pz-ci' \\(${app.appId}\\) signs in with client secret ${app.password.slice(0, 3)}… \\(key id ${credential.keyId}\\), valid until ${credential.endDateTime}; a federated credential or a certificate would do$`));
    assert.deepEqual(secret.fix, [
      `keyless ad app federated-credential create --id ${app.appId} -n NAME --issuer ISSUER_URL --subject SUBJECT`,
      `keyless ad sp credential delete --id ${app.appId} --key-id ${credential.keyId}`,
    ]);
    assert.equal((await cli('posture', '--fail-on', 'high')).code, 3);

    for (const command of [...privileged.fix, secret.fix[1]!]) await runFix(command);
    assert.deepEqual((await posture()).value, []);
    assert.equal((await cli('posture', '--fail-on', 'medium')).code, 0);
  });

  test('a data role at group scope names the account-scope grant; an orphaned assignment and an unattached identity are low', async () => {
    const uai = await json('identity', 'create', '-g', 'pz', '-n', 'pz-uai');
    await json('role', 'assignment', 'create', '--assignee', uai.properties.principalId, '--role', 'Cognitive Services OpenAI User', '--scope', `${sub}/resourceGroups/pz`);
    let report = await posture();
    assert.deepEqual(codes(report.value), ['DataRoleBroaderThanAccount', 'UnattachedUserAssignedIdentity']);
    const broad = report.value.find((f) => f.code === 'DataRoleBroaderThanAccount')!;
    assert.equal(broad.severity, 'medium');
    assert.deepEqual(broad.fix, [
      `keyless role assignment create --assignee ${uai.properties.principalId} --role 'Cognitive Services OpenAI User' --scope ${account}`,
      `keyless role assignment delete --ids ${broad.resource}`,
    ]);
    const unattached = report.value.find((f) => f.code === 'UnattachedUserAssignedIdentity')!;
    assert.equal(unattached.summary, "user-assigned identity 'pz-uai' is attached to nothing and still holds 1 role assignment(s)");
    for (const command of broad.fix) await runFix(command);
    assert.deepEqual(codes((await posture()).value), ['UnattachedUserAssignedIdentity']);

    // Deleted, its assignment stays behind (as in Azure): an orphan.
    await runFix(unattached.fix[0]!);
    assert.equal(unattached.fix[0], 'keyless identity delete -g pz -n pz-uai');
    report = await posture();
    assert.deepEqual(codes(report.value), ['OrphanedRoleAssignment']);
    assert.equal(report.value[0]!.severity, 'low');
    assert.equal(report.value[0]!.summary, `Cognitive Services OpenAI User at ${account} is assigned to principal ${uai.properties.principalId}, which no longer exists`);
    await runFix(report.value[0]!.fix[0]!);
    assert.deepEqual((await posture()).value, []);
  });

  test('a custom role with a wildcard data action, assigned: high; narrowed to the operation it needs, gone', async () => {
    const uai = await json('identity', 'create', '-g', 'pz', '-n', 'pz-wild');
    const file = path.join(keyless.dataDir, 'wild-role.json');
    const definition = { Name: 'Posture Wildcard', Description: 'every OpenAI data action', Actions: [], DataActions: ['Microsoft.CognitiveServices/accounts/OpenAI/*'], AssignableScopes: [sub] };
    fs.writeFileSync(file, JSON.stringify(definition));
    const role = await json('role', 'definition', 'create', '--role-definition', file);
    await json('role', 'assignment', 'create', '--assignee', uai.properties.principalId, '--role', 'Posture Wildcard', '--scope', account);
    const wild = (await posture()).value.find((f) => f.code === 'CustomRoleWildcardDataActions');
    assert.deepEqual(wild && { severity: wild.severity, resource: wild.resource, summary: wild.summary }, {
      severity: 'high',
      resource: role.name,
      summary: "custom role 'Posture Wildcard' grants data actions Microsoft.CognitiveServices/accounts/OpenAI/* through 1 assignment(s)",
    });
    fs.writeFileSync(file, JSON.stringify({ ...definition, DataActions: ['Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action'] }));
    await json('role', 'definition', 'update', '--role-definition', file);
    assert.deepEqual(codes((await posture()).value).filter((c) => c === 'CustomRoleWildcardDataActions'), []);
    await json('identity', 'delete', '-g', 'pz', '-n', 'pz-wild');
    for (const orphan of (await posture()).value.filter((f) => f.code === 'OrphanedRoleAssignment')) await runFix(orphan.fix[0]!);
    await json('role', 'definition', 'delete', '--name', 'Posture Wildcard');
  });

  test('an escalation path: deployer (Contributor on the web app) → web app → its system identity → Owner', async () => {
    const site = await json('webapp', 'create', '-g', 'pz', '-n', 'pz-web', '--assign-identity', 'system');
    const identity = site.identity.principalId;
    await json('role', 'assignment', 'create', '--assignee', identity, '--role', 'Owner', '--scope', `${sub}/resourceGroups/pz`);
    const deployer = await json('ad', 'sp', 'create-for-rbac', '-n', 'pz-deployer', '--role', 'Contributor', '--scopes', site.id, '--create-cert');
    const deployerId = (await json('ad', 'sp', 'show', '--id', deployer.appId)).id;
    const report = await posture();
    assert.deepEqual(codes(report.value), ['HostEscalationPath', 'PrivilegedRoleHeldByWorkload']);
    const path = report.value.find((f) => f.code === 'HostEscalationPath')!;
    const [ownerAssignment] = await json('role', 'assignment', 'list', '--assignee', identity);
    const [deployerAssignment] = await json('role', 'assignment', 'list', '--assignee', deployerId);
    assert.equal(path.severity, 'high');
    assert.equal(path.resource, site.id);
    assert.equal(path.summary, `'pz-deployer' (${deployerId}) → host ${site.id} → its system-assigned identity ${identity} → Owner at ${sub}/resourceGroups/pz`);
    assert.deepEqual(path.path, {
      principal: deployerId,
      via: { role: 'Contributor', scope: site.id, assignmentId: deployerAssignment.id },
      host: site.id,
      identity: { principalId: identity, kind: 'SystemAssigned', resourceId: null },
      role: { name: 'Owner', scope: `${sub}/resourceGroups/pz`, assignmentId: ownerAssignment.id },
    });
    assert.deepEqual(path.fix, [`keyless role assignment delete --ids ${ownerAssignment.id}`, `keyless role assignment delete --ids ${deployerAssignment.id}`]);

    // Taking away the deployer's access to the host closes the path; the identity's Owner is still reported on its own.
    await runFix(path.fix[1]!);
    assert.deepEqual(codes((await posture()).value), ['PrivilegedRoleHeldByWorkload']);
    await runFix(path.fix[0]!);
    assert.deepEqual((await posture()).value, []);
  });

  test('the API: ARM dialect for a bad maxKeyAgeDays, and AuthorizationFailed for a principal without read at the subscription', async () => {
    const url = `${keyless.info.baseUrl}${sub}/providers/Keyless/posture?api-version=2026-01-01`;
    const admin = await adminToken(keyless.info.caPath, keyless.info.baseUrl, keyless.admin());
    const bad = await request(keyless.info.caPath, 'GET', `${url}&maxKeyAgeDays=0`, { headers: { authorization: `Bearer ${admin}` } });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json(), { error: { code: 'InvalidRequestContent', message: "The 'maxKeyAgeDays' parameter must be a whole number of days from 1 to 3650." } });

    const reader = await json('ad', 'sp', 'create-for-rbac', '-n', 'pz-user', '--role', 'Cognitive Services OpenAI User', '--scopes', `${sub}/resourceGroups/pz/providers/Microsoft.CognitiveServices/accounts/pz-acct`);
    const token = await adminToken(keyless.info.caPath, keyless.info.baseUrl, { tenantId: keyless.info.tenantId, clientId: reader.appId, clientSecret: reader.password });
    const refused = await request(keyless.info.caPath, 'GET', url, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(refused.status, 403);
    assert.equal(refused.json().error.code, 'AuthorizationFailed');
    assert.match(refused.json().error.message, /does not have authorization to perform action 'Keyless\/posture\/read' over scope/);
  });

  // Last: the CLI dates a new secret from its own clock, so the server's clock moves past it only here.
  test('a secret expiring within 30 days is medium, an expired one high; the fix adds a new one and deletes the old', async () => {
    const app = await json('ad', 'sp', 'create-for-rbac', '-n', 'pz-expiring');
    const [credential] = await json('ad', 'sp', 'credential', 'list', '--id', app.appId);
    const daysLeft = (Date.parse(credential.endDateTime) - keyless.clock.now()) / DAY;
    keyless.clock.advance((daysLeft - 15) * DAY);
    const soon = (await posture()).value.find((f) => f.code === 'CredentialExpiringSoon' && f.summary.includes(app.appId))!;
    assert.equal(soon.severity, 'medium');
    assert.match(soon.summary, new RegExp(`^client secret ${app.password.slice(0, 3)}… \\(key id ${credential.keyId}\\) of application 'pz-expiring' \\(${app.appId}\\) expires in 1[45] days`));
    keyless.clock.advance(20 * DAY);
    const expired = (await posture()).value.find((f) => f.code === 'CredentialExpired' && f.summary.includes(app.appId))!;
    assert.equal(expired.severity, 'high');
    assert.deepEqual(expired.fix, [`keyless ad sp credential reset --id ${app.appId} --append`, `keyless ad sp credential delete --id ${app.appId} --key-id ${credential.keyId}`]);
    assert.equal((await cli('posture', '--fail-on', 'high')).code, 3);
  });
});

/** Runs a fix command exactly as posture printed it (its words split as a POSIX shell would, for the quoting posture uses). */
async function runFix(command: string): Promise<void> {
  const words = [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
  assert.equal(words[0], 'keyless');
  const run = await cli(...words.slice(1));
  assert.equal(run.code, 0, `${command}: ${run.stderr}`);
}
