// The browser half of scripts/bench: sizes of the release dist/ and of Yew's hello-world (the
// floor), load time of both, the engine in wasm, the player's cursor and memory, each figure
// printed beside its budget. scripts/bench builds the three dists and runs the native
// benchmarks first, and passes their numbers in the environment:
//   BENCH_APP, BENCH_FLOOR, BENCH_WASM   the dists (release app, floor, app with feature `bench`)
//   NATIVE_SIM_S, NATIVE_SIM_EVENTS      `cargo bench --bench simulate`: median seconds, events
//   NATIVE_PLAYER_MESSAGES, NATIVE_PLAYER_EVENTS, NATIVE_JUMP_P95   `cargo bench --bench player`
//   BENCH_RUNS (7), BENCH_JUMPS (2000), BENCH_CPU_SLOWDOWN (1: no CDP CPU throttling of the
//   localhost load, the engine and the cursor), BENCH_LOAD_RUNS (5: loads on each weak-laptop
//   profile)
//   BENCH_JSON                           where to write every number as JSON
//   BENCH_LOAD_ONLY                      set: sizes and loads only (no engine, cursor, memory)
//   BENCH_BEFORE                         a release dist of an earlier build, measured beside
//                                        this one (school-line load, jump and playback at CPU 4x)
import http from 'node:http';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import os from 'node:os';
import { chromium } from 'playwright-core';

const env = process.env;
const RUNS = Number(env.BENCH_RUNS ?? 7);
const JUMPS = Number(env.BENCH_JUMPS ?? 2000);
const SLOWDOWN = Number(env.BENCH_CPU_SLOWDOWN ?? 1);
const LOAD_RUNS = Number(env.BENCH_LOAD_RUNS ?? 5);
// How a student opens the link: on this machine as it is, and on a cheap school laptop (the CPU
// 4x slower, through Chromium's own throttling) over a shared school line and over a slow one.
// Files are served brotli-compressed, as a static host does.
const PROFILES = [
  { name: 'localhost', cpu: SLOWDOWN, runs: RUNS },
  { name: 'weak laptop, school line (CPU 4x, 10 Mbit/s, 40 ms)', key: 'school', cpu: 4, down: 10e6, latency: 40, runs: LOAD_RUNS },
  { name: 'weak laptop, slow line (CPU 4x, 4 Mbit/s, 100 ms)', key: 'slow', cpu: 4, down: 4e6, latency: 100, runs: LOAD_RUNS },
];
const KB = 1000;
const results = { date: new Date().toISOString().slice(0, 10), runs: RUNS, cpuSlowdown: SLOWDOWN };

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) * p)]; };
const fmt = (n, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const verdict = (ok) => (ok ? 'pass' : 'MISS');
const line = (label, measured, budget, ok) =>
  console.log(`  ${label.padEnd(44)} ${String(measured).padStart(16)}   budget ${String(budget).padEnd(22)} ${ok === undefined ? '' : verdict(ok)}`);
const heading = (t) => console.log(`\n${t}`);

// ---------- Size ----------
async function files(dir, rel = '') {
  const out = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue; // Trunk's lock file
    const r = path.join(rel, e.name);
    if (e.isDirectory()) out.push(...(await files(dir, r)));
    else out.push(r);
  }
  return out.sort();
}

async function sizes(dir) {
  const rows = [];
  for (const f of await files(dir)) {
    const body = await readFile(path.join(dir, f));
    rows.push({
      file: f,
      raw: body.length,
      gzip: zlib.gzipSync(body, { level: 9 }).length,
      brotli: zlib.brotliCompressSync(body, {
        params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_LGWIN]: 24 },
      }).length,
    });
  }
  const total = (k) => rows.reduce((a, r) => a + r[k], 0);
  return { rows, raw: total('raw'), gzip: total('gzip'), brotli: total('brotli') };
}

function printSizes(name, s) {
  console.log(`  ${name}: ${'raw'.padStart(10)} ${'gzip'.padStart(10)} ${'brotli'.padStart(10)}`);
  for (const r of s.rows) console.log(`    ${r.file.padEnd(40)} ${fmt(r.raw).padStart(10)} ${fmt(r.gzip).padStart(10)} ${fmt(r.brotli).padStart(10)}`);
  console.log(`    ${'total'.padEnd(40)} ${fmt(s.raw).padStart(10)} ${fmt(s.gzip).padStart(10)} ${fmt(s.brotli).padStart(10)}`);
}

// ---------- A server for the three dists ----------
// Cross-origin isolated (COOP + COEP), so that performance.now() has its fine resolution (5 µs
// rather than 100 µs): a cursor jump is well under a millisecond.
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml',
};
// Each file compressed once, as a static host keeps it (brotli quality 11).
const compressed = new Map();
function brotli(file, body) {
  if (!compressed.has(file)) {
    compressed.set(file, zlib.brotliCompressSync(body, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_LGWIN]: 24 },
    }));
  }
  return compressed.get(file);
}

async function serve(roots, made = new Map()) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (made.has(url.pathname)) {
      res.writeHead(200, { 'content-type': 'application/json', 'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp', 'cache-control': 'no-store' });
      return res.end(made.get(url.pathname));
    }
    const [, name, ...rest] = url.pathname.split('/');
    const root = roots[name];
    let rel = decodeURIComponent(rest.join('/')) || 'index.html';
    const file = root && path.join(root, path.normalize(rel));
    if (!file || !file.startsWith(root)) return res.writeHead(404).end();
    try {
      const body = await readFile(file);
      const br = /\bbr\b/.test(req.headers['accept-encoding'] ?? '');
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
        'cache-control': 'no-store',
        ...(br ? { 'content-encoding': 'br', vary: 'accept-encoding' } : {}),
      });
      res.end(br ? brotli(file, body) : body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${server.address().port}`, made, close: () => new Promise((r) => server.close(r)) };
}

// A fresh context per page: no HTTP cache, no compiled-code cache carried over.
async function freshPage(browser, profile = PROFILES[0]) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  if (profile.cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
  if (profile.down) {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: profile.latency, downloadThroughput: profile.down / 8, uploadThroughput: profile.down / 8,
    });
  }
  // How much DOM exists when the ready mark is set: proof that the first render is done.
  await page.addInitScript(() => {
    const mark = performance.mark.bind(performance);
    performance.mark = (name, options) => {
      window.__domAtMark = document.body ? document.body.getElementsByTagName('*').length : 0;
      return mark(name, options);
    };
    // The first journey on screen, whoever put it there (the prerendered HTML or the app): when
    // the default preset's diagram is in the page, then the frame that shows it. A page still
    // waiting for its stylesheet runs no frame, so the first frame after is the one painted.
    const seen = () => document.querySelector('section.diagram svg.diagram-svg');
    const observer = new MutationObserver(() => {
      if (!seen()) return;
      observer.disconnect();
      window.__diagramInDom = performance.now();
      requestAnimationFrame(() => { window.__diagramDrawn = performance.now(); });
    });
    observer.observe(document, { childList: true, subtree: true });
  });
  page.on('pageerror', (e) => console.error(`  page error: ${e.message}`));
  page.on('crash', () => console.error('  the page crashed (renderer process gone)'));
  return { page, cdp, close: () => context.close() };
}

async function ready(page, mark) {
  await page.waitForFunction((m) => performance.getEntriesByName(m).length > 0, mark, { timeout: 60_000 });
  return page.evaluate((m) => ({
    ms: performance.getEntriesByName(m)[0].startTime,
    dom: window.__domAtMark,
    // When the wasm module had arrived: what is left after it is compile, start and first render.
    wasm: performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'))?.responseEnd ?? 0,
    isolated: window.crossOriginIsolated,
  }), mark);
}

// One load of the app or the floor in a fresh context on a profile: when the first paint came,
// when the page was ready (its own mark after its first render), when the first journey was on
// screen (the app's diagram, see freshPage), when it was interactive (the app's first render
// with a player, whose first step can be taken; the floor's ready), and the compressed bytes
// that had arrived by the first journey (the page and every file finished before it).
// The app's first render with a player; `mailflow-drawn` was its name before the prerendered
// page (issue 23), so that the build before can be measured the same way (BENCH_BEFORE).
const INTERACTIVE = ['mailflow-interactive', 'mailflow-drawn'];
const interactive = (marks) => marks.some((m) => performance.getEntriesByName(m).length > 0);

async function measureLoad(browser, server, name, profile) {
  const p = await freshPage(browser, profile);
  const app = name !== 'floor';
  const [readyMark, interactiveMark] = app ? ['mailflow-ready', INTERACTIVE] : ['floor-ready', ['floor-ready']];
  await p.page.goto(`${server.base}/${name}/`, { waitUntil: 'commit' });
  await p.page.waitForFunction(interactive, interactiveMark, { timeout: 120_000, polling: 50 });
  if (app) await p.page.waitForFunction(() => window.__diagramDrawn !== undefined, null, { timeout: 120_000, polling: 50 });
  const r = await p.page.evaluate(([readyMark, interactiveMark]) => {
    // The first of several names that is on the timeline.
    const at = (...names) => names.map((m) => performance.getEntriesByName(m)[0]?.startTime).find((t) => t !== undefined) ?? null;
    const fcp = at('first-contentful-paint');
    const inDom = window.__diagramInDom;
    const drawn = inDom === undefined ? null : fcp !== null && inDom <= fcp ? fcp : window.__diagramDrawn;
    const nav = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource');
    const bytesBeforeDrawn = drawn === null ? null
      : nav.encodedBodySize + resources.filter((e) => e.responseEnd <= drawn).reduce((a, e) => a + e.encodedBodySize, 0);
    return {
      firstPaint: at('first-paint'), ready: at(readyMark), drawn, interactive: at(...interactiveMark), bytesBeforeDrawn,
      wasm: resources.find((e) => e.name.endsWith('.wasm'))?.responseEnd ?? null,
      dom: window.__domAtMark,
    };
  }, [readyMark, interactiveMark]);
  await p.close();
  return r;
}

// The whole shipped app with the long trace (long-trace.json, made by the cursor benchmark),
// opened by a link to the scenario file, and `n` jumps to random steps through its scrubber:
// everything a jump re-renders (diagram, stream, tabs), from the input event to the step
// counter's update, then style and layout. [render ms, + layout ms] per jump.
async function appJumpTimes(browser, server, profile, n, dist = 'app') {
  const a = await freshPage(browser, profile);
  await a.page.goto(`${server.base}/${dist}/?scenario=long-trace.json`);
  await a.page.waitForFunction(() => /of \d{4,}/.test(document.querySelector('.step-count')?.textContent ?? ''), null, { timeout: 300_000 });
  const out = await a.page.evaluate(async (n) => {
    const scrubber = document.querySelector('.scrubber');
    const count = document.querySelector('.step-count');
    const total = Number(scrubber.max);
    let seed = 0x2545f491;
    const out = [];
    for (let i = 0; i < n; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      let step = 1 + (seed % total);
      if (String(step) === scrubber.value) step = (step % total) + 1;
      const updated = new Promise((resolve) => {
        const observer = new MutationObserver(() => { observer.disconnect(); resolve(); });
        observer.observe(count, { childList: true, characterData: true, subtree: true });
      });
      const t0 = performance.now();
      scrubber.value = String(step);
      scrubber.dispatchEvent(new InputEvent('input', { bubbles: true }));
      await updated;
      const t1 = performance.now();
      document.body.getBoundingClientRect();
      out.push([t1 - t0, performance.now() - t0]);
    }
    return out;
  }, n);
  await a.close();
  return out;
}

// Playing a preset at speed 8 (a step every 125 ms, the letter animated along each hop): the
// time between the frames the browser ran for `seconds`, from requestAnimationFrame.
async function playbackFrames(browser, server, profile, preset, seconds, dist = 'app') {
  const a = await freshPage(browser, profile);
  await a.page.goto(`${server.base}/${dist}/?scenario=${preset}&speed=8&autoplay=1`);
  await a.page.waitForFunction(interactive, INTERACTIVE, { timeout: 60_000 });
  const { frames, steps } = await a.page.evaluate((seconds) => new Promise((resolve) => {
    const frames = [];
    const count = () => Number(document.querySelector('.step-count').textContent.match(/Step (\d+)/)[1]);
    const first = count();
    let last = performance.now();
    const end = last + seconds * 1000;
    const frame = (now) => {
      frames.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(frame);
      else resolve({ frames, steps: count() - first });
    };
    requestAnimationFrame(frame);
  }), seconds);
  await a.close();
  return { frames: frames.slice(1), steps };
}

async function memory(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
  const wasm = await page.evaluate(() => window.wasmBindings.bench_wasm_memory());
  return { jsHeapUsed: m.JSHeapUsedSize, jsHeapTotal: m.JSHeapTotalSize, wasm, nodes: m.Nodes };
}

async function main() {
  // Other work on the machine inflates every time here: say so beside the numbers.
  results.loadAverage = { start: os.loadavg()[0] };
  console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)} at the start`);
  // Size.
  const app = await sizes(env.BENCH_APP);
  const floor = await sizes(env.BENCH_FLOOR);
  results.size = { app, floor };
  heading('Size (bytes; gzip -9, brotli quality 11)');
  printSizes('app (release dist/)', app);
  printSizes('floor (Yew hello-world)', floor);
  // The budget is for the bytes before the first journey is on screen (measured in the loads
  // below); the whole dist is reported beside it.
  line('app brotli total (the whole dist)', fmt(app.brotli), 'none (reported)');
  line('app brotli over the floor', fmt(app.brotli - floor.brotli), 'none (reported)');

  const server = await serve({ app: env.BENCH_APP, floor: env.BENCH_FLOOR, wasm: env.BENCH_WASM, before: env.BENCH_BEFORE });
  const browser = await chromium.launch({
    executablePath: env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    // Load: on each profile, the app and the floor in turn, after one warm-up of each.
    results.load = {};
    for (const profile of PROFILES) {
      const runs = { app: [], floor: [] };
      for (let i = -1; i < profile.runs; i++) {
        for (const name of ['app', 'floor']) {
          const r = await measureLoad(browser, server, name, profile);
          if (i >= 0) runs[name].push(r);
        }
      }
      const stats = (rs) => Object.fromEntries(Object.keys(rs[0]).map((k) => [k, rs[0][k] === null ? null : median(rs.map((r) => r[k]))]));
      const app = stats(runs.app), floor = stats(runs.floor);
      results.load[profile.key ?? 'localhost'] = { profile, app, floor, appRuns: runs.app, floorRuns: runs.floor };
      heading(`Load, ${profile.name}: navigation start to each moment, median of ${profile.runs} (ms)`);
      const ms = (x) => (x === null ? '-' : fmt(x, 1));
      console.log(`  ${''.padEnd(8)} ${'first paint'.padStart(12)} ${'page ready'.padStart(12)} ${'first journey'.padStart(14)} ${'interactive'.padStart(12)} ${'bytes before the journey'.padStart(25)}`);
      for (const [label, m] of [['floor', floor], ['app', app]]) {
        console.log(`  ${label.padEnd(8)} ${ms(m.firstPaint).padStart(12)} ${ms(m.ready).padStart(12)} ${ms(m.drawn).padStart(14)} ${ms(m.interactive).padStart(12)} ${(m.bytesBeforeDrawn === null ? '-' : fmt(m.bytesBeforeDrawn)).padStart(25)}`);
      }
      console.log(`  runs app, first journey ${runs.app.map((r) => r.drawn.toFixed(0)).join(' ')}; interactive ${runs.app.map((r) => r.interactive.toFixed(0)).join(' ')}`);
      console.log(`  wasm module arrived (median): app ${ms(app.wasm)}, floor ${ms(floor.wasm)}; ${app.dom} elements in the app at its ready mark`);
      if (profile.key) {
        line('first journey drawn', fmt(app.drawn, 1), `<= ${fmt(1.5 * floor.ready, 1)} (1.5x floor ready)`, app.drawn <= 1.5 * floor.ready);
        line('interactive', fmt(app.interactive, 1), `<= ${fmt(2.5 * floor.ready, 1)} (2.5x floor ready)`, app.interactive <= 2.5 * floor.ready);
      } else {
        line('app ready', fmt(app.ready, 1), `<= ${fmt(2 * floor.ready, 1)} (2x floor)`, app.ready <= 2 * floor.ready);
      }
    }
    {
      // What the first journey needs: the page (it holds the journey), its stylesheet and what
      // they load before the wasm (the loader, the bindings, the icon), brotli as served. The
      // measured bytes that had arrived by then (above) also count the wasm when the browser
      // fetched it meanwhile: reported beside it.
      const first = ['index.html', 'style.css', 'loader.js', 'mailflow.js', 'favicon.svg'];
      const bytes = results.size.app.rows.filter((r) => first.includes(r.file)).reduce((a, r) => a + r.brotli, 0);
      const budget = results.size.floor.brotli + 200 * KB;
      results.firstJourneyBytes = { files: first, brotli: bytes, budget };
      line(`bytes before the first journey (${first.length} files)`, fmt(bytes), `<= ${fmt(budget)} (floor + 200 KB)`, bytes <= budget);
      console.log(`  arrived by the first journey, measured (median): school line ${fmt(results.load.school.app.bytesBeforeDrawn)}, slow line ${fmt(results.load.slow.app.bytesBeforeDrawn)}; the whole dist ${fmt(results.size.app.brotli)}`);
    }

    if (env.BENCH_LOAD_ONLY) return;
    // Engine: the 10,000-message scenario in wasm, one warm-up and five runs, as natively.
    {
      const p = await freshPage(browser);
      await p.page.goto(`${server.base}/wasm/`);
      await ready(p.page, 'mailflow-ready');
      const runs = await p.page.evaluate(() => {
        const out = [];
        for (let i = 0; i < 6; i++) out.push(Array.from(window.wasmBindings.bench_simulate()));
        return out;
      });
      await p.close();
      const ms = runs.slice(1).map((r) => r[0]);
      const events = runs[0][1];
      const nativeMs = Number(env.NATIVE_SIM_S) * 1000;
      const nativeMinMs = Number(env.NATIVE_SIM_MIN_S) * 1000;
      results.engine = { wasmMs: median(ms), wasmMinMs: Math.min(...ms), nativeMinMs, wasmRuns: ms, events, nativeMs, nativeEvents: Number(env.NATIVE_SIM_EVENTS) };
      heading('Engine: 10,000 messages with faults to the full trace (median of 5 after a warm-up)');
      console.log(`  trace events: wasm ${fmt(events)}, native ${fmt(results.engine.nativeEvents)}${events === results.engine.nativeEvents ? ' (same trace)' : '  ** DIFFERENT: not the same scenario **'}`);
      console.log(`  wasm runs ${ms.map((x) => x.toFixed(0)).join(' ')} ms; minimums: wasm ${fmt(Math.min(...ms))} ms, native ${fmt(nativeMinMs)} ms (${(Math.min(...ms) / nativeMinMs).toFixed(2)}x)`);
      line('native (cargo bench --bench simulate)', `${fmt(nativeMs)} ms`, '');
      line('wasm in Chromium', `${fmt(results.engine.wasmMs)} ms`, '<= 1,000 ms', results.engine.wasmMs <= 1000);
      line('wasm / native', `${(results.engine.wasmMs / nativeMs).toFixed(2)}x`, '<= 2x', results.engine.wasmMs <= 2 * nativeMs);
    }

    // Cursor and memory: the player's trace of >= 100,000 events, in a fresh page.
    {
      const p = await freshPage(browser);
      await p.page.goto(`${server.base}/wasm/`);
      const r = await ready(p.page, 'mailflow-ready');
      const before = await memory(p.page, p.cdp);
      const messages = Number(env.NATIVE_PLAYER_MESSAGES) || (await p.page.evaluate(() => window.wasmBindings.bench_player_messages()));
      const [events, steps, simMs, playerMs] = await p.page.evaluate((m) => Array.from(window.wasmBindings.bench_player_load(m)), messages);
      await p.page.waitForSelector('#bench-diagram svg, #bench-diagram');
      const after = await memory(p.page, p.cdp);
      const jumps = await p.page.evaluate(async (n) => {
        const b = window.wasmBindings;
        const out = [];
        for (let i = 0; i < n; i++) {
          const step = b.bench_next_step();
          const t0 = performance.now();
          const scene = await b.bench_jump(step);
          const t1 = performance.now();
          document.getElementById('bench-diagram').getBoundingClientRect(); // style and layout
          const t2 = performance.now();
          out.push([scene, t1 - t0, t2 - t0, document.querySelectorAll('#bench-diagram *').length]);
        }
        return out;
      }, JUMPS);
      const batchMs = await p.page.evaluate((n) => window.wasmBindings.bench_scene_batch(n), JUMPS);
      const final = await memory(p.page, p.cdp);
      const longTrace = await p.page.evaluate((m) => window.wasmBindings.bench_player_scenario(m), messages);
      server.made.set('/app/long-trace.json', longTrace);
      server.made.set('/before/long-trace.json', longTrace);
      await p.close();

      // The whole shipped app with the same trace, opened by a link to the scenario file, and
      // jumps through its scrubber (appJumpTimes).
      const appJumps = await appJumpTimes(browser, server, PROFILES[0], Math.min(JUMPS, 500));
      const col = (k) => jumps.map((j) => j[k]);
      results.cursor = {
        messages, events, steps, simulateMs: simMs, playerMs, jumps: JUMPS, isolated: r.isolated,
        scene: { median: median(col(0)), p95: pct(col(0), 0.95), max: Math.max(...col(0)), mean: batchMs / JUMPS },
        render: { median: median(col(1)), p95: pct(col(1), 0.95), max: Math.max(...col(1)) },
        layout: { median: median(col(2)), p95: pct(col(2), 0.95), max: Math.max(...col(2)) },
        nativeP95: Number(env.NATIVE_JUMP_P95) || null,
        diagramElements: { median: median(col(3)), max: Math.max(...col(3)) },
        app: {
          jumps: appJumps.length,
          render: { median: median(appJumps.map((j) => j[0])), p95: pct(appJumps.map((j) => j[0]), 0.95), max: Math.max(...appJumps.map((j) => j[0])) },
          layout: { median: median(appJumps.map((j) => j[1])), p95: pct(appJumps.map((j) => j[1]), 0.95), max: Math.max(...appJumps.map((j) => j[1])) },
        },
      };
      results.memory = { before, after, final };
      const c = results.cursor;
      heading(`Cursor: ${fmt(JUMPS)} jumps to random steps of a ${fmt(events)}-event trace (${fmt(steps)} steps, ${messages} messages), ms`);
      console.log(`  trace simulated in ${fmt(simMs)} ms, player built in ${fmt(playerMs)} ms; timer ${r.isolated ? '5 µs (cross-origin isolated)' : '100 µs'}`);
      const stat = (s) => `p50 ${s.median.toFixed(3)} p95 ${s.p95.toFixed(3)} max ${s.max.toFixed(3)}`;
      console.log(`  scene_at in wasm                   ${stat(c.scene)} (mean ${c.scene.mean.toFixed(3)})${c.nativeP95 ? `; native p95 ${c.nativeP95.toFixed(3)}` : ''}`);
      console.log(`  + diagram re-rendered (Yew, DOM)   ${stat(c.render)} (${fmt(c.diagramElements.median)} elements, up to ${fmt(c.diagramElements.max)})`);
      console.log(`  + style and layout                 ${stat(c.layout)}`);
      line('jump + render + layout, p95', `${c.layout.p95.toFixed(2)} ms`, '<= 16 ms (one frame)', c.layout.p95 <= 16);
      console.log(`  the whole app, ${c.app.jumps} jumps by its scrubber:`);
      console.log(`    input to every panel re-rendered   ${stat(c.app.render)}`);
      console.log(`    + style and layout                 ${stat(c.app.layout)}`);
      line('app jump + render + layout, p95', `${c.app.layout.p95.toFixed(2)} ms`, '<= 16 ms (one frame)', c.app.layout.p95 <= 16);

      // The same on the weak laptop's CPU (4x slower): the whole app's jump, and playback.
      {
        const weak = { name: 'CPU 4x', cpu: 4 };
        const jumps4 = await appJumpTimes(browser, server, weak, Math.min(JUMPS, 300));
        const render = jumps4.map((j) => j[0]), layout = jumps4.map((j) => j[1]);
        const play = await playbackFrames(browser, server, weak, 'gave-up', 8);
        results.weakCpu = {
          appJump: { jumps: jumps4.length, render: { median: median(render), p95: pct(render, 0.95), max: Math.max(...render) },
            layout: { median: median(layout), p95: pct(layout, 0.95), max: Math.max(...layout) } },
          playback: { preset: 'gave-up', speed: 8, frames: play.frames.length, steps: play.steps,
            median: median(play.frames), p95: pct(play.frames, 0.95), max: Math.max(...play.frames),
            over: play.frames.filter((f) => f > 17.5).length },
        };
        const w = results.weakCpu;
        heading('On the weak laptop\'s CPU (4x slower), ms');
        console.log(`  the whole app, ${w.appJump.jumps} jumps by its scrubber: ${stat(w.appJump.render)}; + style and layout ${stat(w.appJump.layout)}`);
        line('app jump + render + layout, p95 (CPU 4x)', `${w.appJump.layout.p95.toFixed(2)} ms`, '<= 16 ms (one frame)', w.appJump.layout.p95 <= 16);
        console.log(`  gave-up played at speed 8 for 8 s: ${w.playback.steps} steps, ${w.playback.frames} frames, p50 ${w.playback.median.toFixed(1)} p95 ${w.playback.p95.toFixed(1)} max ${w.playback.max.toFixed(1)}; ${w.playback.over} frames over 17.5 ms`);
        line('playback frame at speed 8, p95 (CPU 4x)', `${w.playback.p95.toFixed(1)} ms`, '<= 16.7 ms', w.playback.p95 <= 16.7 + 0.5);
      }

      // The build before, measured the same way in the same run (BENCH_BEFORE: its release dist).
      if (env.BENCH_BEFORE) {
        const weak = { name: 'CPU 4x', cpu: 4 };
        const school = PROFILES.find((x) => x.key === 'school');
        const loads = [];
        for (let i = 0; i < school.runs; i++) loads.push(await measureLoad(browser, server, 'before', school));
        const m = (k) => median(loads.map((r) => r[k]));
        const jumpsB = (await appJumpTimes(browser, server, weak, Math.min(JUMPS, 300), 'before')).map((j) => j[1]);
        const playB = await playbackFrames(browser, server, weak, 'gave-up', 8, 'before');
        const now = results.load.school.app, w = results.weakCpu;
        results.before = {
          dist: env.BENCH_BEFORE, school: { firstPaint: m('firstPaint'), ready: m('ready'), drawn: m('drawn'), interactive: m('interactive'), runs: loads },
          appJump: { p50: median(jumpsB), p95: pct(jumpsB, 0.95) },
          playback: { steps: playB.steps, frames: playB.frames.length, median: median(playB.frames), p95: pct(playB.frames, 0.95) },
        };
        const b = results.before;
        heading(`The build before (${env.BENCH_BEFORE}) and this one, same run, ms`);
        console.log(`  ${''.padEnd(58)} ${'before'.padStart(10)} ${'now'.padStart(10)}`);
        const row = (label, x, y) => console.log(`  ${label.padEnd(58)} ${fmt(x, 1).padStart(10)} ${fmt(y, 1).padStart(10)}`);
        row('school line: first paint', b.school.firstPaint, now.firstPaint);
        row('school line: first journey drawn', b.school.drawn, now.drawn);
        row('school line: interactive', b.school.interactive, now.interactive);
        row('CPU 4x: whole-app jump + layout, p95', b.appJump.p95, w.appJump.layout.p95);
        row('CPU 4x: gave-up at speed 8, frame p50', b.playback.median, w.playback.median);
        row('CPU 4x: gave-up at speed 8, frame p95', b.playback.p95, w.playback.p95);
        row('CPU 4x: gave-up at speed 8, steps played in 8 s (of 64)', b.playback.steps, w.playback.steps);
      }

      heading('Memory (bytes; after a forced GC)');
      const mem = (m) => `JS heap ${fmt(m.jsHeapUsed)} used / ${fmt(m.jsHeapTotal)}, wasm ${fmt(m.wasm)}, DOM nodes ${fmt(m.nodes)}`;
      console.log(`  app loaded (default preset)        ${mem(before)}`);
      console.log(`  + ${fmt(events)}-event trace, player, diagram  ${mem(after)}`);
      console.log(`  after the ${fmt(JUMPS)} jumps            ${mem(final)}`);
      line('JS heap with the trace loaded', fmt(after.jsHeapUsed), 'none set (reported)');
      line('wasm memory with the trace loaded', fmt(after.wasm), 'none set (reported)');
    }
  } finally {
    await browser.close();
    await server.close();
  }
  results.loadAverage.end = os.loadavg()[0];
  console.log(`\nmachine: load average ${results.loadAverage.end.toFixed(2)} at the end` +
    (Math.max(results.loadAverage.start, results.loadAverage.end) > 1.5 ? ' (other work was running: times are inflated; the minimums are the better guide)' : ''));
  if (env.BENCH_JSON) await writeFile(env.BENCH_JSON, JSON.stringify(results, null, 2));
}

await main();
