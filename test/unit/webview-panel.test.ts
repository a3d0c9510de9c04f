import * as assert from 'node:assert/strict';
import { MODELS, assistant, conversation, createPanel, user } from './webview-harness';

describe('webview panel: loading, key, model picker, notices', () => {
  it('posts ready and shows a quiet "Loading…" until init', () => {
    const panel = createPanel();
    assert.deepEqual(panel.posted, [{ type: 'ready' }]);
    const loading = panel.$('.ml-loading');
    assert.equal(loading.textContent, 'Loading…');
    assert.equal(loading.hidden, false);
    panel.init();
    assert.equal(loading.hidden, true);
  });

  it('without a key shows one welcome, centred in place of the chat and the composer', () => {
    const panel = createPanel();
    panel.init({ hasKey: false });
    const welcome = panel.$('.ml-welcome');
    assert.equal(welcome.hidden, false);
    assert.ok(panel.$('.ml-main').contains(welcome), 'in the main area, not under an empty gap');
    assert.match(welcome.textContent ?? '', /ModelsLab Coder/);
    assert.equal(panel.$('.ml-footer').hidden, true, 'no composer (and no hint about one) without a key');
    assert.equal(panel.$('.ml-chat').hidden, true);
    panel.click(panel.button('Set API Key'));
    assert.deepEqual(panel.last('setApiKey'), { type: 'setApiKey' });
    panel.click(panel.button('Get a Key'));
    assert.deepEqual(panel.last('openLink'), { type: 'openLink', href: 'https://modelslab.com/dashboard/api-keys' });

    panel.deliver({ type: 'keyState', hasKey: true });
    assert.equal(welcome.hidden, true);
    assert.equal(panel.$('.ml-footer').hidden, false);
    assert.equal(panel.$('.ml-chat').hidden, false);

    panel.deliver({ type: 'keyState', hasKey: false });
    assert.equal(panel.$('.ml-footer').hidden, true);
  });

  it('the model picker in the composer names the model and opens VS Code\'s Quick Pick', () => {
    const panel = createPanel();
    panel.init({ model: MODELS[1].id });
    const picker = panel.$<HTMLButtonElement>('.ml-composer-toolbar .ml-model-button');
    assert.equal(picker.textContent, 'DeepSeek V3');
    assert.match(picker.getAttribute('aria-label') ?? '', /^Model: DeepSeek V3/);
    panel.click(picker);
    assert.deepEqual(panel.last('pickModel'), { type: 'pickModel' });
    panel.deliver({ type: 'models', models: MODELS, model: MODELS[0].id });
    assert.equal(picker.textContent, MODELS[0].label);
  });

  it('keeps an unknown configured model named and labels answers by id', () => {
    const panel = createPanel();
    panel.init({ model: 'my-custom-model', conversation: conversation([user('u1', 'q'), assistant('a1', 'x', { model: 'my-custom-model' })]) });
    assert.equal(panel.$('.ml-model-button').textContent, 'my-custom-model');
    assert.equal(panel.$('[data-id="a1"] .ml-msg-model').textContent, 'my-custom-model');
    panel.deliver({ type: 'models', models: [...MODELS, { id: 'my-custom-model', label: 'Custom' }], model: 'my-custom-model' });
    assert.equal(panel.$('[data-id="a1"] .ml-msg-model').textContent, 'Custom');
  });

  it('New Chat and History are not repeated inside the panel (they are the view\'s title-bar actions)', () => {
    const panel = createPanel();
    panel.init();
    assert.equal(panel.$$('button[aria-label="New Chat"]').length, 0);
    assert.equal(panel.$$('button[aria-label="History"]').length, 0);
  });

  it('every button has an accessible name and a tooltip; icons are hidden from screen readers', () => {
    const panel = createPanel();
    panel.init({ conversation: conversation([user('u1', 'q'), assistant('a1', '```ts\nconst a = 1;\n```')]) });
    panel.deliver({ type: 'context', chips: [{ id: 'c1', label: 'a.ts', kind: 'file' }] });
    panel.deliver({ type: 'notice', level: 'info', text: 'Hi' });
    for (const button of panel.$$('button')) {
      assert.ok(button.getAttribute('aria-label'), `button without a name: ${button.outerHTML}`);
      assert.ok(button.getAttribute('title'), `button without a tooltip: ${button.outerHTML}`);
    }
    for (const icon of panel.$$('.codicon')) assert.equal(icon.getAttribute('aria-hidden'), 'true');
  });

  it('notices are dismissible banners; errors are alerts', () => {
    const panel = createPanel();
    panel.init();
    panel.deliver({ type: 'notice', level: 'warning', text: 'Could not save.' });
    panel.deliver({ type: 'notice', level: 'error', text: 'Broken.' });
    const notices = panel.$$('.ml-notice');
    assert.deepEqual(notices.map((n) => n.getAttribute('role')), ['status', 'alert']);
    assert.equal(notices[0].textContent, 'Could not save.');
    panel.click(notices[0].querySelector('button[aria-label="Dismiss notice"]')!);
    assert.equal(panel.$$('.ml-notice').length, 1);
  });
});

describe('webview panel: notices before init', () => {
  it('shows an error notice that arrives while still loading', () => {
    const panel = createPanel();
    panel.deliver({ type: 'notice', level: 'error', text: 'Could not load the conversation.' });
    const notice = panel.$('[role="alert"]');
    assert.equal(notice.textContent, 'Could not load the conversation.');
    let hidden = false;
    for (let node: HTMLElement | null = notice; node; node = node.parentElement) hidden ||= node.hidden;
    assert.equal(hidden, false);
  });
});
