import * as assert from 'node:assert/strict';
import { useChatWorkbench } from './chatPanel';
import type { Workbench } from './workbench';

/** Waits until the extension host's model status bar item (it follows the setting) names `label`. */
async function modelInStatusBar(workbench: Workbench, label: string): Promise<void> {
  await workbench.page.locator(`.statusbar-item [aria-label^="ModelsLab model ${label}."]`).waitFor({ state: 'attached', timeout: 30_000 });
}

const ANSWER = 'Here is **bold** advice.\n\n```ts\nconst total = values.reduce((a, b) => a + b, 0);\n```\n\nDone.';

describe('Chat panel (e2e): conversing', () => {
  const suite = useChatWorkbench();

  it('sends with Enter and streams the answer in as rendered, highlighted markdown', async () => {
    const { workbench, chat } = suite;
    workbench.server.enqueue({ text: ANSWER, chunkSize: 3, tokensPerSecond: 150 });
    // The answer takes a fraction of a second; the page notes what it shows meanwhile, so no
    // round trip of ours has to land inside that window.
    await chat.recordStates();
    await chat.send('How do I sum an array?');
    await chat.waitForAnswerEnd();
    // While streaming, the button was Stop and part of the answer was already on screen.
    const states = await chat.recordedStates();
    const streaming = states.filter((s) => s.stop && s.answerText.length > 0);
    assert.ok(streaming.length > 0, `never saw Stop with part of the answer: ${JSON.stringify(states.slice(-5))}`);
    assert.equal(states.at(-1)?.stop, false, 'Send is back once the answer has ended');
    const body = chat.lastAnswer().locator('.ml-msg-body');
    assert.equal(await body.locator('strong').innerText(), 'bold');
    assert.ok((await body.locator('pre code .hljs-keyword, pre code [class^="hljs-"]').count()) > 0, 'the code block is highlighted');
    assert.equal((await chat.prompts.last().locator('.ml-user-text').innerText()).trim(), 'How do I sum an array?');
    const request = workbench.server.requests.find((r) => r.path.endsWith('/chat/completions'));
    assert.equal(request?.body.messages.at(-1).content.endsWith('How do I sum an array?'), true);
    assert.equal(request?.body.stream, true);
    await workbench.screenshot('chat-streamed-answer');
  });

  it('Stop aborts the request (the server sees the socket close) and keeps the partial answer, marked stopped', async () => {
    const { workbench, chat } = suite;
    // Sixty words, then the server holds the connection open: only Stop can end this answer.
    workbench.server.enqueue({ text: 'word '.repeat(2000), chunkSize: 5, stallAfterChunks: 60 });
    await chat.send('Write a long essay');
    const [request] = await workbench.server.waitForRequests(1);
    await chat.frame.waitForFunction(() => (document.querySelector('article.ml-msg-assistant .ml-msg-body')?.textContent ?? '').length > 20);
    await chat.button('Stop').click();
    await request.closed;
    assert.equal(request.closedByClient, true);
    await chat.waitForAnswerEnd();
    const footer = await chat.lastAnswer().locator('.ml-msg-footer').innerText();
    assert.match(footer, /Stopped/);
    const kept = await chat.lastAnswerText();
    assert.ok(kept.length > 10 && kept.length <= 300, `${kept.length} characters kept`);
  });

  it('shows the token usage of each answer and of the conversation', async () => {
    const { workbench, chat } = suite;
    workbench.server.enqueue(
      { text: 'First.', usage: { prompt_tokens: 1200, completion_tokens: 34, total_tokens: 1234 } },
      { text: 'Second.', usage: { prompt_tokens: 1300, completion_tokens: 66, total_tokens: 1366 } },
    );
    await chat.send('one');
    await chat.waitForAnswerEnd();
    await chat.send('two');
    await chat.waitForAnswerEnd();
    assert.match(await chat.answers.nth(0).locator('.ml-usage').innerText(), /1,234 tokens/);
    assert.match(await chat.answers.nth(1).locator('.ml-usage').innerText(), /1,366 tokens/);
    assert.match((await chat.frame.locator('.ml-total').textContent()) ?? '', /^2,600 tokens$/);
  });

  it('regenerates the last answer, and edits an earlier prompt and resends from there', async () => {
    const { workbench, chat } = suite;
    workbench.server.enqueue({ text: 'Answer one.' }, { text: 'Answer two.' }, { text: 'Answer two, again.' }, { text: 'Answer to the edit.' });
    await chat.send('first question');
    await chat.waitForAnswerEnd();
    await chat.send('second question');
    await chat.waitForAnswerEnd();
    await chat.expectNewAnswer();
    await chat.lastAnswer().locator('button[aria-label="Regenerate"]').click();
    await chat.frame.waitForFunction(() => document.querySelector('article.ml-msg-assistant:last-of-type')?.textContent?.includes('again'));
    await chat.waitForAnswerEnd();
    assert.equal(await chat.answers.count(), 2);

    await chat.prompts.first().hover();
    await chat.prompts.first().locator('button[aria-label="Edit prompt"]').click();
    const editor = chat.frame.locator('textarea[aria-label="Edit prompt text"]');
    await editor.fill('first question, edited');
    await chat.expectNewAnswer();
    await chat.frame.locator('button[aria-label="Resend"]').click();
    await chat.frame.waitForFunction(() => document.body.textContent?.includes('Answer to the edit.'));
    await chat.waitForAnswerEnd();
    assert.equal(await chat.prompts.count(), 1, 'later turns were dropped');
    const last = workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1);
    assert.deepEqual(last?.body.messages.slice(1), [{ role: 'user', content: 'first question, edited' }]);
  });

  it('switches the model from the composer through VS Code\'s Quick Pick: the server sees the new id, the answer says which model wrote it, and the choice persists', async () => {
    const { workbench, chat } = suite;
    await chat.pickModel('DeepSeek V3');
    // The setting round-trips through the host; the next request uses it. The host has it once
    // its model status bar item, which follows the setting, names the new model.
    await chat.frame.locator('.ml-model-button', { hasText: 'DeepSeek V3' }).waitFor();
    await modelInStatusBar(workbench, 'DeepSeek V3');
    workbench.server.enqueue({ text: 'From DeepSeek.' });
    await chat.send('Which model are you?');
    await chat.waitForAnswerEnd();
    const request = workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1);
    assert.equal(request?.body.model, 'deepseek-ai-DeepSeek-V3');
    assert.match(await chat.lastAnswer().locator('.ml-msg-model').innerText(), /DeepSeek/);
    await chat.pickModel('Qwen2.5 Coder 32B');
    await modelInStatusBar(workbench, 'Qwen2.5 Coder 32B');
  });

  it('recalls the last prompt with Up, and Shift+Enter adds a newline instead of sending', async () => {
    const { workbench, chat } = suite;
    workbench.server.enqueue({ text: 'ok' });
    await chat.send('remember me');
    await chat.waitForAnswerEnd();
    await chat.composer.click();
    await chat.composer.press('ArrowUp');
    assert.equal(await chat.composer.inputValue(), 'remember me');
    await chat.composer.fill('line one');
    await chat.composer.press('Shift+Enter');
    await chat.composer.pressSequentially('line two');
    assert.equal(await chat.composer.inputValue(), 'line one\nline two');
    assert.equal(workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 1);
    await chat.composer.fill('');
  });
});
