import * as assert from 'node:assert/strict';
import { Workbench, TEST_KEY } from './workbench';
import { ChatPanel, useChatWorkbench } from './chatPanel';

describe('Chat panel (e2e): errors and their actions', () => {
  const suite = useChatWorkbench();

  it('a rejected key (401) shows the message with a Set API Key action that opens the key box', async () => {
    const { workbench, chat } = suite;
    workbench.server.enqueue({ status: 401, errorMessage: 'Invalid API key provided' });
    await chat.send('hello');
    assert.match(await chat.lastErrorMatching(/API key/i), /API key/i);
    const error = chat.lastAnswer().locator('.ml-error[role="alert"]');
    await workbench.screenshot('error-401');
    await error.locator('button[aria-label="Set API Key"]').click();
    const box = workbench.page.locator('.quick-input-widget input[type="password"]');
    await box.waitFor();
    // The panel is in view, so the error is told once, there: no toast repeats it. (The key box
    // opening took a round trip through the host after the answer ended, so a toast sent with
    // the error would be on screen by now.)
    assert.equal(await workbench.page.locator('.notifications-toasts .notification-toast', { hasText: /API key/i }).count(), 0, 'no toast while the panel shows the error');
    await workbench.page.keyboard.press('Escape');
    assert.ok(!(await chat.frame.content()).includes(TEST_KEY), 'the key never reaches the webview');
  });

  it('a rate limit (429) shows a live countdown while it waits, then the answer', async () => {
    const { workbench, chat } = suite;
    workbench.server.enqueue({ status: 429, retryAfter: '3', errorMessage: 'Too many requests' }, { text: 'Worth the wait.' });
    // The countdown is up for three seconds; the page notes it as it shows, so the check below
    // does not depend on our round trips landing inside that window.
    await chat.recordStates();
    await chat.send('hello');
    // A picture for people, taken if the countdown is still up when we get there; no check depends on it.
    await chat.lastAnswer().locator('.ml-waiting').waitFor({ timeout: 2_000 }).then(
      () => workbench.screenshot('rate-limit-countdown'),
      () => undefined,
    );
    await chat.frame.waitForFunction(() => document.body.textContent?.includes('Worth the wait.'));
    await chat.waitForAnswerEnd();
    const countdown = (await chat.recordedStates()).flatMap((state) => (state.waiting ? [state.waiting] : []));
    assert.ok(countdown.length > 0, 'the countdown never showed');
    assert.match(countdown[0]!, /retrying in \d+ s/i);
    assert.equal(await chat.lastAnswer().locator('.ml-waiting').count(), 0, 'the countdown is gone once the answer comes');
    assert.equal(workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 2);
  });

  it('a rate limit that outlasts the retries offers Retry with a countdown', async () => {
    const { workbench, chat } = suite;
    const limited = { status: 429, retryAfter: '1', errorMessage: 'Too many requests' };
    workbench.server.enqueue(limited, limited, limited, limited, { text: 'Finally.' });
    await chat.send('hello');
    const retry = chat.lastAnswer().locator('.ml-error button[aria-label^="Retry"]');
    await retry.waitFor({ timeout: 30_000 });
    await chat.frame.waitForFunction(() => {
      const button = document.querySelector('article.ml-msg-assistant:last-of-type .ml-error button') as HTMLButtonElement | null;
      return button !== null && !button.disabled;
    });
    await retry.click();
    await chat.frame.waitForFunction(() => document.body.textContent?.includes('Finally.'));
  });

  it('a dropped stream keeps the partial text, says it is incomplete, and Retry gets a full answer', async () => {
    const { workbench, chat } = suite;
    workbench.server.enqueue({ text: 'The first part of a long answer, then the line drops', chunkSize: 6, dropAfterChunks: 4 }, { text: 'A complete answer.' });
    await chat.send('explain');
    await chat.lastAnswer().locator('.ml-error').waitFor();
    assert.equal(await chat.lastAnswerText(), 'The first part of a long', 'the four chunks that arrived are kept');
    // textContent, not innerText: the layout-dependent read came back empty on a just-settled answer.
    assert.match((await chat.lastAnswer().textContent()) ?? '', /Incomplete/);
    await workbench.screenshot('dropped-stream');
    await chat.expectNewAnswer();
    await chat.lastAnswer().locator('.ml-error button[aria-label="Retry"]').click();
    await chat.frame.waitForFunction(() => document.body.textContent?.includes('A complete answer.'));
    await chat.waitForAnswerEnd();
    assert.equal(await chat.answers.count(), 1, 'the retry replaced the incomplete answer');
  });

  it('a connection reset mid-answer keeps the partial text, says it is incomplete, and the next prompt is answered', async () => {
    const { workbench, chat } = suite;
    // The text arrives at once; the reset (RST) comes 400 ms later, long after it was shown.
    workbench.server.enqueue({ text: 'Héllo wörld — “', chunkSize: 3, resetAfterChunks: 5, resetAfterMs: 400 }, { text: 'The next answer.' });
    await chat.send('explain');
    await chat.lastAnswer().locator('.ml-error').waitFor();
    assert.equal(await chat.lastAnswerText(), 'Héllo wörld — “', 'the five chunks that arrived are kept');
    assert.match((await chat.lastAnswer().textContent()) ?? '', /Incomplete/);
    assert.equal(workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 1, 'text already shown is never retried');
    await workbench.screenshot('reset-stream');
    await chat.send('and then?');
    await chat.frame.waitForFunction(() => document.querySelector('article.ml-msg-assistant:last-of-type .ml-msg-body')?.textContent?.includes('The next answer.'));
    await chat.waitForAnswerEnd();
    assert.equal(await chat.answers.count(), 2);
    assert.equal(((await chat.answers.first().locator('.ml-msg-body').textContent()) ?? '').trim(), 'Héllo wörld — “', 'the broken answer stays as it was');
  });

  it('an unknown model (404) offers to pick another model', async () => {
    const { workbench, chat } = suite;
    workbench.server.enqueue({ status: 404, errorMessage: 'The model does not exist' });
    await chat.send('hello');
    assert.match(await chat.lastErrorMatching(/not available|Pick another model/i), /not available|Pick another model/i);
  });
});

describe('Chat panel (e2e): first run without a key', () => {
  const suite = useChatWorkbench({ apiKey: '' }, { openChat: false });

  it('shows a welcome with Set API Key instead of a composer, and the composer once a key is set', async () => {
    const { workbench } = suite;
    const chat = new ChatPanel(await workbench.openChat());
    const welcome = chat.frame.locator('.ml-welcome');
    await welcome.waitFor();
    assert.equal(await chat.composer.isVisible(), false, 'no composer that would fail');
    await workbench.screenshot('welcome-no-key');
    await welcome.locator('button[aria-label="Set API Key"]').click();
    const box = workbench.page.locator('.quick-input-widget input[type="password"]');
    await box.waitFor();
    await box.fill(TEST_KEY);
    await workbench.page.keyboard.press('Enter');
    await chat.composer.waitFor({ state: 'visible' });
    assert.equal(await welcome.isVisible(), false);
    const check = workbench.server.requests.find((r) => r.path.endsWith('/models'));
    assert.equal(check?.headers.authorization, `Bearer ${TEST_KEY}`, 'the new key was verified');
  });
});

describe('Chat panel (e2e): history', () => {
  it('survives a window reload, and the history list reopens, renames and exports conversations', async () => {
    const workbench = await Workbench.open();
    try {
      let chat = new ChatPanel(await workbench.openChat());
      await chat.ready();
      workbench.server.enqueue({ text: 'Answer about sorting.' }, { text: 'Answer about parsing.' });
      await chat.send('How do I sort a map?');
      await chat.waitForAnswerEnd();
      await chat.newChat();
      await chat.send('How do I parse JSON safely?');
      await chat.waitForAnswerEnd();

      await workbench.page.reload();
      await workbench.page.waitForSelector('.monaco-workbench');
      chat = new ChatPanel(await workbench.openChat());
      await chat.ready();
      await chat.frame.waitForFunction(() => document.body.textContent?.includes('Answer about parsing.'));
      assert.equal((await chat.prompts.first().locator('.ml-user-text').innerText()).trim(), 'How do I parse JSON safely?');

      await chat.showHistory();
      const items = chat.frame.locator('.ml-history-list li');
      await items.nth(1).waitFor();
      assert.deepEqual((await chat.frame.locator('.ml-history-name').allInnerTexts()).map((t) => t.trim()), ['How do I parse JSON safely?', 'How do I sort a map?']);
      await workbench.screenshot('history-list');

      // A row's actions show on hover or focus, as in VS Code's lists.
      await chat.frame.locator('.ml-history-item', { hasText: 'How do I sort a map?' }).hover();
      await chat.frame.locator('button[aria-label="Rename How do I sort a map?"]').click();
      const input = workbench.page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill('Sorting maps');
      await workbench.page.keyboard.press('Enter');
      await chat.frame.locator('.ml-history-name', { hasText: 'Sorting maps' }).waitFor();

      await chat.frame.locator('.ml-history-name', { hasText: 'Sorting maps' }).click();
      await chat.frame.waitForFunction(() => document.body.textContent?.includes('Answer about sorting.'));

      await chat.showHistory();
      await chat.frame.locator('.ml-history-item', { hasText: 'Sorting maps' }).hover();
      await chat.frame.locator('button[aria-label="Export Sorting maps as Markdown"]').click();
      await workbench.page.waitForFunction(() => document.querySelector('.editor-instance .view-lines')?.textContent?.replace(/\u00a0/g, ' ').includes('Sorting maps'));
      assert.match(await workbench.editorText(), /# Sorting maps[\s\S]*## You[\s\S]*How do I sort a map\?/);
    } finally {
      await workbench.close();
    }
  });
});
