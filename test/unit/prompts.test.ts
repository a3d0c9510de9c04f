import * as assert from 'node:assert/strict';
import { buildChatMessages, formatCodeContext, BASE_SYSTEM_PROMPT } from '../../src/prompts/chatPrompt';
import { cutToBudget } from '../../src/prompts/contextBudget';
import { DeltaBatcher } from '../../src/chat/deltaBatcher';
import { ManualTimers } from './llm-helpers';

describe('chat prompt', () => {
  it('puts the system prompt, the user instructions, context before the question, and skips failed answers', () => {
    const messages = buildChatMessages(
      [
        { role: 'user', text: 'What does it do?', context: 'CTX' },
        { role: 'assistant', text: '', failed: true },
        { role: 'user', text: 'Again?' },
      ],
      'Use tabs.',
    );
    assert.equal(messages[0].role, 'system');
    assert.ok(messages[0].content.startsWith(BASE_SYSTEM_PROMPT));
    assert.match(messages[0].content, /Use tabs\.$/);
    assert.deepEqual(messages.slice(1), [
      { role: 'user', content: 'CTX\n\nWhat does it do?' },
      { role: 'user', content: 'Again?' },
    ]);
  });

  it('formats code context with path, lines, language, and a fence that survives backticks inside', () => {
    const text = formatCodeContext({ label: 'a.md', path: 'docs/a.md', languageId: 'markdown', text: '```js\nx\n```', lines: { start: 2, end: 4 } });
    assert.match(text, /^Context from docs\/a\.md \(lines 2-4\), language markdown:\n~~~~markdown\n```js\nx\n```\n~~~~$/);
  });

  it('cuts context to the budget at a line boundary, with a notice', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const cut = cutToBudget(text, 200, 'big.ts');
    assert.equal(cut.truncated, true);
    assert.ok(cut.text.length <= 200 && cut.text.endsWith('\n'));
    assert.match(cut.notice ?? '', /big\.ts was cut to .* of .* to fit the context budget/);
    assert.deepEqual(cutToBudget('small', 200, 'x'), { text: 'small', truncated: false, originalLength: 5 });
  });
});

describe('DeltaBatcher', () => {
  it('sends the first piece at once and coalesces the rest into one message per interval', () => {
    // The interval runs on the test's clock: it ends exactly when 20 ms have passed on it.
    const timers = new ManualTimers();
    const sent: string[] = [];
    const batcher = new DeltaBatcher((t) => sent.push(t), 20, timers);
    batcher.push('a');
    assert.deepEqual(sent, ['a']);
    for (let i = 0; i < 100; i++) batcher.push('b');
    assert.equal(sent.length, 1);
    timers.advance(19);
    assert.deepEqual(sent, ['a'], 'nothing goes out before the interval has passed');
    timers.advance(1);
    assert.deepEqual(sent, ['a', 'b'.repeat(100)]);
    assert.equal(timers.fired, 1, 'one timer for the whole batch');
    batcher.push('c');
    batcher.flush();
    assert.deepEqual(sent, ['a', 'b'.repeat(100), 'c']);
    timers.advance(1_000);
    assert.equal(timers.fired, 1, 'flush() cancelled the pending timer');
    assert.deepEqual(sent, ['a', 'b'.repeat(100), 'c']);
  });

  it('still works with the real timers when none are given (flush needs no waiting)', () => {
    const sent: string[] = [];
    const batcher = new DeltaBatcher((t) => sent.push(t));
    batcher.push('a');
    batcher.push('b');
    batcher.push('c');
    batcher.flush();
    assert.deepEqual(sent, ['a', 'bc']);
  });
});
