// The panel used with the keyboard alone: opened from the palette, a prompt typed and sent
// with Enter, Tab and Shift+Tab through the composer's buttons and the answer's actions,
// Escape to stop a streaming answer, History from the palette walked with the arrow keys.
// Every step checks where the focus is by the focused element's accessible name, the way a
// screen reader would say it; nothing is clicked.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { ChatPanel, useChatWorkbench } from './chatPanel';

const MODEL_BUTTON = 'Model: Qwen2.5 Coder 32B. Change model';
const MODE_BUTTON = 'Mode: Ask. Switch to Agent';
const FIRST_PROMPT = 'How do I clamp a number?';
const SECOND_PROMPT = 'How do I sort a list?';
// Short lines: the block fits the panel, so its <pre> does not scroll and is no Tab stop of its own.
const CLAMP_ANSWER = 'Like this:\n\n```js\nfunction clamp(v, lo, hi) {\n  if (v < lo) return lo;\n  if (v > hi) return hi;\n  return v;\n}\n```\n\nIt returns v within bounds.';
const CODE_ACTIONS = ['Copy code', 'Insert at cursor', 'Apply to editor', 'Open in new file'];
/** The code itself is a named, focusable region (it scrolls sideways), after its buttons. */
const CODE_STOPS = ['Wrap long lines', ...CODE_ACTIONS, 'js code'];

/** Presses `key` once per expected name and checks each stop; returns the names seen. */
async function walk(page: Page, chat: ChatPanel, key: 'Tab' | 'Shift+Tab', expected: readonly string[]): Promise<void> {
  const seen: (string | null)[] = [];
  for (const name of expected) {
    await page.keyboard.press(key);
    seen.push(await chat.focusedName());
    assert.equal(seen.at(-1), name, `${key} ×${seen.length} should reach “${name}”; the stops were ${JSON.stringify(seen)}`);
  }
}

describe('Chat panel (e2e): the keyboard alone', () => {
  // The chat is opened from the palette by the first test, not clicked open.
  const suite = useChatWorkbench({}, { openChat: false });
  let chat: ChatPanel;

  it('ModelsLab: Open Chat from the palette puts the focus in the composer', async () => {
    const { workbench } = suite;
    // The extension's contributions are registered once its activity-bar entry shows.
    await workbench.page.locator('.activitybar a.action-label[aria-label^="ModelsLab"]').waitFor({ timeout: 60_000 });
    await workbench.runCommandWithKeyboard('ModelsLab: Open Chat');
    chat = new ChatPanel(await workbench.chatFrame());
    await chat.ready();
    await chat.waitForFocus('Ask ModelsLab').catch((error: Error) => {
      throw new Error(`KNOWN DEFECT (reported): opening the panel does not focus its composer. ${error.message}`);
    });
  });

  it('types a prompt, Tab and Shift+Tab pass Attach, the mode switch, the model picker, Compare and Send, and Enter sends', async () => {
    const { workbench } = suite;
    const page = workbench.page;
    // Where the previous test expects the focus; it fails on its own if opening left it elsewhere.
    if ((await chat.focusedName()) !== 'Ask ModelsLab') await chat.composer.focus();
    await page.keyboard.type(FIRST_PROMPT);
    await walk(page, chat, 'Tab', ['Attach file', MODE_BUTTON, MODEL_BUTTON, 'Compare models…', 'Send']);
    await walk(page, chat, 'Shift+Tab', ['Compare models…', MODEL_BUTTON, MODE_BUTTON, 'Attach file', 'Ask ModelsLab']);
    workbench.server.enqueue({ text: CLAMP_ANSWER });
    await chat.expectNewAnswer();
    await page.keyboard.press('Enter');
    await chat.waitForAnswerEnd();
    assert.equal(((await chat.prompts.last().locator('.ml-user-text').textContent()) ?? '').trim(), FIRST_PROMPT);
    assert.equal(await chat.focusedName(), 'Ask ModelsLab', 'the focus stays in the composer while and after the answer comes');
  });

  it('Shift+Tab from the composer walks back through Regenerate and the code block’s buttons, Tab forward again, and Enter runs one', async () => {
    const { workbench } = suite;
    const page = workbench.page;
    await chat.waitForFocus('Ask ModelsLab');
    await walk(page, chat, 'Shift+Tab', ['Regenerate', ...[...CODE_STOPS].reverse(), 'Edit prompt']);
    await walk(page, chat, 'Tab', [...CODE_STOPS, 'Regenerate', 'Ask ModelsLab']);
    // Back to Copy code, and Enter copies: the button says so.
    await walk(page, chat, 'Shift+Tab', ['Regenerate', ...[...CODE_STOPS].reverse().slice(0, -1)]);
    await page.keyboard.press('Enter');
    await chat.waitForFocus('Copied');
    await page.waitForFunction(async () => (await navigator.clipboard.readText()).startsWith('function clamp(v, lo, hi) {'));
  });

  it('the model picker opens VS Code’s Quick Pick with Enter, and Escape brings the focus back to it', async () => {
    const { workbench } = suite;
    const page = workbench.page;
    await chat.composer.focus();
    await walk(page, chat, 'Tab', ['Attach file', MODE_BUTTON, MODEL_BUTTON]);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'DeepSeek V3' }).first().waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await chat.waitForFocus(MODEL_BUTTON).catch((error: Error) => {
      throw new Error(`KNOWN DEFECT (reported): closing the model Quick Pick does not bring the focus back to the panel. ${error.message}`);
    });
  });

  it('Escape stops a streaming answer, in the composer and on an answer’s button (the modelslab.stop keybinding)', async () => {
    const { workbench } = suite;
    const page = workbench.page;
    const stalled = { text: `Part one.\n\n\`\`\`js\nlet a = 1;\n\`\`\`\n\n${'More words. '.repeat(200)}`, chunkSize: 8, stallAfterChunks: 8 };

    // 1. In the composer: the composer's own Escape.
    workbench.server.enqueue(stalled);
    await chat.composer.focus();
    await page.keyboard.type('Write a long essay');
    await chat.expectNewAnswer();
    await page.keyboard.press('Enter');
    let [request] = await workbench.server.waitForRequests(1);
    await chat.button('Stop').waitFor();
    await chat.frame.waitForFunction(() => (document.querySelector('article.ml-msg-assistant[aria-busy="true"] .ml-code pre')?.textContent ?? '').includes('let a = 1;'));
    await chat.waitForFocus('Ask ModelsLab');
    await page.keyboard.press('Escape');
    await request.closed;
    assert.equal(request.closedByClient, true, 'Escape in the composer cancelled the request');
    await chat.waitForAnswerEnd();
    assert.match((await chat.lastAnswer().locator('.ml-msg-footer').textContent()) ?? '', /Stopped/);

    // 2. On a code block's button in the streaming answer: VS Code's keybinding for modelslab.stop.
    workbench.server.reset();
    workbench.server.enqueue(stalled);
    await page.keyboard.type('And another');
    await chat.expectNewAnswer();
    await page.keyboard.press('Enter');
    [request] = await workbench.server.waitForRequests(1);
    await chat.frame.waitForFunction(() => (document.querySelector('article.ml-msg-assistant[aria-busy="true"] .ml-code pre')?.textContent ?? '').includes('let a = 1;'));
    await chat.waitForFocus('Ask ModelsLab');
    // While it streams there is no Regenerate: the previous stop is the streaming block's last button.
    await walk(page, chat, 'Shift+Tab', ['js code', 'Open in new file']);
    assert.ok(await chat.frame.evaluate(() => document.activeElement?.closest('article')?.getAttribute('aria-busy') === 'true'), 'the button belongs to the streaming answer');
    await page.keyboard.press('Escape');
    await request.closed;
    assert.equal(request.closedByClient, true, 'Escape on a button of the panel cancelled the request');
    await chat.waitForAnswerEnd();
    assert.match((await chat.lastAnswer().locator('.ml-msg-footer').textContent()) ?? '', /Stopped/);
  });

  it('the focus stays on a button of a code block while more of that block streams in', async () => {
    const { workbench } = suite;
    const page = workbench.page;
    // About ten seconds of code at 40 chunks a second: the block is still open when it is focused.
    workbench.server.enqueue({ text: `Intro.\n\n\`\`\`js\n${'let a = 1;\n'.repeat(150)}\`\`\`\n`, chunkSize: 4, tokensPerSecond: 40 });
    await chat.composer.focus();
    await page.keyboard.type('Stream a long block');
    await chat.expectNewAnswer();
    await page.keyboard.press('Enter');
    // The streaming answer (aria-busy), not the stopped one above it, which has the same code.
    await chat.frame.waitForFunction(() => (document.querySelector('article.ml-msg-assistant[aria-busy="true"] .ml-code pre')?.textContent ?? '').includes('let a = 1;'));
    await walk(page, chat, 'Shift+Tab', ['js code', 'Open in new file']);
    const focusedInStreamingAnswer = await chat.frame.evaluate(() => document.activeElement?.closest('article')?.getAttribute('aria-busy') === 'true');
    assert.ok(focusedInStreamingAnswer, 'the button belongs to the streaming answer');
    // Ten more chunks of the same block have been rendered since the button took the focus.
    const before = await chat.frame.evaluate(() => document.querySelector('article.ml-msg-assistant[aria-busy="true"] .ml-code pre')?.textContent?.length ?? 0);
    await chat.frame.waitForFunction((length) => (document.querySelector('article.ml-msg-assistant[aria-busy="true"] .ml-code pre')?.textContent?.length ?? 0) >= length + 40, before);
    const where = await chat.whereIsFocus();
    const kept = (await chat.focusedName()) === 'Open in new file';
    await chat.composer.focus();
    await page.keyboard.press('Escape');
    await chat.waitForAnswerEnd();
    assert.ok(kept, `KNOWN DEFECT (reported): the streaming block is rebuilt as it grows and its focused button with it; ${where}.`);
  });

  it('History from the palette: focus on the newest row, ArrowDown/ArrowUp move between rows, Enter opens one', async () => {
    const { workbench } = suite;
    const page = workbench.page;
    // A second conversation, started from the palette too.
    await workbench.runCommandWithKeyboard('ModelsLab: New Chat');
    await chat.frame.waitForFunction(() => document.querySelectorAll('article.ml-msg').length === 0);
    workbench.server.reset();
    workbench.server.enqueue({ text: 'Use sort().' });
    await chat.composer.focus();
    await page.keyboard.type(SECOND_PROMPT);
    await chat.expectNewAnswer();
    await page.keyboard.press('Enter');
    await chat.waitForAnswerEnd();

    await workbench.runCommandWithKeyboard('ModelsLab: Show Chat History');
    await chat.frame.locator('.ml-history').waitFor();
    const titles = (await chat.frame.locator('.ml-history-name').allTextContents()).map((t) => t.trim());
    assert.deepEqual(titles.slice(0, 2), [SECOND_PROMPT, FIRST_PROMPT], 'newest first');
    await chat.waitForFocus(SECOND_PROMPT);
    await page.keyboard.press('ArrowDown');
    await chat.waitForFocus(FIRST_PROMPT);
    await page.keyboard.press('ArrowUp');
    await chat.waitForFocus(SECOND_PROMPT);
    await page.keyboard.press('ArrowDown');
    await chat.waitForFocus(FIRST_PROMPT);
    await page.keyboard.press('Enter');
    await chat.frame.waitForFunction((prompt) => document.querySelector('.ml-history')?.hasAttribute('hidden') && document.querySelector('article.ml-msg-user .ml-user-text')?.textContent?.trim() === prompt, FIRST_PROMPT);
    // The opened conversation is ready to continue: the focus is in its composer, not lost on the page.
    await chat.waitForFocus('Ask ModelsLab').catch((error: Error) => {
      throw new Error(`KNOWN DEFECT (reported): opening a conversation from History with Enter leaves the focus on no control. ${error.message}`);
    });
  });
});
