// Comparing models in the real workbench: pick three models in the panel, send one prompt, watch
// the answers stream side by side in the editor area, and continue the chat with one of them.
import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { assertNoSeriousViolations, axeViolations, injectAxe } from './a11y';
import { useChatWorkbench } from './chatPanel';

const QWEN = 'Qwen-Qwen2.5-Coder-32B-Instruct';
const DEEPSEEK = 'deepseek-ai-DeepSeek-V3';
const LLAMA = 'meta-llama-Llama-3.3-70B-Instruct-Turbo';

const ANSWERS: Record<string, string> = {
  [QWEN]: 'Use a **Map** keyed by id:\n\n```ts\nconst byId = new Map(items.map((i) => [i.id, i]));\n```\n\nLookups are O(1).',
  [DEEPSEEK]: 'Build an index object once:\n\n```ts\nconst byId = Object.fromEntries(items.map((i) => [i.id, i]));\n```\n\nIt serialises to JSON as is.',
  [LLAMA]: 'Sort by id and use binary search:\n\n```ts\nitems.sort((a, b) => a.id - b.id);\n```\n\nNo extra memory.',
};

describe('Compare models (e2e)', () => {
  const suite = useChatWorkbench();
  const chats = () => suite.workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions'));

  /** The comparison view's frame for this prompt (a new comparison reloads the view, so older frames go away). */
  async function compareFrame(prompt: string): Promise<Frame> {
    return suite.workbench.findFrame(
      async (frame) => (await frame.$('#compare .mlc-column')) !== null && (await frame.locator('.mlc-prompt').textContent()) === prompt,
      'The comparison view did not appear.',
    );
  }

  it('three models answer one prompt side by side, and “Use this answer” continues the chat with that answer and model', async () => {
    const { workbench, chat } = suite;
    const page = workbench.page;
    // Pick the models in the composer: a multi-select Quick Pick of the catalogue.
    await chat.frame.locator('.ml-compare-button').click();
    const pick = page.locator('.quick-input-widget');
    await pick.locator('.monaco-list-row', { hasText: 'DeepSeek V3' }).first().click();
    await pick.locator('.monaco-list-row', { hasText: 'Llama 3.3 70B Turbo' }).first().click();
    await page.keyboard.press('Enter');
    const chip = chat.frame.locator('.ml-compare-chip .ml-chip-label');
    await chip.waitFor();
    assert.equal(await chip.textContent(), 'Compare: Qwen2.5 Coder 32B · DeepSeek V3 · Llama 3.3 70B Turbo');

    for (const [model, text] of Object.entries(ANSWERS)) workbench.server.enqueueFor(model, { text, chunkSize: 4, tokensPerSecond: 200 });
    await chat.send('How should I look items up by id?');
    const frame = await compareFrame('How should I look items up by id?');
    await frame.waitForFunction(() => document.querySelectorAll('.mlc-column').length === 3 && [...document.querySelectorAll('.mlc-status')].every((s) => s.textContent === 'Finished'), undefined, { timeout: 30_000 });
    assert.deepEqual(chats().map((r) => r.body.model).sort(), [QWEN, DEEPSEEK, LLAMA].sort(), 'the server saw one request per model');
    assert.deepEqual(await frame.locator('.mlc-model').allTextContents(), ['Qwen2.5 Coder 32B', 'DeepSeek V3', 'Llama 3.3 70B Turbo']);
    // Side by side: three columns next to each other, each with its figures and code actions.
    const boxes = await frame.locator('.mlc-column').evaluateAll((columns: Element[]) => columns.map((c) => c.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, w: r.width })));
    assert.ok(boxes[0].x < boxes[1].x && boxes[1].x < boxes[2].x, `columns side by side: ${JSON.stringify(boxes)}`);
    assert.ok(boxes.every((b) => Math.abs(b.y - boxes[0].y) < 2));
    for (const metrics of await frame.locator('.mlc-metrics').allTextContents()) assert.match(metrics, /^First token \d[\d,]* ms · [\d.,]+ tokens\/s · [\d,]+ tokens/);
    assert.equal(await frame.locator('.mlc-column').nth(1).locator('.ml-code .ml-code-btn[data-action="copy"]').count(), 1);
    assert.match(await chat.lastAnswer().locator('.ml-answer-note').textContent() ?? '', /answer side by side/);
    await workbench.fontsReady(frame);
    await workbench.screenshot('compare-three-models');
    await workbench.readmeScreenshot('compare-dark');
    // Every theme: no serious accessibility violation, and a look at each.
    for (const theme of ['Light High Contrast', 'Light Modern', 'Dark High Contrast', 'Dark Modern']) {
      if (theme !== 'Dark Modern') {
        await workbench.pickColorTheme(theme);
        await workbench.screenshot(`compare-${theme.toLowerCase().replace(/ /g, '-')}`);
      } else {
        await workbench.pickColorTheme(theme);
      }
      await injectAxe(frame);
      assertNoSeriousViolations(await axeViolations(frame), `the comparison view, ${theme}`);
    }

    await frame.locator('.mlc-column').nth(1).locator('.mlc-use').click();
    await chat.lastAnswer().locator('.ml-msg-model', { hasText: 'DeepSeek V3' }).waitFor();
    assert.match(await chat.lastAnswerText(), /Build an index object once/);
    assert.match(await chat.lastAnswer().locator('.ml-answer-note').textContent() ?? '', /Chosen from 3 answers/);
    await frame.locator('.mlc-column.is-chosen .mlc-model', { hasText: 'DeepSeek V3' }).waitFor();
    // The status bar follows: the chat now continues with DeepSeek.
    await page.locator('.statusbar-item [aria-label^="ModelsLab model DeepSeek V3."]').waitFor({ state: 'attached', timeout: 30_000 });

    workbench.server.enqueue({ text: 'Yes: Object.fromEntries keeps insertion order.' });
    const before = chats().length;
    await chat.send('Does it keep order?');
    await chat.waitForAnswerEnd();
    const followUp = chats()[before];
    assert.equal(followUp.body.model, DEEPSEEK, 'the next prompt goes to the chosen model');
    const messages = followUp.body.messages as { role: string; content: string }[];
    assert.match(messages.at(-2)?.content ?? '', /Build an index object once/, 'with the chosen answer as the history');
    assert.equal(JSON.stringify(messages).includes('binary search'), false, 'the others are not sent');
  });

  it('Stop All stops every column and the server sees each request close', async () => {
    const { workbench, chat } = suite;
    await chat.frame.locator('.ml-compare-button').click();
    const pick = workbench.page.locator('.quick-input-widget');
    await pick.locator('.monaco-list-row', { hasText: 'Qwen2.5 Coder 32B' }).first().click();
    await workbench.page.keyboard.press('Enter');
    await chat.frame.locator('.ml-compare-chip:not([hidden])').waitFor();
    for (const model of [DEEPSEEK, QWEN]) workbench.server.enqueueFor(model, { text: 'word '.repeat(30), chunkSize: 5, stallAfterChunks: 2 });
    const before = chats().length;
    await chat.send('Stop me');
    const frame = await compareFrame('Stop me');
    await frame.waitForFunction(() => [...document.querySelectorAll('.mlc-status')].filter((s) => s.textContent === 'Streaming').length === 2, undefined, { timeout: 30_000 });
    await frame.locator('.mlc-stop-all').click();
    await frame.waitForFunction(() => [...document.querySelectorAll('.mlc-status')].every((s) => s.textContent === 'Stopped'), undefined, { timeout: 30_000 });
    for (const request of chats().slice(before)) {
      await request.closed;
      assert.equal(request.closedByClient, true);
    }
    await chat.waitForAnswerEnd();
  });
});
