// End to end: links a teacher shares. Parameters open a preset at a step, in a theme, as an
// embed; a scenario file on the same host or a scenario in the fragment loads; a bad one says
// what is wrong and the app still works; the share buttons give back a link that opens the
// same view, and the transcript saves as the engine's own text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import zlib from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist } from './serve.mjs';
import { launchChromium, started } from './browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let site, browser;
before(async () => {
  site = await serveDist({ dist: path.join(root, 'dist'), base: '/course/net101/mailflow/' });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

async function open(address) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(address.startsWith('http') ? address : site.url + address);
  await started(page);
  await page.waitForSelector('.app');
  return { page, errors, context };
}

const stepText = (page) => page.locator('.step-count').textContent();

test('an embed opens a preset at its end, in the dark theme, without the side panels', async () => {
  const { page, errors, context } = await open('?scenario=unknown-user&step=end&embed=1&theme=dark');
  await page.waitForSelector('.app.embed[data-theme="dark"]');
  assert.match(await stepText(page), /Step (\d+) of \1$/);
  assert.equal(await page.locator('.scenarios').isVisible(), false);
  assert.equal(await page.locator('.diagram-svg').isVisible(), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('view=diagram hides the stream; autoplay plays', async () => {
  const { page, context } = await open('?scenario=first-letter&view=diagram&autoplay=1&speed=8');
  assert.equal(await page.locator('.stream').isVisible(), false);
  await page.waitForFunction(() => !/^Step 1 of/.test(document.querySelector('.step-count').textContent));
  await context.close();
});

test('a scenario file on the same host loads; a missing one is reported and the app works', async () => {
  let { page, context } = await open('?scenario=scenarios/greylisted.json&step=end');
  await page.waitForFunction(() => document.querySelector('.scenario-summary')?.textContent.includes('greylists'));
  assert.match(await stepText(page), /Step (\d+) of \1$/);
  await context.close();
  ({ page, context } = await open('?scenario=no-such-file.json'));
  await page.waitForSelector('.broken-file');
  assert.match(await page.locator('.broken-file').textContent(), /no-such-file\.json: the server answered 404/);
  // Nothing else is played in its place; the list still works.
  assert.equal(await page.locator('.step-count').count(), 0);
  assert.equal(await page.locator('.preset.current').count(), 0);
  await page.locator('.preset[data-preset="same-domain"]').click();
  await page.waitForSelector('.step-count');
  await context.close();
});

test('a scenario carried in the fragment loads, and a damaged one is reported', async () => {
  const json = JSON.parse(await readFile(path.join(root, 'static/scenarios/same-domain.json'), 'utf8'));
  json.name = 'my-lesson';
  json.summary = 'A teacher\'s own world, carried in the link.';
  const data = zlib.deflateRawSync(Buffer.from(JSON.stringify(json))).toString('base64url');
  let { page, context } = await open(`?step=2#scenario=${data}`);
  await page.waitForFunction(() => document.querySelector('.scenario-summary')?.textContent.includes('carried in the link'));
  assert.match(await stepText(page), /^Step 2 of/);
  await context.close();
  ({ page, context } = await open('#scenario=not-a-scenario'));
  assert.match(await page.locator('.notice').textContent(), /#scenario: the scenario in the link is damaged/);
  await context.close();
});

test('copy link gives back the same view, and the transcript saves as the engine wrote it', async () => {
  const { page, context } = await open('?scenario=who-is-sending&step=7');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(site.url).origin });
  await page.click('summary:has-text("Share and save")');
  await page.click('button:has-text("Copy link")');
  await page.waitForSelector('.share-status');
  // Copied, or (where the browser refuses the clipboard) shown to copy by hand.
  const copied = (await page.locator('.share-text').count())
    ? await page.locator('.share-text').inputValue()
    : await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(new URL(copied).search, '?scenario=who-is-sending&step=7');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Save transcript")')]);
  assert.equal(download.suggestedFilename(), 'mailflow-who-is-sending.txt');
  const saved = await readFile(await download.path(), 'utf8');
  assert.equal(saved, await readFile(path.join(root, 'tests/golden/who-is-sending.txt'), 'utf8'));
  const [svg] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Save diagram")')]);
  const drawing = await readFile(await svg.path(), 'utf8');
  assert.match(drawing, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(drawing, /smtp\.northwind\.test/);
  await context.close();
});
