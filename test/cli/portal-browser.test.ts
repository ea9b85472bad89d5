import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT, startKeyless, type KeylessProcess } from '../fixtures/server.js';
import { cliJson } from '../fixtures/cli-thread.js';
import { request } from '../fixtures/http.js';
import { browserMissing, openPortalPage, screenshotDir } from '../fixtures/browser.js';
import { portalLink } from '../fixtures/portal-pages.js';

/**
 * The web portal in a real browser (Debian's chromium through playwright-core) against a real `keyless up`:
 * the one-time link, a group created, an account's keys shown and key1 regenerated (the old key then gets the
 * data plane's 401), a role assignment added and listed, check access allowed and denied, the audit's denial.
 */
const missing = browserMissing();
let keyless: KeylessProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let shots: string;
let reader: string;
const json = cliJson(() => keyless.dataDir);
const ACCOUNT_PATH = (sub: string) => `/subscriptions/${sub}/resourceGroups/portal-rg/providers/Microsoft.CognitiveServices/accounts/portal-aoai`;

const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

describe('the portal in chromium', { skip: missing }, () => {
  before(async () => {
    keyless = await startKeyless();
    shots = screenshotDir(ROOT);
    await json('group', 'create', '-n', 'portal-rg', '-l', 'eastus');
    await json('openai', 'create', '-g', 'portal-rg', '-n', 'portal-aoai');
    await json('openai', 'deployment', 'create', '-g', 'portal-rg', '-n', 'portal-aoai', '--deployment-name', 'chat', '--model-name', 'gpt-4o-mini');
    reader = (await json('identity', 'create', '-g', 'portal-rg', '-n', 'chat-reader')).properties.principalId;
    await json('identity', 'create', '-g', 'portal-rg', '-n', 'stranger');
    ({ browser, context, page } = await openPortalPage());
  });
  after(async () => {
    await browser?.close();
    await keyless?.stop();
  });

  test('`keyless up` prints the portal address, and the one-time link signs in once', async () => {
    assert.match(keyless.output(), new RegExp(`  portal: +${keyless.info.baseUrl}/portal/ \\(sign in with \`keyless portal\`\\)\\n`));
    const link = await portalLink(keyless.dataDir);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Resource groups' }).waitFor();
    // The code left the address bar and the history at once.
    assert.equal(new URL(page.url()).hash, '#/');
    await page.getByRole('heading', { name: 'portal-rg' }).waitFor();
    const second = await context.newPage();
    await second.goto(link);
    const alert = second.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /invalid_grant \(AADSTS54005\)[\s\S]*OAuth2 Authorization code was already redeemed/);
    await second.close();
  });

  test('a resource group is created from the home page', async () => {
    await page.getByLabel('Name').fill('made-in-browser');
    await page.getByRole('button', { name: 'Create resource group' }).click();
    await page.getByRole('heading', { name: 'made-in-browser' }).waitFor();
    const groups = (await json('group', 'list')) as { name: string }[];
    assert.ok(groups.some((g) => g.name === 'made-in-browser'));
    await shot('portal-home');
  });

  test('keys are hidden until shown, and regenerating key1 makes the old key1 get the 401', async () => {
    await page.getByRole('link', { name: 'portal-aoai' }).click();
    await page.getByRole('heading', { name: 'Deployments' }).waitFor();
    await page.getByRole('cell', { name: 'gpt-4o-mini' }).waitFor();
    await page.getByRole('link', { name: 'Keys and Endpoint' }).click();
    const key1 = page.locator('code[data-key="Key1"]');
    await page.getByRole('button', { name: 'Show keys' }).waitFor();
    assert.match(await key1.innerText(), /^•+$/);
    await page.getByRole('button', { name: 'Show keys' }).click();
    const old = await key1.innerText();
    assert.match(old, /^[0-9a-f]{32,}$/);
    await shot('portal-keys');
    await page.getByRole('button', { name: 'Regenerate KEY 1' }).click();
    const dialog = page.getByRole('dialog');
    assert.match(await dialog.innerText(), /stops working at once[\s\S]*401/);
    await dialog.getByRole('button', { name: 'Regenerate' }).click();
    await page.getByText('Key1 was regenerated.').waitFor();
    // The blade lists the keys again after the regenerate: the new value replaces the old one.
    await page.locator('code[data-key="Key1"]', { hasNotText: old }).waitFor();
    const fresh = await key1.innerText();
    assert.notEqual(fresh, old);
    const call = (key: string) => request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}/accounts/portal-aoai/openai/deployments?api-version=2022-12-01`, { headers: { 'api-key': key } });
    assert.equal((await call(old)).status, 401);
    assert.equal((await call(fresh)).status, 200);
  });

  test('a role assignment added through Add role assignment is listed under its role', async () => {
    await page.getByRole('link', { name: 'Access control (IAM)' }).click();
    await page.getByRole('button', { name: '+ Add role assignment' }).click();
    await page.getByRole('radio', { name: 'Cognitive Services OpenAI User', exact: true }).check();
    await page.getByRole('radio', { name: 'chat-reader', exact: true }).check();
    await page.getByRole('button', { name: 'Review + assign' }).click();
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    const table = page.locator('table.assignments', { has: page.locator('caption', { hasText: 'Cognitive Services OpenAI User' }) });
    await table.getByRole('cell', { name: /^chat-reader/ }).waitFor();
    const assignments = (await json('role', 'assignment', 'list', '--scope', ACCOUNT_PATH(keyless.info.subscriptionId))) as { principalId: string; roleDefinitionName?: string }[];
    assert.ok(JSON.stringify(assignments).includes(reader));
    await shot('portal-iam');
  });

  test('check access shows allowed for the assigned identity and denied, with the fix, for another', async () => {
    await page.getByRole('tab', { name: 'Check access' }).click();
    await page.getByRole('radio', { name: 'chat-reader', exact: true }).check();
    await page.getByRole('button', { name: 'Check access' }).click();
    const verdict = page.locator('.verdict');
    await verdict.waitFor();
    assert.match(await verdict.innerText(), /^Allowed/);
    assert.match(await verdict.innerText(), /Granted by Cognitive Services OpenAI User/);
    await page.getByRole('radio', { name: 'stranger', exact: true }).check();
    await page.getByRole('button', { name: 'Check access' }).click();
    await page.locator('.verdict.denied').waitFor();
    assert.match(await page.locator('.verdict').innerText(), /^Denied[\s\S]*Fix: the narrowest built-in role is Cognitive Services OpenAI User/);
    await shot('portal-check-access');
  });

  test('the audit page shows the old key1 refused, filtered to denials', async () => {
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByLabel('Decision').selectOption('denied');
    const row = page.locator('table.audit tbody tr', { hasText: 'openai' }).filter({ hasText: 'denied' }).first();
    await row.waitFor({ timeout: 10_000 }).catch(async (error: unknown) => {
      await shot('portal-audit-failed');
      throw new Error(`${String(error)}\n${await page.locator('main').innerText()}`);
    });
    assert.match(await row.innerText(), /denied/);
    await shot('portal-audit');
  });
});

if (missing !== undefined) test(`the portal in chromium: skipped, ${missing}`, { skip: missing }, () => undefined);
