// VS Code's own Chat view (the built-in Copilot Chat 0.67 in code-server 1.139), signed out
// and offline: ModelsLab's models in its model picker, and @modelslab answering there.
//
// What the view needs, found in 1.139's workbench (see README, "In VS Code's Chat view"):
// - `chat.disableAIFeatures` off (the other e2e suites turn it on to keep the window quiet);
// - a ModelsLab model selected in the picker, or the request fails with "Language model
//   unavailable" before any participant runs (signed out there is no Copilot default model).
//   Our extension has VS Code read its models at startup, and `chat.defaultModel` picks one.
// - A prompt without @modelslab goes to Copilot's own agent, which asks for a GitHub sign-in;
//   the last test records that, so a VS Code that lifts it shows up here.
import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { Workbench } from './workbench';

const CODER = 'Qwen2.5 Coder 32B';
const FIXED_CLAMP = 'export function clamp(value: number, min: number, max: number): number {\n  return Math.min(max, Math.max(min, value));\n}';

describe("VS Code's own Chat view (e2e): ModelsLab models and @modelslab, signed out", () => {
  let workbench: Workbench;
  let chat: Locator;

  before(async () => {
    workbench = await Workbench.open({
      settings: { 'chat.disableAIFeatures': false, 'chat.newSession.defaultMode': 'ask', 'chat.defaultModel': 'Qwen-Qwen2.5-Coder-32B-Instruct' },
    });
    await workbench.page.locator('.titlebar .action-label[aria-label^="Toggle Secondary Side Bar"]').first().click();
    chat = workbench.page.locator('.part.auxiliarybar');
    await chat.locator('.interactive-input-part').waitFor();
  });
  afterEach(async function () {
    await workbench?.screenshotIfFailed(this.currentTest);
  });
  after(() => workbench?.close());

  const input = () => chat.locator('.interactive-input-part .monaco-editor .view-lines').first();

  async function send(text: string): Promise<void> {
    await input().click();
    await workbench.page.keyboard.press('Control+A');
    await workbench.page.keyboard.press('Backspace');
    await workbench.page.keyboard.type(text);
    // The Send button, not Enter: Enter would pick the completion that "/explain" brings up.
    await chat.locator('.interactive-input-part .action-label[aria-label^="Send"]').first().click();
  }

  /** The last response in the view, once it has stopped streaming. */
  async function lastResponse(): Promise<Locator> {
    const response = chat.locator('.interactive-item-container.interactive-response').last();
    await response.waitFor();
    await chat.locator('.interactive-item-container.interactive-response.chat-response-loading').waitFor({ state: 'detached', timeout: 30_000 });
    return response;
  }

  it("offers ModelsLab's models in its model picker, without a GitHub sign-in", async () => {
    const picker = chat.locator('.model-picker-item');
    await picker.filter({ hasText: CODER }).waitFor({ timeout: 30_000 });
    await picker.locator('a.model-picker-name').click();
    const rows = workbench.page.locator('.action-widget .monaco-list-row');
    await rows.filter({ hasText: CODER }).first().waitFor();
    const shown = await rows.allInnerTexts();
    await workbench.page.keyboard.press('Escape');
    assert.ok(shown.some((row) => row.includes(CODER)), `the picker lists ${CODER} (it shows: ${shown.join(' | ')})`);
  });

  it('@modelslab /explain explains the selection, streamed into the chat with the code cited', async () => {
    await workbench.openFile('math.ts');
    await workbench.selectLines(9, 13);
    workbench.server.enqueue({ text: '`clamp` keeps **value** between `min` and `max`:\n\n- below `min` → `min`\n- above `max` → `max`', chunkSize: 6, tokensPerSecond: 120 });
    await send('@modelslab /explain');
    const response = await lastResponse();
    await response.getByText('keeps value between', { exact: false }).waitFor();
    const [request] = workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions'));
    const prompt = JSON.stringify(request.body.messages);
    assert.match(prompt, /Explain what this code does/);
    assert.match(prompt, /if \(value < min\) return min;/);
    assert.equal(request.body.model, 'Qwen-Qwen2.5-Coder-32B-Instruct');
    await workbench.fontsReady();
    await workbench.screenshot('vscode-chat-explain');
    await workbench.readmeScreenshot('vscode-chat-dark');
  });

  it('@modelslab /fix ends with Review Changes, which opens the diff with Accept and Reject', async () => {
    workbench.server.enqueue({ text: `\`\`\`ts\n${FIXED_CLAMP}\n\`\`\`` });
    await send('@modelslab /fix use Math.min and Math.max');
    const response = await lastResponse();
    const review = response.getByRole('button', { name: /Review Changes to math\.ts:9-13/ });
    await review.click();
    const page = workbench.page;
    await page.locator('.tabs-container .tab.active[aria-label*="ModelsLab proposal"]').waitFor();
    await page.locator('.monaco-diff-editor .editor.modified :is(.line-insert, .char-insert)').first().waitFor();
    const reject = page.locator('.editor-actions a.action-label[aria-label^="Reject Proposed Change"]');
    await page.locator('.editor-actions a.action-label[aria-label^="Accept Proposed Change"]').waitFor();
    await workbench.screenshot('vscode-chat-fix-diff');
    await reject.click();
    await page.locator('.tabs-container .tab[aria-label*="ModelsLab proposal"]').waitFor({ state: 'detached' });
  });

  it('outside our control: a prompt without @modelslab goes to Copilot, which asks for a GitHub sign-in before any model is called', async () => {
    // Leave @modelslab (it is sticky) and start a fresh chat.
    await chat.locator('.action-label[aria-label^="New Chat"]').first().click();
    const before = workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
    await send('hello');
    const dialog = workbench.page.locator('.monaco-dialog-box').filter({ hasText: 'Sign in to use GitHub Copilot' });
    await dialog.waitFor({ timeout: 30_000 });
    await workbench.screenshot('vscode-chat-plain-prompt-sign-in');
    assert.equal(workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions')).length, before, 'no request reached ModelsLab');
    await workbench.page.keyboard.press('Escape');
  });
});
