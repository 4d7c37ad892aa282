// Accessible to every student, checked as a screen reader and a keyboard meet the player: at
// the four sizes a class uses, light and dark, the accessibility tree names where the letter
// is and the open hop; one status region says each step with its number; Space on a focused
// control is that control's; focus never falls to the page's body; no stream line is cut off;
// axe-core with every rule finds nothing serious, and each diagram label has AA contrast
// against what is drawn behind it (computed here, where axe only says "needs review").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { withApp, root } from './site.mjs';
import { started } from './browser.mjs';

const app = withApp();
const SIZES = [
  { name: 'laptop', width: 1366, height: 768, query: '' },
  { name: 'large', width: 1920, height: 1080, query: '' },
  { name: 'embed', width: 800, height: 500, query: '&embed=1' },
  { name: 'phone', width: 390, height: 844, query: '' },
];

async function openAt(query, size, theme) {
  const context = await app.browser.newContext({ viewport: { width: size.width, height: size.height } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${app.site.url}${query}${size.query}&theme=${theme}`);
  await started(page);
  await page.waitForSelector('.diagram-svg');
  return { page, errors, context };
}

// Each diagram label's contrast with what is drawn behind it: the nearest shape under its
// centre that is filled, else the page's background; opacities on the way multiply in.
function labelContrasts() {
  const rgb = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a = '1'] = m[1].split(/[ ,/]+/).filter(Boolean);
    return [Number(r), Number(g), Number(b), Number(a)];
  };
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const over = (fg, alpha, bg) => fg.slice(0, 3).map((v, i) => v * alpha + bg[i] * (1 - alpha));
  const opacity = (el) => {
    let o = 1;
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
    return o;
  };
  const pageBackground = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) return c;
    }
    return [255, 255, 255, 1];
  };
  const out = [];
  for (const t of document.querySelectorAll('.diagram-svg text')) {
    const r = t.getBoundingClientRect();
    if (!r.width || !r.height || !t.textContent.trim()) continue;
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) continue;
    let bg = null;
    for (const el of document.elementsFromPoint(x, y)) {
      if (el === t || t.contains(el) || el.tagName === 'text' || el.tagName === 'tspan') continue;
      if (el instanceof SVGElement) {
        const fill = rgb(getComputedStyle(el).fill);
        if (!fill || fill[3] === 0 || el.tagName === 'svg' || el.tagName === 'g') continue;
        bg = over(fill, opacity(el) * fill[3], pageBackground(el.ownerSVGElement));
      } else {
        bg = pageBackground(el);
      }
      break;
    }
    bg ??= pageBackground(t.ownerSVGElement);
    const fill = rgb(getComputedStyle(t).fill);
    const fg = over(fill, opacity(t) * fill[3], bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    out.push({ text: t.textContent.trim(), ratio: (hi + 0.05) / (lo + 0.05), size: parseFloat(getComputedStyle(t).fontSize) });
  }
  return out;
}

// The graphics that carry meaning against the diagram's background: each hop's line and each
// host's frame at 3:1 at least (WCAG 1.4.11).
function edgeContrasts() {
  const rgb = (c) => (c.match(/rgba?\(([^)]+)\)/)?.[1].split(/[ ,/]+/).filter(Boolean).map(Number)) ?? null;
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let back = null;
  for (let e = document.querySelector('.diagram-svg'); e && !back; e = e.parentElement) {
    const c = rgb(getComputedStyle(e).backgroundColor);
    if (c && (c[3] ?? 1) > 0) back = c;
  }
  back ??= [255, 255, 255];
  const out = [];
  for (const el of document.querySelectorAll('.diagram-svg .hop polyline, .diagram-svg .host .frame, .diagram-svg .dns rect')) {
    const c = rgb(getComputedStyle(el).stroke);
    if (!c) continue;
    const [hi, lo] = [lum(c), lum(back)].sort((a, b) => b - a);
    out.push({ what: el.closest('[data-host]')?.dataset.host ?? el.parentElement.getAttribute('class'), ratio: (hi + 0.05) / (lo + 0.05) });
  }
  return out;
}

for (const size of SIZES) {
  test(`${size.name}: the tree names the letter's place and the open hop, the status says each step, labels have contrast`, async () => {
    for (const theme of ['light', 'dark']) {
      const where = `${size.name}, ${theme}`;
      // Step 40 of first-letter: the letter on the wire from Northwind to Southbay's MX.
      const { page, errors, context } = await openAt('?scenario=first-letter&step=40', size, theme);
      const picture = page.getByRole('img', { name: /^Step 40 of \d+/ });
      assert.equal(await picture.count(), 1, `${where}: the diagram is named for its step`);
      const said = await picture.getAttribute('aria-label');
      assert.match(said, /Lunch on Friday\?/, `${where}: the letter is named: ${said}`);
      assert.match(said, /Southbay MX/, `${where}: where it goes: ${said}`);
      assert.match(said, /port 25/, `${where}: the open hop's port: ${said}`);
      // The status region, outside the tabs, changes on every step and says its number.
      const status = page.locator('#step-status');
      assert.equal(await status.getAttribute('role'), 'status');
      const first = await status.textContent();
      assert.match(first, /^Step 40 of \d+\./);
      const heard = [first];
      for (let k = 41; k <= 45; k += 1) {
        await page.getByRole('button', { name: 'Next step (→)' }).click();
        await page.waitForFunction((n) => document.querySelector('#step-status').textContent.startsWith(`Step ${n} `), k);
        const now = await status.textContent();
        assert.match(now, new RegExp(`^Step ${k} of \\d+\\.`), `${where}: ${now}`);
        assert.notEqual(now, heard.at(-1));
        heard.push(now);
      }
      for (let k = 0; k < 5; k += 1) await page.keyboard.press('ArrowLeft');
      await page.waitForFunction((t) => document.querySelector('#step-status').textContent === t, first);

      const labels = await page.evaluate(labelContrasts);
      assert.ok(labels.length >= 5, `${where}: ${labels.length} labels measured`);
      for (const label of labels) {
        assert.ok(label.ratio >= 4.5, `${where}: "${label.text}" at ${label.ratio.toFixed(2)}:1`);
      }
      const edges = await page.evaluate(edgeContrasts);
      assert.ok(edges.length >= 5, `${where}: ${edges.length} edges measured`);
      for (const edge of edges) {
        assert.ok(edge.ratio >= 3, `${where}: the edge of ${edge.what} at ${edge.ratio.toFixed(2)}:1`);
      }
      assert.deepEqual(errors, []);
      await context.close();

      // A host that is down: its name and the CLOSED sign stay readable.
      const down = await openAt('?scenario=server-down&step=30', size, theme);
      const downSaid = await down.page.getByRole('img', { name: /^Step 30 of/ }).getAttribute('aria-label');
      assert.match(downSaid, /Southbay MX is switched off/, `${where}: ${downSaid}`);
      // On a phone the diagram scrolls: bring the host that is down into view first.
      await down.page.locator('[data-host="mx.southbay.test"]').scrollIntoViewIfNeeded();
      const downLabels = await down.page.evaluate(labelContrasts);
      assert.ok(downLabels.some((l) => l.text === 'CLOSED'), `${where}: the CLOSED sign is measured`);
      assert.ok(downLabels.some((l) => l.text === 'Southbay MX'), `${where}: the host that is down is measured`);
      for (const label of downLabels) {
        assert.ok(label.ratio >= 4.5, `${where}, server-down: "${label.text}" at ${label.ratio.toFixed(2)}:1`);
      }
      await down.context.close();
    }
  });
}

test('no stream line or question is cut off, at a school laptop and a phone', async () => {
  for (const size of [SIZES[0], SIZES[3]]) {
    const { page, context } = await openAt('?scenario=first-letter&step=1', size, 'light');
    const cut = await page.evaluate(() => [...document.querySelectorAll('.stream-lines .row')]
      .filter((row) => row.scrollWidth > row.clientWidth + 1).map((row) => row.textContent));
    assert.deepEqual(cut, [], `${size.name}: ${cut.length} rows wider than the stream`);
    await context.close();
  }
  // Nor a question that quotes a long command (AUTH's base64), on a phone.
  const { page, context } = await openAt('?scenario=unknown-user&predict=1', SIZES[3], 'light');
  await page.keyboard.press('End');
  await page.waitForSelector('.quiz-question');
  const wide = await page.evaluate(() => [...document.querySelectorAll('.quiz-question, .quiz .choice')]
    .filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent));
  assert.deepEqual(wide, []);
  await context.close();
});

test('Space on a focused control is that control\'s, and the player\'s keys stay off the tabs', async () => {
  const { page, errors, context } = await openAt('?scenario=first-letter&step=5', SIZES[0], 'light');
  const playing = () => page.locator('.controls button', { hasText: /^(Play|Pause)$/ }).textContent();
  // Space on Play plays once (not twice, as a page-wide Space would make it).
  await page.getByRole('button', { name: 'Play (Space)' }).focus();
  await page.keyboard.press('Space');
  assert.equal(await playing(), 'Pause');
  await page.keyboard.press('Space');
  assert.equal(await playing(), 'Play');
  // Space on "Keys" opens it, and does not start playing.
  await page.locator('.shortcuts summary').focus();
  await page.keyboard.press('Space');
  assert.equal(await page.locator('.shortcuts').getAttribute('open'), '');
  assert.equal(await playing(), 'Play');
  // Space on a tab selects it; ← and → move between the tabs, not the steps.
  const step = await page.locator('.step-count').textContent();
  await page.locator('#tab-0').focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.locator('#tab-1').getAttribute('aria-selected'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-1');
  await page.keyboard.press('End');
  assert.equal(await page.locator('#tab-2').getAttribute('aria-selected'), 'true');
  assert.equal(await page.locator('.step-count').textContent(), step, 'the step stays where it was');
  assert.equal(await playing(), 'Play');
  // Space on a scenario opens that scenario, nothing else.
  await page.locator('[data-preset="server-down"]').focus();
  await page.keyboard.press('Space');
  await page.waitForSelector('.preset.current[data-preset="server-down"]');
  assert.equal(await playing(), 'Play');
  // The letter keys can be turned off, and stay off.
  // (Keys is still open from the Space above.)
  await page.locator('.single-keys input').uncheck();
  await page.locator('body').focus();
  const stepNow = async () => Number((await page.locator('.step-count').textContent()).match(/Step (\d+)/)[1]);
  const before = await stepNow();
  await page.keyboard.press('l');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((n) => !document.querySelector('.step-count').textContent.startsWith(`Step ${n} `), before);
  assert.equal(await stepNow(), before + 1, 'L did nothing once turned off; → still steps');
  await page.reload();
  await started(page);
  await page.waitForSelector('.diagram-svg');
  assert.equal(await page.locator('.single-keys input').isChecked(), false, 'kept by the browser');
  assert.deepEqual(errors, []);
  await context.close();
});

test('focus never falls to the body: at the last step, after an answer, after Connect', async () => {
  const onBody = (page) => page.evaluate(() => document.activeElement === document.body || document.activeElement === null);
  const { page, context } = await openAt('?scenario=first-letter', SIZES[0], 'light');
  await page.getByRole('button', { name: 'Last step (End)' }).click();
  assert.equal(await page.getByRole('button', { name: 'Last step (End)' }).getAttribute('aria-disabled'), 'true');
  assert.equal(await onBody(page), false, 'the Last button keeps focus when it cannot act');
  await page.getByRole('button', { name: 'Next step (→)' }).focus();
  await page.keyboard.press('Enter');
  assert.equal(await onBody(page), false);
  await page.goto(`${app.site.url}?scenario=quiz-journey`);
  await started(page);
  await page.waitForSelector('.quiz');
  await page.locator('.quiz .choice').first().click();
  assert.equal(await onBody(page), false, 'after an answer, focus is on the verdict');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('quiz-verdict')), true);
  await page.goto(`${app.site.url}?view=lab`);
  await started(page);
  await page.click('button:has-text("Connect")');
  await page.waitForSelector('.terminal');
  assert.equal(await page.evaluate(() => document.activeElement?.closest('.terminal-input') !== null), true, 'after Connect, the terminal\'s field');
  // Each terminal is a log of its own, named by its heading.
  await page.click('button:has-text("Connect")');
  const logs = await page.getByRole('log').all();
  assert.equal(logs.length, 2);
  const names = await Promise.all(logs.map((l) => l.getAttribute('aria-labelledby')));
  assert.notEqual(names[0], names[1]);
  await context.close();
});

test('axe-core with every rule, colour contrast included, finds nothing serious, light and dark', async () => {
  const axe = await readFile(path.join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  for (const size of SIZES) {
    for (const theme of ['light', 'dark']) {
      const { page, context } = await openAt('?scenario=server-down&step=30', size, theme);
      await page.evaluate(axe);
      const bad = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => ({ id: v.id, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
      });
      assert.deepEqual(bad, [], `${size.name}, ${theme}: ${JSON.stringify(bad)}`);
      await context.close();
    }
  }
});
