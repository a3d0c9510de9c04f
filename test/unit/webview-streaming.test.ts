import * as assert from 'node:assert/strict';
import { assistant, conversation, createPanel, sendPrompt, startAnswer, user } from './webview-harness';

describe('webview streaming answers', () => {
  it('answerStart / answerDelta / answerEnd build the answer, its footer and the total', () => {
    const panel = createPanel();
    panel.init();
    const id = sendPrompt(panel, 'Say hello');
    startAnswer(panel, id, 'Say hello', 0, 'u1', 'a1');

    const answer = panel.$('.ml-msg-assistant[data-id="a1"]');
    assert.equal(answer.getAttribute('aria-busy'), 'true');
    assert.ok(answer.querySelector('.ml-thinking'), 'thinking indicator until the first delta');
    assert.equal(answer.querySelector('.ml-msg-model')?.textContent, 'Qwen2.5-Coder-32B');
    assert.equal(panel.$$('button[aria-label="Regenerate"]').filter((b) => !b.hidden).length, 0, 'no regenerate while streaming');

    panel.deliver({ type: 'answerDelta', requestId: id, text: 'Hello, ' });
    assert.equal(answer.querySelector('.ml-thinking'), null);
    panel.deliver({ type: 'answerDelta', requestId: id, text: '**world**!' });
    panel.runFrames();
    assert.equal(answer.querySelector('.ml-msg-body')?.textContent, 'Hello, world!');
    assert.ok(answer.querySelector('.ml-msg-body strong'));

    panel.deliver({ type: 'answerEnd', requestId: id, status: 'done', usage: { promptTokens: 1000, completionTokens: 234, totalTokens: 1234 } });
    assert.equal(answer.hasAttribute('aria-busy'), false);
    assert.equal(answer.querySelector('.ml-usage')?.textContent, '1,234 tokens · 1,000 in / 234 out');
    assert.equal(answer.querySelector('.ml-badge'), null, 'no badge for done');
    assert.ok(!panel.button('Regenerate').hidden);
    assert.equal(panel.$('.ml-total').textContent, '1,234 tokens');
    assert.ok(panel.button('Send'));
  });

  it('shows status badges for stopped and incomplete answers', () => {
    const panel = createPanel();
    panel.init();
    const id = sendPrompt(panel, 'one');
    startAnswer(panel, id, 'one', 0, 'u1', 'a1');
    panel.deliver({ type: 'answerEnd', requestId: id, status: 'stopped' });
    assert.equal(panel.$('[data-id="a1"] .ml-badge').textContent, 'Stopped');

    const id2 = sendPrompt(panel, 'two');
    startAnswer(panel, id2, 'two', 2, 'u2', 'a2');
    panel.deliver({ type: 'answerDelta', requestId: id2, text: 'partial answer' });
    panel.deliver({ type: 'answerEnd', requestId: id2, status: 'incomplete', error: { kind: 'network', message: 'The connection dropped.', action: 'retry' } });
    const a2 = panel.$('[data-id="a2"]');
    assert.equal(a2.querySelector('.ml-badge')?.textContent, 'Incomplete: the connection dropped');
    assert.equal(a2.querySelector('.ml-msg-body')?.textContent, 'partial answer', 'the partial text stays');
    assert.equal(a2.querySelector('[role="alert"] .ml-error-text')?.textContent, 'The connection dropped.');
  });

  it('Regenerate is only on the last answer and posts regenerate', () => {
    const panel = createPanel();
    panel.init({
      conversation: conversation([user('u1', 'q1'), assistant('a1', 'first'), user('u2', 'q2'), assistant('a2', 'second')]),
    });
    const visible = panel.$$<HTMLButtonElement>('button[aria-label="Regenerate"]').filter((b) => !b.hidden);
    assert.equal(visible.length, 1);
    assert.ok(panel.$('[data-id="a2"]').contains(visible[0]));
    panel.click(visible[0]);
    const posted = panel.last('regenerate');
    assert.ok(posted?.requestId);
    assert.equal(visible[0].disabled, true, 'disabled while the new answer is on its way');
  });

  it('answerStart with replaceFromIndex drops that message and everything after it', () => {
    const panel = createPanel();
    panel.init({
      conversation: conversation([user('u1', 'q1'), assistant('a1', 'first'), user('u2', 'q2'), assistant('a2', 'second', { usage: { promptTokens: 5, completionTokens: 5, totalTokens: 10 } })]),
    });
    assert.equal(panel.$('.ml-total').textContent, '10 tokens');
    panel.click(panel.button('Regenerate'));
    const id = panel.last('regenerate')!.requestId;
    startAnswer(panel, id, 'q2', 2, 'u2', 'a3');
    const ids = panel.$$('.ml-msg').map((m) => m.getAttribute('data-id'));
    assert.deepEqual(ids, ['u1', 'a1', 'u2', 'a3']);
    assert.equal(panel.$('.ml-total').textContent, '', 'the replaced answer no longer counts');
  });

  it('editing a prompt posts editAndResend with the message id', () => {
    const panel = createPanel();
    panel.init({ conversation: conversation([user('u1', 'original'), assistant('a1', 'answer')]) });
    panel.click(panel.button('Edit prompt'));
    const editor = panel.$<HTMLTextAreaElement>('textarea[aria-label="Edit prompt text"]');
    assert.equal(editor.value, 'original');
    editor.value = 'changed';
    panel.click(panel.button('Resend'));
    const posted = panel.last('editAndResend');
    assert.equal(posted?.messageId, 'u1');
    assert.equal(posted?.text, 'changed');
    assert.ok(posted?.requestId);
    assert.equal(panel.$$('textarea[aria-label="Edit prompt text"]').length, 0);
  });

  it('Cancel leaves the prompt as it was', () => {
    const panel = createPanel();
    panel.init({ conversation: conversation([user('u1', 'original'), assistant('a1', 'answer')]) });
    panel.click(panel.button('Edit prompt'));
    panel.$<HTMLTextAreaElement>('textarea[aria-label="Edit prompt text"]').value = 'changed';
    panel.click(panel.button('Cancel'));
    assert.equal(panel.last('editAndResend'), undefined);
    assert.equal(panel.$('[data-id="u1"] .ml-user-text').textContent, 'original');
  });

  it('answerWaiting shows a live "retrying in N s" countdown', () => {
    const panel = createPanel();
    panel.init();
    const id = sendPrompt(panel, 'q');
    startAnswer(panel, id, 'q', 0, 'u1', 'a1');
    panel.deliver({ type: 'answerWaiting', requestId: id, retryAt: panel.clock.now() + 12_000, reason: 'rate limited (429)' });
    const waiting = panel.$('[data-id="a1"] .ml-waiting');
    const shown = waiting.querySelector('[aria-hidden="true"]:not(.codicon)')!;
    const spoken = waiting.querySelector('.ml-sr-only')!;
    assert.equal(waiting.getAttribute('role'), 'status');
    assert.equal(shown.textContent, 'Rate limited (429): retrying in 12 s');
    assert.equal(spoken.textContent, 'Rate limited (429): retrying in 12 seconds.');
    panel.clock.advance(5000);
    assert.equal(shown.textContent, 'Rate limited (429): retrying in 7 s');
    assert.equal(spoken.textContent, 'Rate limited (429): retrying in 12 seconds.', 'announced once, not every second');
    panel.deliver({ type: 'answerDelta', requestId: id, text: 'ok' });
    assert.equal(panel.$$('[data-id="a1"] .ml-waiting').length, 0);
  });

  it('ignores answer events for another request', () => {
    const panel = createPanel();
    panel.init();
    const id = sendPrompt(panel, 'q');
    startAnswer(panel, id, 'q', 0, 'u1', 'a1');
    panel.deliver({ type: 'answerDelta', requestId: 'someone-else', text: 'intruder' });
    panel.deliver({ type: 'answerEnd', requestId: 'someone-else', status: 'done' });
    panel.runFrames();
    assert.equal(panel.$('[data-id="a1"] .ml-msg-body').textContent, '');
    assert.ok(panel.button('Stop'), 'still streaming');
  });

  it('resumes an answer that was streaming when the view was re-created', () => {
    const panel = createPanel();
    panel.init({ conversation: conversation([user('u1', 'q'), assistant('a1', 'Half ', { status: 'streaming' })]) });
    assert.ok(panel.button('Stop'));
    panel.deliver({ type: 'answerDelta', requestId: 'r9', text: 'done.' });
    panel.runFrames();
    assert.equal(panel.$('[data-id="a1"] .ml-msg-body').textContent, 'Half done.');
    panel.deliver({ type: 'answerEnd', requestId: 'r9', status: 'done' });
    assert.ok(panel.button('Send'));
  });

  it('shows user text as text, never as HTML', () => {
    const panel = createPanel();
    panel.init();
    const evil = '<img src=x onerror="alert(1)"> <b>bold?</b>';
    const id = sendPrompt(panel, evil);
    startAnswer(panel, id, evil, 0, 'u1', 'a1');
    const text = panel.$('[data-id="u1"] .ml-user-text');
    assert.equal(text.textContent, evil);
    assert.equal(text.querySelector('img, b'), null);
    assert.equal(panel.doc.querySelector('img'), null);
  });

  it('shows context labels of a prompt as chips', () => {
    const panel = createPanel();
    panel.init({ conversation: conversation([user('u1', 'q', { contextLabels: ['utils.ts:10-20', '<script>'] })]) });
    const labels = panel.$$('[data-id="u1"] .ml-chip-label').map((c) => c.textContent);
    assert.deepEqual(labels, ['utils.ts:10-20', '<script>']);
    assert.equal(panel.doc.querySelector('.ml-msg script'), null);
  });

  it('the conversation log is labelled for assistive technology', () => {
    const panel = createPanel();
    panel.init();
    const log = panel.$('[role="log"]');
    assert.equal(log.getAttribute('aria-label'), 'Conversation');
  });
});
