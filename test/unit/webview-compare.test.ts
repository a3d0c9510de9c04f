import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { CompareToHost, ComparisonView, HostToCompare } from '../../src/shared/compareProtocol';
import { CompareApp } from '../../webview-ui/src/compare/compareApp';
import { markdownRendererFactory } from '../../webview-ui/src/markdownBody';
import { createPanel, FakeClock, MODELS, sendPrompt, user } from './webview-harness';

describe('webview: comparing models in the chat panel', () => {
  it('the Compare button asks for models, the chip names them and its × clears them', () => {
    const panel = createPanel();
    panel.init();
    const compare = panel.$('.ml-composer-tools .ml-compare-button');
    assert.equal(compare.getAttribute('aria-label'), 'Compare models…');
    panel.click(compare);
    assert.deepEqual(panel.last('pickCompareModels'), { type: 'pickCompareModels' });
    assert.equal((panel.$('.ml-compare-chip') as HTMLElement).hidden, true);
    panel.deliver({ type: 'compareSet', models: MODELS });
    const chip = panel.$('.ml-compare-chip') as HTMLElement;
    assert.equal(chip.hidden, false);
    assert.equal(chip.querySelector('.ml-chip-label')?.textContent, 'Compare: Qwen2.5-Coder-32B · DeepSeek V3');
    assert.ok(compare.classList.contains('is-active'));
    panel.click(chip.querySelector('.ml-chip-remove') as Element);
    assert.deepEqual(panel.last('pickCompareModels'), { type: 'pickCompareModels', clear: true });
    panel.deliver({ type: 'compareSet', models: [] });
    assert.equal(chip.hidden, true);
  });

  it('a comparison answer says who answers, shows no Thinking dots, and opens the comparison view', () => {
    const panel = createPanel();
    panel.init();
    const requestId = sendPrompt(panel, 'which is faster?');
    panel.deliver({ type: 'answerStart', requestId, userMessage: user('u1', 'which is faster?'), assistantId: 'a1', model: MODELS[0].id, replaceFromIndex: 0, comparison: MODELS.map((m) => m.id) });
    assert.equal(panel.$('[data-id="a1"] .ml-msg-model').textContent, 'Comparison of 2 models');
    assert.equal(panel.$$('[data-id="a1"] .ml-thinking').length, 0);
    assert.match(panel.$('[data-id="a1"] .ml-answer-note').textContent ?? '', /Qwen2\.5-Coder-32B, DeepSeek V3 answer side by side/);
    panel.deliver({ type: 'answerEnd', requestId, status: 'done' });
    assert.equal(panel.$$('[data-id="a1"] .ml-regenerate:not([hidden])').length, 0, 'no single-model Regenerate on an unpicked comparison');
    panel.click(panel.$('[data-id="a1"] .ml-open-comparison'));
    assert.deepEqual(panel.last('openComparison'), { type: 'openComparison', messageId: 'a1' });
  });

  it('a chosen comparison shows the chosen model and keeps the others named', () => {
    const panel = createPanel();
    panel.init({
      conversation: {
        id: 'c1',
        title: 'T',
        messages: [user('u1', 'q'), { id: 'a1', role: 'assistant', text: 'From DeepSeek.', model: MODELS[1].id, status: 'done', comparison: { models: MODELS.map((m) => m.id), chosen: 1 } }],
      },
    });
    assert.equal(panel.$('[data-id="a1"] .ml-msg-model').textContent, 'DeepSeek V3');
    assert.match(panel.$('[data-id="a1"] .ml-answer-note').textContent ?? '', /Chosen from 2 answers; the others \(Qwen2\.5-Coder-32B\) are kept/);
  });

  it('a request waiting for a slot says so, and a fallback renames the answer and says why', () => {
    const panel = createPanel();
    panel.init();
    const requestId = sendPrompt(panel, 'q');
    panel.deliver({ type: 'answerStart', requestId, userMessage: user('u1', 'q'), assistantId: 'a1', model: MODELS[0].id, replaceFromIndex: 0 });
    panel.deliver({ type: 'answerQueued', requestId, position: 2 });
    assert.equal(panel.$('[data-id="a1"] .ml-waiting').textContent, 'Waiting for a free slot (2nd in line)');
    panel.deliver({ type: 'answerQueued', requestId, position: 0 });
    assert.equal(panel.$$('[data-id="a1"] .ml-waiting').length, 0, 'admitted: no longer waiting for a slot');
    assert.equal(panel.$$('[data-id="a1"] .ml-thinking').length, 1);
    panel.deliver({ type: 'answerFallback', requestId, from: MODELS[0].id, to: MODELS[1].id, reason: 'rate-limited' });
    assert.equal(panel.$('[data-id="a1"] .ml-msg-model').textContent, 'DeepSeek V3');
    assert.equal(panel.$('[data-id="a1"] .ml-answer-note').textContent, 'Answered by DeepSeek V3 — Qwen2.5-Coder-32B was rate-limited');
    panel.deliver({ type: 'answerDelta', requestId, text: 'Hello' });
    assert.equal(panel.$$('[data-id="a1"] .ml-waiting').length, 0, 'the first text replaces the waiting line');
  });

  it('an answer cut off after text offers Retry with the next fallback model', () => {
    const panel = createPanel();
    panel.init();
    const requestId = sendPrompt(panel, 'q');
    panel.deliver({ type: 'answerStart', requestId, userMessage: user('u1', 'q'), assistantId: 'a1', model: MODELS[0].id, replaceFromIndex: 0 });
    panel.deliver({ type: 'answerDelta', requestId, text: 'Half an ans' });
    panel.deliver({ type: 'answerEnd', requestId, status: 'incomplete', error: { kind: 'stream_dropped', message: 'The connection dropped.', action: 'retry', retryModel: MODELS[1] } });
    const other = panel.$('[data-id="a1"] .ml-retry-other');
    assert.equal(other.textContent, 'Retry with DeepSeek V3');
    panel.click(other);
    const retry = panel.last('retryWithModel');
    assert.equal(retry?.model, MODELS[1].id);
    assert.ok(retry?.requestId);
  });
});

describe('webview: the comparison view', () => {
  function createCompare(width = 1200) {
    const dom = new JSDOM('<!DOCTYPE html><html><body><div id="app"></div></body></html>');
    const doc = dom.window.document;
    const root = doc.getElementById('app') as HTMLElement;
    Object.defineProperty(root, 'clientWidth', { get: () => width });
    const posted: CompareToHost[] = [];
    let listener: ((message: HostToCompare) => void) | undefined;
    let resize: (() => void) | undefined;
    class FakeResizeObserver {
      constructor(callback: () => void) {
        resize = callback;
      }
      observe() {}
      disconnect() {}
      unobserve() {}
    }
    const app = new CompareApp({
      root,
      post: (m) => posted.push(m),
      clock: new FakeClock(),
      createRenderer: markdownRendererFactory(doc, (cb) => cb()),
      ResizeObserver: FakeResizeObserver as unknown as typeof ResizeObserver,
    });
    app.start((l) => (listener = l));
    return {
      root,
      posted,
      deliver: (m: HostToCompare) => listener?.(m),
      $: (selector: string) => root.querySelector(selector) as HTMLElement,
      $$: (selector: string) => Array.from(root.querySelectorAll(selector)) as HTMLElement[],
      click: (target: Element) => target.dispatchEvent(new dom.window.MouseEvent('click', { bubbles: true, cancelable: true })),
      resizeTo: (w: number) => {
        width = w;
        resize?.();
      },
    };
  }

  const view = (overrides: Partial<ComparisonView> = {}): ComparisonView => ({
    messageId: 'a1',
    prompt: 'Write a debounce',
    canChoose: true,
    columns: [
      { model: 'Qwen-Qwen2.5-Coder-32B-Instruct', label: 'Qwen2.5 Coder 32B', status: 'waiting', text: '' },
      { model: 'deepseek-ai-DeepSeek-V3', label: 'DeepSeek V3', status: 'waiting', text: '' },
      { model: 'meta-llama-Llama-3.3-70B-Instruct-Turbo', label: 'Llama 3.3 70B Turbo', status: 'waiting', text: '' },
    ],
    ...overrides,
  });

  it('asks for its state, then shows one column per model with the prompt', () => {
    const c = createCompare();
    assert.deepEqual(c.posted[0], { type: 'ready' });
    c.deliver({ type: 'init', comparison: view() });
    assert.equal(c.$('.mlc-prompt').textContent, 'Write a debounce');
    assert.deepEqual(c.$$('.mlc-column .mlc-model').map((h) => h.textContent), ['Qwen2.5 Coder 32B', 'DeepSeek V3', 'Llama 3.3 70B Turbo']);
    assert.equal(c.root.classList.contains('is-narrow'), false);
    assert.equal((c.$('.mlc-tabs') as HTMLElement).hidden, true);
    assert.deepEqual(c.$$('.mlc-column').map((s) => s.getAttribute('role')), ['region', 'region', 'region']);
  });

  it('streams each column, shows its figures, and offers Use this answer once it has finished', () => {
    const c = createCompare();
    c.deliver({ type: 'init', comparison: view() });
    c.deliver({ type: 'column', column: 1, state: { status: 'streaming', firstTokenMs: 312 } });
    c.deliver({ type: 'delta', column: 1, text: 'Use **setTimeout**.\n\n```ts\nconst x = 1;\n```\n' });
    const column = c.$$('.mlc-column')[1];
    assert.match(column.querySelector('.mlc-body')?.textContent ?? '', /Use setTimeout/);
    assert.equal(column.querySelectorAll('.ml-code .ml-code-btn').length > 0, true, 'code blocks have their actions');
    const use = column.querySelector('.mlc-use') as HTMLButtonElement;
    assert.equal(use.disabled, true, 'not while it streams');
    assert.equal(column.querySelector('.mlc-metrics')?.textContent, 'First token 312 ms');
    c.deliver({ type: 'column', column: 1, state: { status: 'done', firstTokenMs: 312, tokensPerSecond: 48.5, usage: { promptTokens: 20, completionTokens: 12, totalTokens: 32 } } });
    assert.equal(column.querySelector('.mlc-metrics')?.textContent, 'First token 312 ms · 48.5 tokens/s · 32 tokens');
    assert.equal(column.querySelector('.mlc-metrics')?.getAttribute('title'), '20 prompt + 12 completion tokens');
    assert.equal(column.querySelector('.mlc-status')?.textContent, 'Finished');
    assert.equal(use.disabled, false);
    c.click(use);
    assert.deepEqual(c.posted.at(-1), { type: 'use', column: 1 });
    c.deliver({ type: 'chosen', column: 1 });
    assert.ok(column.classList.contains('is-chosen'));
    assert.equal(use.textContent, 'Chosen');
  });

  it('says how a column ended: cut off, stopped, failed with its message', () => {
    const c = createCompare();
    c.deliver({ type: 'init', comparison: view() });
    c.deliver({ type: 'column', column: 0, state: { status: 'truncated' } });
    c.deliver({ type: 'column', column: 1, state: { status: 'stopped' } });
    c.deliver({ type: 'column', column: 2, state: { status: 'error', error: { kind: 'model_not_found', message: 'The model was not found.' } } });
    assert.deepEqual(c.$$('.mlc-status').map((s) => s.textContent), ['Cut off at the token limit', 'Stopped', 'Failed']);
    assert.equal(c.$$('.mlc-column')[2].querySelector('.mlc-error')?.textContent, 'The model was not found.');
    assert.equal((c.$('.mlc-stop-all') as HTMLElement).hidden, true, 'nothing left to stop');
  });

  it('stops one column, or all of them', () => {
    const c = createCompare();
    c.deliver({ type: 'init', comparison: view() });
    c.deliver({ type: 'column', column: 0, state: { status: 'streaming' } });
    c.click(c.$$('.mlc-stop')[2]);
    assert.deepEqual(c.posted.at(-1), { type: 'stop', column: 2 });
    c.click(c.$('.mlc-stop-all'));
    assert.deepEqual(c.posted.at(-1), { type: 'stop' });
  });

  it('a queued column says it waits for a slot', () => {
    const c = createCompare();
    c.deliver({ type: 'init', comparison: view() });
    c.deliver({ type: 'column', column: 2, state: { status: 'queued', note: 'Waiting for a free slot (1st in line)' } });
    assert.equal(c.$$('.mlc-column')[2].querySelector('.mlc-note')?.textContent, 'Waiting for a free slot (1st in line)');
    assert.equal(c.$$('.mlc-column')[2].querySelector('.mlc-status')?.textContent, 'Queued');
  });

  it('stacks as tabs when narrow, with arrow keys moving between them', () => {
    const c = createCompare();
    c.deliver({ type: 'init', comparison: view() });
    c.resizeTo(600);
    assert.ok(c.root.classList.contains('is-narrow'));
    assert.equal((c.$('.mlc-tabs') as HTMLElement).hidden, false);
    const tabs = c.$$('.mlc-tab');
    assert.deepEqual(tabs.map((t) => t.getAttribute('aria-selected')), ['true', 'false', 'false']);
    assert.deepEqual(c.$$('.mlc-column').map((s) => s.getAttribute('role')), ['tabpanel', 'tabpanel', 'tabpanel']);
    tabs[0].dispatchEvent(new tabs[0].ownerDocument.defaultView!.KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    assert.deepEqual(tabs.map((t) => t.getAttribute('aria-selected')), ['false', 'true', 'false']);
    assert.ok(c.$$('.mlc-column')[1].classList.contains('is-selected'));
    c.click(tabs[2]);
    assert.ok(c.$$('.mlc-column')[2].classList.contains('is-selected'));
    c.resizeTo(1400);
    assert.equal(c.root.classList.contains('is-narrow'), false);
  });

  it('a comparison reopened after the chat moved on offers no Use this answer', () => {
    const c = createCompare();
    c.deliver({ type: 'init', comparison: view({ canChoose: false, chosen: 0, columns: view().columns.map((col) => ({ ...col, status: 'done', text: 'x' })) }) });
    assert.deepEqual(c.$$('.mlc-use').map((b) => b.hidden), [true, true, true]);
    assert.ok(c.$$('.mlc-column')[0].classList.contains('is-chosen'));
  });
});

describe('webview: the comparison view’s shared frame budget', () => {
  it('runs waiting renders in one frame until the budget is spent, the rest in the next, at least one a frame', async () => {
    const { frameBudget } = await import('../../webview-ui/src/compare/frameBudget');
    const frames: (() => void)[] = [];
    let time = 0;
    const schedule = frameBudget((cb) => frames.push(cb), () => time, 6);
    const ran: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) schedule(() => {
      ran.push(name);
      time += 4; // each column's render costs 4 ms
    });
    assert.equal(frames.length, 1, 'one frame asked for, not four');
    frames.shift()!();
    assert.deepEqual(ran, ['a', 'b'], '4 ms, then 8 ms: the budget of 6 ms is spent after the second');
    assert.equal(frames.length, 1, 'the rest wait for the next frame');
    frames.shift()!();
    assert.deepEqual(ran, ['a', 'b', 'c', 'd']);
    schedule(() => {
      ran.push('slow');
      time += 50;
    });
    schedule(() => ran.push('next'));
    frames.shift()!();
    assert.deepEqual(ran.slice(-1), ['slow'], 'one slow render still runs alone');
    frames.shift()!();
    assert.deepEqual(ran.slice(-1), ['next']);
  });
});
