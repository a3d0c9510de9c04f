import * as assert from 'node:assert/strict';
import { assistant, conversation, createPanel, user } from './webview-harness';

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
});
