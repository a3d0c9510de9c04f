import * as assert from 'node:assert/strict';
import { createPanel, sendPrompt, startAnswer } from './webview-harness';

describe('webview composer', () => {
  it('Enter sends the text with a fresh request id and clears the box', () => {
    const panel = createPanel();
    panel.init();
    const id1 = sendPrompt(panel, 'Explain this function');
    assert.deepEqual(panel.last('send'), { type: 'send', requestId: id1, text: 'Explain this function' });
    assert.equal(panel.composer().value, '');
    panel.deliver({ type: 'answerEnd', requestId: id1, status: 'done' });
    const id2 = sendPrompt(panel, 'And this one?');
    assert.notEqual(id1, id2);
    assert.ok(id1.length > 0 && id2.length > 0);
  });

  it('Shift+Enter does not send (the textarea inserts the newline itself)', () => {
    const panel = createPanel();
    panel.init();
    panel.type('line one');
    const event = panel.key(panel.composer(), 'Enter', { shiftKey: true });
    assert.equal(event.defaultPrevented, false);
    assert.equal(panel.last('send'), undefined);
  });

  it('Enter during IME composition does not send', () => {
    const panel = createPanel();
    panel.init();
    panel.type('にほんご');
    const composing = panel.key(panel.composer(), 'Enter', { isComposing: true });
    panel.key(panel.composer(), 'Enter', { keyCode: 229 });
    assert.equal(composing.defaultPrevented, false);
    assert.equal(panel.last('send'), undefined);
    assert.equal(panel.composer().value, 'にほんご');
  });

  it('does not send empty or whitespace-only text', () => {
    const panel = createPanel();
    panel.init();
    panel.key(panel.composer(), 'Enter');
    panel.type('   \n\t ');
    panel.key(panel.composer(), 'Enter');
    assert.equal(panel.last('send'), undefined);
    assert.equal(panel.button('Send').disabled, true);
  });

  it('ArrowUp in an empty box recalls the last sent prompt, ArrowDown returns to the draft', () => {
    const panel = createPanel();
    panel.init();
    const id = sendPrompt(panel, 'first prompt');
    panel.deliver({ type: 'answerEnd', requestId: id, status: 'done' });
    const id2 = sendPrompt(panel, 'second prompt');
    panel.deliver({ type: 'answerEnd', requestId: id2, status: 'done' });

    const box = panel.composer();
    assert.equal(panel.key(box, 'ArrowUp').defaultPrevented, true);
    assert.equal(box.value, 'second prompt');
    panel.key(box, 'ArrowUp');
    assert.equal(box.value, 'first prompt');
    panel.key(box, 'ArrowDown');
    assert.equal(box.value, 'second prompt');
    panel.key(box, 'ArrowDown');
    assert.equal(box.value, '');
  });

  it('ArrowUp with the caret at position 0 recalls; elsewhere it moves the caret', () => {
    const panel = createPanel({ state: { prompts: ['older'] } });
    panel.init();
    const box = panel.composer();
    panel.type('draft\nsecond line');
    assert.equal(panel.key(box, 'ArrowUp').defaultPrevented, false);
    assert.equal(box.value, 'draft\nsecond line');
    box.setSelectionRange(0, 0);
    panel.key(box, 'ArrowUp');
    assert.equal(box.value, 'older');
    panel.key(box, 'ArrowDown');
    assert.equal(box.value, 'draft\nsecond line', 'the draft comes back');
  });

  it('while an answer streams: Send becomes Stop, Enter keeps the text, Stop and Escape cancel the same request', () => {
    const panel = createPanel();
    panel.init();
    const id = sendPrompt(panel, 'Write a parser');
    startAnswer(panel, id, 'Write a parser', 0);
    const stop = panel.button('Stop');
    assert.ok(stop.querySelector('.codicon-debug-stop'));
    assert.equal(panel.$$('button[aria-label="Send"]').length, 0);

    panel.type('a follow-up');
    panel.key(panel.composer(), 'Enter');
    assert.equal(panel.posted.filter((m) => m.type === 'send').length, 1);
    assert.equal(panel.composer().value, 'a follow-up', 'the text stays in the box');

    panel.click(stop);
    assert.deepEqual(panel.last('cancel'), { type: 'cancel', requestId: id });
    panel.posted.length = 0;
    panel.key(panel.composer(), 'Escape');
    assert.deepEqual(panel.last('cancel'), { type: 'cancel', requestId: id });

    panel.deliver({ type: 'answerEnd', requestId: id, status: 'stopped' });
    assert.ok(panel.button('Send'));
    panel.key(panel.composer(), 'Enter');
    assert.equal(panel.last('send')?.text, 'a follow-up');
  });

  it('Stop before answerStart cancels again once the host starts that request', () => {
    const panel = createPanel();
    panel.init();
    const id = sendPrompt(panel, 'hello');
    panel.click(panel.button('Stop'));
    panel.posted.length = 0;
    startAnswer(panel, id, 'hello', 0);
    assert.deepEqual(panel.last('cancel'), { type: 'cancel', requestId: id });
  });

  it('a notice instead of answerStart (the host refused) re-enables sending', () => {
    const panel = createPanel();
    panel.init();
    sendPrompt(panel, 'hello');
    assert.ok(panel.button('Stop'));
    panel.deliver({ type: 'notice', level: 'info', text: 'An answer is still streaming.' });
    assert.ok(panel.button('Send'));
  });

  it('typing "@" at the start or after a space asks for a file and removes the "@"', () => {
    const panel = createPanel();
    panel.init();
    panel.type('@');
    assert.deepEqual(panel.last('attachFile'), { type: 'attachFile' });
    assert.equal(panel.composer().value, '');

    panel.posted.length = 0;
    panel.type('look at @');
    assert.equal(panel.posted.filter((m) => m.type === 'attachFile').length, 1);
    assert.equal(panel.composer().value, 'look at ');

    panel.posted.length = 0;
    panel.type('mail me@');
    assert.equal(panel.last('attachFile'), undefined, 'not inside a word');
    assert.equal(panel.composer().value, 'mail me@');
  });

  it('the Attach file button posts attachFile', () => {
    const panel = createPanel();
    panel.init();
    panel.click(panel.button('Attach file'));
    assert.deepEqual(panel.last('attachFile'), { type: 'attachFile' });
  });

  it('keeps the draft and recent prompts in the webview state', () => {
    const panel = createPanel();
    panel.init();
    panel.type('half a thought');
    panel.clock.advance(1000);
    assert.equal(panel.state?.draft, 'half a thought');
    const again = createPanel({ state: panel.state });
    again.init();
    assert.equal(again.composer().value, 'half a thought');
    sendPrompt(again, 'half a thought');
    assert.deepEqual(again.state?.prompts, ['half a thought']);
    assert.equal(again.state?.draft, '');
  });
});
