// End to end: no scenario file can run the world away. A file with an absurd queue policy or a
// time beyond the horizon is refused with the field and the bound; a file within every bound
// that would retry for a month stops at the budget, says so, and plays what ran; and a trap
// that bypasses Rust's panic hook still shows the readable notice, from the loader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { withApp, root } from './site.mjs';

const firstLetter = JSON.parse(readFileSync(path.join(root, 'static/scenarios/first-letter.json'), 'utf8'));

/** first-letter with `edit` applied to a copy of it. */
function scenario(edit) {
  const copy = structuredClone(firstLetter);
  copy.name = 'teachers-file';
  edit(copy);
  return JSON.stringify(copy);
}

/** A hundred letters to a host that is down for good, retried every minute for 30 days. */
const runaway = scenario((s) => {
  const send = s.actions[0].send;
  delete send.attachment;
  s.actions = Array.from({ length: 100 }, (_, i) => ({ at: i, send: { ...send, subject: `Message ${i}` } }));
  s.queue = { first_retry: 60, max_retry: 60, lifetime: 30 * 86400, delay_warning: null };
  s.faults = [{ kind: 'host-down', host: 'mx.southbay.test', from: 0 }];
});

const files = {
  // The file of the report: retries with no wait, for ten years, the MX down as long.
  'absurd-queue.json': scenario((s) => {
    s.queue = { first_retry: 0, max_retry: 0, lifetime: 10 * 365 * 86400 };
    s.faults = [{ kind: 'host-down', host: 'mx.southbay.test', from: 0, until: 10 * 365 * 86400 }];
  }),
  // The largest whole number JSON can carry into a u64 (a JavaScript number cannot hold it).
  'beyond-the-horizon.json': scenario((s) => {
    s.actions[1].at = 'MAX';
  }).replace('"MAX"', '18446744073709551615'),
  'runaway.json': runaway,
};

const app = withApp({ files });
const open = (address) => app.open(address);

test('an absurd queue policy is refused with the field and the bound, and nothing traps', async () => {
  const { page, errors, context } = await open('?scenario=absurd-queue.json');
  await page.waitForSelector('.broken-file');
  assert.match(
    await page.locator('.broken-file .errors').textContent(),
    /queue\.first_retry: 0 s is too short: a queue waits at least 60 s before trying again/,
  );
  assert.equal(await page.locator('#fatal-error').count(), 0);
  // The page still works: a preset plays.
  await page.locator('.preset[data-preset="server-down"]').click();
  await page.waitForFunction(() => document.querySelector('.preset.current')?.dataset.preset === 'server-down');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a time beyond any horizon is refused, not wrapped around', async () => {
  const { page, errors, context } = await open('?scenario=beyond-the-horizon.json');
  await page.waitForSelector('.broken-file');
  assert.match(
    await page.locator('.broken-file .errors').textContent(),
    /actions\[1\]\.at: 18446744073709551615 s is beyond the end of any scenario: times go up to 30 days \(2592000 s\)/,
  );
  assert.equal(await page.locator('#fatal-error').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a month of retries stops at the budget, says so, and plays what ran', async () => {
  const started = Date.now();
  const { page, errors, context } = await open('?scenario=runaway.json&step=end');
  await page.waitForSelector('.notice.halted', { timeout: 60000 });
  console.log(`  runaway file: stopped and drawn ${Date.now() - started} ms after the page was asked for`);
  assert.match(
    await page.locator('.notice.halted').textContent(),
    /^This scenario stopped early: it made more than 250,000 events, more than a browser tab can hold\./,
  );
  const [step, of] = (await page.locator('.step-count').textContent()).match(/Step (\d+) of (\d+)/).slice(1).map(Number);
  assert.equal(step, of);
  assert.ok(of > 100000, `${of} steps were played`);
  // The last step is the stop itself, in words, with what was left waiting.
  const said = await page.locator('.narration').textContent();
  assert.match(said, /The simulation stops here: this scenario made more than 250,000 events/);
  assert.match(said, /100 letters still waited in the queues/);
  assert.match(await page.locator('.stream-lines li.current').last().textContent(), /halt\s+the simulation stopped at its budget/);
  // Back to the start: the letters were really sent.
  await page.keyboard.press('Home');
  await page.waitForFunction(() => /^Step 1 of/.test(document.querySelector('.step-count').textContent));
  assert.equal(await page.locator('#fatal-error').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a WebAssembly trap that bypasses the panic hook still shows the readable notice', async () => {
  const { page, context } = await open('?scenario=first-letter');
  await page.waitForSelector('.step-count');
  // What a trap looks like from JavaScript: a RuntimeError thrown out of a wasm callback.
  await page.evaluate(() => setTimeout(() => { throw new WebAssembly.RuntimeError('unreachable'); }));
  await page.waitForSelector('#fatal-error[role="alert"]');
  const notice = await page.locator('#fatal-error').textContent();
  assert.match(notice, /Mailflow stopped because of an internal error\./);
  assert.match(notice, /RuntimeError: unreachable/);
  // A rejected promise nobody handled shows the same notice, once.
  await page.evaluate(() => { Promise.reject(new Error('lost')); });
  await page.waitForTimeout(200);
  assert.equal(await page.locator('#fatal-error').count(), 1);
  await context.close();
});
