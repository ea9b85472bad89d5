import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assignIdentityBlock,
  createIdentityBlock,
  currentSelection,
  identityTypeFor,
  isSystemToken,
  parseIdentitySelection,
  removeIdentityBlock,
  userIdentityId,
} from '../../src/cli/identity-block.js';
import { findRoleByName, parseRoleReference, roleNameFilter, roleNameFor, roleNamesById } from '../../src/cli/role-ref.js';
import { cellText, renderTable } from '../../src/cli/output.js';
import { parseBoolean, parseKeyName, parsePositiveInt, parseTags, requireArmPath } from '../../src/cli/flags.js';
import { armErrorFrom, UsageError } from '../../src/cli/errors.js';
import { parseDeploymentRef } from '../../src/cli/deployment-ref.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const uai = (name: string): string =>
  `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
const resolve = (ref: string): string => userIdentityId(ref, SUB, 'rg');

// Identity selection from --assign-identity / --identities

test('the bare flag or no values means system-assigned; absence means no identity block', () => {
  assert.equal(parseIdentitySelection(undefined, resolve), undefined);
  assert.equal(parseIdentitySelection(false, resolve), undefined);
  assert.deepEqual(parseIdentitySelection(true, resolve), { system: true, userIds: [] });
  assert.deepEqual(parseIdentitySelection([], resolve), { system: true, userIds: [] });
});

test('system tokens, names and ids are told apart; names resolve in the group; duplicates collapse', () => {
  assert.ok(isSystemToken('system') && isSystemToken('[system]') && isSystemToken('[System]'));
  assert.ok(!isSystemToken('systemx'));
  const sel = parseIdentitySelection(['[system]', 'one', uai('ONE'), uai('two')], resolve);
  assert.deepEqual(sel, { system: true, userIds: [uai('one'), uai('two')] });
  assert.deepEqual(parseIdentitySelection([uai('x')], resolve), { system: false, userIds: [uai('x')] });
});

test('identity types follow what is enabled', () => {
  assert.equal(identityTypeFor(false, 0), 'None');
  assert.equal(identityTypeFor(true, 0), 'SystemAssigned');
  assert.equal(identityTypeFor(false, 2), 'UserAssigned');
  assert.equal(identityTypeFor(true, 1), 'SystemAssigned, UserAssigned');
});

test('create blocks list every user-assigned id with an empty object', () => {
  assert.deepEqual(createIdentityBlock({ system: true, userIds: [] }), { type: 'SystemAssigned' });
  assert.deepEqual(createIdentityBlock({ system: true, userIds: [uai('a')] }), {
    type: 'SystemAssigned, UserAssigned',
    userAssignedIdentities: { [uai('a')]: {} },
  });
});

test('current identities are read from the rendered block, whatever the type casing', () => {
  assert.deepEqual(currentSelection(undefined), { system: false, userIds: [] });
  assert.deepEqual(currentSelection({ type: 'None' }), { system: false, userIds: [] });
  assert.deepEqual(
    currentSelection({ type: 'systemassigned, userassigned', principalId: 'p', userAssignedIdentities: { [uai('a')]: {} } }),
    { system: true, userIds: [uai('a')] },
  );
});

test('assign takes the union and sends only the new user-assigned ids', () => {
  const current = { type: 'UserAssigned', userAssignedIdentities: { [uai('a')]: { principalId: 'p', clientId: 'c' } } };
  assert.deepEqual(assignIdentityBlock(current, { system: true, userIds: [] }), { type: 'SystemAssigned, UserAssigned' });
  assert.deepEqual(assignIdentityBlock(current, { system: false, userIds: [uai('A'), uai('b')] }), {
    type: 'UserAssigned',
    userAssignedIdentities: { [uai('b')]: {} },
  });
  assert.deepEqual(assignIdentityBlock({ type: 'None' }, { system: false, userIds: [uai('b')] }), {
    type: 'UserAssigned',
    userAssignedIdentities: { [uai('b')]: {} },
  });
  assert.deepEqual(assignIdentityBlock({ type: 'SystemAssigned', principalId: 'p' }, { system: true, userIds: [] }), {
    type: 'SystemAssigned',
  });
});

test('remove drops system and nulls out user-assigned ids in the casing the resource has', () => {
  const both = {
    type: 'SystemAssigned, UserAssigned',
    principalId: 'p',
    userAssignedIdentities: { [uai('a')]: {}, [uai('b')]: {} },
  };
  assert.deepEqual(removeIdentityBlock(both, { system: true, userIds: [] }), { type: 'UserAssigned' });
  assert.deepEqual(removeIdentityBlock(both, { system: false, userIds: [uai('A')] }), {
    type: 'SystemAssigned, UserAssigned',
    userAssignedIdentities: { [uai('a')]: null },
  });
  assert.deepEqual(removeIdentityBlock(both, { system: true, userIds: [uai('a'), uai('b'), uai('never')] }), {
    type: 'None',
    userAssignedIdentities: { [uai('a')]: null, [uai('b')]: null },
  });
  assert.deepEqual(removeIdentityBlock({ type: 'None' }, { system: true, userIds: [] }), { type: 'None' });
});

// Role references

test('a role GUID becomes the subscription-level definition id', () => {
  assert.deepEqual(parseRoleReference('5E0BD9BD-7B93-4F28-AF87-19FC36AD61BD', SUB), {
    kind: 'id',
    id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/5e0bd9bd-7b93-4f28-af87-19fc36ad61bd`,
  });
});

test('a full role definition id is kept; anything else is a role name', () => {
  const id = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`;
  assert.deepEqual(parseRoleReference(id, SUB), { kind: 'id', id });
  assert.deepEqual(parseRoleReference(' Cognitive Services OpenAI User ', SUB), { kind: 'name', name: 'Cognitive Services OpenAI User' });
  assert.deepEqual(parseRoleReference('5e0bd9bd-nope', SUB), { kind: 'name', name: '5e0bd9bd-nope' });
});

test('role names match exactly first, then ignoring case; names map back from definition ids', () => {
  const defs = [
    { id: '/x/roleDefinitions/1', name: '1', properties: { roleName: 'Reader' } },
    { id: '/x/roleDefinitions/2', name: '2', properties: { roleName: 'reader' } },
    { id: '/x/roleDefinitions/3', name: '3', properties: { roleName: 'Owner' } },
  ];
  assert.equal(findRoleByName(defs, 'reader')?.['name'], '2');
  assert.equal(findRoleByName(defs, 'OWNER')?.['name'], '3');
  assert.equal(findRoleByName(defs, 'Contributor'), undefined);
  const names = roleNamesById(defs);
  assert.equal(roleNameFor('/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/3', names), 'Owner');
  assert.equal(roleNameFor('/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/9', names), '9');
  assert.equal(roleNameFilter("O'Brien Reader"), `$filter=${encodeURIComponent("roleName eq 'O''Brien Reader'")}`);
});

// Table rendering

test('tables align columns two spaces apart under a dashed rule, without trailing spaces', () => {
  const rows = [
    { name: 'a', ok: true, n: 12 },
    { name: 'longer-name', ok: false, n: undefined },
  ];
  const out = renderTable(rows, [
    { header: 'Name', value: (r) => r.name },
    { header: 'N', value: (r) => r.n },
    { header: 'Ok', value: (r) => r.ok },
  ]);
  assert.equal(
    out,
    ['Name         N   Ok', '-----------  --  -----', 'a            12  True', 'longer-name      False', ''].join('\n'),
  );
});

test('an empty table prints nothing; cells flatten newlines and objects', () => {
  assert.equal(renderTable([], [{ header: 'Name', value: () => 'x' }]), '');
  assert.equal(cellText(null), '');
  assert.equal(cellText('a\nb'), 'a b');
  assert.equal(cellText({ a: 1 }), '{"a":1}');
});

// Flags and errors

test('flag parsers accept az spellings and reject the rest', () => {
  assert.equal(parseBoolean('TRUE'), true);
  assert.equal(parseBoolean('false'), false);
  assert.throws(() => parseBoolean('maybe'));
  assert.equal(parseKeyName('key1'), 'Key1');
  assert.equal(parseKeyName('KEY2'), 'Key2');
  assert.throws(() => parseKeyName('key3'));
  assert.equal(parsePositiveInt('3'), 3);
  assert.throws(() => parsePositiveInt('0'));
  assert.throws(() => parsePositiveInt('1.5'));
  assert.deepEqual(parseTags(['env=dev', 'flag', 'x=a=b', '']), { env: 'dev', flag: '', x: 'a=b' });
  assert.equal(parseTags(undefined), undefined);
  assert.throws(() => requireArmPath('--scope', 'rg1'), { exitCode: 2 });
  assert.equal(requireArmPath('--scope', `/subscriptions/${SUB}/`), `/subscriptions/${SUB}`);
});

test('ARM and Entra error bodies become one (Code) message line', () => {
  const arm = armErrorFrom(404, { error: { code: 'ResourceNotFound', message: 'gone' } });
  assert.equal(arm.message, '(ResourceNotFound) gone');
  assert.equal(arm.exitCode, 1);
  assert.equal(armErrorFrom(401, { error: 'invalid_client', error_description: 'AADSTS7000215: bad' }).message, '(invalid_client) AADSTS7000215: bad');
  assert.equal(armErrorFrom(502, 'oops').code, 'Http502');
});

test('--deployment: a data-plane URL or account/deployment; anything else is a usage error', () => {
  assert.deepEqual(parseDeploymentRef('https://127.0.0.1:8443/accounts/aoai/openai/deployments/chat/chat/completions?api-version=2024-10-21'), { endpointName: 'aoai', deployment: 'chat' });
  assert.deepEqual(parseDeploymentRef('aoai/chat'), { endpointName: 'aoai', deployment: 'chat' });
  for (const bad of ['aoai', 'a/b/c', '/chat', 'https://127.0.0.1:8443/accounts/aoai/', 'https://127.0.0.1:8443/openai/v1/chat/completions']) {
    assert.throws(() => parseDeploymentRef(bad), (e: unknown) => e instanceof UsageError, bad);
  }
});
