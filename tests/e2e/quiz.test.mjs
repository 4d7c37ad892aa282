// End to end: a quiz is a quiz. Jumps stop at the first question not answered yet; the
// verdict names the right answer in words; always picking the first choice does not score
// full marks; the score reaches the course page that embeds the player; "predict the server's
// reply" asks before the replies and the engine answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from './site.mjs';

const app = withApp();

const question = (frame) => frame.locator('.quiz-question').textContent();

/** Answer the question on screen with the first choice, then jump to the end with the End key;
 *  until the score shows. What each verdict said, in order. */
async function answerFirstChoicesToTheEnd(frame, keyboard) {
  const verdicts = [];
  for (let i = 0; i < 40; i += 1) {
    if (await frame.locator('.score').count()) return verdicts;
    await frame.waitForSelector('.quiz .choice:not([disabled])', { timeout: 30000 });
    await frame.locator('.quiz .choice').first().click();
    verdicts.push(await frame.locator('.quiz-verdict').textContent());
    // Focus is on the verdict: End goes to the next question, or the end.
    await keyboard.press('End');
    await frame.waitForFunction((n) => document.querySelectorAll('.score').length > 0
      || !document.querySelector('.quiz-verdict'), i, { timeout: 30000 });
  }
  throw new Error(`no score after 40 questions: ${verdicts.join(' | ')}`);
}

test('End and ?step=end stop at the first question not answered yet', async () => {
  const { page, errors, context } = await app.open('?scenario=quiz-journey&step=end');
  await page.waitForSelector('.quiz');
  assert.match(await question(page), /What does SMTP stand for/);
  await page.keyboard.press('End');
  assert.match(await question(page), /What does SMTP stand for/, 'End does not pass an unanswered question');
  await page.click('.quiz .choice:has-text("Secure Mail Transport Protocol")');
  const verdict = await page.locator('.quiz-verdict').textContent();
  assert.match(verdict, /^Not quite: the answer is “Simple Mail Transfer Protocol”\./, 'the verdict names the right answer');
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('quiz-verdict')), true, 'focus on the verdict');
  await page.keyboard.press('End');
  await page.waitForFunction(() => /What will the client say first/.test(document.querySelector('.quiz-question')?.textContent ?? ''));
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'quiz-question', 'focus on the new question');
  // Back to the start and forward again: an answered question is not asked again.
  await page.keyboard.press('Home');
  assert.equal(await page.locator('.quiz .choice[disabled]').count() > 0, true, 'the first question shows its answer');
  await page.keyboard.press('End');
  assert.match(await question(page), /What will the client say first/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('always the first choice does not score full marks, and the score reaches the example course page', async () => {
  const context = await app.browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // The course page shipped in dist/ embeds the quiz; record what it hears, as its own script
  // does.
  await page.addInitScript(() => {
    window.heard = [];
    addEventListener('message', (e) => window.heard.push({ origin: e.origin, data: e.data }));
  });
  await page.goto(`${app.site.url}course-example.html`);
  await page.locator('#quiz').scrollIntoViewIfNeeded();
  const frame = page.frameLocator('#quiz');
  await frame.locator('.quiz').waitFor();
  const handle = await page.$('#quiz');
  const inner = await handle.contentFrame();
  await inner.focus('body');
  const verdicts = await answerFirstChoicesToTheEnd(inner, page.keyboard);
  assert.equal(verdicts.length, 9, verdicts.join(' | '));
  const score = await inner.locator('.score h2').textContent();
  const right = verdicts.filter((v) => v.startsWith('Right')).length;
  assert.ok(right < 9, `first choices all right: ${verdicts.join(' | ')}`);
  assert.equal(score, `Score: ${right} of 9 right.`);
  for (const v of verdicts.filter((v) => v.startsWith('Not quite'))) assert.match(v, /the answer is “[^”]+”/);
  await page.waitForFunction(() => window.heard.length > 0);
  const heard = await page.evaluate(() => window.heard);
  assert.equal(heard.length, 1, 'sent once');
  const { origin, data } = heard[0];
  assert.equal(origin, new URL(page.url()).origin);
  assert.deepEqual(Object.keys(data).sort(), ['answers', 'scenario', 'score', 'total', 'type']);
  assert.equal(data.type, 'mailflow:quiz');
  assert.equal(data.scenario, 'quiz-journey');
  assert.equal(data.score, right);
  assert.equal(data.total, 9);
  assert.equal(data.answers.length, 9);
  assert.deepEqual(Object.keys(data.answers[0]).sort(), ['answer', 'checkpoint', 'question', 'right']);
  // The page's own listener shows it.
  assert.match(await page.locator('#quiz-score').textContent(), new RegExp(`^Your score: ${right} of 9\\.`));
  assert.deepEqual(errors, []);
  await context.close();
});

test('predict the server\'s reply: the engine\'s reply is the right choice, found before it is sent', async () => {
  const { page, errors, context } = await app.open('?scenario=unknown-user&predict=1');
  assert.equal(await page.locator('.predict-toggle input').isChecked(), true);
  const seen = [];
  for (let i = 0; i < 40 && !(await page.locator('.score').count()); i += 1) {
    if (!(await page.locator('.quiz .choice:not([disabled])').count())) {
      // Not at a question: End jumps to the next one (or the end).
      await page.keyboard.press('End');
      await page.waitForSelector('.quiz .choice:not([disabled]), .score');
      continue;
    }
    const q = await question(page);
    // The reply is not on screen yet: the stream's current step is the client's command.
    const current = await page.locator('.stream .row.current').allTextContents();
    assert.ok(current.some((t) => /\bC: /.test(t)) && !current.some((t) => /\bS: /.test(t)), `${q}: ${current}`);
    const streamBefore = await page.locator('.stream-lines').textContent();
    await page.locator('.quiz .choice').last().click();
    seen.push([q, await page.locator('.quiz .choice.right').textContent(), streamBefore]);
  }
  const rcpt = seen.find(([q]) => /RCPT TO:<robert@southbay\.test>/.test(q) && /Southbay MX/.test(q));
  assert.ok(rcpt, seen.map(([q]) => q).join('\n'));
  assert.match(rcpt[1], /^550 5\.1\.1 <robert@southbay\.test>/, 'the MX refuses robert');
  assert.ok(!rcpt[2].includes('550 5.1.1'), 'the stream did not show the reply before the answer');
  assert.match(rcpt[2], /the next lines show once you have answered/);
  assert.ok(seen.some(([q, r]) => /AUTH PLAIN/.test(q) && /^235 2\.7\.0/.test(r)));
  // Turning the mode off leaves only the scenario's own questions (none here).
  await page.locator('.predict-toggle input').uncheck();
  assert.equal(await page.locator('.quiz').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a checkpoint the scenario lacks is reported', async () => {
  const { page, context } = await app.open('?scenario=first-letter&step=no-such-checkpoint');
  await page.waitForSelector('.notice');
  assert.match(await page.locator('.notice').textContent(), /no checkpoint named "no-such-checkpoint"/);
  await context.close();
});
