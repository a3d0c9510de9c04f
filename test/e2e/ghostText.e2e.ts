// Ghost text in the real workbench: type, pause, see the grey suggestion, accept it with Tab.
import * as assert from 'node:assert/strict';
import { readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import { useChatWorkbench } from './chatPanel';

/** Resolves with the file's text once it contains `needle` (watched, not polled); fails after 30 s. */
function fileContaining(file: string, needle: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const text = readFileSync(file, 'utf8');
      if (!text.includes(needle)) return;
      watcher.close();
      clearTimeout(timer);
      resolve(text);
    };
    const watcher = watch(file, check);
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`${file} never contained ${JSON.stringify(needle)}`));
    }, 30_000);
    check();
  });
}

describe('Ghost text (e2e)', () => {
  const suite = useChatWorkbench(
    { settings: { 'modelslab.completions.enabled': true, 'modelslab.completions.debounceMs': 400, 'modelslab.completions.model': 'Qwen-Qwen2.5-Coder-32B-Instruct' } },
    { openChat: false },
  );
  const completions = () => suite.workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions'));

  it('shows a grey suggestion after a pause, Tab accepts it, and the saved file has it', async () => {
    const { workbench } = suite;
    const page = workbench.page;
    // A chat model's reply as it comes: the completion in a fence, the typed line repeated.
    workbench.server.setDefault({ text: '```ts\nexport function square(n: number): number {\n  return n * n;\n}\n```', chunkSize: 6, tokensPerSecond: 300 });
    await workbench.openFile('math.ts');
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('export function square(n: number): number {', { delay: 30 });
    const ghost = page.locator('.editor-instance .monaco-editor .ghost-text-decoration, .editor-instance .monaco-editor .ghost-text').first();
    await ghost.waitFor({ timeout: 30_000 });
    assert.equal(completions().length, 1, 'one request for the whole line, not one per keystroke');
    const request = completions()[0].body;
    assert.ok(request.max_tokens <= 256);
    assert.match(JSON.stringify(request.messages), /export function square/);
    // The status bar says ghost text is on.
    await page.locator('.statusbar-item [aria-label^="ModelsLab Ghost text is on"]').waitFor({ state: 'attached' });
    await workbench.fontsReady();
    await workbench.screenshot('ghost-text');
    await workbench.readmeScreenshot('ghost-text-dark');
    await page.keyboard.press('Tab');
    await page.locator('.editor-instance .view-lines', { hasText: 'return n * n;' }).first().waitFor();
    const file = join(workbench.vscode.workspace, 'math.ts');
    const saved = fileContaining(file, 'return n * n;');
    await page.keyboard.press('Control+S');
    const text = await saved;
    assert.match(text, /export function square\(n: number\): number \{\n {2}return n \* n;\n\}/, text.slice(-200));
    assert.equal((text.match(/export function square/g) ?? []).length, 1, 'the typed line is not repeated');
  });
});
