// A static file server for the end-to-end tests: serves dist/ under a sub-path, as a course
// site would, and records every request so that tests can check none leaves that sub-path.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Serve `dist` under `base`. `headers` are sent with every response: pass
 * `{ 'content-security-policy': ... }` to test the app under a host's CSP header. `files` adds
 * files beside the app's, by path under `base` (a teacher's scenario file, say).
 */
export async function serveDist({ dist, base, headers = {}, files = {} }) {
  const requests = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    requests.push(url.pathname);
    if (!url.pathname.startsWith(base)) {
      res.writeHead(404).end('outside the sub-path');
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(base.length)) || 'index.html';
    if (rel.endsWith('/')) rel += 'index.html';
    if (Object.hasOwn(files, rel)) {
      res.writeHead(200, { ...headers, 'content-type': TYPES[path.extname(rel)] ?? 'application/octet-stream' });
      res.end(files[rel]);
      return;
    }
    const file = path.join(dist, path.normalize(rel));
    if (!file.startsWith(dist)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${base}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
