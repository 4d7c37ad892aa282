// Mailflow's loader: starts the app from a file, not from an inline script, so that the page's
// Content-Security-Policy (`script-src 'self' 'wasm-unsafe-eval'`) holds. Trunk would inject an
// inline loader; Trunk.toml turns that off (`inject_scripts = false`) and index.html loads this
// file instead (`<script data-trunk type="module" src="static/loader.js">`).
//
// File names: Trunk.toml sets `filehash = false`, so Trunk writes the app as `mailflow.js` and
// `mailflow_bg.wasm` beside this file, and those names can be written here. Browsers never
// run a mix of two builds: the service worker caches every file under a version that is a
// digest of the whole build (see sw.js), and without it the host revalidates the files (README,
// Deploy). Every URL is relative to this file, so the app works from any sub-path.

const here = (file) => new URL(file, import.meta.url);

// The readable notice for what the app's own panic hook cannot catch: a WebAssembly trap (out
// of memory, `unreachable`) unwinds straight into JavaScript without running Rust's hook, and
// leaves the module unusable. Any error nobody caught lands here. The same notice as the hook's
// (src/ui/panic.rs: same id, so there is never more than one), text only.
function showFatalError(details) {
  if (document.getElementById('fatal-error')) return;
  const notice = document.createElement('div');
  notice.id = 'fatal-error';
  notice.className = 'fatal-error';
  notice.setAttribute('role', 'alert');
  const parts = [
    ['strong', 'Mailflow stopped because of an internal error.'],
    ['p', 'Reload the page to start again. If it happens again, please report the details below.'],
    ['pre', details],
  ];
  for (const [tag, text] of parts) {
    const element = document.createElement(tag);
    element.textContent = text;
    notice.append(element);
  }
  document.body.prepend(notice);
}
const describe = (error) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
addEventListener('error', (event) => showFatalError(describe(event.error ?? event.message)));
addEventListener('unhandledrejection', (event) => showFatalError(describe(event.reason)));

// The page holds the app as it opens, prerendered at build time, and the app takes over those
// very elements (hydration, src/ui/mod.rs), so it may start only once the whole page is parsed.
// This file is loaded `async` so that the module is fetched and compiled meanwhile: compiling
// runs off the main thread while the browser is still parsing and drawing the page.
const parsed = document.readyState === 'loading'
  ? new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }))
  : Promise.resolve();
// A host that does not send `.wasm` as application/wasm makes streaming compilation fail: then
// the module is compiled from its bytes by the bindings' own start, as before.
const compiled = WebAssembly.compileStreaming(fetch(here('./mailflow_bg.wasm'))).catch(() => here('./mailflow_bg.wasm'));

try {
  const bindings = await import(here('./mailflow.js').href);
  const module = await compiled;
  await parsed;
  const wasm = await bindings.default({ module_or_path: module });
  // What Trunk's own loader offers, for anything that listens for it.
  window.wasmBindings = bindings;
  dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
} catch (error) {
  console.error('Mailflow could not start:', error);
  const notice = document.createElement('p');
  notice.setAttribute('role', 'alert');
  notice.textContent = 'Mailflow could not start. It needs a browser with WebAssembly; reload the page to try again.';
  (document.getElementById('mailflow') ?? document.body).append(notice);
}

// Offline after the first load. The scope is this file's folder, whatever sub-path that is.
// Service workers need a secure context (https, or http on localhost); elsewhere the app simply
// stays online-only.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker
    .register(here('./sw.js'), { scope: here('./').pathname })
    .catch((error) => console.warn('Mailflow works online only here:', error));
}
