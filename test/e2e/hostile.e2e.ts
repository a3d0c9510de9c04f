// Hostile model output and hostile servers in the real workbench: the panel never locks up and
// never loses the conversation.
import * as assert from 'node:assert/strict';
import { ChatPanel, useChatWorkbench } from './chatPanel';

/** A 10,000-deep list in 20 KB: each "- " opens a list inside the previous item. */
const DEEP_LIST = `${'- '.repeat(10_000)}deep`;

describe('Chat panel (e2e): hostile output and servers', () => {
  const suite = useChatWorkbench();

  it('a 900 KB error body is reported briefly, and the panel answers the next prompt', async () => {
    const { workbench, chat } = suite;
    // An overloaded server is retried three times before the error shows: four huge bodies.
    const huge = { legacyErrorWith200: true, errorMessage: `Model is currently overloaded. ${'x'.repeat(900_000)}` };
    workbench.server.enqueue(huge, huge, huge, huge);
    await chat.send('hello');
    const error = await chat.lastErrorMatching(/overloaded/i);
    assert.ok(error.length < 1_000, `the error is short (${error.length} characters)`);
    workbench.server.enqueue({ text: 'Back to normal.' });
    await chat.send('again');
    await chat.waitForAnswerEnd();
    assert.equal(await chat.lastAnswerText(), 'Back to normal.');
  });

  it('a 10,000-deep list answer leaves the composer usable, the next answer renders, and a reload restores the conversation', async () => {
    // Last in this file: the reload replaces the panel's frame.
    const { workbench } = suite;
    let { chat } = suite;
    workbench.server.enqueue({ text: 'Before the storm.' }, { text: DEEP_LIST, chunkSize: 2_000 }, { text: 'Still here after it.' });
    await chat.send('first');
    await chat.waitForAnswerEnd();
    await chat.send('nest lists as deep as you can');
    await chat.waitForAnswerEnd();
    await workbench.screenshot('hostile-deep-list');
    await chat.send('and now?');
    await chat.waitForAnswerEnd();
    assert.equal(await chat.lastAnswerText(), 'Still here after it.');

    await workbench.page.reload();
    await workbench.page.waitForSelector('.monaco-workbench');
    chat = new ChatPanel(await workbench.openChat());
    await chat.ready();
    await chat.frame.waitForFunction(() => document.body.textContent?.includes('Still here after it.'));
    assert.equal(await chat.prompts.count(), 3, 'every prompt is restored');
    assert.equal(await chat.answers.count(), 3, 'every answer is restored, the hostile one included');
    assert.ok((await chat.answers.nth(0).textContent())?.includes('Before the storm.'));
    assert.ok((await chat.answers.nth(1).textContent())?.includes('deep'), 'the hostile answer is still there, as text');
    // And the panel still answers.
    workbench.server.enqueue({ text: 'Answered after the reload.' });
    await chat.send('one more');
    await chat.waitForAnswerEnd();
    assert.equal(await chat.lastAnswerText(), 'Answered after the reload.');
  });
});
