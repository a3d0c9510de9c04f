// An answer cut off at the token limit says so, and Continue completes the same answer.
import * as assert from 'node:assert/strict';
import { useChatWorkbench } from './chatPanel';

describe('Chat panel (e2e): answers cut off at the token limit', () => {
  const suite = useChatWorkbench();

  it('shows "Token limit reached" with Continue, which appends to the same answer', async () => {
    const { workbench, chat } = suite;
    workbench.server.enqueue(
      { text: 'Here is the function:\n\n```ts\nexport function add(a: number, b: number) {', finishReason: 'length' },
      { text: '\n  return a + b;\n}\n```\n\nThat is all.' },
    );
    await chat.send('write add');
    await chat.waitForAnswerEnd();
    const answer = chat.lastAnswer();
    assert.match((await answer.textContent()) ?? '', /Token limit reached/);
    await workbench.screenshot('truncated-continue');

    await chat.expectNewAnswer();
    await answer.locator('button[aria-label="Continue"]').click();
    await chat.frame.waitForFunction(() => document.body.textContent?.includes('That is all.'));
    await chat.button('Send').waitFor();
    assert.equal(await chat.answers.count(), 1, 'the same answer grew; no new one');
    const text = (await chat.lastAnswer().textContent()) ?? '';
    assert.ok(text.includes('return a + b;') && text.includes('That is all.'));
    assert.ok(!text.includes('Token limit reached'), 'a completed answer is not marked cut off');
    const continued = workbench.server.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1);
    assert.match(continued?.body.messages.at(-1).content, /cut off at the token limit/i, 'the model was asked to go on');
    await workbench.screenshot('truncated-continued');
  });
});
