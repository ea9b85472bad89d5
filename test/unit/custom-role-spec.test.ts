import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KeylessError } from '../../src/shared/errors.js';
import { parseCustomRoleSpec } from '../../src/rbac/index.js';

/** The rules of a custom role's body (issue 11): which actions, data actions and assignable scopes Keyless accepts. */
const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333';
const spec = (permission: Record<string, unknown>, assignableScopes: unknown = [`/subscriptions/${SUB}`]) =>
  parseCustomRoleSpec({ roleName: ' Role ', permissions: [permission], assignableScopes }, SUB);
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof KeylessError);
    return error.code;
  }
  return 'accepted';
};

describe('custom role actions', () => {
  test("accepted: '*', '*/read', a known provider's paths with wildcards, Keyless's own actions", () => {
    for (const action of ['*', '*/read', 'Microsoft.CognitiveServices/*', 'Microsoft.CognitiveServices/*/read', 'microsoft.web/sites/*/action', 'Keyless/auditRecords/read', 'Microsoft.Authorization/roleAssignments/write']) {
      assert.equal(codeOf(() => spec({ actions: [action], notActions: [action] })), 'accepted', action);
    }
  });

  test('refused: malformed shapes, wildcard providers, unknown providers', () => {
    for (const action of ['', ' ', 'Microsoft.CognitiveServices', 'Microsoft.CognitiveServices/', '/read', 'Microsoft.CognitiveServices//read', 'Microsoft.*/read', 'Microsoft.Web/sites read', 'Microsoft.Web/sites/$read']) {
      assert.equal(codeOf(() => spec({ actions: [action] })), 'InvalidActionOrNotAction', JSON.stringify(action));
    }
    assert.equal(codeOf(() => spec({ notActions: ['Contoso.Widgets/widgets/read'] })), 'InvalidActionOrNotAction');
  });

  test('data actions: only providers whose data plane Keyless serves', () => {
    for (const action of ['*', 'Microsoft.CognitiveServices/accounts/OpenAI/*', 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/action']) {
      assert.equal(codeOf(() => spec({ dataActions: [action], notDataActions: [action] })), 'accepted', action);
    }
    for (const action of ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read', 'Microsoft.ManagedIdentity/userAssignedIdentities/read', 'chat']) {
      assert.equal(codeOf(() => spec({ dataActions: [action] })), 'InvalidDataActionOrNotDataAction', action);
    }
  });
});

describe('custom role bodies', () => {
  test('the lists default to empty; the name is trimmed; scopes are canonical and kept once', () => {
    const parsed = spec({ actions: ['*/read'] }, [`/subscriptions/${SUB}/`, `/SUBSCRIPTIONS/${SUB}`, `/subscriptions/${SUB}/resourceGroups/rg`]);
    assert.deepEqual(parsed, {
      roleName: 'Role',
      description: '',
      permissions: [{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] }],
      assignableScopes: [`/subscriptions/${SUB}`, `/subscriptions/${SUB}/resourceGroups/rg`],
    });
  });

  test('assignable scopes: the subscription, its groups and resources; nothing else', () => {
    for (const scope of [`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a`, `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a/deployments/d`]) {
      assert.equal(codeOf(() => spec({}, [scope])), 'accepted', scope);
    }
    for (const scope of ['/', `/subscriptions/${SUB.replace('0b', '1b')}`, `/subscriptions/${SUB}/resourceGroups`, `/subscriptions/${SUB}/providers/Microsoft.Web/sites/x`, '/providers/Microsoft.Management/managementGroups/mg', 42]) {
      assert.equal(codeOf(() => spec({}, [scope])), 'InvalidAssignableScopes', String(scope));
    }
    assert.equal(codeOf(() => spec({}, [])), 'InvalidAssignableScopes');
    assert.equal(codeOf(() => parseCustomRoleSpec({ roleName: 'x', permissions: [{}] }, SUB)), 'InvalidAssignableScopes');
  });

  test('bad shapes are InvalidRequestContent', () => {
    const bad = [
      { roleName: 42, permissions: [{}], assignableScopes: [`/subscriptions/${SUB}`] },
      { roleName: 'x', permissions: [], assignableScopes: [`/subscriptions/${SUB}`] },
      { roleName: 'x', permissions: [{ actions: 'Microsoft.Web/sites/read' }], assignableScopes: [`/subscriptions/${SUB}`] },
      { roleName: 'x', permissions: [null], assignableScopes: [`/subscriptions/${SUB}`] },
      { roleName: 'x', type: 'BuiltInRole', permissions: [{}], assignableScopes: [`/subscriptions/${SUB}`] },
      { roleName: 'x', description: 7, permissions: [{}], assignableScopes: [`/subscriptions/${SUB}`] },
    ];
    for (const body of bad) assert.equal(codeOf(() => parseCustomRoleSpec(body, SUB)), 'InvalidRequestContent', JSON.stringify(body));
  });
});
