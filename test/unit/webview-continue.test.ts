import * as assert from 'node:assert/strict';
import { createPanel, sendPrompt, startAnswer } from './webview-harness';

describe('webview: answers cut off at the token limit, and refused requests', () => {
  it('a truncated answer says so and offers Continue, which streams on into the same answer', () => {
    const panel = createPanel();
    panel.init();
    const id = sendPrompt(panel, 'write add');
    startAnswer(panel, id, 'write add', 0, 'u1', 'a1');
    panel.deliver({ type: 'answerDelta', requestId: id, text: 'function add(a, b) {' });
    panel.deliver({ type: 'answerEnd', requestId: id, status: 'truncated' });
    const answer = panel.$('[data-id="a1"]');
    assert.equal(answer.querySelector('.ml-badge')?.textContent, 'Token limit reached');
    const resume = panel.$$<HTMLButtonElement>('button[aria-label="Continue"]').filter((b) => !b.hidden);
    assert.equal(resume.length, 1);
    assert.ok(answer.contains(resume[0]));

    panel.click(resume[0]);
    const posted = panel.last('continueAnswer');
    assert.equal(posted?.messageId, 'a1');
    assert.ok(posted?.requestId);
    panel.deliver({ type: 'answerResume', requestId: posted!.requestId, assistantId: 'a1', text: 'function add(a, b) {' });
    assert.ok(panel.button('Stop'), 'busy while it continues');
    panel.deliver({ type: 'answerDelta', requestId: posted!.requestId, text: ' return a + b; }' });
    panel.deliver({ type: 'answerEnd', requestId: posted!.requestId, status: 'done' });
    panel.runFrames();
    assert.equal(panel.$$('[data-id="a1"]').length, 1, 'still one answer');
    assert.equal(panel.$('[data-id="a1"] .ml-msg-body').textContent, 'function add(a, b) { return a + b; }');
    assert.equal(panel.$$('[data-id="a1"] .ml-badge').length, 0, 'a finished answer has no status badge');
    assert.ok(panel.$$<HTMLButtonElement>('button[aria-label="Continue"]').every((b) => b.hidden), 'no Continue on a complete answer');
  });

  it('requestRefused ends the pending request: the composer is free and the reason is shown', () => {
    const panel = createPanel();
    panel.init();
    const id = sendPrompt(panel, 'hello');
    assert.ok(panel.button('Stop'));
    panel.deliver({ type: 'requestRefused', requestId: id, level: 'error', text: 'Could not read the attached file notes.md.' });
    assert.ok(panel.button('Send'), 'no longer busy');
    assert.match(panel.doc.body.textContent ?? '', /Could not read the attached file notes\.md\./);
  });
});
