import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_ROLES } from '../../src/rbac/index.js';
import { runAdminScenario, startKeyless, type KeylessProcess } from '../fixtures/server.js';
import { cliJson } from '../fixtures/cli-thread.js';

/**
 * The built-in catalogue (issue 12) through unmodified clients:
 * @azure/arm-authorization's roleDefinitions with az's roleName and type
 * filters, and `keyless role definition list [--name]`.
 */
let keyless: KeylessProcess;
let sub: string;
const json = cliJson(() => keyless.dataDir);

const WEBSITE_CONTRIBUTOR = {
  roleName: 'Website Contributor',
  roleType: 'BuiltInRole',
  // MicrosoftDocs/azure-docs built-in-roles/web-and-mobile.md, JSON block.
  description: 'Lets you manage websites (not web plans), but not access to them.',
  permissions: [
    {
      actions: [
        'Microsoft.Authorization/*/read',
        'Microsoft.Insights/alertRules/*',
        'Microsoft.Insights/components/*',
        'Microsoft.ResourceHealth/availabilityStatuses/read',
        'Microsoft.Resources/deployments/*',
        'Microsoft.Resources/subscriptions/resourceGroups/read',
        'Microsoft.Support/*',
        'Microsoft.Web/certificates/*',
        'Microsoft.Web/listSitesAssignedToHostName/read',
        'Microsoft.Web/serverFarms/join/action',
        'Microsoft.Web/serverFarms/read',
        'Microsoft.Web/sites/*',
      ],
      notActions: [],
      dataActions: [],
      notDataActions: [],
    },
  ],
  assignableScopes: ['/'],
};

before(async () => {
  keyless = await startKeyless();
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
});
after(async () => {
  await keyless.stop();
});

test("@azure/arm-authorization lists a built-in by roleName, every built-in by type, and gets one by id", async () => {
  const result = await runAdminScenario(keyless, 'arm-builtin-roles');
  const id = 'de139f84-1756-47ae-9be6-808fbbe84772';
  assert.deepEqual(result.website, [{ id: `${sub}/providers/Microsoft.Authorization/roleDefinitions/${id}`, name: id, ...WEBSITE_CONTRIBUTOR }]);
  assert.deepEqual(result.builtIns, BUILTIN_ROLES.map((r) => r.roleName));
  assert.equal(result.operator.roleName, 'Managed Identity Operator');
  assert.equal(result.operator.description, 'Read and Assign User Assigned Identity');
});

test('keyless role definition list shows every built-in, and --name finds one (any case) as az does', async () => {
  const all = (await json('role', 'definition', 'list')) as { properties: { roleName: string } }[];
  assert.deepEqual(all.map((d) => d.properties.roleName), BUILTIN_ROLES.map((r) => r.roleName));
  const found = (await json('role', 'definition', 'list', '--name', 'website contributor')) as { name: string; properties: Record<string, unknown> }[];
  assert.equal(found.length, 1);
  assert.equal(found[0]?.name, 'de139f84-1756-47ae-9be6-808fbbe84772');
  assert.deepEqual(found[0]?.properties['permissions'], WEBSITE_CONTRIBUTOR.permissions);
  const conditional = (await json('role', 'definition', 'list', '--name', 'Azure AI Project Manager')) as { properties: { permissions: { conditionVersion?: string }[] } }[];
  assert.equal(conditional[0]?.properties.permissions[0]?.conditionVersion, '2.0');
});
