import * as assert from 'node:assert/strict';
import { assistant, conversation, createPanel, sendPrompt, startAnswer, user } from './webview-harness';

describe('webview links and code blocks', () => {
  function panelWith(text: string) {
    const panel = createPanel();
    panel.init({ conversation: conversation([user('u1', 'q'), assistant('a1', text)]) });
    return panel;
  }

  it('a click on a link posts openLink and does not navigate', () => {
    const panel = panelWith('See [the docs](https://modelslab.com/docs) for more.');
    const link = panel.$('[data-id="a1"] [data-href]');
    const event = new panel.window.MouseEvent('click', { bubbles: true, cancelable: true });
    link.dispatchEvent(event);
    assert.equal(event.defaultPrevented, true);
    assert.deepEqual(panel.last('openLink'), { type: 'openLink', href: 'https://modelslab.com/docs' });
  });

  it('Enter on a focused link opens it too', () => {
    const panel = panelWith('[docs](https://example.com/)');
    panel.key(panel.$('[data-href]'), 'Enter');
    assert.deepEqual(panel.last('openLink'), { type: 'openLink', href: 'https://example.com/' });
  });

  // Defence in depth: even a data-href the renderer would never produce is not posted.
  it('a click on a non-http(s) data-href posts nothing', () => {
    const panel = panelWith('See [the docs](https://modelslab.com/docs).');
    const link = panel.$('[data-id="a1"] [data-href]');
    link.setAttribute('data-href', 'mailto:dev@example.com');
    panel.click(link);
    assert.equal(panel.last('openLink'), undefined);
  });

  it('an image becomes a link placeholder that opens through the host', () => {
    const panel = panelWith('![chart](https://example.com/chart.png)');
    assert.equal(panel.doc.querySelector('.ml-msg img'), null);
    panel.click(panel.$('[data-id="a1"] [data-href]'));
    assert.deepEqual(panel.last('openLink'), { type: 'openLink', href: 'https://example.com/chart.png' });
  });

  it('code block buttons post codeBlock with the exact source and language', () => {
    const panel = panelWith('Try:\n\n```ts\nconst a = 1;\nconsole.log(a);\n```\n');
    for (const action of ['insert', 'apply', 'newFile', 'copy'] as const) {
      panel.click(panel.$(`[data-id="a1"] .ml-code-btn[data-action="${action}"]`));
      assert.deepEqual(panel.last('codeBlock'), { type: 'codeBlock', action, code: 'const a = 1;\nconsole.log(a);', language: 'ts' });
    }
  });

  it('a block without a language still posts a valid language id', () => {
    const panel = panelWith('```\nplain\n```');
    panel.click(panel.$('.ml-code-btn[data-action="insert"]'));
    assert.equal(panel.last('codeBlock')?.language, 'plaintext');
  });

  it('Copy shows "Copied" with a check for a moment', () => {
    const panel = panelWith('```py\nprint(1)\n```');
    const copy = panel.$('.ml-code-btn[data-action="copy"]');
    const icon = copy.querySelector('.codicon')!;
    panel.click(copy);
    assert.ok(icon.classList.contains('codicon-check'));
    assert.equal(copy.getAttribute('aria-label'), 'Copied');
    panel.clock.advance(1600);
    assert.ok(icon.classList.contains('codicon-copy'));
    assert.equal(copy.getAttribute('aria-label'), 'Copy code');
  });

  it('Wrap long lines is one toggle for the panel: every block follows it, and it is remembered', () => {
    const panel = panelWith('```ts\nconst a = 1;\n```\n\n```py\nprint(1)\n```');
    const toggles = () => panel.$$('.ml-code-btn[data-action="wrap"]');
    assert.deepEqual(toggles().map((t) => t.getAttribute('aria-pressed')), ['false', 'false']);
    assert.equal(panel.doc.body.classList.contains('ml-wrap-code'), false);

    panel.click(toggles()[1]);
    assert.deepEqual(toggles().map((t) => t.getAttribute('aria-pressed')), ['true', 'true']);
    assert.equal(panel.doc.body.classList.contains('ml-wrap-code'), true);
    assert.equal(panel.state?.wrapCode, true, 'saved with the panel state at once');
    assert.equal(panel.last('codeBlock'), undefined, 'a view toggle, nothing for the host');

    // A block that arrives later starts in the same state.
    const requestId = sendPrompt(panel, 'more');
    startAnswer(panel, requestId, 'more', 2, 'u2', 'a2');
    panel.deliver({ type: 'answerDelta', requestId, text: '```js\nlet b;\n```\n' });
    panel.runFrames();
    assert.equal(panel.$('[data-id="a2"] .ml-code-btn[data-action="wrap"]').getAttribute('aria-pressed'), 'true');

    panel.click(toggles()[0]);
    assert.ok(toggles().every((t) => t.getAttribute('aria-pressed') === 'false'));
    assert.equal(panel.doc.body.classList.contains('ml-wrap-code'), false);
  });

  it('a panel re-created with wrapping on wraps its code blocks', () => {
    const panel = createPanel({ state: { wrapCode: true } });
    panel.init({ conversation: conversation([user('u1', 'q'), assistant('a1', '```\nx\n```')]) });
    assert.equal(panel.doc.body.classList.contains('ml-wrap-code'), true);
    assert.equal(panel.$('.ml-code-btn[data-action="wrap"]').getAttribute('aria-pressed'), 'true');
  });
});
