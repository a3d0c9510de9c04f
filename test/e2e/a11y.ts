// Accessibility checks inside the chat webview, with axe-core. The test injects axe into the
// webview's frame (it is a devDependency and never shipped: .vscodeignore allows dist/ and
// media/ only). The webview's CSP admits scripts with its nonce only, so a <script> tag could
// not load it; Playwright's evaluate runs in the page's own context and is not subject to that.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { repoRoot } from '../host/codeServer.mjs';

export interface AxeNode {
  target: string[];
  html: string;
  failureSummary?: string;
}

export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

let axeSource: string | undefined;

/** Loads axe-core into the frame, unless it is already there (a theme switch keeps the page). */
export async function injectAxe(frame: Frame): Promise<void> {
  if (await frame.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object')) return;
  axeSource ??= readFileSync(join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await frame.evaluate(axeSource);
  const loaded = await frame.evaluate(() => typeof (window as unknown as { axe?: { run?: unknown } }).axe?.run === 'function');
  if (!loaded) throw new Error('axe-core did not load in the chat webview.');
}

/** Runs every axe rule on the webview's document and returns the violations. */
export async function axeViolations(frame: Frame): Promise<AxeViolation[]> {
  await injectAxe(frame);
  return frame.evaluate(async () => {
    type Run = (context: Document, options: object) => Promise<{ violations: AxeViolation[] }>;
    const axe = (window as unknown as { axe: { run: Run } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    // Only what the report needs: axe's full result holds DOM references and much more.
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html, failureSummary: n.failureSummary })),
    }));
  });
}

export function isSerious(violation: AxeViolation): boolean {
  return violation.impact === 'serious' || violation.impact === 'critical';
}

/**
 * Defects axe found that are reported to the panel's authors and not fixed yet, each matched by
 * its rule and the nodes it is about. A failure made only of these says so in its message; the
 * assertion itself is not relaxed, and the same rule on other nodes is not called known.
 */
export const KNOWN_DEFECTS: readonly { rule: string; node: RegExp; note: string }[] = [
  {
    rule: 'scrollable-region-focusable',
    node: /^<pre>/,
    note: "a code block's <pre> (render.css `.ml-code pre { overflow-x: auto }`) scrolls sideways but has no tabindex, role or name: Chromium makes it a nameless Tab stop, other engines no stop at all",
  },
  {
    rule: 'color-contrast',
    node: /^<span class="hljs-(title class_|comment)"/,
    note: 'syntax colours in light themes: render.css colours .hljs-title.class_ with --vscode-symbolIcon-classForeground (#d67e00, an icon colour: 2.9:1 on Light Modern\'s code background) and .hljs-comment with --vscode-editorCodeLens-foreground (#919191: 3.0:1); text needs 4.5:1',
  },
];

function knownNote(violation: AxeViolation): string | undefined {
  const known = KNOWN_DEFECTS.find((d) => d.rule === violation.id && violation.nodes.every((n) => d.node.test(n.html)));
  return known?.note;
}

/** A readable list of violations, one node per line. */
export function formatViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map((v) => {
      const note = knownNote(v);
      const known = note ? `\n    KNOWN DEFECT (reported, not fixed in this change): ${note}` : '';
      const nodes = v.nodes
        .slice(0, 10)
        .map((n) => `\n    - ${n.target.join(' ')}: ${n.html.slice(0, 160)}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, ' ')}` : ''}`)
        .join('');
      const more = v.nodes.length > 10 ? `\n    … and ${v.nodes.length - 10} more` : '';
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})${known}${nodes}${more}`;
    })
    .join('\n');
}

/** One line per violation, for the log: "serious scrollable-region-focusable ×1". */
export function summarize(violations: readonly AxeViolation[]): string {
  return violations.length === 0 ? 'none' : violations.map((v) => `${v.impact} ${v.id} ×${v.nodes.length}`).join(', ');
}

/**
 * Fails when axe finds a serious or critical violation, listing them all. Minor and moderate
 * ones are printed, not failed.
 */
export function assertNoSeriousViolations(violations: readonly AxeViolation[], where: string): void {
  const serious = violations.filter(isSerious);
  const rest = violations.filter((v) => !isSerious(v));
  if (rest.length > 0) console.log(`      axe, ${where}, minor/moderate (not failed): ${summarize(rest)}`);
  if (serious.length === 0) return;
  const allKnown = serious.every((v) => knownNote(v) !== undefined);
  const heading = allKnown ? `KNOWN DEFECT: axe finds ${serious.length} serious/critical violation(s) in ${where}` : `axe finds ${serious.length} serious/critical violation(s) in ${where}`;
  throw new Error(`${heading}:\n${formatViolations(serious)}`);
}

/**
 * The contrast ratio (WCAG) of the text of the first element matching `selector` against the
 * first opaque background behind it. axe leaves out what it cannot decide (it reports those as
 * "incomplete"); this is for the few places where we must know.
 */
export async function textContrast(frame: Frame, selector: string): Promise<{ ratio: number; color: string; background: string }> {
  // No named helpers inside: the test runner's transform would wrap them in a __name() that
  // the page does not have.
  return frame.evaluate((sel) => {
    const target = document.querySelector(sel);
    if (!target) throw new Error(`no element matches ${sel}`);
    let background = 'rgb(255, 255, 255)';
    for (let node: Element | null = target; node; node = node.parentElement) {
      const css = getComputedStyle(node).backgroundColor;
      const alpha = (css.match(/[\d.]+/g) ?? []).map(Number)[3] ?? 1;
      if (alpha >= 0.99) {
        background = css;
        break;
      }
    }
    const color = getComputedStyle(target).color;
    const [light, dark] = [color, background]
      .map((css) => {
        const [r, g, b] = (css.match(/[\d.]+/g) ?? []).map(Number).map((v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      })
      .sort((x, y) => y - x);
    return { ratio: (light + 0.05) / (dark + 0.05), color, background };
  }, selector);
}
