// Mailflow's service worker: after the first visit the app works offline, from any sub-path.
//
// The build stamps the line below (a post_build hook in Trunk.toml): `version` is a digest of
// the names and bytes of every file in dist/, `files` is that list (the app shell: index.html,
// loader.js, mailflow.js, mailflow_bg.wasm, style.css, favicon.svg, scenarios/*.json, the
// course example). Any change to the app changes sw.js, so the browser, which checks sw.js
// whenever a page of this scope opens, installs the new worker in the background; the new
// worker downloads the whole new set into a cache of its own and then drops the old one, so a
// page never mixes the JS of one build with the wasm of another.
//
// Release builds serve the shell cache-first (nothing leaves the browser once it is cached);
// debug builds (`trunk serve`) go to the network first so a rebuild shows at once. Requests to
// other hosts are never touched, and the app makes none.
const BUILD = /*BUILD*/ { "version": "unstamped", "profile": "debug", "files": [] } /*BUILD*/;

// Cache names carry the scope: two copies of Mailflow on one host keep separate caches.
const SCOPE = new URL('./', self.location).href;
const PREFIX = `mailflow ${SCOPE} `;
const SHELL = `${PREFIX}${BUILD.version}`;
// Other same-origin files the app fetched (a teacher's own scenario file), for offline use.
const RUNTIME = `${PREFIX}runtime`;

const shellUrls = ['./', ...BUILD.files].map((file) => new URL(file, self.location).href);

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL);
    // All or nothing: a failed download leaves the previous worker and its cache in charge.
    const responses = await Promise.all(shellUrls.map(async (url) => {
      // `no-cache`: revalidate with the host rather than trust the HTTP cache, since the file
      // names carry no hash.
      const response = await fetch(url, { cache: 'no-cache' });
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      return [url, await clean(response)];
    }));
    await Promise.all(responses.map(([url, response]) => cache.put(url, response)));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== SHELL && name !== RUNTIME) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(BUILD.profile === 'release' ? cacheFirst(request) : networkFirst(request));
});

/** The shell from the cache (a page's query string picks a scenario, not a file); else the network. */
async function cacheFirst(request) {
  const cached = await matchShell(request);
  return cached ?? networkFirst(request);
}

/** The network, keeping a copy for offline use; the cache when the network fails. */
async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') {
      const copy = response.clone();
      const runtime = await caches.open(RUNTIME);
      // Only outside the shell: the shell is refreshed as a whole, by a new worker.
      if (!(await matchShell(request))) await runtime.put(request, copy);
    }
    return response;
  } catch (error) {
    const cached = (await matchShell(request)) ?? (await caches.match(request, { cacheName: RUNTIME }));
    if (cached) return cached;
    throw error;
  }
}

async function matchShell(request) {
  const cache = await caches.open(SHELL);
  return cache.match(request, { ignoreSearch: true, ignoreVary: true });
}

/** A response a navigation may use: a redirected one (say `/x/` to `/x/index.html`) may not. */
async function clean(response) {
  if (!response.redirected) return response;
  return new Response(await response.blob(), {
    status: response.status, statusText: response.statusText, headers: response.headers,
  });
}
