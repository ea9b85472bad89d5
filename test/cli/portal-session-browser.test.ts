import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { runCli, startKeyless, type KeylessProcess } from '../fixtures/server.js';
import { cliJson } from '../fixtures/cli-thread.js';
import { browserMissing, openPortalPage } from '../fixtures/browser.js';
import { signInPortal } from '../fixtures/portal-pages.js';
import { request } from '../fixtures/http.js';

/**
 * The portal's session and reach in a real browser (Debian's chromium through playwright-core): the token renewed
 * before it expires (the page's and Keyless's clocks moved on), nothing kept in the browser's storage, a second tab not signed in, the
 * keyboard's first stop and a visible focus, a narrow window, and the Keys blade of an account that refuses keys.
 */
const missing = browserMissing();
const LIFETIME_S = 60;
let keyless: KeylessProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const json = cliJson(() => keyless.dataDir);
const accountPath = (sub: string, name: string) => `/subscriptions/${sub}/resourceGroups/session-rg/providers/Microsoft.CognitiveServices/accounts/${name}`;

const signIn = (target: Page) => signInPortal(target, keyless.dataDir);

async function clock(...args: string[]): Promise<void> {
  const run = await runCli(keyless.dataDir, ['clock', ...args]);
  assert.equal(run.code, 0, run.stderr);
}

async function waitFor(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(done(), `no ${what} within 5 s`);
}

/** The grant types of the token requests the page sends from now on. */
function tokenGrants(target: Page): string[] {
  const grants: string[] = [];
  target.on('request', (req) => {
    if (req.method() === 'POST' && /\/oauth2\/v2\.0\/token$/.test(new URL(req.url()).pathname)) {
      grants.push(new URLSearchParams(req.postData() ?? '').get('grant_type') ?? '');
    }
  });
  return grants;
}

describe('the portal session in chromium', { skip: missing }, () => {
  before(async () => {
    keyless = await startKeyless({ args: ['--app-token-lifetime', String(LIFETIME_S), '--clock', 'controllable'] });
    await json('group', 'create', '-n', 'session-rg', '-l', 'eastus');
    await json('openai', 'create', '-g', 'session-rg', '-n', 'keyed-aoai');
    await json('openai', 'create', '-g', 'session-rg', '-n', 'entra-only-aoai', '--disable-local-auth', 'true');
    ({ browser, context, page } = await openPortalPage());
  });
  after(async () => {
    await browser?.close();
    await keyless?.stop();
  });

  test('the token is renewed before it expires (a refresh_token grant at 80 % of its life), and calls go on with the new one', async () => {
    // The page's timers run on playwright's clock and Keyless's on its controllable clock: both are moved, not waited for.
    await page.clock.install();
    const grants = tokenGrants(page);
    const bearers: string[] = [];
    page.on('request', (req) => {
      const auth = req.headers()['authorization'];
      if (auth?.startsWith('Bearer ') && !bearers.includes(auth)) bearers.push(auth);
    });
    await signIn(page);
    assert.deepEqual(grants, ['authorization_code']);
    // The page's first API calls may still be on their way when the heading shows.
    await waitFor(() => bearers.length > 0, 'API call with a bearer token');
    const first = bearers[0] as string;
    await clock('advance', '45s');
    await page.clock.fastForward((LIFETIME_S * 0.8 + 1) * 1000);
    await waitFor(() => grants.includes('refresh_token'), 'a refresh_token grant');
    // Past the first token's expiry and the 5 minutes of skew Keyless allows, as Azure does (Keyless time +380 s);
    // the renewed one, issued at +45 s, is good until +405 s.
    await clock('advance', '335s');
    const expired = await request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}/subscriptions?api-version=2022-12-01`, { headers: { authorization: first } });
    assert.equal(expired.status, 401, 'the first token has expired');
    const unauthorized: string[] = [];
    page.on('response', (res) => {
      if (res.status() === 401) unauthorized.push(res.url());
    });
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('link', { name: 'Resource groups' }).click();
    await page.getByRole('heading', { name: 'session-rg' }).waitFor();
    assert.deepEqual(unauthorized, [], 'every call went out with a live token');
    assert.ok(bearers.length >= 2 && bearers.at(-1) !== first, 'the calls use the renewed token');
  });

  test("nothing is kept in the browser's storage, and another tab is not signed in", async () => {
    const stored = await page.evaluate('({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie })');
    assert.deepEqual(stored, { local: 0, session: 0, cookie: '' });
    assert.deepEqual(await context.cookies(), []);
    const other = await context.newPage();
    await other.goto(page.url());
    await other.getByRole('heading', { name: 'Sign in to Keyless' }).waitFor();
    await other.close();
  });

  test('the keyboard: the first Tab stop is the skip link, focus is visible, and Enter moves focus to the content', async () => {
    // A fresh tab, signed in, where nothing has had focus yet.
    await page.close();
    page = await context.newPage();
    await signIn(page);
    await page.keyboard.press('Tab');
    // In the page (strings: these tests compile without the DOM's types).
    const focused = (await page.evaluate(`(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return { text: el.textContent, outline: style.outlineStyle, width: parseFloat(style.outlineWidth), top: el.getBoundingClientRect().top };
    })()`)) as { text: string | null; outline: string; width: number; top: number };
    assert.equal(focused.text?.trim(), 'Skip to content');
    assert.notEqual(focused.outline, 'none');
    assert.ok(focused.width >= 2, `outline ${focused.width}px`);
    assert.ok(focused.top >= 0, 'the focused skip link is on screen');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate('document.activeElement.id'), 'main');
    // Onwards, every control reached by Tab is one a label or its text names.
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const name = (await page.evaluate(`(() => {
        const el = document.activeElement;
        const labelled = el.id === '' ? null : document.querySelector('label[for="' + el.id + '"]');
        return (el.getAttribute('aria-label') ?? labelled?.textContent ?? el.closest('label')?.textContent ?? el.textContent ?? '').trim();
      })()`)) as string;
      assert.notEqual(name, '', `Tab stop ${i + 1} has no accessible name`);
    }
  });

  test('a narrow window (390×844): the navigation and the resource table fit without sideways scrolling of the page', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).waitFor();
    await page.getByRole('heading', { name: 'session-rg' }).waitFor();
    const widths = (await page.evaluate('({ page: document.documentElement.scrollWidth, view: window.innerWidth })')) as { page: number; view: number };
    assert.ok(widths.page <= widths.view, `page ${widths.page}px wide in a ${widths.view}px window`);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  test('the Keys blade of an account with disableLocalAuth says why keys are unavailable, and shows none', async () => {
    const sub = keyless.info.subscriptionId;
    await page.goto(`${keyless.info.baseUrl}/portal/#/resource${accountPath(sub, 'entra-only-aoai')}?tab=keys`);
    await page.getByText('Keys are unavailable.').waitFor();
    assert.match(await page.locator('main').innerText(), /Local authentication is disabled for this resource \(disableLocalAuth is on\)/);
    assert.equal(await page.locator('code[data-key]').count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Regenerate/ }).count(), 0);
    // The same blade of an account that takes keys offers them.
    await page.goto(`${keyless.info.baseUrl}/portal/#/resource${accountPath(sub, 'keyed-aoai')}?tab=keys`);
    await page.getByRole('button', { name: 'Show keys' }).waitFor();
  });
});

if (missing !== undefined) test(`the portal session in chromium: skipped, ${missing}`, { skip: missing }, () => undefined);
