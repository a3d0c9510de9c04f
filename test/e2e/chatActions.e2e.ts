import * as assert from 'node:assert/strict';
import { useChatWorkbench } from './chatPanel';

const SNIPPET = 'export const answer = 42;';

describe('Chat panel (e2e): code blocks and context', () => {
  const suite = useChatWorkbench();

  async function answerWithSnippet(): Promise<void> {
    const { workbench, chat } = suite;
    workbench.server.enqueue({ text: `Use this:\n\n\`\`\`ts\n${SNIPPET}\n\`\`\`` });
    await chat.send('give me a constant');
    await chat.waitForAnswerEnd();
  }
  const codeButton = (label: string) => suite.chat.lastAnswer().locator(`.ml-code button[aria-label="${label}"]`);

  it('copies a code block to the clipboard', async () => {
    const { workbench } = suite;
    await answerWithSnippet();
    await codeButton('Copy code').click();
    await workbench.page.waitForFunction(async (expected) => (await navigator.clipboard.readText()) === expected, SNIPPET);
  });

  it('inserts a code block at the cursor of the active editor', async () => {
    const { workbench } = suite;
    await workbench.openFile('greet.py');
    await workbench.page.keyboard.press('Control+End');
    await answerWithSnippet();
    await codeButton('Insert at cursor').click();
    await workbench.page.waitForFunction((s) => document.querySelector('.editor-instance .view-lines')?.textContent?.replace(/\u00a0/g, ' ').includes(s), SNIPPET);
    assert.ok((await workbench.editorText()).includes('return greet(name).upper()'));
  });

  it('applies a code block through a diff preview that the user accepts', async () => {
    const { workbench } = suite;
    await workbench.openFile('math.ts');
    await workbench.selectLines(9, 13);
    await answerWithSnippet();
    await codeButton('Apply to editor').click();
    const diffTab = workbench.page.locator('.tabs-container .tab[aria-label*="ModelsLab proposal"]');
    await diffTab.waitFor();
    await workbench.screenshot('apply-diff-preview');
    // Accept from the diff editor's title bar (the notification offers the same).
    await workbench.page.locator('.editor-actions a.action-label[aria-label^="Accept Proposed Change"]').click();
    await diffTab.waitFor({ state: 'detached' });
    await workbench.page.waitForFunction((s) => document.querySelector('.editor-instance .view-lines')?.textContent?.replace(/\u00a0/g, ' ').includes(s), SNIPPET);
    const text = await workbench.editorText();
    assert.ok(text.includes('export function average'), 'the rest of the file is untouched');
    assert.ok(!text.includes('export function clamp'), 'the selected function was replaced');
  });

  it('opens a code block as a new untitled file in its language', async () => {
    const { workbench } = suite;
    await answerWithSnippet();
    await codeButton('Open in new file').click();
    await workbench.page.waitForSelector('.tabs-container .tab.active[aria-label*="Untitled"]');
    await workbench.page.waitForFunction((s) => document.querySelector('.editor-instance .view-lines')?.textContent?.replace(/\u00a0/g, ' ').includes(s), SNIPPET);
    assert.match(await workbench.page.locator('.statusbar-item[id="status.editor.mode"]').innerText(), /TypeScript/);
  });

  it('shows the editor selection as a removable context chip, and @ attaches a workspace file', async () => {
    const { workbench, chat } = suite;
    await workbench.openFile('math.ts');
    await workbench.selectLines(1, 7);
    const chip = chat.frame.locator('.ml-chips .ml-chip', { hasText: 'math.ts:1-7' });
    await chip.waitFor();

    // Sent with the prompt: the selected code reaches the model.
    workbench.server.enqueue({ text: 'ok' });
    await chat.send('what is this?');
    await chat.waitForAnswerEnd();
    let prompt = workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)?.body.messages.at(-1).content as string;
    assert.ok(prompt.includes('total = total + values[i];'));
    assert.match(await chat.prompts.last().innerText(), /math\.ts:1-7/);

    // Removed before sending: the code is not sent.
    await chat.frame.locator('button[aria-label="Remove math.ts:1-7"]').click();
    await chip.waitFor({ state: 'detached' });

    // @ opens the workbench's file picker; the picked file becomes a chip and is sent.
    await chat.composer.click();
    await chat.composer.pressSequentially('@');
    const quickInput = workbench.page.locator('.quick-input-widget input');
    await quickInput.waitFor();
    await quickInput.fill('greet.py');
    await workbench.pickQuickOpenRow('greet.py');
    await chat.frame.locator('.ml-chips .ml-chip', { hasText: 'greet.py' }).waitFor();
    await workbench.screenshot('context-chips');
    workbench.server.enqueue({ text: 'ok' });
    await chat.send('and this file?');
    await chat.waitForAnswerEnd();
    prompt = workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)?.body.messages.at(-1).content as string;
    assert.ok(prompt.includes('def shout(name):'), 'the attached file is sent');
    assert.ok(!prompt.includes('total = total + values[i];'), 'the removed selection is not sent');
  });
});
