// The page as it opens is rendered at build time into dist/index.html (mailflow-prerender):
// the first journey is on screen before the WebAssembly arrives, and without JavaScript. The
// app then hydrates it when the address asks for exactly that view, and replaces it with what
// the address asks for otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from './site.mjs';
import { started } from './browser.mjs';

const app = withApp();

/** The page's shape: every element under the app's div with its classes and own text, in order.
 * Links and the values of fields are left out (they name the page's own address). */
const shape = () => {
  const out = [];
  const walk = (el, depth) => {
    const text = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent.trim()).filter(Boolean).join(' ');
    out.push(`${'  '.repeat(depth)}${el.localName}${el.classList.length ? '.' + [...el.classList].sort().join('.') : ''}${text ? ` "${text}"` : ''}`);
    for (const child of el.children) walk(child, depth + 1);
  };
  for (const child of document.getElementById('mailflow').children) walk(child, 0);
  return out.join('\n');
};

async function page(address, { javaScript = true } = {}) {
  const context = await app.browser.newContext({ viewport: { width: 1366, height: 768 }, javaScriptEnabled: javaScript });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  // The app's element as the HTML made it, before any script of the page runs.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      const first = document.querySelector('#mailflow .app');
      if (first) { window.prerendered = first; observer.disconnect(); }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(app.site.url + address);
  return { page, errors, close: () => context.close() };
}

test('with JavaScript off, the page shows the first journey at its first step', async () => {
  const { page: p, close } = await page('', { javaScript: false });
  assert.ok(await p.locator('section.diagram svg.diagram-svg').isVisible(), 'the diagram is drawn');
  assert.match(await p.locator('.diagram-svg').getAttribute('aria-label'), /\S/, 'and described in words');
  assert.match(await p.locator('.step-count').textContent(), /^Step 1 of \d+$/);
  assert.equal(await p.locator('.preset.current').getAttribute('data-preset'), 'first-letter');
  assert.ok(await p.locator('.stream .row').count() > 0, 'the command stream is there');
  // What a browser without scripts shows above it (Chromium's emulation of "no JavaScript"
  // still parses <noscript> as text, so its content is read rather than seen).
  assert.match(await p.locator('body > noscript').innerHTML(), /class="?notice"?>[^<]*needs JavaScript and WebAssembly/);
  await close();
});

test('with JavaScript on, the app takes over the drawn page and plays it', async () => {
  const { page: p, errors, close } = await page('');
  await started(p);
  assert.equal(await p.evaluate(() => document.querySelectorAll('.app').length), 1);
  assert.ok(await p.evaluate(() => window.prerendered === document.querySelector('.app')), 'the prerendered elements are kept (hydrated)');
  assert.equal(await p.evaluate(() => document.getElementById('mailflow').hasAttribute('data-prerendered')), true);
  await p.click('button[aria-label^="Next step"]');
  assert.match(await p.locator('.step-count').textContent(), /^Step 2 of \d+$/);
  await p.click('.preset[data-preset="server-down"]');
  await p.waitForSelector('.preset.current[data-preset="server-down"]');
  assert.deepEqual(errors, []);
  await close();
});

test('the hydrated page is the page a fresh render of the same view makes', async () => {
  const prerendered = await page('', { javaScript: false });
  const hydrated = await page('');
  await started(hydrated.page);
  // A preset named in the address: not the prerendered view, so rendered afresh, at the same step.
  const fresh = await page('?scenario=first-letter');
  await started(fresh.page);
  await fresh.page.waitForSelector('.step-count');
  assert.equal(await fresh.page.evaluate(() => window.prerendered === document.querySelector('.app')), false, 'replaced');
  const [a, b, c] = await Promise.all([prerendered, hydrated, fresh].map((x) => x.page.evaluate(shape)));
  assert.ok(a.split('\n').length > 300, `the whole page is compared (${a.split('\n').length} elements)`);
  assert.equal(b, c, 'hydrated = rendered afresh');
  assert.equal(a, b, 'prerendered = hydrated');
  for (const x of [prerendered, hydrated, fresh]) await x.close();
});

test('a link with parameters shows what it asks for, not the prerendered page', async () => {
  for (const [address, check] of [
    ['?scenario=server-down&step=3', async (p) => {
      assert.equal(await p.locator('.preset.current').getAttribute('data-preset'), 'server-down');
      assert.match(await p.locator('.step-count').textContent(), /^Step 3 of \d+$/);
    }],
    ['?theme=dark&embed=1', async (p) => {
      assert.equal(await p.locator('.app.embed[data-theme="dark"]').count(), 1);
    }],
    ['?view=lab', async (p) => {
      await p.waitForSelector('.lab');
    }],
  ]) {
    const { page: p, errors, close } = await page(address);
    await started(p);
    await p.waitForSelector('.step-count, .lab');
    assert.equal(await p.evaluate(() => document.querySelectorAll('.app').length), 1, address);
    assert.equal(await p.evaluate(() => window.prerendered === document.querySelector('.app')), false, `${address}: replaced`);
    await check(p);
    assert.deepEqual(errors, [], address);
    await close();
  }
});
