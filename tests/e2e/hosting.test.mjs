// End to end: Mailflow on plain static hosting. The release dist/ is served from a sub-path
// with a strict Content-Security-Policy header (the same policy index.html carries as a meta
// tag); the app must start with no violation, keep working offline after one load (service
// worker), run inside the example course page's iframe, and never ask anything of another host
// or of another path on this one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist } from './serve.mjs';
import { launchChromium, started } from './browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist');
const BASE = '/course/net101/mailflow/';
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

let site, browser;
before(async () => {
  site = await serveDist({ dist, base: BASE, headers: { 'content-security-policy': CSP } });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

/**
 * A fresh browser profile (its own service workers and caches) that records, across every
 * frame and navigation, CSP violations, console errors, uncaught errors and requests.
 */
async function newContext(on = browser) {
  const context = await on.newContext({ viewport: { width: 1366, height: 768 } });
  const seen = { violations: [], errors: [], requests: [] };
  await context.exposeBinding('__reportViolation', (_source, v) => seen.violations.push(v));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__reportViolation(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} in ${e.documentURI}`);
    });
  });
  context.on('request', (r) => seen.requests.push(r.url()));
  context.on('console', (m) => { if (m.type() === 'error') seen.errors.push(m.text()); });
  context.on('weberror', (e) => seen.errors.push(String(e.error())));
  return { context, seen };
}

/** Wait until the service worker controls `page`, i.e. the app shell is cached. */
async function untilOfflineReady(page) {
  await page.waitForFunction(() => navigator.serviceWorker?.controller?.state === 'activated', null, { timeout: 20000 });
}

const settle = (page) => page.waitForTimeout(300);

test('dist/ starts the app with no inline script and carries the policy itself', async () => {
  const html = await readFile(path.join(dist, 'index.html'), 'utf8');
  assert.ok(html.includes(CSP), 'index.html has the CSP meta tag');
  assert.match(html, /http-equiv="?Content-Security-Policy/i);
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  assert.ok(scripts.length > 0);
  for (const tag of scripts) assert.match(tag, /\ssrc=/, `an inline script: ${tag}`);
  assert.doesNotMatch(html, /\sstyle=/);
  const sw = await readFile(path.join(dist, 'sw.js'), 'utf8');
  assert.match(sw, /"version":"[0-9a-f]{16}"/, 'the build stamped sw.js with its version');
  for (const file of ['index.html', 'loader.js', 'mailflow.js', 'mailflow_bg.wasm', 'style.css', 'favicon.svg', 'scenarios/first-letter.json']) {
    assert.ok(sw.includes(`"${file}"`), `sw.js caches ${file}`);
  }
});

test('under the CSP header the app loads with no violation and lists the presets', async () => {
  const { context, seen } = await newContext();
  const page = await context.newPage();
  await page.goto(site.url);
  await started(page);
  await page.waitForSelector('.preset-list .preset');
  assert.ok(await page.locator('.preset-title').count() >= 9);
  // Exercise what draws: another preset at its end, then the lab.
  await page.click('[data-preset="server-down"]');
  await page.waitForSelector('.preset.current[data-preset="server-down"]');
  await page.keyboard.press('End');
  await page.goto(`${site.url}?scenario=pop-vs-imap&step=end&view=lab`);
  await started(page);
  await page.waitForSelector('.preset-list .preset');
  await settle(page);
  assert.deepEqual(seen.violations, []);
  assert.deepEqual(seen.errors, []);
  assert.equal(await page.locator('[style]').count(), 0, 'no element carries a style attribute');

  // The detector itself works: a style attribute is refused and reported (once per policy: the
  // header and the meta tag).
  await page.evaluate(() => document.body.append(Object.assign(document.createElement('div'), { id: 'probe' })));
  await page.evaluate(() => document.getElementById('probe').setAttribute('style', 'color: red'));
  await settle(page);
  assert.ok(seen.violations.length > 0, 'the probe was reported');
  for (const v of seen.violations) assert.match(v, /^style-src/);
  await context.close();
});

test('after one load the app works offline, with no request to the host', async () => {
  const { context, seen } = await newContext();
  const page = await context.newPage();
  await page.goto(site.url);
  await started(page);
  await page.waitForSelector('.preset-list .preset');
  await untilOfflineReady(page);

  await context.setOffline(true);
  const served = site.requests.length;
  await page.reload();
  await started(page);
  await page.waitForSelector('.preset-list .preset');
  await page.goto(`${site.url}?scenario=unknown-user&step=end`);
  await started(page);
  await page.waitForSelector('.preset.current[data-preset="unknown-user"]');
  assert.match(await page.locator('.step-count').textContent(), /Step (\d+) of \1$/);
  // The preset files too, for a teacher's `?scenario=scenarios/....json` link.
  const scenario = await page.evaluate(() => fetch('scenarios/greylisted.json').then((r) => r.json()));
  assert.equal(scenario.name, 'greylisted');
  assert.deepEqual(site.requests.slice(served), [], 'nothing reached the host while offline');
  assert.deepEqual(seen.violations, []);
  assert.deepEqual(seen.errors, []);
  await context.setOffline(false);
  await context.close();
});

test('the example course page shows the app in an 800×500 iframe', async () => {
  const { context, seen } = await newContext();
  const page = await context.newPage();
  await page.goto(`${site.url}course-example.html`);
  assert.match(await page.locator('h1').textContent(), /letter/);
  const iframe = page.locator('iframe#lesson');
  assert.equal(await iframe.getAttribute('width'), '800');
  assert.equal(await iframe.getAttribute('height'), '500');
  assert.match(await iframe.getAttribute('src'), /[?&]scenario=first-letter(&|$)/);
  assert.match(await iframe.getAttribute('src'), /[?&]embed=1(&|$)/);
  const box = await iframe.boundingBox();
  assert.ok(Math.abs(box.width - 800) <= 2 && Math.abs(box.height - 500) <= 2, JSON.stringify(box));

  const app = page.frameLocator('iframe#lesson');
  await app.locator('.app').waitFor();
  await app.locator('.step-count').waitFor();
  assert.match(await app.locator('.step-count').textContent(), /^Step 1 of \d+/);
  await app.locator('.diagram-svg').waitFor({ state: 'visible' });
  await settle(page);
  assert.deepEqual(seen.violations, []);
  assert.deepEqual(seen.errors, []);
  await context.close();
});

test('every request stays on the host, under the sub-path', async () => {
  // The course page too: no request for the host's /favicon.ico, say. A browser of its own,
  // so that nothing it would ask for is already in its memory from the tests above.
  const own = await launchChromium();
  const { context, seen } = await newContext(own);
  const served = site.requests.length;
  const page = await context.newPage();
  await page.goto(`${site.url}course-example.html`);
  await page.frameLocator('iframe#lesson').locator('.step-count').waitFor();
  await untilOfflineReady(page.frames().find((f) => f.url().includes('scenario=first-letter')));
  await page.goto(`${site.url}?scenario=scenarios/greylisted.json&step=end`);
  await started(page);
  await page.waitForSelector('.app');
  await page.waitForLoadState('networkidle');

  const here = new URL(site.url);
  assert.ok(seen.requests.some((u) => u.endsWith('.wasm')), 'the browser saw the wasm request');
  for (const u of seen.requests) {
    const url = new URL(u);
    assert.equal(url.origin, here.origin, `${u} leaves the host`);
    assert.ok(url.pathname.startsWith(BASE), `${u} is outside ${BASE}`);
  }
  const reached = site.requests.slice(served);
  assert.ok(reached.some((p) => p.endsWith('/sw.js')), `the service worker was fetched: ${reached}`);
  for (const p of reached) assert.ok(p.startsWith(BASE), `${p} is outside ${BASE}`);
  await own.close();
});

test('a new build, once published, replaces the cached one as a whole', async () => {
  // A copy of dist/ to publish a "new build" into: a changed page, and sw.js stamped anew.
  const copy = await mkdtemp(path.join(os.tmpdir(), 'mailflow-dist-'));
  await cp(dist, copy, { recursive: true });
  const host = await serveDist({ dist: copy, base: BASE, headers: { 'content-security-policy': CSP } });
  const { context, seen } = await newContext();
  try {
    const page = await context.newPage();
    await page.goto(host.url);
    await started(page);
    await page.waitForSelector('.preset-list .preset');
    await untilOfflineReady(page);
    const cachesNow = () => page.evaluate(() => caches.keys());
    const [old] = await cachesNow();

    const edit = async (file, change) => writeFile(path.join(copy, file), change(await readFile(path.join(copy, file), 'utf8')));
    // The page's description marks which index.html was served (the app sets the title itself).
    const described = () => page.evaluate(() => document.querySelector('meta[name="description"]').content);
    await edit('index.html', (html) => html.replace('content="See how email works:', 'content="The new build:'));
    await edit('sw.js', (sw) => sw.replace(/"version":"[0-9a-f]+"/, '"version":"0123456789abcdef"'));

    // Still the cached build at once; the new one arrives in the background...
    await page.reload();
    await started(page);
    await page.waitForSelector('.preset-list .preset');
    assert.match(await described(), /^See how email works:/);
    const next = old.replace(/\S+$/, '0123456789abcdef');
    for (let i = 0; i < 80 && String(await cachesNow()) !== next; i++) await page.waitForTimeout(250);
    assert.deepEqual(await cachesNow(), [next], 'one cache, the new build\'s');
    // ...and serves the next visit.
    await page.reload();
    await started(page);
    await page.waitForSelector('.preset-list .preset');
    assert.match(await described(), /^The new build:/);
    assert.deepEqual(seen.violations, []);
    assert.deepEqual(seen.errors, []);
  } finally {
    await context.close();
    await host.close();
    await rm(copy, { recursive: true, force: true });
  }
});
