import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { ROOT, runCli, startKeyless, type KeylessProcess } from '../fixtures/server.js';
import { cliJson } from '../fixtures/cli-thread.js';
import { adminToken, request } from '../fixtures/http.js';
import { browserMissing, newPortalContext, openPortalPage, screenshotDir } from '../fixtures/browser.js';
import { createForm as createFormOf, createResource as createResourceIn, openBlade as openBladeOf } from '../fixtures/portal-pages.js';

/**
 * The portal's resources and Identity blades in a real browser against a real `keyless up`: a group, identities,
 * an account with a deployment and a web app with a system-assigned identity made through the create forms (by
 * their labels), checked with the CLI; the system identity turned off after the confirmation; user-assigned
 * identities added and removed; a refusal shown as Azure shows it; a user-assigned identity's own blade.
 */
const missing = browserMissing();
let keyless: KeylessProcess;
let browser: Browser;
let page: Page;
let shots: string;
const json = cliJson(() => keyless.dataDir);
const GROUP = 'ident-rg';

const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
const createForm = (): Locator => createFormOf(page, GROUP);
const createResource = (type: string, name: string, options: { system?: boolean; users?: string[] } = {}) => createResourceIn(page, GROUP, type, name, options);
const openBlade = (name: string, tab: string) => openBladeOf(page, name, tab);

describe('the portal: resources and identities in chromium', { skip: missing }, () => {
  before(async () => {
    keyless = await startKeyless();
    shots = screenshotDir(ROOT);
    ({ browser, page } = await openPortalPage());
    const run = await runCli(keyless.dataDir, ['portal']);
    assert.equal(run.code, 0, run.stderr);
    await page.goto(run.stdout.trim());
    await page.getByRole('heading', { name: 'Resource groups' }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await keyless?.stop();
  });

  test('a group, two identities, an account and a web app with both kinds of identity are created through the labelled forms', async () => {
    await page.getByLabel('Name').fill(GROUP);
    await page.getByRole('button', { name: 'Create resource group' }).click();
    await page.getByRole('heading', { name: GROUP }).waitFor();
    await page.getByRole('button', { name: `+ Create a resource in ${GROUP}` }).click();
    // Keyboard (evaluated in the page, as strings: this file is compiled without the DOM's types): from the type picker, Tab reaches the name field, and the focus is visible.
    await createForm().getByLabel('Resource type').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement?.id'), `create-${GROUP}-name`);
    assert.equal(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle'), 'solid');

    await createResource('Managed Identity (user-assigned)', 'id-one');
    await createResource('Managed Identity (user-assigned)', 'id-two');
    await createResource('Azure OpenAI', 'id-aoai');
    await createResource('Web App', 'id-app', { system: true, users: ['id-one'] });
    await shot('portal-create-resource');

    const app = await json('webapp', 'show', '-g', GROUP, '-n', 'id-app');
    assert.equal(app.identity.type, 'SystemAssigned, UserAssigned');
    assert.match(app.identity.principalId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(Object.keys(app.identity.userAssignedIdentities).map((id) => id.split('/').pop()), ['id-one']);
    const account = await json('openai', 'show', '-g', GROUP, '-n', 'id-aoai');
    assert.equal(account.kind, 'OpenAI');
    assert.equal(account.sku.name, 'S0');
    assert.ok((await json('identity', 'show', '-g', GROUP, '-n', 'id-two')).properties.clientId);
    // The table shows the identity at a glance, user-assigned ones by name.
    const row = page.getByRole('row', { name: /id-app/ });
    assert.match(await row.innerText(), /App Service[\s\S]*System assigned[\s\S]*id-one/);
  });

  test('a VM is deleted from the resources table only after the confirmation', async () => {
    await createResource('Virtual machine', 'id-vm');
    await page.getByRole('button', { name: 'Delete id-vm' }).click();
    const dialog = page.getByRole('dialog');
    assert.match(await dialog.innerText(), /system-assigned identity is deleted with it/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await json('vm', 'list', '-g', GROUP)).length, 1);
    await page.getByRole('button', { name: 'Delete id-vm' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete id-vm' }).waitFor({ state: 'detached' });
    assert.equal((await json('vm', 'list', '-g', GROUP)).length, 0);
  });

  test("a deployment is created from the account's models with its capacity explained, and deleted after a confirmation", async () => {
    const models = (await json('openai', 'list-models', '-g', GROUP, '-n', 'id-aoai')) as { name: string; version: string; isDefaultVersion: boolean }[];
    const mini = models.find((m) => m.name === 'gpt-4o-mini' && m.isDefaultVersion) ?? models.find((m) => m.name === 'gpt-4o-mini');
    assert.ok(mini);
    await openBlade('id-aoai', 'Overview');
    await page.getByRole('button', { name: '+ Create deployment' }).click();
    const form = page.getByRole('form', { name: 'Create a deployment' });
    await form.getByLabel('Deployment name').fill('chat');
    await form.getByLabel('Model').selectOption(`${mini.name}@${mini.version}`);
    await form.getByLabel('Deployment type').selectOption('Standard');
    await form.getByLabel('Capacity (units)').fill('10');
    await form.getByText('10 units = 10,000 tokens/min, 60 requests/min').waitFor();
    await form.getByRole('button', { name: 'Create', exact: true }).click();
    const row = page.locator('table.deployments tbody tr', { hasText: 'chat' });
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(`gpt-4o-mini\\s+${mini.version}\\s+Standard\\s+10 \\(10,000 tokens/min, 60 requests/min\\)\\s+Simulator`));
    const deployment = await json('openai', 'deployment', 'show', '-g', GROUP, '-n', 'id-aoai', '--deployment-name', 'chat');
    assert.deepEqual(deployment.sku, { name: 'Standard', capacity: 10 });
    assert.equal(deployment.properties.model.version, mini.version);
    await shot('portal-deployments');

    await form.getByLabel('Deployment name').fill('spare');
    await form.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('button', { name: 'Delete deployment spare' }).click();
    assert.match(await page.getByRole('dialog').innerText(), /404 DeploymentNotFound/);
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete deployment spare' }).waitFor({ state: 'detached' });
    const names = ((await json('openai', 'deployment', 'list', '-g', GROUP, '-n', 'id-aoai')) as { name: string }[]).map((d) => d.name);
    assert.deepEqual(names, ['chat']);
  });

  test("the web app's system assigned identity is turned off after the warning, and is gone", async () => {
    const before = (await json('webapp', 'show', '-g', GROUP, '-n', 'id-app')).identity.principalId as string;
    await openBlade('id-app', 'Identity');
    await page.getByTestId('system-principal-id').filter({ hasText: before }).waitFor();
    assert.equal(await page.getByRole('radio', { name: 'On' }).isChecked(), true);
    await shot('portal-identity-system');
    // From the keyboard: the arrow keys move the status from On to Off, with the focus visible.
    await page.getByRole('radio', { name: 'On' }).focus();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.getByRole('radio', { name: 'Off' }).isChecked(), true);
    assert.equal(await page.evaluate("getComputedStyle(document.activeElement.nextElementSibling).outlineStyle"), 'solid');
    await page.getByRole('button', { name: 'Save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Disable system assigned managed identity' });
    assert.match(await dialog.innerText(), /deletes the identity[\s\S]*role assignments stop granting anything[\s\S]*Identity not found/);
    await dialog.getByRole('button', { name: 'Yes, turn it off' }).click();
    await page.getByText('The system assigned identity was turned off and deleted.').waitFor();
    await page.getByTestId('system-principal-id').waitFor({ state: 'detached' });
    const app = await json('webapp', 'show', '-g', GROUP, '-n', 'id-app');
    assert.equal(app.identity.type, 'UserAssigned');
    assert.equal(app.identity.principalId, undefined);
    // The user-assigned one was left alone, as `webapp identity remove` leaves it.
    assert.deepEqual(Object.keys(app.identity.userAssignedIdentities).map((id) => id.split('/').pop()), ['id-one']);
  });

  test('user-assigned identities are added and removed (after a confirmation), and a refusal is shown as Azure shows it', async () => {
    await json('identity', 'create', '-g', GROUP, '-n', 'id-gone');
    await page.getByRole('button', { name: 'User assigned' }).click();
    const picker = page.getByLabel('User assigned managed identity', { exact: true });
    await picker.locator('option', { hasText: 'id-gone' }).waitFor({ state: 'attached' });

    await picker.selectOption({ label: `id-two (${GROUP})` });
    await page.getByRole('button', { name: '+ Add' }).click();
    await page.getByText('id-two was added.').waitFor();
    await page.locator('table.user-identities').getByRole('link', { name: 'id-two' }).waitFor();

    await page.getByRole('button', { name: 'Remove id-one' }).click();
    assert.match(await page.getByRole('dialog').innerText(), /can no longer get tokens as id-one/);
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await page.getByText('id-one was removed.').waitFor();
    const users = (await json('webapp', 'identity', 'show', '-g', GROUP, '-n', 'id-app')) as { userAssignedIdentities: Record<string, unknown> };
    assert.deepEqual(Object.keys(users.userAssignedIdentities).map((id) => id.split('/').pop()), ['id-two']);
    await shot('portal-identity-user');

    // Deleted after the picker listed it: ARM's refusal is shown with its code and message.
    await json('identity', 'delete', '-g', GROUP, '-n', 'id-gone');
    await picker.selectOption({ label: `id-gone (${GROUP})` });
    await page.getByRole('button', { name: '+ Add' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /^FailedIdentityOperation\s+Identity operation for resource failed: the user-assigned identity '.*id-gone' could not be found\./);
  });

  test("a user-assigned identity's blade shows its ids, the resources it is attached to and its federated credentials", async () => {
    const identity = await json('identity', 'show', '-g', GROUP, '-n', 'id-two');
    await json('identity', 'federated-credential', 'create', '-g', GROUP, '--identity-name', 'id-two', '-n', 'github-main', '--issuer', 'https://token.actions.githubusercontent.com', '--subject', 'repo:o/r:ref:refs/heads/main');
    await page.locator('table.user-identities').getByRole('link', { name: 'id-two' }).click();
    await page.getByRole('heading', { level: 2, name: 'Associated resources' }).waitFor();
    const main = page.locator('main');
    await main.getByText(identity.properties.clientId).waitFor();
    await main.getByText(identity.properties.principalId).waitFor();
    await page.locator('table.attached').getByRole('link', { name: 'id-app' }).waitFor();
    const credential = page.locator('table.federated tbody tr', { hasText: 'github-main' });
    await credential.waitFor();
    assert.match(await credential.innerText(), /https:\/\/token\.actions\.githubusercontent\.com\s+repo:o\/r:ref:refs\/heads\/main\s+api:\/\/AzureADTokenExchange/);
    await shot('portal-user-identity');
  });

  test("a federated credential is added to the identity in its blade, and deleted after a confirmation (ARM's API, as the CLI's)", async () => {
    const form = page.getByRole('form', { name: 'Add a federated credential' });
    await form.getByLabel('Name').fill('aks-web');
    await form.getByLabel('Issuer').fill('https://oidc.example.test/cluster');
    await form.getByLabel('Subject').fill('system:serviceaccount:web:app');
    await form.getByRole('button', { name: 'Add federated credential' }).click();
    await page.locator('table.federated tbody tr', { hasText: 'aks-web' }).waitFor();
    const listed = (await json('identity', 'federated-credential', 'list', '-g', GROUP, '--identity-name', 'id-two')) as { name: string; properties: { issuer: string; subject: string; audiences: string[] } }[];
    assert.deepEqual(listed.find((c) => c.name === 'aks-web')?.properties, { issuer: 'https://oidc.example.test/cluster', subject: 'system:serviceaccount:web:app', audiences: ['api://AzureADTokenExchange'] });
    // ARM's refusal of a bad issuer is shown as ARM gave it.
    await form.getByLabel('Name').fill('plain-http');
    await form.getByLabel('Issuer').fill('http://oidc.example.test/');
    await form.getByLabel('Subject').fill('x');
    await form.getByRole('button', { name: 'Add federated credential' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByRole('button', { name: 'Delete federated credential aks-web' }).click();
    const dialog = page.getByRole('dialog');
    assert.match(await dialog.innerText(), /system:serviceaccount:web:app[\s\S]*fails to sign in/);
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.locator('table.federated tbody tr', { hasText: 'aks-web' }).waitFor({ state: 'detached' });
    const after = (await json('identity', 'federated-credential', 'list', '-g', GROUP, '--identity-name', 'id-two')) as { name: string }[];
    assert.deepEqual(after.map((c) => c.name), ['github-main']);
  });

  test("without `…/userAssignedIdentities/assign/action` on the identity, adding it is refused by ARM and the blade shows LinkedAuthorizationFailed", async () => {
    // A principal that may change web apps and read everything, but not assign identities; it signs in to the portal itself.
    const sub = keyless.info.subscriptionId;
    const role = { Name: 'Web app operator (portal test)', Actions: ['*/read', 'Microsoft.Web/sites/*', 'Keyless/signInCodes/action'], AssignableScopes: [`/subscriptions/${sub}`] };
    await json('role', 'definition', 'create', '--role-definition', JSON.stringify(role));
    const operator = await json('ad', 'sp', 'create-for-rbac', '-n', 'web-operator', '--role', role.Name, '--scopes', `/subscriptions/${sub}`);
    const token = await adminToken(keyless.info.caPath, keyless.info.baseUrl, { tenantId: operator.tenant, clientId: operator.appId, clientSecret: operator.password });
    const codes = await request(keyless.info.caPath, 'POST', `${keyless.info.baseUrl}/subscriptions/${sub}/providers/Keyless/signInCodes?api-version=2026-01-01`, {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(codes.status, 200, codes.text);
    const other = await newPortalContext(browser);
    try {
      const theirs = await other.newPage();
      await theirs.goto(codes.json().portalUrl as string);
      await theirs.getByRole('heading', { name: 'Resource groups' }).waitFor();
      const app = await json('webapp', 'show', '-g', GROUP, '-n', 'id-app');
      await theirs.goto(`${keyless.info.baseUrl}/portal/#/resource${app.id as string}?tab=identity`);
      await theirs.getByRole('button', { name: 'User assigned' }).click();
      await theirs.getByLabel('User assigned managed identity', { exact: true }).selectOption({ label: `id-one (${GROUP})` });
      await theirs.getByRole('button', { name: '+ Add' }).click();
      const alert = theirs.getByRole('alert');
      await alert.waitFor();
      assert.match(
        await alert.innerText(),
        new RegExp(`^LinkedAuthorizationFailed\\s+The client '${operator.appId}' with object id '[0-9a-f-]{36}' has permission to perform the write, but does not have permission to perform action 'Microsoft\\.ManagedIdentity/userAssignedIdentities/assign/action' on the linked scope '.*/id-one'`),
      );
      await theirs.screenshot({ path: path.join(shots, 'portal-identity-linked-authorization.png'), fullPage: true });
    } finally {
      await other.close();
    }
    const users = (await json('webapp', 'identity', 'show', '-g', GROUP, '-n', 'id-app')) as { userAssignedIdentities: Record<string, unknown> };
    assert.deepEqual(Object.keys(users.userAssignedIdentities).map((id) => id.split('/').pop()), ['id-two']);
  });

  test('the Identity blade is usable on a narrow window', async () => {
    await page.setViewportSize({ width: 400, height: 800 });
    await openBlade('id-app', 'Identity');
    await page.getByRole('button', { name: 'User assigned' }).click();
    await page.locator('table.user-identities').waitFor();
    assert.ok(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1'), 'no horizontal scrolling of the page');
    await shot('portal-identity-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});

/** The same forms against Azure's long-running answers (201/202 and Azure-AsyncOperation): the portal waits as the CLI does. */
describe('the portal: creates and deletes as long-running operations', { skip: missing }, () => {
  before(async () => {
    // The suite above has ended: its Keyless and browser are stopped, and these take their place for the helpers.
    keyless = await startKeyless({ args: ['--async-operations', '--async-delay', '0.5'] });
    ({ browser, page } = await openPortalPage());
    await json('group', 'create', '-n', GROUP, '-l', 'eastus');
    const run = await runCli(keyless.dataDir, ['portal']);
    assert.equal(run.code, 0, run.stderr);
    await page.goto(run.stdout.trim());
    await page.getByRole('heading', { name: GROUP }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await keyless?.stop();
  });

  test('an account is created and deleted only once its operation has succeeded', async () => {
    await page.getByRole('button', { name: `+ Create a resource in ${GROUP}` }).click();
    await createResource('Azure OpenAI', 'slow-aoai');
    // "Created" is said after the poll: the account is already provisioned.
    assert.equal((await json('openai', 'show', '-g', GROUP, '-n', 'slow-aoai')).properties.provisioningState, 'Succeeded');
    await page.getByRole('button', { name: 'Delete slow-aoai' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete slow-aoai' }).waitFor({ state: 'detached' });
    assert.deepEqual(await json('openai', 'list', '-g', GROUP), []);
  });
});

if (missing !== undefined) test(`the portal's identity pages in chromium: skipped, ${missing}`, { skip: missing }, () => undefined);
