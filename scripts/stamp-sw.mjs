// Stamp the service worker with this build: `version` is a digest of the names and bytes of
// every other file in the staging folder, `files` is their list (what it caches for offline
// use). Run by scripts/post-build, last, with Trunk's TRUNK_STAGING_DIR and TRUNK_PROFILE.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const dir = process.env.TRUNK_STAGING_DIR, sw = path.join(dir, 'sw.js');
const files = fs.readdirSync(dir, { recursive: true })
  .map((f) => f.split(path.sep).join('/'))
  .filter((f) => f !== 'sw.js' && !f.split('/').some((part) => part.startsWith('.')))
  .filter((f) => fs.statSync(path.join(dir, f)).isFile())
  .sort();
const digest = crypto.createHash('sha256');
for (const f of files) digest.update(f + '\0').update(fs.readFileSync(path.join(dir, f)));
const build = { version: digest.digest('hex').slice(0, 16), profile: process.env.TRUNK_PROFILE, files };
const source = fs.readFileSync(sw, 'utf8');
const stamped = source.replace(/\/\*BUILD\*\/.*\/\*BUILD\*\//, () => `/*BUILD*/ ${JSON.stringify(build)} /*BUILD*/`);
if (stamped === source) throw new Error('sw.js has no /*BUILD*/ ... /*BUILD*/ line to stamp');
fs.writeFileSync(sw, stamped);
