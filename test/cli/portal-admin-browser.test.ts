import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT, startKeyless, type KeylessProcess } from '../fixtures/server.js';
import { cliJson } from '../fixtures/cli-thread.js';
import { adminToken, request } from '../fixtures/http.js';
import { webcrypto } from 'node:crypto';
import { issue } from '../fixtures/certificates.js';
import { loadX509 } from '../../src/runtime/tls.js';
import { browserMissing, openPortalPage, screenshotDir } from '../fixtures/browser.js';
import { auditRowsWhen, signInPortal } from '../fixtures/portal-pages.js';

/**
 * The portal's admin pages in a real browser (Debian's chromium through playwright-core) against a real
 * `keyless up`: Posture (a finding set up with the CLI, fixed with its button after a confirmation, gone, and the
 * ARM state changed), Applications (create, a secret shown once, a certificate, a federated credential, delete)
 * and Audit (server-side filters, auto-refresh that keeps an opened denial open).
 */
const missing = browserMissing();
let keyless: KeylessProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let shots: string;
let caller: { appId: string; password: string };
let callerObjectId: string;
let otherKey: string;
const json = cliJson(() => keyless.dataDir);

const signIn = () => signInPortal(page, keyless.dataDir);

/** A self-signed RSA certificate (PEM), as an app registration takes for client assertions. */
async function rsaCertificatePem(subject: string): Promise<string> {
  const x509 = await loadX509();
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '01', name: subject, notBefore: new Date(), notAfter: new Date(Date.now() + 30 * 86_400_000), keys, signingAlgorithm: algorithm });
  return cert.toString('pem');
}

const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
const dataPlane = (account: string, headers: Record<string, string>) =>
  request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}/accounts/${account}/openai/deployments?api-version=2022-12-01`, { headers });

/** The audit table's rows once `check` holds for their texts (the page refreshes on its own; this only waits). */
const rowsWhen = (check: (rows: string[]) => boolean, what: string, timeoutMs?: number): Promise<string[]> => auditRowsWhen(page, check, what, timeoutMs);

describe('the portal admin pages in chromium', { skip: missing }, () => {
  before(async () => {
    keyless = await startKeyless();
    shots = screenshotDir(ROOT);
    await json('group', 'create', '-n', 'adm-rg', '-l', 'eastus');
    await json('openai', 'create', '-g', 'adm-rg', '-n', 'adm-aoai');
    await json('openai', 'create', '-g', 'adm-rg', '-n', 'adm-other');
    otherKey = (await json('openai', 'keys', 'list', '-g', 'adm-rg', '-n', 'adm-other')).key1;
    caller = await json('ad', 'sp', 'create-for-rbac', '-n', 'adm-caller');
    callerObjectId = (await json('ad', 'sp', 'show', '--id', caller.appId)).id;
    ({ browser, context, page } = await openPortalPage());
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    page.setDefaultTimeout(15_000);
    await signIn();
  });
  after(async () => {
    await browser?.close();
    await keyless?.stop();
  });

  test('posture: an account that accepts keys is a finding; Apply fix, confirmed, disables local auth and the finding is gone', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Posture' }).click();
    await page.getByRole('heading', { name: /^Medium \(\d+\)/ }).waitFor();
    const finding = page.locator('article.finding[data-code="KeyAuthenticationEnabled"]', { hasText: "account 'adm-aoai'" });
    await finding.waitFor();
    assert.match(await finding.innerText(), /Why it matters: a key is a bearer secret[\s\S]*keyless openai update -g adm-rg -n adm-aoai --disable-local-auth true/);
    // A finding whose fix needs your own values (the addresses to allow) has the commands but no button.
    const network = page.locator('article.finding[data-code="NetworkOpenToAll"]', { hasText: "account 'adm-aoai'" });
    assert.equal(await network.getByRole('button', { name: 'Apply fix' }).count(), 0);
    await shot('portal-posture');

    await finding.getByRole('button', { name: 'Apply fix' }).click();
    const dialog = page.getByRole('dialog');
    assert.match(await dialog.innerText(), /Sets disableLocalAuth on account 'adm-aoai': from then on every call that sends an API key gets 401[\s\S]*PATCH \/subscriptions\/.*\/accounts\/adm-aoai/);
    // Cancel first: nothing changes.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // Focus is back on the button that opened it; from the keyboard, Enter opens the dialog again and Escape cancels.
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Apply fix');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.equal((await json('openai', 'show', '-g', 'adm-rg', '-n', 'adm-aoai')).properties.disableLocalAuth, false);
    await finding.getByRole('button', { name: 'Apply fix' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Apply fix' }).click();
    await page.getByRole('status').filter({ hasText: 'Fixed KeyAuthenticationEnabled' }).waitFor();
    await finding.waitFor({ state: 'detached' });
    // Keys are no longer judged on that account: its key findings went with it; the other account's stay.
    assert.equal(await page.locator('article.finding', { hasText: "account 'adm-aoai'" }).filter({ hasText: /^.*Key/ }).count(), 0);
    await page.locator('article.finding[data-code="KeyAuthenticationEnabled"]', { hasText: "account 'adm-other'" }).waitFor();
    assert.equal((await json('openai', 'show', '-g', 'adm-rg', '-n', 'adm-aoai')).properties.disableLocalAuth, true);
  });

  test('applications: create, a secret shown once (it works, and is gone after Done and after a reload), a certificate, a federated credential, delete', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Applications' }).click();
    // The CLI's admin application (this session's principal) is listed, without a Delete button.
    const adminRow = page.locator('table.applications tbody tr', { hasText: 'Keyless admin (you)' });
    await adminRow.waitFor();
    assert.equal(await adminRow.getByRole('button', { name: /^Delete/ }).count(), 0);
    await page.getByLabel('Display name').fill('browser-app');
    await page.getByRole('button', { name: 'New registration' }).click();
    await page.getByRole('heading', { name: 'browser-app', level: 1 }).waitFor();
    const [app] = (await json('ad', 'app', 'list', '--display-name', 'browser-app')) as { appId: string; id: string }[];
    assert.ok(app);
    assert.match(page.url(), new RegExp(`#/applications/${app.id}$`));

    const secrets = page.getByRole('form', { name: 'Add a client secret' });
    await secrets.getByLabel('Description').fill('ci');
    await secrets.getByRole('button', { name: 'New client secret' }).click();
    const value = page.locator('code[data-secret-value]');
    await value.waitFor();
    const secret = await value.innerText();
    assert.equal(await page.evaluate("document.activeElement?.getAttribute('aria-labelledby')"), 'new-secret-title', 'focus moves to the new value');
    assert.match(secret, /^.{30,}$/);
    const row = page.locator('table.secrets tbody tr', { hasText: 'ci' });
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(`${secret.slice(0, 3).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}…`));
    assert.doesNotMatch(await row.innerText(), new RegExp(secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await page.getByRole('button', { name: 'Copy secret value' }).click();
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), secret);
    await shot('portal-app-secret');
    // The value works: a client-credentials token with it.
    await adminToken(keyless.info.caPath, keyless.info.baseUrl, { tenantId: keyless.info.tenantId, clientId: app.appId, clientSecret: secret });
    // Never in the audit trail, never in the server's log.
    assert.ok(!JSON.stringify(await json('audit', 'list', '--top', '1000')).includes(secret));
    assert.ok(!keyless.output().includes(secret));
    await page.getByRole('button', { name: 'Done, hide the value' }).click();
    await value.waitFor({ state: 'detached' });
    assert.ok(!(await page.content()).includes(secret));

    // A reload ends the in-memory session; signed in again, the app shows the hint only.
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Keyless' }).waitFor();
    await signIn();
    await page.goto(`${keyless.info.baseUrl}/portal/#/applications/${app.id}`);
    await page.locator('table.secrets tbody tr', { hasText: 'ci' }).waitFor();
    assert.equal(await page.locator('code[data-secret-value]').count(), 0);
    assert.ok(!(await page.content()).includes(secret));

    // A certificate: a file with a private key is refused before anything is sent; Graph's refusal of an ECDSA
    // certificate is shown as Graph gave it (code and message); an RSA certificate in PEM is registered.
    const ecdsa = await issue(undefined, { subject: 'CN=browser-app' });
    const upload = page.getByRole('form', { name: 'Upload a certificate' });
    const file = upload.getByLabel('Certificate file (.pem, .cer, .crt)');
    const pem = (name: string, text: string) => ({ name, mimeType: 'application/x-pem-file', buffer: Buffer.from(text) });
    await file.setInputFiles(pem('both.pem', ecdsa.keyPem + ecdsa.certPem));
    await upload.getByRole('button', { name: 'Upload certificate' }).click();
    await page.getByRole('alert').filter({ hasText: 'This file holds a private key' }).waitFor();
    await file.setInputFiles(pem('ecdsa.pem', ecdsa.certPem));
    await upload.getByRole('button', { name: 'Upload certificate' }).click();
    assert.match(await page.getByRole('alert').filter({ hasText: 'Request_BadRequest' }).innerText(), /Request_BadRequest\s+Only RSA certificates are supported for client assertions\./);
    await file.setInputFiles(pem('cert.pem', await rsaCertificatePem('CN=browser-app')));
    await upload.getByLabel('Description').fill('build agent');
    await upload.getByRole('button', { name: 'Upload certificate' }).click();
    const certificateRow = page.locator('table.certificates tbody tr', { hasText: 'build agent' });
    await certificateRow.waitFor();
    assert.match(await certificateRow.innerText(), /^[0-9A-F]{40}\s/);
    const credentials = (await json('ad', 'sp', 'credential', 'list', '--id', app.appId)) as { type: string }[];
    assert.deepEqual(credentials.map((c) => c.type).sort(), ['AsymmetricX509Cert', 'Password']);

    const federated = page.getByRole('form', { name: 'Add a federated credential' });
    await federated.getByLabel('Name').fill('github-main');
    await federated.getByLabel('Issuer').fill('https://token.actions.githubusercontent.com');
    await federated.getByLabel('Subject').fill('repo:contoso/app:ref:refs/heads/main');
    await federated.getByRole('button', { name: 'Add federated credential' }).click();
    await page.locator('table.federated tbody tr', { hasText: 'github-main' }).waitFor();
    const fics = (await json('ad', 'app', 'federated-credential', 'list', '--id', app.appId)) as { name: string; subject: string; audiences: string[] }[];
    assert.deepEqual(fics.map((f) => [f.name, f.subject, f.audiences]), [['github-main', 'repo:contoso/app:ref:refs/heads/main', ['api://AzureADTokenExchange']]]);
    // Graph's refusal is shown as Graph gave it: the code and the message.
    await federated.getByLabel('Name').fill('x');
    await federated.getByLabel('Issuer').fill('https://token.actions.githubusercontent.com');
    await federated.getByLabel('Subject').fill('repo:contoso/app:ref:refs/heads/dev');
    await federated.getByRole('button', { name: 'Add federated credential' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'Request_BadRequest' });
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /Request_BadRequest[\s\S]*A federated credential name is 3 to 120/);
    await shot('portal-application');

    await page.getByRole('link', { name: 'App registrations' }).click();
    await page.getByRole('button', { name: 'Delete browser-app' }).click();
    const dialog = page.getByRole('dialog');
    assert.match(await dialog.innerText(), /Delete application 'browser-app'\?[\s\S]*role assignments stay behind as orphans/);
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('link', { name: 'browser-app' }).waitFor({ state: 'detached' });
    assert.deepEqual(await json('ad', 'app', 'list', '--display-name', 'browser-app'), []);
  });

  test('audit: surface, account and principal narrow the table on the server; auto-refresh shows a new denial and keeps the opened one open', async () => {
    assert.equal((await dataPlane('adm-other', { 'api-key': otherKey })).status, 200);
    assert.equal((await dataPlane('adm-other', { 'api-key': 'not-the-key' })).status, 401);
    const token = await adminToken(keyless.info.caPath, keyless.info.baseUrl, { tenantId: keyless.info.tenantId, clientId: caller.appId, clientSecret: caller.password }, 'https://cognitiveservices.azure.com');
    assert.equal((await dataPlane('adm-aoai', { authorization: `Bearer ${token}` })).status, 401);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
    const all = await rowsWhen((rows) => rows.length > 3 && rows.some((r) => /\barm\b|\bentra\b/.test(r)), 'showed several surfaces');
    await page.getByLabel('Surface').selectOption('openai');
    const openai = await rowsWhen((rows) => rows.length > 0 && rows.every((r) => /\topenai\t/.test(r)), 'narrowed to openai');
    assert.ok(openai.length < all.length);
    await page.getByLabel('Account').selectOption({ label: 'adm-other' });
    const other = await rowsWhen((rows) => rows.length === 2 && rows.every((r) => r.includes('adm-other')), 'narrowed to adm-other');
    assert.match(other.join('\n'), /denied[\s\S]*allowed/);
    await page.getByLabel('Account').selectOption('');
    await page.getByLabel('Principal').selectOption(callerObjectId);
    const mine = await rowsWhen((rows) => rows.length === 1, 'narrowed to the caller');
    assert.match(mine[0]!, new RegExp(`denied[\\s\\S]*adm-aoai[\\s\\S]*adm-caller \\(${callerObjectId}\\)`));
    await page.getByLabel('Principal').selectOption('');

    // Live: only denials of adm-other; open one, keep focus on it, and make a new denial while the page is open.
    await page.getByLabel('Decision').selectOption('denied');
    await page.getByLabel('Account').selectOption({ label: 'adm-other' });
    await rowsWhen((rows) => rows.length === 1, 'narrowed to the one denial');
    const summary = page.locator('table.audit tbody tr').first().locator('summary');
    await summary.click();
    const opened = page.locator('table.audit tbody tr details[open]');
    assert.match(await opened.innerText(), /Fix: /);
    const openedText = await opened.innerText();
    assert.equal((await dataPlane('adm-other', { 'api-key': 'another-wrong-key' })).status, 401);
    await rowsWhen((rows) => rows.length === 2, 'showed the new denial (auto-refresh)');
    assert.equal(await page.locator('table.audit tbody tr details[open]').count(), 1);
    assert.equal(await page.locator('table.audit tbody tr').nth(1).locator('details[open]').innerText(), openedText);
    assert.equal(await page.evaluate('document.activeElement?.tagName'), 'SUMMARY');
    await shot('portal-audit-filters');

    // Auto-refresh off: a new denial waits for the toggle.
    await page.getByLabel('Auto-refresh (every 5 s)').uncheck();
    assert.equal((await dataPlane('adm-other', { 'api-key': 'a-third-wrong-key' })).status, 401);
    await new Promise((r) => setTimeout(r, 6000));
    assert.equal(await page.locator('table.audit tbody tr').count(), 2);
    await page.getByLabel('Auto-refresh (every 5 s)').check();
    await rowsWhen((rows) => rows.length === 3, 'showed the third denial once auto-refresh is back on');
  });

  test('a narrow window: the pages still fit and their controls are reachable', async () => {
    await page.setViewportSize({ width: 420, height: 800 });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Posture' }).click();
    await page.getByRole('heading', { name: 'Posture', level: 1 }).waitFor();
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    await shot('portal-posture-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});

if (missing !== undefined) test(`the portal admin pages in chromium: skipped, ${missing}`, { skip: missing }, () => undefined);
