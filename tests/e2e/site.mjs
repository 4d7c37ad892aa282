// The app served from a course's sub-path to one Chromium, for a test file: `withApp()` sets it
// up before the file's tests and takes it down after; `open(address)` opens a fresh page there.
import { before, after } from 'node:test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist } from './serve.mjs';
import { launchChromium, openPage } from './browser.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `files`: extra files served beside the app's (a teacher's scenario files). */
export function withApp({ files = {} } = {}) {
  const app = {};
  before(async () => {
    app.site = await serveDist({ dist: path.join(root, 'dist'), base: '/course/net101/mailflow/', files });
    app.browser = await launchChromium();
  });
  after(async () => {
    await app.browser?.close();
    await app.site?.close();
  });
  app.open = (address) => openPage(app.browser, app.site.url + address);
  return app;
}
