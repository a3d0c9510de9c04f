import * as assert from 'node:assert/strict';
import { useChatWorkbench } from './chatPanel';

describe('Editor actions (e2e)', () => {
  const suite = useChatWorkbench();

  it('right-click a selection → ModelsLab → Explain streams the explanation into the panel', async () => {
    const { workbench, chat } = suite;
    await workbench.openFile('math.ts');
    await workbench.selectLines(1, 7);
    workbench.server.enqueue({ text: '`average` adds the values and **divides by their count**.', chunkSize: 4, tokensPerSecond: 60 });

    await workbench.page.locator('.editor-instance .view-lines .view-line').nth(2).click({ button: 'right', modifiers: [] }).catch(() => undefined);
    // A right-click inside the selection keeps it; open the context menu on the selected text.
    const menu = workbench.page.locator('.context-view .monaco-menu');
    await menu.waitFor();
    await menu.locator('.action-item', { hasText: 'ModelsLab' }).first().hover();
    const explain = workbench.page.locator('.context-view .monaco-menu .action-item').filter({ hasText: /^Explain Selection/ });
    await explain.waitFor();
    await workbench.screenshot('context-menu-modelslab');
    await explain.click();

    await chat.frame.waitForFunction(() => document.body.textContent?.includes('divides by their count'));
    await chat.waitForAnswerEnd();
    assert.match(await chat.prompts.last().innerText(), /Explain this code/);
    assert.match(await chat.prompts.last().innerText(), /math\.ts:1-7/, 'the chip names the code');
    const prompt = workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)?.body.messages.at(-1).content as string;
    assert.match(prompt, /language: typescript/);
    assert.ok(prompt.includes('total = total + values[i];'));
    await workbench.screenshot('explain-in-panel');
  });
});
