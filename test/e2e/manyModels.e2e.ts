// One key, many models, in the real workbench: a rate-limited model falls back to the next one,
// a second model reviews a proposed change, and the Anthropic-compatible endpoint carries a chat
// and a refactor.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useChatWorkbench } from './chatPanel';
import type { Workbench } from './workbench';

const QWEN = 'Qwen-Qwen2.5-Coder-32B-Instruct';
const DEEPSEEK = 'deepseek-ai-DeepSeek-V3';
const CLAMP = 'export function clamp(value: number, min: number, max: number): number {\n  return Math.min(max, Math.max(min, value));\n}';

/** Selects clamp in math.ts, runs Refactor with an instruction, and waits for the proposal's diff. */
async function refactorClamp(workbench: Workbench, instruction: string): Promise<void> {
  const page = workbench.page;
  await workbench.openFile('math.ts');
  await workbench.selectLines(9, 13);
  await workbench.runCommand('ModelsLab: Refactor Selection');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(instruction);
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active[aria-label*="ModelsLab proposal"]').waitFor({ timeout: 30_000 });
  await page.locator('.monaco-diff-editor .editor.modified :is(.line-insert, .char-insert)').first().waitFor();
}

/** Rejects the open proposal and closes math.ts, so the next test starts from no editor. */
async function closeProposal(page: Page): Promise<void> {
  await page.locator('.editor-actions a.action-label[aria-label^="Reject Proposed Change"]').click();
  await page.locator('.tabs-container .tab[aria-label*="ModelsLab proposal"]').waitFor({ state: 'detached' });
  await page.locator('.tabs-container .tab.active[aria-label*="math.ts"] .tab-actions a.action-label[aria-label^="Close"]').click();
}

describe('Many models (e2e): fallback and a second opinion', () => {
  const suite = useChatWorkbench({ settings: { 'modelslab.fallbackModels': [DEEPSEEK], 'modelslab.fallback.rateLimitWaitSeconds': 5 } });
  const chats = () => suite.workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions'));

  it('a model rate-limited for longer than the threshold falls back to the next one, and the answer says so', async () => {
    const { workbench, chat } = suite;
    // ModelsLab's 429: the wait is in the body (60 s), over the 5 s the setting accepts.
    workbench.server.enqueueFor(QWEN, { status: 429, errorShape: 'legacy', errorMessage: 'Rate limit exceeded.', retryAfterInBody: 60 });
    workbench.server.enqueueFor(DEEPSEEK, { text: 'DeepSeek here: **use a Map**.', chunkSize: 4, tokensPerSecond: 100 });
    await chat.send('Which collection should I use?');
    await chat.waitForAnswerEnd();
    assert.deepEqual(chats().map((r) => r.body.model), [QWEN, DEEPSEEK], 'one try on Qwen, then DeepSeek; no 60 s wait');
    const answer = chat.lastAnswer();
    assert.equal(await answer.locator('.ml-msg-model').textContent(), 'DeepSeek V3');
    assert.equal(await answer.locator('.ml-answer-note').textContent(), 'Answered by DeepSeek V3 — Qwen2.5 Coder 32B was rate-limited');
    assert.match(await chat.lastAnswerText(), /use a Map/);
    await workbench.fontsReady(chat.frame);
    await workbench.screenshot('fallback-notice');
  });

  it('Review with Another Model shows the reviewer’s verdict and concerns on the proposal', async () => {
    const { workbench } = suite;
    const page = workbench.page;
    workbench.server.enqueue({ text: `\`\`\`ts\n${CLAMP}\n\`\`\`` });
    await refactorClamp(workbench, 'make it one line');
    const review = {
      verdict: 'concerns',
      summary: 'Correct for ordinary numbers, but NaN now passes through silently.',
      concerns: [{ line: 10, severity: 'warning', message: 'Math.min/Math.max return NaN when value is NaN; the old code returned max.' }],
    };
    workbench.server.enqueue({ text: JSON.stringify(review) });
    const before = chats().length;
    await page.locator('.editor-actions a.action-label[aria-label^="Review with Another Model"]').click();
    // The concern's mark on the proposed side: a warning bar on its line (toasts wait for the window's focus, which a headless page may not have).
    await page.locator('.monaco-diff-editor .editor.modified .view-overlays [class*="ced-"], .monaco-diff-editor .editor.modified .margin-view-overlays [class*="ced-"]').first().waitFor({ state: 'attached', timeout: 30_000 });
    const request = chats()[before];
    assert.deepEqual(request.body.response_format, { type: 'json_object' });
    assert.notEqual(request.body.model, QWEN, 'a model of another family reviews Qwen’s change');
    assert.match(JSON.stringify(request.body.messages), /make it one line/);
    // The concern sits on its line of the proposed side, as a comment thread VS Code draws there…
    await page.locator('.monaco-diff-editor .editor.modified').getByText(/the old code returned max/).first().waitFor({ timeout: 15_000 });
    await workbench.fontsReady();
    await workbench.screenshot('second-opinion-on-diff');
    await workbench.readmeScreenshot('second-opinion-dark');
    // …and in the line's hover.
    const line = page.locator('.monaco-diff-editor .editor.modified .view-line', { hasText: 'return Math.min(max' });
    await line.hover();
    await page.locator('.monaco-hover:not(.hidden)', { hasText: 'the old code returned max' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Escape');
    await closeProposal(page);
  });
});

describe('Anthropic-compatible endpoint (e2e)', () => {
  const suite = useChatWorkbench({ settings: { 'modelslab.protocol': 'anthropic' } });
  const messages = () => suite.workbench.server.requests.filter((r) => r.path.endsWith('/v1/messages'));

  it('a chat round trip streams over POST /v1/messages with x-api-key and anthropic-version', async () => {
    const { workbench, chat } = suite;
    workbench.server.enqueue({ text: 'Over the **messages** API:\n\n```ts\nconst ok = true;\n```', chunkSize: 3, tokensPerSecond: 120, usage: { prompt_tokens: 40, completion_tokens: 12 } });
    await chat.send('Say hello over Anthropic');
    await chat.waitForAnswerEnd();
    assert.equal(suite.workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 0, 'nothing went to the OpenAI path');
    const request = messages()[0];
    assert.equal(request.headers['anthropic-version'], '2023-06-01');
    assert.ok(request.headers['x-api-key'], 'the key travels as x-api-key');
    assert.equal(typeof request.body.max_tokens, 'number');
    assert.equal(request.body.messages.at(-1).role, 'user');
    assert.equal(request.body.messages.some((m: { role: string }) => m.role === 'system'), false, 'the system prompt is top-level');
    assert.equal(await chat.lastAnswer().locator('.ml-msg-body strong').textContent(), 'messages');
    assert.match(await chat.lastAnswer().locator('.ml-usage').textContent() ?? '', /52 tokens/);
  });

  it('a refactor over the Anthropic transport ends in the usual diff proposal', async () => {
    const { workbench } = suite;
    workbench.server.enqueue({ text: `\`\`\`ts\n${CLAMP}\n\`\`\`` });
    const before = messages().length;
    await refactorClamp(workbench, 'use Math.min and Math.max');
    const request = messages()[before];
    assert.match(JSON.stringify(request.body.messages), /use Math\.min and Math\.max/);
    assert.ok(typeof request.body.system === 'string' && request.body.system.length > 0);
    assert.ok(await workbench.page.locator('.editor-actions a.action-label[aria-label^="Accept Proposed Change"]').isVisible());
    await closeProposal(workbench.page);
  });
});
