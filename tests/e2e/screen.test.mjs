// One screen that teaches: on every preset, at the four sizes a class uses (a school laptop,
// a large screen, the 800x500 embed, a phone) and in both themes, the diagram, the command
// stream and the explanation lie inside the viewport together; no diagram text is under
// 12 CSS pixels; the page never scrolls sideways; the letter tab breaks lines only between
// words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist } from './serve.mjs';
import { launchChromium, started } from './browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BASE = '/course/net101/mailflow/';
const PRESETS = ['first-letter', 'same-domain', 'server-down', 'backup-mx', 'unknown-user', 'partial-failure', 'many-recipients', 'mailbox-full', 'no-such-domain', 'null-mx', 'no-mx', 'gave-up',
  'who-is-sending', 'who-lives-here', 'open-relay', 'signed-and-sealed', 'spoofed', 'forwarded', 'tampered', 'pop-vs-imap', 'implicit-tls', 'greylisted', 'quiz-journey'];
const SIZES = [
  { name: 'laptop', width: 1366, height: 768, query: '', lines: 10 },
  { name: 'large', width: 1920, height: 1080, query: '', lines: 10 },
  { name: 'embed', width: 800, height: 500, query: '&embed=1', lines: 5 },
  { name: 'phone', width: 390, height: 844, query: '', lines: 4 },
];
const REGIONS = ['Diagram', 'Command stream', 'What is happening'];

let site, browser;
before(async () => {
  site = await serveDist({ dist: path.join(root, 'dist'), base: BASE });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

// What the page measures of itself: each number the test judges, in one round trip.
function measure() {
  const inside = (r) => r.left >= -0.5 && r.top >= -0.5 && r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5;
  const regions = {};
  for (const el of document.querySelectorAll('section[aria-label]')) {
    const r = el.getBoundingClientRect();
    regions[el.getAttribute('aria-label')] = { inside: inside(r), box: [r.left, r.top, r.right, r.bottom].map(Math.round) };
  }
  let smallest = Infinity, smallestText = '';
  for (const svg of document.querySelectorAll('.diagram-svg, .travel')) {
    const scale = svg.getScreenCTM()?.a ?? 1;
    for (const t of svg.querySelectorAll('text')) {
      if (!t.getClientRects().length) continue;
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (px < smallest) { smallest = px; smallestText = t.textContent; }
    }
  }
  const list = document.querySelector('.stream-lines');
  const lr = list.getBoundingClientRect();
  // Lines of the stream in view: its rows (a long one wraps onto lines of its own) and the
  // marks of a long wait between them.
  const lineHeight = parseFloat(getComputedStyle(list).lineHeight);
  const visibleLines = [...list.querySelectorAll('.row, .gap')].reduce((n, row) => {
    const r = row.getBoundingClientRect();
    const shown = Math.min(r.bottom, lr.bottom, innerHeight) - Math.max(r.top, lr.top, 0);
    return n + (r.height > 0 ? Math.floor(Math.max(0, shown) / lineHeight + 0.05) : 0);
  }, 0);
  // While a question waits the stream holds only the lines up to it: then count the room.
  const answerFirst = /once you have answered/.test(list.textContent);
  const rowHeight = lineHeight;
  const room = Math.floor((Math.min(lr.bottom, innerHeight) - Math.max(lr.top, 0)) / rowHeight);
  return {
    regions, smallest, smallestText, visibleLines: answerFirst ? Math.max(visibleLines, room) : visibleLines,
    sideways: document.documentElement.scrollWidth > innerWidth + 1,
  };
}

// Words of the letter tab's header values broken across two lines (a word gives one rect).
function brokenWords() {
  const broken = [];
  for (const dd of document.querySelectorAll('.headers dd, .envelope-box dd')) {
    const walker = document.createTreeWalker(dd, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent;
      for (const m of text.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}

for (const size of SIZES) {
  test(`at ${size.width}x${size.height} (${size.name}) every preset fits one screen, light and dark`, async () => {
    const page = await browser.newPage({ viewport: { width: size.width, height: size.height } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      for (const theme of ['light', 'dark']) {
        for (const preset of PRESETS) {
          const where = `${preset}, ${theme}, ${size.name}`;
          // Midway, where a hop is open and the stream is full above and below the cursor.
          await page.goto(`${site.url}?scenario=${preset}&step=end&theme=${theme}${size.query}`);
          await started(page);
          await page.waitForSelector('.diagram-svg');
          const last = Number((await page.locator('.step-count').textContent()).match(/of (\d+)/)[1]);
          await page.goto(`${site.url}?scenario=${preset}&step=${Math.ceil(last / 2)}&theme=${theme}${size.query}`);
          await started(page);
          await page.waitForSelector('.diagram-svg');
          const m = await page.evaluate(measure);
          for (const name of REGIONS) {
            assert.ok(m.regions[name], `${where}: a region named ${name}`);
            assert.ok(m.regions[name].inside, `${where}: ${name} at ${m.regions[name].box} is not inside the viewport`);
          }
          assert.ok(m.smallest >= 11.95, `${where}: diagram text of ${m.smallest.toFixed(1)} px ("${m.smallestText}")`);
          assert.ok(m.visibleLines >= size.lines, `${where}: ${m.visibleLines} stream lines in view, want ${size.lines}`);
          assert.equal(m.sideways, false, `${where}: the page scrolls sideways`);

          await page.getByRole('tab', { name: 'The letter' }).click();
          if (await page.locator('.headers dd').count()) {
            assert.deepEqual(await page.evaluate(brokenWords), [], `${where}: header values broken inside a word`);
          }
          await page.getByRole('tab', { name: 'What is happening' }).click();
        }
      }
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
}

// What the diagram says without words: the hop an arrow with protocol, port and padlock, the
// route behind the letter, a bounce in red on its way back, the queue's next try; and under
// prefers-reduced-motion the letter is shown where it arrived, not moving.
test('the diagram draws the hop, the route, the bounce and the queue; reduced motion moves nothing', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  try {
    await page.goto(`${site.url}?scenario=first-letter&step=41`);
    await started(page);
    await page.waitForSelector('.diagram-svg');
    assert.equal((await page.locator('.hop.active .hop-label text').textContent()).trim(), 'SMTP 25');
    assert.equal(await page.locator('.hop.active .padlock').count(), 1, 'inside TLS');
    assert.ok(await page.locator('.route polyline').count() >= 1, 'the way the letter came');
    assert.equal(await page.locator('.travel .letter.moving').count(), 1, 'the letter on the move');
    assert.equal(await page.locator('.travel .letter.moving').isVisible(), true);

    await page.goto(`${site.url}?scenario=unknown-user&step=53`);
    await started(page);
    await page.waitForSelector('.diagram-svg');
    assert.equal(await page.locator('.travel .letter.notice').count(), 2, 'the bounce travels, in red');

    await page.goto(`${site.url}?scenario=server-down&step=33`);
    await started(page);
    await page.waitForSelector('.diagram-svg');
    assert.equal(await page.locator('[data-host="smtp.northwind.test"] .shelf-label').textContent(), 'next try: 9 min');
    assert.equal(await page.locator('[data-host="mx.southbay.test"] .closed').count(), 1);

    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`${site.url}?scenario=first-letter&step=41`);
    await started(page);
    await page.waitForSelector('.diagram-svg');
    assert.equal(await page.locator('.travel .letter.moving').isVisible(), false, 'nothing moves');
    assert.equal(await page.locator('.travel .letter.arrived').isVisible(), true, 'the letter where it arrived');
  } finally {
    await page.close();
  }
});
