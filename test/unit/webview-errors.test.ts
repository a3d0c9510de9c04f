import * as assert from 'node:assert/strict';
import type { ErrorView } from '../../src/shared/protocol';
import { createPanel, sendPrompt, startAnswer, type Panel } from './webview-harness';

function failWith(panel: Panel, error: ErrorView, status: 'error' | 'incomplete' = 'error'): HTMLElement {
  const id = sendPrompt(panel, 'q');
  startAnswer(panel, id, 'q', 0, 'u1', 'a1');
  panel.deliver({ type: 'answerEnd', requestId: id, status, error });
  return panel.$('[data-id="a1"] [role="alert"]');
}

describe('webview error box', () => {
  it('setApiKey: shows the message and a "Set API Key" button', () => {
    const panel = createPanel();
    panel.init();
    const box = failWith(panel, { kind: 'auth', message: 'ModelsLab rejected the API key.', action: 'setApiKey' });
    assert.equal(box.querySelector('.ml-error-text')?.textContent, 'ModelsLab rejected the API key.');
    assert.equal(box.querySelectorAll('button').length, 1);
    panel.click(box.querySelector('button[aria-label="Set API Key"]')!);
    assert.deepEqual(panel.last('setApiKey'), { type: 'setApiKey' });
    assert.equal(panel.$$('[data-id="a1"] .ml-badge').length, 0, 'no "Error" badge: the error says it once');
  });

  it('retry: posts retry with a new request id', () => {
    const panel = createPanel();
    panel.init();
    const box = failWith(panel, { kind: 'server', message: 'ModelsLab had a problem.', action: 'retry' });
    const first = panel.last('send')!.requestId;
    panel.click(box.querySelector('button[aria-label="Retry"]')!);
    assert.ok(panel.$$<HTMLButtonElement>('button[aria-label="Regenerate"]').every((b) => b.hidden), 'Retry is the one action: no Regenerate beside it');
    const retry = panel.last('regenerate');
    assert.ok(retry?.requestId);
    assert.notEqual(retry?.requestId, first);
  });

  it('rate limit: Retry counts down and stays disabled until retryAt', () => {
    const panel = createPanel();
    panel.init();
    const retryAt = panel.clock.now() + 12_000;
    const box = failWith(panel, { kind: 'rate_limit', message: 'Too many requests.', action: 'retry', retryAt });
    const retry = box.querySelector<HTMLButtonElement>('button[aria-label="Retry"]')!;
    assert.equal(retry.disabled, true);
    assert.equal(retry.textContent, 'Retry in 12 s');
    panel.clock.advance(3000);
    assert.equal(retry.textContent, 'Retry in 9 s');
    // The alert is not read out again every second: the ticking text is hidden from the
    // accessibility tree and the button's name stays "Retry".
    assert.equal(retry.querySelector('span:not(.codicon)')?.getAttribute('aria-hidden'), 'true');
    assert.equal(retry.getAttribute('aria-label'), 'Retry');
    panel.click(retry);
    assert.equal(panel.last('regenerate'), undefined, 'a disabled button does nothing');
    panel.clock.advance(9000);
    assert.equal(retry.disabled, false);
    assert.equal(retry.textContent, 'Retry');
    panel.click(retry);
    assert.ok(panel.last('regenerate'));
  });

  it('selectModel: opens VS Code\'s model Quick Pick', () => {
    const panel = createPanel();
    panel.init();
    const box = failWith(panel, { kind: 'model_not_found', message: 'That model does not exist.', action: 'selectModel' });
    panel.click(box.querySelector('button')!);
    assert.deepEqual(panel.last('pickModel'), { type: 'pickModel' });
  });

  it('openSettings: shows the message only', () => {
    const panel = createPanel();
    panel.init();
    const box = failWith(panel, { kind: 'invalid_params', message: 'max_tokens is too large; change it in Settings.', action: 'openSettings' });
    assert.equal(box.querySelectorAll('button').length, 0);
    assert.match(box.textContent ?? '', /max_tokens/);
  });

  it('an older answer’s error does not offer Retry (it would retry the latest prompt)', () => {
    const panel = createPanel();
    panel.init();
    failWith(panel, { kind: 'server', message: 'Oops.', action: 'retry' });
    const id = sendPrompt(panel, 'next');
    startAnswer(panel, id, 'next', 2, 'u2', 'a2');
    panel.deliver({ type: 'answerEnd', requestId: id, status: 'done' });
    assert.equal(panel.$<HTMLButtonElement>('[data-id="a1"] button[aria-label="Retry"]').hidden, true);
  });
});
