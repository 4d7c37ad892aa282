// End to end: a teacher's own scenario file. A file with several mistakes shows every one of
// them, each with its field, and no other lesson in its place; a checkpoint that never happens
// is one of those mistakes; a good file is listed and titled by its own title, and a link's
// parameters (autoplay, step) work for it as for a preset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { withApp, root } from './site.mjs';
import { started } from './browser.mjs';

const firstLetter = JSON.parse(readFileSync(path.join(root, 'static/scenarios/first-letter.json'), 'utf8'));

function scenario(edit) {
  const copy = structuredClone(firstLetter);
  copy.name = 'my-lesson';
  copy.title = 'Our school mail server';
  copy.summary = 'A letter from the office to the head teacher.';
  edit(copy);
  return JSON.stringify(copy, null, 2);
}

const files = {
  'three-mistakes.json': scenario((s) => {
    s.hosts[0].adress = s.hosts[0].address;
    delete s.hosts[0].address;
    s.faults = [{ kind: 'host-down', host: 'mx.southbay.test', from: 'ten' }];
    s.actions[0].send.auth = 'yes';
  }),
  'never-bounces.json': scenario((s) => {
    s.checkpoints = [{ name: 'the-bounce', when: 'bounced' }];
  }),
  'my-lesson.json': scenario(() => {}),
};

const app = withApp({ files });
const open = (address) => app.open(address);

test('a file with several mistakes shows them all, each with its field, and nothing else', async () => {
  const { page, errors, context } = await open('?scenario=three-mistakes.json');
  await page.waitForSelector('.broken-file');
  assert.equal(await page.locator('.broken-file h2').textContent(), 'This scenario file cannot be played: 3 things to fix');
  const listed = await page.locator('.broken-file .errors li').allTextContents();
  // In the order of the file (its faults come last: the edit added them).
  assert.deepEqual(listed.map((l) => l.replace(/ \(line \d+, column \d+\)$/, '')), [
    'hosts[0].adress: there is no field "adress" here; the fields are: name, address, label, services, domains, mailbox_host, device_of, submits_to, smtpd, dkim, checks, aliases, lists',
    'actions[0].send.auth: the text "yes" is not true or false',
    'faults[0].from: the text "ten" is not a whole number of seconds',
  ]);
  assert.ok(listed.every((l) => / \(line \d+, column \d+\)$/.test(l)), 'each says where');
  // No other lesson plays in its place.
  assert.equal(await page.locator('.step-count').count(), 0);
  assert.equal(await page.locator('.diagram-svg').count(), 0);
  assert.equal(await page.locator('.preset.current').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a checkpoint that never happens is an error of the file', async () => {
  const { page, context } = await open('?scenario=never-bounces.json&step=the-bounce');
  await page.waitForSelector('.broken-file');
  assert.match(
    await page.locator('.broken-file .errors').textContent(),
    /checkpoints\[0\]\.when: "bounced" does not happen when this scenario runs, so "the-bounce" would open nowhere/,
  );
  assert.equal(await page.locator('.step-count').count(), 0);
  await context.close();
});

test('a good file is listed and titled by its own title, and autoplay plays it', async () => {
  const { page, errors, context } = await open('?scenario=my-lesson.json&autoplay=1&speed=8');
  await page.waitForSelector('.step-count');
  const current = page.locator('.preset.current');
  assert.equal(await current.getAttribute('data-preset'), 'my-lesson');
  assert.equal(await current.locator('.preset-title').textContent(), 'Our school mail server');
  assert.equal(await page.locator('.preset').first().getAttribute('data-preset'), 'my-lesson');
  assert.equal(await page.title(), 'Our school mail server · Mailflow');
  assert.equal(await page.locator('.scenario-summary').textContent(), 'A letter from the office to the head teacher.');
  await page.waitForFunction(() => !/^Step 1 of/.test(document.querySelector('.step-count').textContent));
  // Its own entry is the lesson already open: clicking it changes nothing.
  await current.click();
  assert.equal(await page.locator('.preset.current').getAttribute('data-preset'), 'my-lesson');
  // A preset is titled as well.
  await page.locator('.preset[data-preset="same-domain"]').click();
  await page.waitForFunction(() => document.title.endsWith(' · Mailflow') && !document.title.startsWith('Our school'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('the copied link and iframe code carry every parameter the teacher set', async () => {
  const asked = '?scenario=my-lesson.json&step=3&speed=4&view=diagram&theme=dark';
  const { page, context } = await open(asked);
  await page.waitForSelector('.step-count');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.site.url).origin });
  const copy = async (button) => {
    await page.locator('details.share').evaluate((d) => { d.open = true; });
    await page.click(`button:has-text("${button}")`);
    await page.waitForSelector('.share-status');
    return (await page.locator('.share-text').count())
      ? page.locator('.share-text').inputValue()
      : page.evaluate(() => navigator.clipboard.readText());
  };
  const link = new URL(await copy('Copy link'));
  assert.equal(link.search, asked);
  // The iframe's address, read as a browser reads the attribute.
  const code = await copy('Copy iframe code');
  const src = await page.evaluate((html) => {
    const t = document.createElement('template');
    t.innerHTML = html;
    return t.content.querySelector('iframe').getAttribute('src');
  }, code);
  assert.equal(new URL(src).search, `${asked}&embed=1`.replace('&theme=dark&embed=1', '&embed=1&theme=dark'));
  await context.close();
  // The code opens the same view, embedded.
  const framed = await app.browser.newContext({ viewport: { width: 800, height: 500 } });
  const inside = await framed.newPage();
  await inside.goto(src);
  await inside.waitForSelector('.app.embed.view-diagram[data-theme="dark"]');
  assert.match(await inside.locator('.step-count').textContent(), /^Step 3 of/);
  await framed.close();
});

/** How many pages a PDF has (each page object says `/Type /Page`). */
const pages = (pdf) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;

test('a step prints on one A4 page: the title, the diagram, what is happening, its lines', async () => {
  const { page, context } = await open('?scenario=first-letter&step=40&theme=dark');
  await page.waitForSelector('.step-count');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.print-heading .print-title').textContent(), 'Alice writes to Bob');
  assert.match(await page.locator('.print-heading p:not(.print-title)').textContent(), /^Step 40 of \d+ · \d\d:\d\d:\d\d\.\d{3}$/);
  assert.equal(await page.locator('.controls').isVisible(), false);
  assert.equal(await page.locator('.diagram-svg').isVisible(), true);
  assert.equal(await page.locator('.narration').isVisible(), true);
  // Of the stream, the step's own lines only.
  const shown = await page.locator('.stream-lines li:visible').count();
  assert.equal(shown, await page.locator('.stream-lines li.current').count());
  assert.ok(shown >= 1);
  const pdf = await page.pdf({ format: 'A4', printBackground: false });
  assert.equal(pages(pdf), 1, 'one A4 page');
  await page.screenshot({ path: path.join(root, 'target/print-step.png'), fullPage: true });
  await context.close();
});

test('a preset with questions prints a worksheet: each question, its choices, room to answer', async () => {
  const { page, context } = await open('?scenario=quiz-journey');
  await page.waitForSelector('.step-count');
  await page.locator('details.share').evaluate((d) => { d.open = true; });
  const href = await page.locator('a:has-text("Worksheet to print")').getAttribute('href');
  assert.match(href, /\?scenario=quiz-journey&step=1&view=worksheet$/);
  await page.goto(href);
  await started(page);
  await page.waitForSelector('.worksheet');
  assert.equal(await page.locator('.worksheet h1').textContent(), 'Quiz: the journey');
  const questions = page.locator('.worksheet-questions > li');
  assert.equal(await questions.count(), 9);
  assert.ok((await questions.first().locator('.worksheet-choices li').count()) >= 2);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('button:has-text("Print this worksheet")').isVisible(), false);
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pages(pdf) >= 1 && pages(pdf) <= 3, `${pages(pdf)} pages`);
  await context.close();
});
