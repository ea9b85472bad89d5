import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { ROOT, runCli, startKeyless, type KeylessProcess } from '../fixtures/server.js';
import { cliJson } from '../fixtures/cli-thread.js';
import { request } from '../fixtures/http.js';
import { browserMissing, openPortalPage, screenshotDir } from '../fixtures/browser.js';

/**
 * The portal's Access control (IAM) and Networking blades in a real browser against a real `keyless up`:
 * Add role assignment through Azure's privileged and job-function tabs (keyboard too), the member picker over
 * a user-assigned identity, an application's service principal and a web app's system identity; the Roles
 * tab with a built-in role's data actions and a custom role; the network rules the CLI set, one added and one
 * removed in the browser; a denied Check access with its reason.
 */
const missing = browserMissing();
let keyless: KeylessProcess;
let browser: Browser;
let page: Page;
let shots: string;
let sub: string;
let account: string;
let identity: string;
let appPrincipal: string;
let appId: string;
let webPrincipal: string;
const json = cliJson(() => keyless.dataDir);
const CUSTOM = 'IAM Deployment Reader';
/** A custom role that can give access: privileged by its actions, as no list can name it. */
const GRANTER = 'IAM Access Granter';

const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
const OPENAI_USER = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd';
let customRole: string;

/** Whether the CLI lists, at the account, an assignment of this role (by definition GUID) to this principal. */
async function assignedAtAccount(principalId: string, roleGuid: string): Promise<boolean> {
  const listed = (await json('role', 'assignment', 'list', '--scope', account)) as { properties: { principalId: string; roleDefinitionId: string; scope: string } }[];
  return listed.some(({ properties: a }) => a.principalId === principalId && a.roleDefinitionId.toLowerCase().endsWith(`/${roleGuid}`) && a.scope.toLowerCase() === account.toLowerCase());
}

/** Opens the account's IAM blade from the home page, as a person would. */
async function openIam(): Promise<void> {
  await page.getByRole('link', { name: 'Resource groups' }).click();
  await page.getByRole('link', { name: 'iam-aoai' }).click();
  await page.getByRole('link', { name: 'Access control (IAM)' }).click();
  await page.getByRole('tab', { name: 'Role assignments' }).waitFor();
}

/** The assignments table of one role. */
const roleTable = (role: string): Locator => page.locator('table.assignments', { has: page.locator('caption', { hasText: new RegExp(`^${role} \\(`) }) });

describe('the portal IAM and Networking blades in chromium', { skip: missing }, () => {
  before(async () => {
    keyless = await startKeyless();
    shots = screenshotDir(ROOT);
    sub = `/subscriptions/${keyless.info.subscriptionId}`;
    await json('group', 'create', '-n', 'iam-rg', '-l', 'eastus');
    account = (await json('openai', 'create', '-g', 'iam-rg', '-n', 'iam-aoai')).id;
    identity = (await json('identity', 'create', '-g', 'iam-rg', '-n', 'iam-reader')).properties.principalId;
    appId = (await json('ad', 'sp', 'create-for-rbac', '-n', 'iam-app')).appId;
    appPrincipal = (await json('ad', 'sp', 'show', '--id', appId)).id;
    webPrincipal = (await json('webapp', 'create', '-g', 'iam-rg', '-n', 'iam-web', '--assign-identity')).identity.principalId;
    const file = path.join(keyless.dataDir, 'iam-role.json');
    const role = { Name: CUSTOM, Description: 'Reads deployments, nothing else', Actions: ['Microsoft.CognitiveServices/accounts/deployments/read'], DataActions: [], AssignableScopes: [sub] };
    fs.writeFileSync(file, JSON.stringify(role));
    customRole = (await json('role', 'definition', 'create', '--role-definition', file)).name;
    const granter = { Name: GRANTER, Description: 'Grants roles', Actions: ['Microsoft.Authorization/roleAssignments/write'], DataActions: [], AssignableScopes: [sub] };
    fs.writeFileSync(file, JSON.stringify(granter));
    await json('role', 'definition', 'create', '--role-definition', file);
    await json('openai', 'update', '-g', 'iam-rg', '-n', 'iam-aoai', '--default-action', 'Deny', '--ip-rules', '203.0.113.7', '198.51.100.0/24');
    ({ browser, page } = await openPortalPage());
    const link = await runCli(keyless.dataDir, ['portal']);
    assert.equal(link.code, 0, link.stderr);
    await page.goto(link.stdout.trim());
    await page.getByRole('heading', { name: 'iam-rg' }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await keyless?.stop();
  });

  test('the role picker tabs are a keyboard-operable tablist; privileged roles sit on their own tab', async () => {
    await openIam();
    await page.getByRole('button', { name: '+ Add role assignment' }).click();
    const tabs = page.getByRole('tablist', { name: 'Role categories' });
    const job = tabs.getByRole('tab', { name: 'Job function roles' });
    const privileged = tabs.getByRole('tab', { name: 'Privileged administrator roles' });
    assert.equal(await job.getAttribute('aria-selected'), 'true');
    assert.equal(await privileged.getAttribute('tabindex'), '-1');
    // Job function roles: the data roles, never Owner.
    await page.getByRole('radio', { name: 'Cognitive Services OpenAI User', exact: true }).waitFor();
    assert.equal(await page.getByRole('radio', { name: 'Owner', exact: true }).count(), 0);
    await job.focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await privileged.getAttribute('aria-selected'), 'true');
    assert.ok(await privileged.evaluate((el) => el === el.ownerDocument.activeElement && el.matches(':focus-visible')), 'the selected tab has the focus, visibly');
    const panel = page.getByRole('tabpanel', { name: 'Privileged administrator roles' });
    for (const name of ['Owner', 'Contributor', 'User Access Administrator', 'Role Based Access Control Administrator', GRANTER]) {
      await panel.getByRole('radio', { name, exact: true }).waitFor();
    }
    for (const name of ['Cognitive Services OpenAI User', CUSTOM]) assert.equal(await panel.getByRole('radio', { name, exact: true }).count(), 0);
    await page.keyboard.press('ArrowRight');
    assert.equal(await job.getAttribute('aria-selected'), 'true', 'the arrow keys wrap around');
    await page.keyboard.press('End');
    assert.equal(await privileged.getAttribute('aria-selected'), 'true');
    await page.keyboard.press('Home');
    assert.equal(await job.getAttribute('aria-selected'), 'true');
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  test("Owner through the privileged tab, to a web app's system identity picked by type", async () => {
    await page.getByRole('button', { name: '+ Add role assignment' }).click();
    await page.getByRole('tab', { name: 'Privileged administrator roles' }).click();
    await page.getByRole('radio', { name: 'Owner', exact: true }).check();
    await page.getByLabel('Member type').selectOption('System-assigned managed identity');
    const web = page.getByRole('radio', { name: 'iam-web', exact: true });
    assert.match((await web.getAttribute('aria-describedby')) ?? '', /./);
    assert.match(await page.locator(`#${(await web.getAttribute('aria-describedby'))!}`).innerText(), /System-assigned managed identity · App Service in iam-rg/);
    assert.equal(await page.getByRole('radio', { name: 'iam-app', exact: true }).count(), 0, 'the type filter hides applications');
    await web.check();
    await page.getByRole('button', { name: 'Review + assign' }).click();
    const review = page.getByRole('region', { name: 'Review + assign' });
    assert.match(await review.innerText(), /Owner[\s\S]*iam-web[\s\S]*privileged administrator role/);
    await shot('portal-iam-review-privileged');
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await roleTable('Owner').getByRole('cell', { name: /^iam-web/ }).waitFor();
    assert.ok(await assignedAtAccount(webPrincipal, OWNER));
  });

  test("Cognitive Services OpenAI User through the job-function tab's search, to an application's service principal", async () => {
    await page.getByRole('button', { name: '+ Add role assignment' }).click();
    await page.getByLabel('Search by role name or description').fill('inference');
    // The search reads descriptions too: OpenAI User's says "They can inference".
    await page.getByRole('radio', { name: 'Cognitive Services OpenAI User', exact: true }).check();
    assert.equal(await page.getByRole('radio', { name: 'Reader', exact: true }).count(), 0);
    // All three kinds of member, each with its type.
    const about = async (name: string) => page.locator(`#${(await page.getByRole('radio', { name, exact: true }).getAttribute('aria-describedby'))!}`).innerText();
    assert.match(await about('iam-reader'), /^User-assigned managed identity · Resource group iam-rg/);
    assert.match(await about('iam-web'), /^System-assigned managed identity/);
    assert.match(await about('iam-app'), /^Application · Client id /);
    await page.getByLabel('Search members').fill('iam-ap');
    assert.equal(await page.getByRole('radio', { name: 'iam-reader', exact: true }).count(), 0);
    await page.getByRole('radio', { name: 'iam-app', exact: true }).check();
    await page.getByRole('button', { name: 'Review + assign' }).click();
    assert.doesNotMatch(await page.getByRole('region', { name: 'Review + assign' }).innerText(), /privileged/);
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await roleTable('Cognitive Services OpenAI User').getByRole('cell', { name: /^iam-app/ }).waitFor();
    assert.ok(await assignedAtAccount(appPrincipal, OPENAI_USER));
  });

  test('a custom role, picked and assigned with the keyboard only, to the user-assigned identity', async () => {
    await page.getByRole('button', { name: '+ Add role assignment' }).focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('Search by role name or description').focus();
    await page.keyboard.type(CUSTOM);
    await page.keyboard.press('Tab'); // to the only role's radio
    await page.keyboard.press('Space');
    assert.ok(await page.getByRole('radio', { name: CUSTOM, exact: true }).isChecked());
    await page.getByLabel('Search members').focus();
    await page.keyboard.type('iam-reader');
    await page.keyboard.press('Tab'); // the type filter
    await page.keyboard.press('Tab'); // the only member's radio
    await page.keyboard.press('Space');
    assert.ok(await page.getByRole('radio', { name: 'iam-reader', exact: true }).isChecked());
    await page.getByRole('button', { name: 'Review + assign' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Assign', exact: true }).focus();
    await page.keyboard.press('Enter');
    await roleTable(CUSTOM).getByRole('cell', { name: /^iam-reader/ }).waitFor();
    assert.ok(await assignedAtAccount(identity, customRole));
  });

  test('inherited assignments are marked and link to their scope', async () => {
    await json('role', 'assignment', 'create', '--assignee', identity, '--role', 'Reader', '--scope', `${sub}/resourceGroups/iam-rg`);
    await page.getByRole('tab', { name: 'Roles' }).click();
    await page.getByRole('tab', { name: 'Role assignments' }).click();
    const link = roleTable('Reader').getByRole('link', { name: 'Resource group iam-rg (Inherited)' });
    await link.waitFor();
    assert.match((await link.getAttribute('href')) ?? '', /^#\/iam\/subscriptions\/[^/]+\/resourceGroups\/iam-rg$/i);
    await link.click();
    await page.getByRole('heading', { name: 'Access control (IAM)', level: 1 }).waitFor();
    await roleTable('Reader').getByRole('row', { name: /iam-reader.*This resource/ }).waitFor();
    await page.goBack();
    await page.getByRole('link', { name: 'Access control (IAM)' }).waitFor();
  });

  test("the Roles tab: a built-in role's data actions, and a custom role found by type", async () => {
    await page.getByRole('tab', { name: 'Roles' }).click();
    await page.getByLabel('Search by role name').fill('OpenAI User');
    await page.getByRole('button', { name: 'View Cognitive Services OpenAI User' }).click();
    const detail = page.getByRole('region', { name: 'Cognitive Services OpenAI User' });
    await detail.waitFor();
    assert.ok(await detail.getByRole('heading', { name: 'Cognitive Services OpenAI User' }).evaluate((h) => h === h.ownerDocument.activeElement), 'focus moves to the opened role');
    assert.match(await detail.innerText(), /They can inference/);
    const dataActions = detail.getByRole('list', { name: 'DataActions', exact: true });
    assert.match(await dataActions.innerText(), /Microsoft\.CognitiveServices\/accounts\/OpenAI\/deployments\/chat\/completions\/action/);
    assert.match(await detail.getByRole('list', { name: 'Actions', exact: true }).innerText(), /Microsoft\.CognitiveServices\/\*\/read/);
    await detail.getByRole('button', { name: 'Close Cognitive Services OpenAI User' }).click();
    await page.getByLabel('Search by role name').fill('');
    await page.getByLabel('Role type').selectOption('CustomRole');
    const rows = page.locator('table.roles tbody tr');
    assert.equal(await rows.count(), 2);
    assert.match(await rows.filter({ hasText: GRANTER }).innerText(), /Custom role\s+Privileged$/);
    assert.match(await rows.filter({ hasText: CUSTOM }).innerText(), new RegExp(`${CUSTOM}[\\s\\S]*Reads deployments, nothing else[\\s\\S]*Custom role[\\s\\S]*Job function`));
    await page.getByRole('button', { name: `View ${CUSTOM}` }).click();
    assert.match(await page.getByRole('list', { name: 'Actions', exact: true }).innerText(), /Microsoft\.CognitiveServices\/accounts\/deployments\/read/);
    await shot('portal-iam-roles');
  });

  test('Check access: the custom role applies here but does not grant chat, with the reason; OpenAI User does', async () => {
    await page.getByRole('tab', { name: 'Check access' }).click();
    await page.getByRole('radio', { name: 'iam-reader', exact: true }).check();
    const held = page.getByRole('region', { name: 'Role assignments that apply here' });
    await held.getByText(CUSTOM).waitFor();
    assert.match(await held.innerText(), /Reader at [\s\S]*iam-rg \(inherited\)/);
    await page.getByLabel('Permission').selectOption({ label: 'Chat completions (data): Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action' });
    await page.getByRole('button', { name: 'Check access' }).click();
    const denied = page.locator('.verdict.denied');
    await denied.waitFor();
    const text = await denied.innerText();
    assert.match(text, /^Denied: iam-reader/);
    assert.match(text, new RegExp(`Not granted by ${CUSTOM} at [\\s\\S]*: `));
    assert.match(text, /Fix: the narrowest built-in role is Cognitive Services OpenAI User/);
    await shot('portal-iam-check-denied');
    await page.getByRole('radio', { name: 'iam-app', exact: true }).check();
    await page.getByRole('button', { name: 'Check access' }).click();
    await page.locator('.verdict.allowed').waitFor();
    assert.match(await page.locator('.verdict').innerText(), /^Allowed: iam-app[\s\S]*Granted by Cognitive Services OpenAI User/);
  });

  test('removing an assignment asks first, then it is gone', async () => {
    await page.getByRole('tab', { name: 'Role assignments' }).click();
    await page.getByRole('button', { name: 'Remove Owner from iam-web' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove role assignment?' });
    assert.match(await dialog.innerText(), /Owner is removed from iam-web/);
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await roleTable('Owner').getByRole('cell', { name: /^iam-web/ }).waitFor({ state: 'detached' });
    assert.ok(!(await assignedAtAccount(webPrincipal, OWNER)));
  });

  test("a deleted application's assignment stays, shown as Identity not found", async () => {
    await json('ad', 'sp', 'delete', '--id', appId);
    await page.getByRole('tab', { name: 'Roles' }).click();
    await page.getByRole('tab', { name: 'Role assignments' }).click();
    const row = roleTable('Cognitive Services OpenAI User').getByRole('row', { name: new RegExp(appPrincipal) });
    await row.waitFor();
    assert.match(await row.innerText(), /^Identity not found\s+[\s\S]*Unknown/);
  });

  test('the Networking blade shows the rules the CLI set; a rule added and one removed in the browser', async () => {
    await page.getByRole('link', { name: 'Networking' }).click();
    const facts = page.locator('.networking dl');
    await facts.waitFor();
    assert.match(await facts.innerText(), /Public network access\s+Enabled[\s\S]*Selected networks and IP addresses[\s\S]*Default action\s+Deny/);
    const rules = page.getByRole('table', { name: /IP rules/ });
    await rules.getByRole('cell', { name: '203.0.113.7', exact: true }).waitFor();
    await rules.getByRole('cell', { name: '198.51.100.0/24', exact: true }).waitFor();
    await page.getByLabel('IP address or CIDR range').fill('192.0.2.1');
    await page.getByRole('button', { name: 'Add IP rule' }).click();
    await rules.getByRole('cell', { name: '192.0.2.1', exact: true }).waitFor();
    await shot('portal-networking');
    await page.getByRole('button', { name: 'Remove IP rule 203.0.113.7' }).click();
    const dialog = page.getByRole('dialog');
    assert.match(await dialog.innerText(), /refused with 403/);
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await rules.getByRole('cell', { name: '203.0.113.7', exact: true }).waitFor({ state: 'detached' });
    const listed = (await json('openai', 'network-rule', 'list', '-g', 'iam-rg', '-n', 'iam-aoai')) as { defaultAction: string; ipRules: { value: string }[] };
    assert.deepEqual({ defaultAction: listed.defaultAction, ipRules: listed.ipRules.map((r) => r.value) }, { defaultAction: 'Deny', ipRules: ['198.51.100.0/24', '192.0.2.1'] });
  });

  test('an API refusal is shown with its code and message', async () => {
    await page.getByLabel('IP address or CIDR range').fill('not-an-address');
    await page.getByRole('button', { name: 'Add IP rule' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const code = await alert.locator('.error-code').innerText();
    assert.match(code, /^[A-Z][A-Za-z]+$/, `an ARM error code, got ${code}`);
    assert.match(await alert.locator('.error-message').innerText(), /not-an-address/);
  });

  test('Allow access from: all networks, then disabled, each after a confirmation saying who is refused; the data plane follows', async () => {
    const key = (await json('openai', 'keys', 'list', '-g', 'iam-rg', '-n', 'iam-aoai')).key1 as string;
    const endpoint = (await json('openai', 'show', '-g', 'iam-rg', '-n', 'iam-aoai')).properties.endpoint as string;
    const chat = () => request(keyless.info.caPath, 'POST', `${endpoint}openai/deployments/none/chat/completions?api-version=2024-10-21`, { headers: { 'api-key': key }, body: { messages: [] } });
    // Selected networks without loopback among the rules: this test's own address is refused.
    assert.equal((await chat()).status, 403);
    const choose = async (label: string, effect: RegExp) => {
      await page.getByRole('radio', { name: label, exact: true }).check();
      await page.getByRole('form', { name: 'Allow access from' }).getByRole('button', { name: 'Save' }).click();
      const dialog = page.getByRole('dialog', { name: `Allow access from: ${label}?` });
      assert.match(await dialog.innerText(), effect);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('radio', { name: label, exact: true }).and(page.locator(':checked')).waitFor();
      await page.getByRole('form', { name: 'Allow access from' }).getByRole('button', { name: 'Save' }).and(page.locator(':disabled')).waitFor();
    };
    await choose('All networks', /Every address may call/);
    await page.locator('.networking dl dd', { hasText: /^Allow$/ }).waitFor();
    const open = (await json('openai', 'network-rule', 'list', '-g', 'iam-rg', '-n', 'iam-aoai')) as { defaultAction: string; ipRules: { value: string }[] };
    assert.deepEqual({ defaultAction: open.defaultAction, ipRules: open.ipRules.map((r) => r.value) }, { defaultAction: 'Allow', ipRules: ['198.51.100.0/24', '192.0.2.1'] });
    assert.equal((await chat()).status, 404, 'past the network check: the deployment does not exist');
    await choose('Disabled', /Every caller is refused with 403/);
    assert.equal((await json('openai', 'show', '-g', 'iam-rg', '-n', 'iam-aoai')).properties.publicNetworkAccess, 'Disabled');
    assert.equal((await chat()).status, 403);
    await choose('Selected networks and IP addresses', /Only addresses in the IP rules may call/);
    const back = await json('openai', 'show', '-g', 'iam-rg', '-n', 'iam-aoai');
    assert.deepEqual([back.properties.publicNetworkAccess, back.properties.networkAcls.defaultAction], ['Enabled', 'Deny']);
  });

  test('a narrow window: the Add role assignment form fits without scrolling sideways', async () => {
    await page.setViewportSize({ width: 420, height: 800 });
    await page.getByRole('link', { name: 'Access control (IAM)' }).click();
    await page.getByRole('button', { name: '+ Add role assignment' }).click();
    await page.getByRole('radio', { name: 'Cognitive Services OpenAI User', exact: true }).waitFor();
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
    assert.ok(overflow <= 1, `the page is ${overflow}px wider than the window`);
    await shot('portal-iam-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});

if (missing !== undefined) test(`the portal IAM and Networking blades in chromium: skipped, ${missing}`, { skip: missing }, () => undefined);
