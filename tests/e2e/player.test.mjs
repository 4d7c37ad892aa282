// End to end: every preset plays to its end in the release build and reaches the state the
// lesson promises; stepping back undoes; the stream moves the cursor; the keyboard drives it
// all; links open a preset at a step; and axe-core finds no serious accessibility problem.
// Screenshots of each preset at a few steps are kept in target/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist } from './serve.mjs';
import { launchChromium, started } from './browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BASE = '/course/net101/mailflow/';
const shots = path.join(root, 'target', 'screenshots');

let site, browser;
before(async () => {
  site = await serveDist({ dist: path.join(root, 'dist'), base: BASE });
  browser = await launchChromium();
  await mkdir(shots, { recursive: true });
});
after(async () => {
  await browser?.close();
  await site?.close();
});

async function open(query = '') {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(site.url + query);
  await started(page);
  await page.waitForSelector('.diagram-svg');
  return { page, errors };
}

const attr = (page, selector, name) => page.locator(selector).first().getAttribute(name);
const count = (page, selector) => page.locator(selector).count();

// What each preset's end looks like on the diagram.
const FINAL = {
  'first-letter': async (p) => {
    assert.equal(await attr(p, '[data-host="mail.southbay.test"]', 'data-letters'), '1');
    assert.equal(await count(p, '[data-host="bob-laptop.southbay.test"] .letter.on-device'), 1);
  },
  'same-domain': async (p) => assert.equal(await attr(p, '[data-host="mail.northwind.test"]', 'data-letters'), '1'),
  'server-down': async (p) => assert.equal(await attr(p, '[data-host="mail.southbay.test"]', 'data-letters'), '1'),
  'backup-mx': async (p) => assert.equal(await attr(p, '[data-host="mail.southbay.test"]', 'data-letters'), '1'),
  'unknown-user': async (p) => {
    assert.equal(await count(p, '[data-host="mail.northwind.test"] .letter.notice'), 1, 'the bounce in Alice\'s mailbox');
    assert.equal(await count(p, '[data-host="alice-laptop.northwind.test"] .letter.notice.on-device'), 1);
  },
  'partial-failure': async (p) => {
    assert.equal(await attr(p, '[data-host="mail.southbay.test"]', 'data-letters'), '1', 'Bob\'s letter');
    assert.equal(await count(p, '[data-host="mail.northwind.test"] .letter.notice'), 1, 'the bounce naming robert');
  },
  'many-recipients': async (p) => {
    assert.equal(await attr(p, '[data-host="mail.southbay.test"]', 'data-letters'), '2', 'Bob\'s and Dave\'s copies');
    assert.equal(await attr(p, '[data-host="mail.northwind.test"]', 'data-letters'), '1', 'Carol\'s copy, delivered at home');
    assert.equal(await attr(p, '[data-host="mail.eastbay.test"]', 'data-letters'), '1', 'Erin\'s blind copy');
  },
  'mailbox-full': async (p) => {
    assert.equal(await attr(p, '[data-host="mail.southbay.test"]', 'data-letters'), '1', 'Bob\'s copy; Dave\'s was refused');
    assert.equal(await count(p, '[data-host="mail.northwind.test"] .letter.notice'), 1, 'the bounce for Dave in Alice\'s mailbox');
  },
  'no-such-domain': async (p) => {
    assert.equal(await count(p, '[data-host="mail.northwind.test"] .letter.notice'), 1, 'the bounce for the typo');
    assert.equal(await attr(p, '[data-host="mail.southbay.test"]', 'data-letters'), '1', 'the other letter, after the retry');
  },
  'null-mx': async (p) => assert.equal(await count(p, '[data-host="mail.northwind.test"] .letter.notice'), 1, 'the bounce, at once'),
  'no-mx': async (p) => assert.equal(await attr(p, '[data-host="mail.eastbay.test"]', 'data-letters'), '1', 'delivered through the implicit MX'),
  'gave-up': async (p) => {
    assert.equal(await count(p, '[data-host="mail.northwind.test"] .letter.notice'), 2, 'delay warning and bounce');
    assert.equal(await count(p, '[data-host="mail.southbay.test"]'), 0, 'never reached, so not drawn');
  },
  'who-is-sending': async (p) => {
    assert.equal(await count(p, '[data-host="alice-laptop.northwind.test"] .letter.not-sent'), 2);
    assert.equal(await count(p, '[data-host="relay.crossroads.test"] .letter.not-sent'), 1);
    assert.equal(await count(p, '.letter.queued, .letter.in-mailbox'), 0, 'nothing was accepted');
  },
  'who-lives-here': async (p) => {
    assert.equal(await count(p, '.letter.queued, .letter.in-mailbox, .letter.on-device'), 0, 'a probe carries no letter');
    assert.equal(await count(p, '[data-host="scanner.badlands.test"]'), 1, 'the scanner is on the diagram');
  },
  'open-relay': async (p) => {
    assert.equal(await attr(p, '[data-host="mail.eastbay.test"]', 'data-letters'), '1', 'the spam the open relay carried');
    assert.equal(await count(p, '[data-host="spam.badlands.test"] .letter.not-sent'), 1, 'refused once repaired');
  },
  'signed-and-sealed': async (p) => {
    assert.equal(await attr(p, '[data-host="mail.southbay.test"]', 'data-letters'), '1');
    assert.equal(await count(p, '[data-host="mx.southbay.test"] .check.pass'), 3, 'SPF, DKIM and DMARC ticked at the MX');
    assert.equal(await count(p, '[data-host="smtp.northwind.test"] .check.pass[data-result="signed"]'), 1, 'the signing office');
    // The letter tab: the MX's verdicts, and the signature explained tag by tag.
    await p.getByRole('tab', { name: 'The letter' }).click();
    assert.match(await p.locator('.authentication li').first().textContent(), /mx\.southbay\.test; spf=pass .* dkim=pass .* dmarc=pass \(p=reject dis=none\) header\.from=northwind\.test/);
    assert.deepEqual(await p.locator('.signature .tags dt').allTextContents(), ['v=', 'a=', 'c=', 'd=', 's=', 't=', 'h=', 'bh=', 'b=']);
    assert.match(await p.locator('.signature .tags dd').nth(7).textContent(), /body hash/);
    // The records the MX read, each piece by piece.
    assert.deepEqual(await p.locator('.records dt').allTextContents(),
      ['SPF · northwind.test', 'DKIM · mail._domainkey.northwind.test', 'DMARC · _dmarc.northwind.test']);
    assert.match(await p.locator('.records dd').first().textContent(), /-all: every other address fails/);
    await p.getByRole('tab', { name: 'What is happening' }).click();
  },
  spoofed: async (p) => {
    assert.equal(await count(p, '[data-host="mail.badlands.test"] .letter.not-sent'), 1, 'the forgery, refused');
    assert.equal(await attr(p, '[data-host="mail.southbay.test"]', 'data-letters'), '1', 'only Alice\'s real letter');
    assert.equal(await count(p, '[data-host="mx.southbay.test"] .check.pass'), 3, 'the last letter checked is the real one');
  },
  forwarded: async (p) => {
    assert.equal(await attr(p, '[data-host="mail.eastbay.test"]', 'data-letters'), '1');
    assert.equal(await count(p, '[data-host="mx.eastbay.test"] .check.fail[data-check="SPF"]'), 1, 'SPF broken by forwarding');
    assert.equal(await count(p, '[data-host="mx.eastbay.test"] .check.pass[data-check="DKIM"]'), 1, 'DKIM survives');
    assert.equal(await count(p, '[data-host="mx.eastbay.test"] .check.pass[data-check="DMARC"]'), 1);
  },
  tampered: async (p) => {
    assert.equal(await attr(p, '[data-host="mail.southbay.test"]', 'data-letters'), '1', 'in Bob\'s Junk folder');
    assert.equal(await count(p, '[data-host="mx.southbay.test"] .check.fail[data-check="DKIM"][data-result="fail"]'), 1, 'the body hash broke');
    assert.equal(await count(p, '[data-host="mx.southbay.test"] .check.fail[data-check="DMARC"]'), 1);
  },
  'implicit-tls': async (p) => {
    assert.equal(await attr(p, '[data-host="mail.southbay.test"]', 'data-letters'), '1', 'left on the server by both devices');
    assert.equal(await count(p, '[data-host="bob-phone.southbay.test"] .letter.on-device'), 1, 'read on 995');
  },
  'pop-vs-imap': async (p) => {
    assert.equal(await attr(p, '[data-host="mail.southbay.test"]', 'data-letters'), '1', 'one letter left on the server');
    assert.equal(await count(p, '[data-host="bob-phone.southbay.test"] .letter.on-device.seen.flagged'), 1, 'the phone shows the laptop\'s flags');
    assert.equal(await count(p, '[data-host="bob-laptop.southbay.test"] .letter.on-device'), 1);
  },
  greylisted: async (p) => assert.equal(await attr(p, '[data-host="mail.southbay.test"]', 'data-letters'), '1'),
  'quiz-journey': async (p) => {
    assert.equal(await attr(p, '[data-host="mail.southbay.test"]', 'data-letters'), '1');
    assert.match(await p.locator('.quiz-question').textContent(), /Linux/, 'the last question, answered, at the end');
    assert.match(await p.locator('.score h2').textContent(), /^Score: \d of 9 right\.$/);
  },
};

test('every preset plays to its end and reaches the state of its lesson', async () => {
  const { page, errors } = await open();
  const names = await page.locator('.preset').evaluateAll((els) => els.map((e) => e.dataset.preset));
  assert.deepEqual([...names].sort(), Object.keys(FINAL).sort());
  for (const name of names) {
    await page.click(`[data-preset="${name}"]`);
    await page.waitForSelector(`.preset.current[data-preset="${name}"]`);
    const total = Number((await page.locator('.step-count').textContent()).match(/of (\d+)/)[1]);
    for (const step of [Math.ceil(total / 3), Math.ceil((2 * total) / 3)]) {
      await page.locator('.scrubber').fill(String(step));
      await page.screenshot({ path: path.join(shots, `${name}-step-${step}.png`) });
    }
    // End stops at each question not answered yet (quiz-journey): answer it and go on.
    for (let asked = 0; asked < 20; asked += 1) {
      await page.keyboard.press('End');
      if (!(await page.locator('.quiz .choice:not([disabled])').count())) break;
      await page.locator('.quiz .choice').first().click();
    }
    assert.equal(await page.locator('.step-count').textContent(), `Step ${total} of ${total}`, name);
    await FINAL[name](page);
    await page.screenshot({ path: path.join(shots, `${name}-end.png`) });
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('playing moves the cursor, and stepping back restores the earlier state', async () => {
  const { page } = await open('?scenario=first-letter');
  await page.click('[aria-label="Play (Space)"]');
  await page.waitForFunction(() => /Step ([3-9]|\d\d)/.test(document.querySelector('.step-count').textContent));
  await page.keyboard.press('Space'); // pause
  await page.keyboard.press('End');
  assert.equal(await attr(page, '[data-host="mail.southbay.test"]', 'data-letters'), '1');
  const steps = Number((await page.locator('.step-count').textContent()).match(/of (\d+)/)[1]);
  // Back until the delivery is undone: the letter leaves Bob's mailbox again.
  let back = 0;
  while ((await attr(page, '[data-host="mail.southbay.test"]', 'data-letters')) === '1' && back < steps) {
    await page.keyboard.press('ArrowLeft');
    back += 1;
  }
  assert.ok(back > 1 && back < steps, `undone after ${back} steps back`);
  assert.equal(await count(page, '[data-host="mx.southbay.test"] .letter.queued'), 1, 'back in the MX queue');
  await page.close();
});

test('clicking a line of the stream moves the cursor there', async () => {
  const { page } = await open('?scenario=unknown-user');
  const row = page.locator('.stream-lines .row', { hasText: '550 5.1.1' }).first();
  await row.click();
  assert.equal(await row.getAttribute('aria-current'), 'step');
  assert.match(await page.locator('.explanation .stage').textContent(), /Journey step 5/);
  await page.close();
});

test('while playing, the stream draws the rows around the current one; paused, all of them', async () => {
  const { page, errors } = await open('?scenario=gave-up&step=600');
  const rows = () => page.locator('.stream-lines .row').count();
  assert.equal(await rows(), 1304, 'paused: the whole transcript');
  await page.click('button[aria-label^="Play"]');
  await page.waitForFunction(() => document.querySelectorAll('.stream-lines .row').length <= 200);
  assert.equal(await page.locator('.stream-lines .row.current').count() >= 1, true, 'the current row is among them');
  await page.click('button[aria-label^="Pause"]');
  await page.waitForFunction(() => document.querySelectorAll('.stream-lines .row').length === 1304);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the stream filters show one connection or one protocol, and all again', async () => {
  const { page, errors } = await open('?scenario=first-letter');
  const rows = () => page.locator('.stream-lines .row').allTextContents();
  const all = (await rows()).length;
  await page.locator('.stream-head label', { hasText: 'Connection' }).locator('select').selectOption('2');
  const second = await rows();
  assert.ok(second.length > 5 && second.length < all, `${second.length} of ${all}`);
  assert.ok(second.every((r) => / #2 /.test(r)), 'only connection #2');
  await page.locator('.stream-head label', { hasText: 'Connection' }).locator('select').selectOption('all');
  await page.locator('.stream-head label', { hasText: 'Protocol' }).locator('select').selectOption('dns');
  const dns = await rows();
  assert.ok(dns.length > 0 && dns.every((r) => / dns /.test(r)), dns.join('\n'));
  await page.locator('.stream-head label', { hasText: 'Protocol' }).locator('select').selectOption('all');
  assert.equal((await rows()).length, all);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link opens a preset at a step, and a bad one says what is wrong', async () => {
  let { page } = await open('?scenario=gave-up&step=end');
  assert.equal(await page.locator('.preset.current').getAttribute('data-preset'), 'gave-up');
  assert.match(await page.locator('.step-count').textContent(), /Step (\d+) of \1$/);
  await page.close();
  ({ page } = await open('?scenario=no-such-preset&step=zero'));
  const notice = await page.locator('.notice').textContent();
  assert.match(notice, /scenario: there is no preset named "no-such-preset"/);
  assert.match(notice, /step: this scenario has no checkpoint named "zero"/);
  assert.equal(await page.locator('.preset.current').getAttribute('data-preset'), 'first-letter');
  await page.close();
});

test('axe-core finds no serious or critical accessibility problem', async () => {
  const { page } = await open('?scenario=first-letter&step=40');
  // Evaluated, not added as a <script>: the page's CSP (index.html) refuses inline scripts.
  const { readFile } = await import('node:fs/promises');
  await page.evaluate(await readFile(path.join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));
  for (const tab of ['#tab-0', '#tab-1', '#tab-2']) {
    await page.click(tab);
    const result = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
    });
    const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad, [], `${tab}: ${JSON.stringify(bad, null, 1)}`);
  }
  await page.close();
});
