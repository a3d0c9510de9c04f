// Lays the theme e2e test's screenshots out in one labelled grid, a row per theme and a column
// per state, and writes media/screenshots/contact-sheet.png: the panel in every theme at a
// glance. Headless Chromium draws an HTML page of scaled-down <img src="data:…"> with captions.
//
// test/e2e/themes.e2e.ts runs this as its last test, passing its own themes and states, so a
// run of that file refreshes the sheet. By hand, after a run of the theme test:
//   node test/host/contact-sheet.mjs [--layout '{"themes":[["dark-modern","Dark Modern"],…],"states":[["mid-answer","Mid-answer","panel"],…]}'] [--out file.png]
// Each state is shown cropped to the panel's strip ("panel") or as the whole window ("window").
// A screenshot that is missing is drawn as a marked gap (and reported), so a partial run still
// shows what did work.
/* global document -- the page.evaluate callbacks run in the browser */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium, repoRoot } from './codeServer.mjs';

/**
 * What part of a 1280×800 screenshot a state shows: the panel's strip (activity bar and side
 * bar, in the workbench's default layout) or the whole window (Apply's diff is in the editor).
 */
const CROPS = {
  panel: { x: 0, y: 0, w: 352, h: 800 },
  window: { x: 0, y: 0, w: 1280, h: 800 },
};
const SHOT_WIDTH = 1280;

const DEFAULT_LAYOUT = {
  themes: [
    ['dark-modern', 'Dark Modern'],
    ['light-modern', 'Light Modern'],
    ['dark-high-contrast', 'Dark High Contrast'],
    ['light-high-contrast', 'Light High Contrast'],
  ],
  /** [slug, caption, crop] */
  states: [
    ['mid-answer', 'Mid-answer: a table and a long code block', 'panel'],
    ['error', 'Error answer (401)', 'panel'],
    ['history', 'History', 'panel'],
    ['welcome', 'Welcome without a key', 'panel'],
    ['diff', 'Apply: the diff proposal', 'window'],
  ],
};

/** Every cell is this tall (CSS pixels); the screenshots are scaled to fit it (0.6 of their size). */
const CELL_HEIGHT = 480;
const SCREENSHOTS = join(repoRoot, 'test-results', 'screenshots');

const escapeHtml = (text) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/**
 * Lays the screenshots out: a row per theme, a column per state.
 * @param {{ layout?: typeof DEFAULT_LAYOUT, dir?: string, out?: string }} options
 * @returns {Promise<{ out: string, missing: string[] }>}
 */
export async function buildContactSheet({ layout = DEFAULT_LAYOUT, dir = SCREENSHOTS, out = join(repoRoot, 'media', 'screenshots', 'contact-sheet.png') } = {}) {
  const missing = [];
  const cell = (theme, state, cropName) => {
    const crop = CROPS[cropName] ?? CROPS.window;
    const scale = CELL_HEIGHT / crop.h;
    const box = `width:${Math.round(crop.w * scale)}px;height:${CELL_HEIGHT}px`;
    const file = join(dir, `${theme}-${state}.png`);
    if (!existsSync(file)) {
      missing.push(file);
      return `<div class="thumb missing" style="${box}">missing:<br>${escapeHtml(`${theme}-${state}.png`)}</div>`;
    }
    const data = readFileSync(file).toString('base64');
    const place = `width:${SHOT_WIDTH * scale}px;left:${-crop.x * scale}px;top:${-crop.y * scale}px`;
    return `<div class="thumb" style="${box}"><img alt="" style="${place}" src="data:image/png;base64,${data}"></div>`;
  };
  const header = layout.states.map(([, label]) => `<th scope="col">${escapeHtml(label)}</th>`).join('');
  const rows = layout.themes
    .map(([theme, name]) => `<tr><th scope="row">${escapeHtml(name)}</th>${layout.states.map(([state, , crop]) => `<td>${cell(theme, state, crop)}</td>`).join('')}</tr>`)
    .join('\n');
  const newest = layout.states
    .flatMap(([state]) => layout.themes.map(([theme]) => join(dir, `${theme}-${state}.png`)))
    .filter((file) => existsSync(file))
    .reduce((latest, file) => Math.max(latest, statSync(file).mtimeMs), 0);
  const taken = newest ? new Date(newest).toISOString().slice(0, 10) : 'never';

  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><style>
  body { margin: 0; padding: 16px 20px 12px; background: #f3f3f3; color: #1f1f1f; font: 14px/1.4 system-ui, sans-serif; }
  h1 { margin: 0 0 4px; font-size: 18px; }
  p { margin: 0 0 8px; color: #555; }
  table { border-collapse: separate; border-spacing: 10px 8px; margin: 0 -10px; }
  th { font-weight: 600; text-align: left; vertical-align: bottom; max-width: 260px; }
  th[scope='row'] { width: 90px; vertical-align: middle; }
  td { vertical-align: top; }
  .thumb { position: relative; overflow: hidden; border: 1px solid #bbb; }
  .thumb img { position: absolute; display: block; }
  .missing { display: flex; align-items: center; justify-content: center; text-align: center; box-sizing: border-box; background: repeating-linear-gradient(45deg, #fde2e2, #fde2e2 10px, #fff 10px, #fff 20px); color: #a00; font-weight: 600; }
</style></head><body>
<h1>ModelsLab Coder: the chat panel in VS Code's default themes</h1>
<p>Screenshots from test/e2e/themes.e2e.ts (code-server's VS Code workbench at 1280×800; the panel's strip, and the whole window for Apply), ${escapeHtml(taken)}. Regenerate: run that test.</p>
<table><thead><tr><td></td>${header}</tr></thead><tbody>
${rows}
</tbody></table>
</body></html>`;

  mkdirSync(dirname(out), { recursive: true });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 800, height: 600 }, deviceScaleFactor: 1 });
    await page.setContent(html);
    await page.evaluate(() => Promise.all(Array.from(document.images, (img) => img.decode())));
    const width = await page.evaluate(() => Math.ceil(document.querySelector('table').getBoundingClientRect().right) + 20);
    await page.setViewportSize({ width, height: 600 });
    await page.screenshot({ path: out, fullPage: true });
  } finally {
    await browser.close();
  }
  return { out, missing };
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const { values } = parseArgs({ options: { layout: { type: 'string' }, out: { type: 'string' }, dir: { type: 'string' } } });
  const { out, missing } = await buildContactSheet({
    layout: values.layout ? JSON.parse(values.layout) : undefined,
    dir: values.dir ? resolve(values.dir) : undefined,
    out: values.out ? resolve(values.out) : undefined,
  });
  const size = statSync(out).size;
  console.log(`Wrote ${out} (${(size / 1024).toFixed(0)} KB)`);
  for (const file of missing) console.warn(`missing screenshot: ${file}`);
}
