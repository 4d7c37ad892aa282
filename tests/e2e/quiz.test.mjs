// End to end: the quiz-journey preset. A link opens it at a checkpoint by name; a question
// waits there, the engine knows the right answer, and playing on stops at the next question.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist } from './serve.mjs';
import { launchChromium } from './browser.mjs';

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

test('a checkpoint by name asks its question, and playing on stops at the next', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${site.url}?scenario=quiz-journey&step=waiting`);
  await page.waitForSelector('.quiz');
  assert.match(await page.locator('.quiz-question').textContent(), /Where does the letter wait now/);
  // The letter is in the sending server's queue: the engine says so, whatever is picked.
  await page.click('.choice:has-text("mx.southbay.test")');
  assert.match(await page.locator('.quiz-verdict').textContent(), /Not quite/);
  assert.match(await page.locator('.choice.right').textContent(), /smtp\.northwind\.test, in its SMTP queue/);
  await page.click('button:has-text("Play on")');
  await page.waitForFunction(() => /On which port/.test(document.querySelector('.quiz-question')?.textContent ?? ''), null, { timeout: 60000 });
  await page.click('.choice:has-text("25")');
  assert.match(await page.locator('.quiz-verdict').textContent(), /^Right\./);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a checkpoint the scenario lacks is reported', async () => {
  const page = await browser.newPage();
  await page.goto(`${site.url}?scenario=first-letter&step=no-such-checkpoint`);
  await page.waitForSelector('.notice');
  assert.match(await page.locator('.notice').textContent(), /no checkpoint named "no-such-checkpoint"/);
  await page.close();
});
