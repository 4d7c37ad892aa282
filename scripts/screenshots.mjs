// Takes the README's pictures of the release dist/, served from a sub-path as a school would.
// Run by scripts/screenshots.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist } from '../tests/e2e/serve.mjs';
import { launchChromium } from '../tests/e2e/browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'docs', 'screenshots');
const SHOTS = [
  // name, query, width, height, theme
  ['journey', '?scenario=first-letter&step=40', 1366, 768, 'light'],
  ['bounce', '?scenario=unknown-user&step=53', 1366, 768, 'dark'],
  ['lab', '?view=lab', 1366, 768, 'light'],
  ['phone', '?scenario=server-down&step=30', 390, 844, 'dark'],
];

await mkdir(out, { recursive: true });
const site = await serveDist({ dist: path.join(root, 'dist'), base: '/course/net101/mailflow/' });
const browser = await launchChromium();
try {
  for (const [name, query, width, height, theme] of SHOTS) {
    const page = await browser.newPage({ viewport: { width, height }, colorScheme: theme, reducedMotion: 'reduce' });
    await page.goto(`${site.url}${query}&theme=${theme}`);
    await page.waitForSelector('.diagram-svg');
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(out, `${name}.png`) });
    await page.close();
    console.log(`docs/screenshots/${name}.png`);
  }
} finally {
  await browser.close();
  await site.close();
}
