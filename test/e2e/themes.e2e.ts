// The panel in every theme VS Code ships as a default: Dark Modern, Light Modern, Dark High
// Contrast and Light High Contrast. Each theme is picked as a user picks it (F1 → Preferences:
// Color Theme → its row) in one running workbench, and each state of the panel is pictured and
// checked with axe-core: an answer streaming in with a table and a long code block, an error
// answer, the history list, a diff proposal from Apply, and (in a second workbench, started
// without a key) the welcome.
//
// Screenshots: test-results/screenshots/<theme-slug>-<state>.png. The last test lays them out
// in media/screenshots/contact-sheet.png (test/host/contact-sheet.mjs: a row per theme, a column
// per state), so a run of this file, alone or in the whole e2e tier, refreshes the committed
// sheet: commit it when the panel's look changes on purpose.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../host/codeServer.mjs';
import { assertNoSeriousViolations, axeViolations, summarize, textContrast, type AxeViolation } from './a11y';
import { ChatPanel, useChatWorkbench, type ChatSuite } from './chatPanel';
import { SCREENSHOT_DIR } from './workbench';

const THEMES = [
  { name: 'Dark Modern', slug: 'dark-modern' },
  { name: 'Light Modern', slug: 'light-modern' },
  { name: 'Dark High Contrast', slug: 'dark-high-contrast' },
  { name: 'Light High Contrast', slug: 'light-high-contrast' },
] as const;

/** In the contact sheet's order; `crop`: the sheet shows the panel's strip, or the whole window. */
const STATES = [
  { slug: 'mid-answer', label: 'Mid-answer: a table and a long code block', crop: 'panel' },
  { slug: 'error', label: 'Error answer (401)', crop: 'panel' },
  { slug: 'history', label: 'History', crop: 'panel' },
  { slug: 'welcome', label: 'Welcome without a key', crop: 'panel' },
  { slug: 'diff', label: 'Apply: the diff proposal', crop: 'window' },
] as const;

type ThemeSlug = (typeof THEMES)[number]['slug'];
type StateSlug = (typeof STATES)[number]['slug'];

const startedAt = Date.now();
/** What axe found, per theme and state, printed at the end of the run. */
const axeTable: string[] = [];

const TABLE = ['| Model | Context | Best for |', '|---|---|---|', '| Qwen2.5 Coder 32B | 32k | code |', '| DeepSeek V3 | 64k | reasoning |', '| Llama 3.3 70B | 128k | long files |'].join('\n');
const CODE_LINES = [
  "import { readFile } from 'node:fs/promises';",
  '',
  'export interface ModelLimit {',
  '  id: string;',
  '  contextTokens: number;',
  '  maxOutputTokens: number;',
  '}',
  '',
  'const cache = new Map<string, ModelLimit>();',
  '',
  '/** Reads the limits file once; later calls get the cached entries. */',
  'export async function loadLimits(path: string): Promise<ModelLimit[]> {',
  '  if (cache.size > 0) return [...cache.values()];',
  "  const raw = JSON.parse(await readFile(path, 'utf8')) as unknown;",
  "  if (!Array.isArray(raw)) throw new Error(`${path}: expected a list of models`);",
  '  for (const entry of raw) {',
  '    const limit = parseLimit(entry);',
  '    if (limit) cache.set(limit.id, limit);',
  '  }',
  '  return [...cache.values()];',
  '}',
  '',
  'function parseLimit(entry: unknown): ModelLimit | undefined {',
  "  if (typeof entry !== 'object' || entry === null) return undefined;",
  '  const { id, contextTokens, maxOutputTokens } = entry as Record<string, unknown>;',
  "  if (typeof id !== 'string' || typeof contextTokens !== 'number') return undefined;",
  "  return { id, contextTokens, maxOutputTokens: typeof maxOutputTokens === 'number' ? maxOutputTokens : 4096 };",
  '}',
  '',
  'export function fits(limit: ModelLimit, promptTokens: number): boolean {',
  '  return promptTokens + limit.maxOutputTokens <= limit.contextTokens;',
  '}',
];
const LONG_ANSWER = `Here is how the models compare, and a \`loadLimits()\` loader that caches each \`ModelLimit\`:\n\n${TABLE}\n\n\`\`\`ts\n${CODE_LINES.join('\n')}\n\`\`\`\n\nEach limit is read once and cached.`;
const CHUNK = 16;
/**
 * The last code line that arrives before the server stalls: the answer is mid-code-block, with
 * the table still in view above it (the log follows the end of the answer).
 */
const LAST_SHOWN_LINE = CODE_LINES[12];
const STALL_AFTER = Math.ceil((LONG_ANSWER.indexOf(CODE_LINES[13]) + 1) / CHUNK);

const SNIPPET = 'export function clamp(value: number, min: number, max: number): number {\n  return Math.min(max, Math.max(min, value));\n}';

/** The activity bar and side bar in the workbench's default layout at 1280×800. */
const PANEL_STRIP_WIDTH = 352;

/** The README's pictures: the best of the states, in a dark and a light theme. */
const README_SHOTS: Partial<Record<`${ThemeSlug}/${StateSlug}`, string>> = {
  'dark-modern/mid-answer': 'chat-dark',
  'light-modern/diff': 'apply-diff-light',
};

function screenshotName(theme: ThemeSlug, state: StateSlug): string {
  return `${theme}-${state}`;
}

/** Pictures the state once fonts (the codicons) have painted, and runs axe on the panel. */
async function capture(suite: ChatSuite, chat: ChatPanel, theme: ThemeSlug, state: StateSlug): Promise<AxeViolation[]> {
  await suite.workbench.fontsReady(chat.frame);
  await suite.workbench.screenshot(screenshotName(theme, state));
  const readmeName = README_SHOTS[`${theme}/${state}`];
  if (readmeName) await suite.workbench.readmeScreenshot(readmeName, STATES.find((s) => s.slug === state)?.crop === 'panel' ? PANEL_STRIP_WIDTH : undefined);
  const violations = await axeViolations(chat.frame);
  axeTable.push(`${theme} / ${state}: ${summarize(violations)}`);
  return violations;
}

/** Waits until the panel shows the theme (the webview gets it from the workbench, as a user would see it). */
async function themeApplied(chat: ChatPanel, name: string): Promise<void> {
  await chat.frame.waitForFunction((expected) => document.body.getAttribute('data-vscode-theme-name') === expected, name, { timeout: 30_000 });
}

describe('Chat panel (e2e): every theme', () => {
  const suite = useChatWorkbench();

  for (const theme of THEMES) {
    describe(theme.name, () => {
      before(async () => {
        await suite.workbench.pickColorTheme(theme.name);
        await themeApplied(suite.chat, theme.name);
      });

      it('mid-answer: a table and a long code block stream in; the log is polite and the answer busy until it ends', async () => {
        const { workbench, chat } = suite;
        workbench.server.enqueue({ text: LONG_ANSWER, chunkSize: CHUNK, stallAfterChunks: STALL_AFTER });
        await chat.send('Compare the coding models and write a loader for their limits');
        // Rendered, not merely received: the table's last row and the code up to where the server stalls.
        await chat.frame.waitForFunction(
          (lastLine) => {
            const answer = document.querySelector('article.ml-msg-assistant:last-of-type');
            const rows = answer?.querySelectorAll('table tbody tr').length ?? 0;
            const code = answer?.querySelector('.ml-code pre code')?.textContent ?? '';
            return rows === 3 && code.includes(lastLine);
          },
          LAST_SHOWN_LINE,
          { timeout: 30_000 },
        );
        await chat.button('Stop').waitFor();
        const violations = await capture(suite, chat, theme.slug, 'mid-answer');

        const live = await chat.frame.evaluate(() => {
          const log = document.querySelector('.ml-log');
          const answer = document.querySelector('article.ml-msg-assistant:last-of-type');
          return {
            logRole: log?.getAttribute('role') ?? null,
            logLive: log?.getAttribute('aria-live') ?? null,
            busy: answer?.getAttribute('aria-busy') ?? null,
            // A live region inside the streaming answer would be read out delta by delta.
            innerLive: Array.from(answer?.querySelectorAll('[aria-live], [role="status"], [role="alert"], [role="log"]') ?? []).map((e) => e.outerHTML.slice(0, 120)),
          };
        });
        const inlineCode = await textContrast(chat.frame, 'article.ml-msg-assistant:last-of-type .ml-markdown :not(pre) > code');
        // The long code lines: a drawn scrollbar (not an overlay), then "Wrap long lines".
        const code = chat.lastAnswer().locator('.ml-code pre').first();
        const sizes = () => code.evaluate((pre: HTMLElement) => ({ overflow: pre.scrollWidth - pre.clientWidth, scrollbar: pre.offsetHeight - pre.clientHeight }));
        const unwrapped = await sizes();
        const wrapToggle = chat.lastAnswer().locator('.ml-code button[aria-label="Wrap long lines"]').first();
        await wrapToggle.click();
        await chat.frame.waitForFunction(() => document.body.classList.contains('ml-wrap-code'));
        const wrapped = { ...(await sizes()), pressed: await wrapToggle.getAttribute('aria-pressed') };
        if (theme.slug === 'dark-modern') await suite.workbench.screenshot(`${theme.slug}-code-wrapped`);
        await wrapToggle.click();
        await chat.frame.waitForFunction(() => !document.body.classList.contains('ml-wrap-code'));
        // Stop before asserting, so a failure leaves no answer streaming into the next test.
        await chat.button('Stop').click();
        await chat.waitForAnswerEnd();
        const ended = await chat.lastAnswer().getAttribute('aria-busy');

        assert.ok(live.logRole === 'log' || live.logLive === 'polite', `the message log announces politely (role=log or aria-live=polite): ${JSON.stringify(live)}`);
        assert.notEqual(live.logLive, 'assertive', 'the log must not interrupt');
        assert.equal(live.busy, 'true', 'the streaming answer is aria-busy="true"');
        assert.deepEqual(live.innerLive, [], 'no live region inside the streaming answer');
        assert.ok(ended === null || ended === 'false', `aria-busy is cleared once the answer ends (it is ${ended})`);
        assert.ok(inlineCode.ratio >= 4.5, `inline code is readable: ${inlineCode.color} on ${inlineCode.background} is ${inlineCode.ratio.toFixed(2)}:1`);
        assert.ok(unwrapped.overflow > 0, `the code's long lines overflow the narrow panel (${JSON.stringify(unwrapped)})`);
        assert.ok(unwrapped.scrollbar >= 8, `a horizontal scrollbar is drawn under the code, not only on hover (${JSON.stringify(unwrapped)})`);
        assert.deepEqual(wrapped, { overflow: 0, scrollbar: 0, pressed: 'true' }, 'wrapped: nothing to scroll, and the toggle says it is on');
        assertNoSeriousViolations(violations, `${theme.name}, mid-answer`);
      });

      it('error: a rejected key (401) shows the error and its action', async () => {
        const { workbench, chat } = suite;
        workbench.server.enqueue({ status: 401, errorMessage: 'Invalid API key provided' });
        await chat.send('hello');
        await chat.lastErrorMatching(/API key/i);
        await chat.lastAnswer().locator('.ml-error button[aria-label="Set API Key"]').waitFor();
        await chat.waitForAnswerEnd();
        assertNoSeriousViolations(await capture(suite, chat, theme.slug, 'error'), `${theme.name}, error`);
      });

      it('history: the saved conversations, from the title-bar action', async () => {
        const { chat } = suite;
        await chat.showHistory();
        await chat.frame.locator('.ml-history-list .ml-history-item').nth(1).waitFor();
        const violations = await capture(suite, chat, theme.slug, 'history');
        assertNoSeriousViolations(violations, `${theme.name}, history`);
      });

      it('diff: Apply on a code block opens the proposal with Accept/Reject in the editor title', async () => {
        const { workbench, chat } = suite;
        const page = workbench.page;
        await chat.frame.locator('button[aria-label="Back to chat"]').click();
        await chat.composer.waitFor();
        await workbench.openFile('math.ts');
        await workbench.selectLines(9, 13);
        workbench.server.enqueue({ text: `A shorter clamp:\n\n\`\`\`ts\n${SNIPPET}\n\`\`\`` });
        await chat.send('simplify clamp');
        await chat.waitForAnswerEnd();
        await chat.lastAnswer().locator('.ml-code button[aria-label="Apply to editor"]').click();
        await page.locator('.tabs-container .tab.active[aria-label*="ModelsLab proposal"]').waitFor();
        // The diff has computed and drawn its changed lines, on both sides.
        await page.locator('.monaco-diff-editor .editor.original :is(.line-delete, .char-delete)').first().waitFor();
        await page.locator('.monaco-diff-editor .editor.modified :is(.line-insert, .char-insert)').first().waitFor();
        const accept = page.locator('.editor-actions a.action-label[aria-label^="Accept Proposed Change"]');
        const reject = page.locator('.editor-actions a.action-label[aria-label^="Reject Proposed Change"]');
        await accept.waitFor();
        await reject.waitFor();
        const violations = await capture(suite, chat, theme.slug, 'diff');
        await reject.click();
        await page.locator('.tabs-container .tab[aria-label*="ModelsLab proposal"]').waitFor({ state: 'detached' });
        // The next theme starts as this one did: no editor, so no selection chip in the composer.
        await page.locator('.tabs-container .tab.active[aria-label*="math.ts"] .tab-actions a.action-label[aria-label^="Close"]').click();
        await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
        await chat.frame.waitForFunction(() => document.querySelectorAll('.ml-footer .ml-chip').length === 0);
        assertNoSeriousViolations(violations, `${theme.name}, diff (the panel beside it)`);
      });
    });
  }
});

describe('Chat panel (e2e): every theme, without a key', () => {
  const suite = useChatWorkbench({ apiKey: '' }, { openChat: false });
  let chat: ChatPanel;

  before(async () => {
    chat = new ChatPanel(await suite.workbench.openChat());
  });

  for (const theme of THEMES) {
    it(`${theme.name}: the welcome`, async () => {
      await suite.workbench.pickColorTheme(theme.name);
      await themeApplied(chat, theme.name);
      await chat.frame.locator('.ml-welcome button[aria-label="Set API Key"]').waitFor();
      assertNoSeriousViolations(await capture(suite, chat, theme.slug, 'welcome'), `${theme.name}, welcome`);
    });
  }
});

describe('Chat panel (e2e): every theme, the contact sheet', () => {
  after(() => {
    if (axeTable.length > 0) console.log(`\n      axe violations by theme and state:\n${axeTable.map((line) => `        ${line}`).join('\n')}`);
  });

  it('lays every theme × state screenshot out in media/screenshots/contact-sheet.png', () => {
    const stale: string[] = [];
    for (const state of STATES) {
      for (const theme of THEMES) {
        const file = join(SCREENSHOT_DIR, `${screenshotName(theme.slug, state.slug)}.png`);
        if (!existsSync(file) || statSync(file).mtimeMs < startedAt) stale.push(file);
      }
    }
    // The sheet is still drawn (with the gaps marked) so a person can see what did work.
    const layout = { themes: THEMES.map((t) => [t.slug, t.name]), states: STATES.map((s) => [s.slug, s.label, s.crop]) };
    const run = spawnSync(process.execPath, [join(repoRoot, 'test/host/contact-sheet.mjs'), '--layout', JSON.stringify(layout)], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, `contact-sheet.mjs failed:\n${run.stdout}\n${run.stderr}`);
    const sheet = join(repoRoot, 'media', 'screenshots', 'contact-sheet.png');
    assert.ok(statSync(sheet).mtimeMs >= startedAt, 'the sheet was written');
    assert.ok(statSync(sheet).size < 1.5 * 1024 * 1024, `the sheet is ${statSync(sheet).size} bytes (keep it under 1.5 MB)`);
    assert.deepEqual(stale, [], 'every theme × state was pictured in this run');
  });
});
