// Serves a page that loads the real, bundled dist/webview.js (plus the naive baseline) under
// a stand-in for VS Code's webview API, so the benchmark measures the shipped code in Chromium.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';

const root = join(__dirname, '..', '..');

const PAGE = `<!DOCTYPE html>
<html lang="en" data-modelslab-bench="1">
<head><meta charset="UTF-8"><link rel="stylesheet" href="/dist/webview.css"></head>
<body>
<div id="app" class="app"></div>
<div id="bench" class="ml-markdown"></div>
<script>
  // tsx compiles the functions the benchmark sends with page.evaluate with esbuild's keepNames.
  window.__name = (fn) => fn;
  // What acquireVsCodeApi gives a real webview: postMessage to the host, and state.
  window.__posted = [];
  let state;
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(m),
    getState: () => state,
    setState: (s) => { state = s; },
  });
  window.__longTasks = [];
  window.__longTaskEntries = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      window.__longTasks.push(e.duration);
      window.__longTaskEntries.push({ start: e.startTime, duration: e.duration });
    }
  }).observe({ type: 'longtask', buffered: true });
</script>
<script src="/dist/webview.js"></script>
<script src="/naive.js"></script>
</body></html>`;

/**
 * The comparison view's bundle (dist/compare.js) under the same stand-in. Every animation frame's
 * work is timed (the renderer writes the DOM in frames), and so are long tasks.
 */
const COMPARE_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="UTF-8"><link rel="stylesheet" href="/dist/compare.css"></head>
<body>
<div id="compare" class="app"></div>
<script>
  window.__name = (fn) => fn;
  window.acquireVsCodeApi = () => ({ postMessage: () => undefined, getState: () => undefined, setState: () => undefined });
  window.__frames = [];
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => raf((t) => {
    const started = performance.now();
    try { cb(t); } finally { window.__frames.push({ at: started, ms: performance.now() - started }); }
  });
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: true });
</script>
<script src="/dist/compare.js"></script>
</body></html>`;

export interface BenchPage {
  url: string;
  close(): Promise<void>;
}

export async function serveBenchPage(): Promise<BenchPage> {
  // The naive baseline is bench-only: bundled here, never shipped.
  const naive = await build({
    entryPoints: [join(root, 'webview-ui/src/render/naiveRenderer.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'modelslabNaive',
    minify: true,
    platform: 'browser',
  });
  const naiveJs = naive.outputFiles[0].text;
  const respond = (path: string): { type: string; body: string | Buffer } | undefined => {
    if (path === '/') return { type: 'text/html', body: PAGE };
    if (path === '/compare') return { type: 'text/html', body: COMPARE_PAGE };
    if (path === '/naive.js') return { type: 'text/javascript', body: naiveJs };
    if (!path.startsWith('/dist/') || path.includes('..')) return undefined;
    try {
      const type = path.endsWith('.js') ? 'text/javascript' : path.endsWith('.css') ? 'text/css' : 'application/octet-stream';
      return { type, body: readFileSync(join(root, path)) };
    } catch {
      return undefined;
    }
  };
  const server: Server = createServer((req, res) => {
    const found = respond((req.url ?? '/').split('?')[0]);
    if (found) res.writeHead(200, { 'content-type': found.type }).end(found.body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
