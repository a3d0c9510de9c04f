// Renders media/icon.png, the 128×128 icon of the extension's page in the Extensions view:
// the activity-bar glyph (media/activitybar.svg) in white, large and centred on a rounded
// square in the brand colour, with transparent corners. Headless Chromium draws it, so the
// PNG can be regenerated after the glyph changes:  node test/host/make-icon.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, repoRoot } from './codeServer.mjs';

const SIZE = 128;
const BRAND = '#6d28d9';
/** The glyph's longer side, as a share of the tile. */
const GLYPH_SHARE = 0.62;
const out = join(repoRoot, 'media', 'icon.png');

const glyph = readFileSync(join(repoRoot, 'media', 'activitybar.svg'), 'utf8');

const html = `<!DOCTYPE html>
<html><head><style>
  html, body { margin: 0; width: ${SIZE}px; height: ${SIZE}px; background: transparent; }
  .tile {
    width: ${SIZE}px; height: ${SIZE}px; border-radius: 28px;
    background: ${BRAND}; color: #fff; display: flex; align-items: center; justify-content: center;
  }
  .tile svg { width: ${SIZE}px; height: ${SIZE}px; }
</style></head>
<body><div class="tile">${glyph}</div></body></html>`;

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
  await page.setContent(html);
  // Centre the glyph's drawn shape (its paths' box plus half a stroke), not its 24-unit box,
  // which has more room on the left and at the bottom.
  await page.locator('svg').evaluate((svg, share) => {
    const box = svg.getBBox();
    const pad = Number(svg.getAttribute('stroke-width') ?? 0) / 2;
    const side = Math.max(box.width, box.height) + 2 * pad;
    const view = side / share;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    svg.setAttribute('viewBox', `${cx - view / 2} ${cy - view / 2} ${view} ${view}`);
  }, GLYPH_SHARE);
  await page.screenshot({ path: out, omitBackground: true, clip: { x: 0, y: 0, width: SIZE, height: SIZE } });
  console.log(`Wrote ${out}`);
} finally {
  await browser.close();
}
