import * as assert from 'node:assert/strict';
import type { EditFileView } from '../../src/shared/protocol';
import { assistant, conversation, createPanel, sendPrompt, user } from './webview-harness';

describe('webview: Agent mode', () => {
  it('the mode switch sits by the model picker, sends Agent with the prompt, and is remembered', () => {
    const panel = createPanel();
    panel.init();
    const mode = panel.$('.ml-composer-tools .ml-mode-button');
    assert.equal(mode.getAttribute('aria-label'), 'Mode: Ask. Switch to Agent');
    assert.equal(mode.nextElementSibling?.classList.contains('ml-model-button'), true);
    sendPrompt(panel, 'plain question');
    assert.equal(panel.last('send')?.mode, undefined, 'Ask is the default and is not spelled out');

    const second = createPanel();
    second.init();
    second.click(second.$('.ml-mode-button'));
    assert.equal(second.$('.ml-mode-button').getAttribute('aria-label'), 'Mode: Agent. Switch to Ask');
    assert.equal(second.state?.mode, 'agent');
    sendPrompt(second, 'where is the retry policy?');
    assert.equal(second.last('send')?.mode, 'agent');

    const reopened = createPanel({ state: { mode: 'agent' } });
    reopened.init();
    assert.equal(reopened.$('.ml-mode-button').getAttribute('aria-label'), 'Mode: Agent. Switch to Ask');
  });

  it("an agent answer says so, and shows each tool as one line under a summary that follows the work", () => {
    const panel = createPanel();
    panel.init();
    const requestId = sendPrompt(panel, 'where?');
    panel.deliver({ type: 'answerStart', requestId, userMessage: user('u1', 'where?'), assistantId: 'a1', model: 'm', replaceFromIndex: 0, mode: 'agent' });
    assert.equal(panel.$('[data-id="a1"] .ml-mode-badge').textContent, 'Agent');
    panel.deliver({ type: 'answerTool', requestId, tool: { callId: 'c1', name: 'search_text', summary: 'search_text', state: 'running' } });
    const summary = panel.$('[data-id="a1"] .ml-tools-summary');
    assert.equal(summary.textContent, 'search_text…');
    panel.deliver({ type: 'answerTool', requestId, tool: { callId: 'c1', name: 'search_text', summary: "Searched 'retry': 2 files", state: 'done' } });
    panel.deliver({ type: 'answerTool', requestId, tool: { callId: 'c2', name: 'read_file', summary: 'Read src/retry.ts, lines 1–80', state: 'done' } });
    assert.equal(summary.textContent, 'Used 2 tools');
    assert.deepEqual(panel.$$('[data-id="a1"] .ml-tool').map((li) => li.textContent), ["Searched 'retry': 2 files", 'Read src/retry.ts, lines 1–80']);
    assert.equal(panel.$('[data-id="a1"] details.ml-tools').hasAttribute('open'), false, 'collapsed: the answer comes first');
    panel.deliver({ type: 'answerTool', requestId, tool: { callId: 'c3', name: 'read_file', summary: 'Read a.ts, lines 1–2', state: 'done', args: '{"path":"a.ts"}', result: 'const a = 1;' } });
    assert.equal(panel.$$('[data-id="a1"] .ml-tool')[2].title, 'read_file({"path":"a.ts"})\n\nconst a = 1;', 'the call and its result on hover');
  });

  it('a saved agent answer shows its tools and its review list again', () => {
    const panel = createPanel();
    panel.init({
      conversation: conversation([
        user('u1', 'rename it'),
        assistant('a1', 'Done.', {
          mode: 'agent',
          tools: [{ callId: 'c1', name: 'read_file', summary: 'Read a.ts, lines 1–3', state: 'done' }],
          edits: [{ path: 'a.ts', isNew: false, added: 1, removed: 1, state: 'accepted' }],
        }),
      ]),
    });
    assert.equal(panel.$$('[data-id="a1"] .ml-tool').length, 1);
    assert.equal(panel.$('[data-id="a1"] .ml-review-state').textContent, 'Accepted');
  });

  it('the review list posts each action with its file, and offers Undo once something was accepted', () => {
    const panel = createPanel();
    panel.init({ conversation: conversation([user('u1', 'rename'), assistant('a1', 'Proposed.', { mode: 'agent' })]) });
    const review = (first: EditFileView['state'], second: EditFileView['state'], undoable: boolean) =>
      panel.deliver({
        type: 'answerEdits',
        messageId: 'a1',
        edits: [
          { path: 'src/a.ts', isNew: false, added: 3, removed: 2, state: first },
          { path: 'test/a.test.ts', isNew: true, added: 10, removed: 0, state: second },
        ],
        undoable,
      });
    review('pending', 'pending', false);
    assert.equal(panel.$('[data-id="a1"] .ml-review-title').textContent, 'Proposed changes: 2 files');
    assert.equal(panel.$('[data-id="a1"] .ml-review-counts').getAttribute('aria-label'), '3 lines added, 2 removed');
    panel.click(panel.button('Accept the change to src/a.ts'));
    assert.deepEqual(panel.last('reviewEdits'), { type: 'reviewEdits', messageId: 'a1', action: 'accept', path: 'src/a.ts' });
    panel.click(panel.button('test/a.test.ts: open the diff'));
    assert.deepEqual(panel.last('reviewEdits'), { type: 'reviewEdits', messageId: 'a1', action: 'openDiff', path: 'test/a.test.ts' });
    panel.click(panel.button('Reject all changes'));
    assert.deepEqual(panel.last('reviewEdits'), { type: 'reviewEdits', messageId: 'a1', action: 'rejectAll' });
    assert.equal(panel.$$('button[aria-label="Undo the accepted changes"]').length, 0);

    review('accepted', 'rejected', true);
    assert.deepEqual(panel.$$('[data-id="a1"] .ml-review-state').map((s) => s.textContent), ['Accepted', 'Rejected']);
    assert.equal(panel.$$('button[aria-label="Accept all changes"]').length, 0, 'nothing left to accept');
    panel.click(panel.button('Undo the accepted changes'));
    assert.deepEqual(panel.last('reviewEdits'), { type: 'reviewEdits', messageId: 'a1', action: 'undo' });
  });

  it('the host drops a review message with an unknown action', async () => {
    const { validateWebviewMessage } = await import('../../src/shared/validate');
    assert.equal(validateWebviewMessage({ type: 'reviewEdits', messageId: 'a1', action: 'deleteEverything' }).ok, false);
    assert.equal(validateWebviewMessage({ type: 'send', requestId: 'r', text: 'x', mode: 'root' }).ok, false);
    assert.equal(validateWebviewMessage({ type: 'send', requestId: 'r', text: 'x', mode: 'agent' }).ok, true);
  });
});
