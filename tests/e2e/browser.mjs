// Debian's Chromium, headless, with nothing that reaches for the network on its own.
import { chromium } from 'playwright-core';

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** Until the app has started on `page`: its first render, or its hydration of the page that was
 * prerendered at build time (the mark src/ui/mod.rs sets). The prerendered page has the
 * diagram, the list and the controls before the app is there to answer them. */
export async function started(page) {
  await page.waitForFunction(() => performance.getEntriesByName('mailflow-ready').length > 0, null, { polling: 50 });
}

/** A fresh context at `url` (a laptop's 1366x768 by default), once the app is there; the page's
 * uncaught errors are collected in `errors`. */
export async function openPage(browser, url, viewport = { width: 1366, height: 768 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await started(page);
  return { page, errors, context };
}
