// End to end: the release dist/ served from a sub-path and driven in headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist } from './serve.mjs';
import { launchChromium, started } from './browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BASE = '/course/net101/mailflow/';
const PRESET_TITLES = [
  'Alice writes to Bob', 'A letter next door', 'The receiving server is down', 'The backup MX steps in',
  'No such user', 'One address right, one wrong', 'One letter, many recipients', 'A full mailbox', 'No such domain, or DNS down',
  'A domain that takes no mail', 'A domain without MX', 'The server gives up', 'Who is sending?', 'Who lives here? Finding addresses',
  'An open relay', 'Signed and sealed: SPF, DKIM and DMARC', 'A forged letter from Alice', 'Forwarded: SPF breaks, DKIM survives',
  'Tampered on the way: a list adds a footer', 'POP3 or IMAP?', 'TLS from the first byte', 'Greylisted', 'Quiz: the journey',
];

let site, browser;

before(async () => {
  site = await serveDist({ dist: path.join(root, 'dist'), base: BASE });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await site?.close();
});

/** A page with the app loaded, and the errors it logged. */
async function openApp() {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(site.url);
  await started(page);
  await page.waitForSelector('.preset-list .preset');
  return { page, errors };
}

test('the app loads from a sub-path and lists the presets', async () => {
  const { page, errors } = await openApp();
  assert.deepEqual(await page.locator('.preset-title').allTextContents(), PRESET_TITLES);
  assert.equal(await page.locator('h1').textContent(), 'Mailflow');
  assert.equal(await page.locator('.preset.current .preset-name').textContent(), 'first-letter');
  assert.deepEqual(errors, []);
  await mkdir(path.join(root, 'target'), { recursive: true });
  await page.screenshot({ path: path.join(root, 'target', 'e2e-shell.png') });
  await page.close();
});

test('every request stays under the sub-path of the same host', async () => {
  const before = site.requests.length;
  const { page } = await openApp();
  await page.waitForLoadState('networkidle');
  const seen = site.requests.slice(before);
  assert.ok(seen.some((p) => p.endsWith('.wasm')), `the wasm was requested: ${seen}`);
  for (const p of seen) assert.ok(p.startsWith(BASE), `${p} is outside ${BASE}`);
  await page.close();
});

test('choosing a preset shows its summary and its hosts', async () => {
  const { page, errors } = await openApp();
  await page.click('[data-preset="server-down"]');
  await page.waitForSelector('.preset.current[data-preset="server-down"]');
  const summary = await page.locator('.scenario-summary').textContent();
  assert.match(summary, /switched off for 25 minutes/);
  assert.equal(await page.locator('[data-host="mx.southbay.test"] .host-label').textContent(), 'Southbay MX');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the preset files are served beside the app for teachers to copy', async () => {
  const res = await fetch(new URL('scenarios/first-letter.json', site.url));
  assert.equal(res.status, 200);
  const scenario = await res.json();
  assert.equal(scenario.name, 'first-letter');
  assert.equal(scenario.version, 1);
});

test('the command stream in the browser is the native engine trace, byte for byte', async () => {
  const { readFile } = await import('node:fs/promises');
  const { page, errors } = await openApp();
  for (const preset of ['first-letter', 'who-is-sending']) {
    await page.click(`[data-preset="${preset}"]`);
    await page.waitForSelector(`.preset.current[data-preset="${preset}"]`);
    const rows = await page.locator('.stream-lines .row').allTextContents();
    const golden = await readFile(path.join(root, 'tests', 'golden', `${preset}.txt`), 'utf8');
    assert.deepEqual(rows, golden.split('\n').slice(0, -1), preset);
  }
  assert.ok(await page.locator('.stream-lines .client').count() > 0);
  assert.deepEqual(errors, []);
  await page.close();
});
