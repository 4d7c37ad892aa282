// End to end: the lab. A student types a whole SMTP session into the relay port, watches the
// letter arrive in Bob's mailbox, then fetches it over POP3 and IMAP in the terminal; bad input
// gets a real server's reply; faults and the compose form change what happens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
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

async function openLab() {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(site.url);
  await started(page);
  await page.click('button.mode:has-text("Try it yourself")');
  await page.waitForSelector('.lab');
  return { page, errors };
}

async function connect(page, label) {
  await page.locator('.connect select').selectOption({ label });
  await page.click('.connect button');
  // Terminals are listed newest first.
  return page.locator('.terminal').first();
}

async function type(terminal, lines) {
  const input = terminal.locator('input');
  for (const line of lines) {
    await input.fill(line);
    await input.press('Enter');
  }
}

const answers = (terminal) => terminal.locator('.answer').allTextContents();

test('a typed SMTP session delivers a letter that POP3 and IMAP then fetch', async () => {
  const { page, errors } = await openLab();
  const smtp = await connect(page, 'SMTP relay, port 25');
  await type(smtp, ['EHLO student.example', 'MAIL FROM:<student@example.test>', 'RCPT TO:<bob@southbay.test>',
    'DATA', 'Subject: typed by hand', '', 'Hello Bob, from the lab.', '.', 'QUIT']);
  const said = await answers(smtp);
  assert.ok(said.some((l) => l.includes('250 2.0.0 Ok: queued as')), said.join('\n'));
  assert.ok(said.at(-1).includes('221 2.0.0 Bye'));
  await page.waitForSelector('[data-host="mail.southbay.test"][data-letters="1"]', { timeout: 5000 });

  const pop = await connect(page, 'POP3, port 110');
  await type(pop, ['STLS', 'USER bob@southbay.test', 'PASS builder', 'STAT', 'RETR 1', 'QUIT']);
  const popSaid = (await answers(pop)).join('\n');
  assert.match(popSaid, /\+OK 1 \d+/);
  assert.match(popSaid, /Hello Bob, from the lab\./);

  const imap = await connect(page, 'IMAP, port 143');
  await type(imap, ['a STARTTLS', 'b LOGIN bob@southbay.test builder', 'c SELECT INBOX', 'd FETCH 1 BODY[TEXT]', 'e LOGOUT']);
  const imapSaid = (await answers(imap)).join('\n');
  assert.match(imapSaid, /\* 1 EXISTS/);
  assert.match(imapSaid, /Hello Bob, from the lab\./);
  assert.deepEqual(errors, []);
  await page.close();
});

test('bad input gets the reply a real server gives, and the terminal explains it', async () => {
  const { page, errors } = await openLab();
  const smtp = await connect(page, 'Submission, port 587');
  await type(smtp, ['DATA', 'x'.repeat(600), 'EHLO me', 'MAIL FROM:<alice@northwind.test>']);
  const said = await answers(smtp);
  assert.match(said[1], /^S:503 5\.5\.1/);
  assert.match(said[2], /^S:500 5\.5\.2/);
  assert.match(said.at(-1), /^S:530 5\.7\.0/, 'submission wants a login first');
  await smtp.locator('button:has-text("Explain the last reply")').click();
  assert.match(await smtp.locator('.reply-explained').textContent(), /log in/i);
  // The hint is what the server wants now: TLS before any password, never AUTH in clear.
  assert.match(await smtp.locator('.hint').textContent(), /^Next: STARTTLS — /);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a switched-off MX makes a composed letter wait, and skipping ahead delivers it', async () => {
  const { page } = await openLab();
  await page.locator('.faults label', { hasText: 'mx.southbay.test is switched off' }).locator('input').check();
  await page.click('.compose button[type=submit]');
  await page.waitForSelector('[data-host="smtp.northwind.test"][data-queued="1"]', { timeout: 40000 });
  await page.locator('.faults label', { hasText: 'mx.southbay.test is switched off' }).locator('input').uncheck();
  // The letter waits for its retry: skip ahead until it is delivered. Between skips, wait for
  // either the delivery or something new to skip to.
  const delivered = '[data-host="mail.southbay.test"][data-letters="1"]';
  for (let i = 0; i < 20 && !(await page.locator(delivered).count()); i += 1) {
    await page.waitForFunction(
      (sel) => document.querySelector(sel) || !document.querySelector('.faults button').disabled,
      delivered,
    );
    if (await page.locator(delivered).count()) break;
    await page.locator('.faults button').click({ timeout: 2000 }).catch(() => {});
  }
  await page.waitForSelector(delivered, { timeout: 5000 });
  // The session saves as a scenario: the letter sent and the outage, at their times.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Save this world")')]);
  const saved = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(saved.version, 1);
  assert.equal(saved.actions.length, 1);
  assert.equal(saved.actions[0].send.to[0], 'bob@southbay.test');
  assert.deepEqual(saved.faults.map((f) => [f.kind, f.host]), [['host-down', 'mx.southbay.test']]);
  await page.close();
});

test('the lab reproduces the new lessons: VRFY on port 25, a Bcc, the TLS ports', async () => {
  const { page, errors } = await openLab();
  // The terminal list has all seven ports; on 995 the password goes at once, inside TLS.
  const labels = await page.locator('.connect select option').allTextContents();
  for (const port of ['25', '587', '465', '110', '995', '143', '993']) {
    assert.ok(labels.some((l) => l.endsWith(`port ${port}`)), `${port} in ${labels}`);
  }
  const pop3s = await connect(page, 'POP3 inside TLS, port 995');
  await type(pop3s, ['USER bob@southbay.test', 'PASS builder', 'QUIT']);
  const popped = await answers(pop3s);
  assert.ok(popped.some((l) => l.includes('+OK Logged in')), popped.join('\n'));

  // VRFY is refused, then answered once the switch turns it on (for the next session).
  let smtp = await connect(page, 'SMTP relay, port 25');
  await type(smtp, ['VRFY bob@southbay.test']);
  assert.ok((await answers(smtp)).at(-1).endsWith('502 5.5.1 VRFY command is disabled'));
  await page.locator('.faults label', { hasText: 'answers VRFY' }).locator('input').check();
  smtp = await connect(page, 'SMTP relay, port 25');
  await type(smtp, ['VRFY bob@southbay.test', 'QUIT']);
  assert.ok((await answers(smtp)).some((l) => l.endsWith('252 2.0.0 bob@southbay.test')));

  // A blind copy from the compose form reaches its recipient.
  await page.locator('.compose label', { hasText: 'Bcc' }).locator('input').fill('carol@northwind.test');
  await page.click('.compose button[type=submit]');
  // Carol's copy arrives (that no header names her is checked natively, tests/world.rs).
  await page.waitForSelector('[data-host="mail.northwind.test"][data-letters="1"]', { timeout: 5000 });
  assert.deepEqual(errors, []);
});

test('in the lab, a forgery from a stranger\'s server gets through until the records and the checks are on', async () => {
  const { page, errors } = await openLab();
  const device = page.locator('.compose select');
  await device.selectOption('mail.badlands.test');
  // The stranger writes as anyone: the From field appears, Alice's address by default.
  assert.equal(await page.locator('.compose label', { hasText: 'As (From)' }).locator('input').inputValue(), 'alice@northwind.test');
  await page.locator('.compose label', { hasText: 'Subject' }).locator('input').fill('New bank details');
  await page.click('.compose button[type=submit]');
  await page.waitForSelector('[data-host="mail.southbay.test"][data-letters="1"]', { timeout: 5000 });

  // Publish the records, let the MX check, and forge again: refused, and marked at the MX.
  for (const text of ['signs northwind.test', 'publishes SPF', 'publishes DMARC: p=reject', 'checks SPF, DKIM and DMARC']) {
    await page.locator('.faults label', { hasText: text }).locator('input').check();
  }
  await page.click('.compose button[type=submit]');
  await page.waitForSelector('[data-host="mx.southbay.test"] .check.fail[data-check="DMARC"]', { timeout: 5000 });
  assert.equal(await page.locator('[data-host="mail.southbay.test"]').first().getAttribute('data-letters'), '1', 'the forgery did not arrive');
  assert.equal(await page.locator('[data-host="mx.southbay.test"] .check.fail[data-check="SPF"]').count(), 1);
  assert.deepEqual(errors, []);
});
