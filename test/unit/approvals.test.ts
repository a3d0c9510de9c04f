import * as assert from 'node:assert/strict';
import { Approvals } from '../../src/chat/approvals';
import type { HostToWebview } from '../../src/shared/protocol';
import { createPanel, sendPrompt, user } from './webview-harness';

describe('agent approvals (host side)', () => {
  function setup(timeoutMs = 60_000) {
    const posted: Extract<HostToWebview, { type: 'answerApproval' }>[] = [];
    const approvals = new Approvals((m) => m.type === 'answerApproval' && posted.push(m), timeoutMs);
    return { approvals, posted };
  }

  it('asks in the answer, with the path, and resolves with what the user says', async () => {
    const { approvals, posted } = setup();
    const allowed = approvals.askToRead('r1', '.env');
    assert.deepEqual(posted, [{ type: 'answerApproval', requestId: 'r1', approvalId: posted[0].approvalId, path: '.env' }]);
    approvals.answer(posted[0].approvalId, true);
    assert.equal(await allowed, true);
    const denied = approvals.askToRead('r1', 'id_rsa');
    approvals.answer(posted[1].approvalId, false);
    assert.equal(await denied, false);
  });

  it('counts as no when the wait runs out, when the answer is stopped, and when everything is denied', async () => {
    const { approvals } = setup(20);
    assert.equal(await approvals.askToRead('r1', '.env'), false, 'the wait is capped');
    const controller = new AbortController();
    const stopped = approvals.askToRead('r1', '.env', controller.signal);
    controller.abort();
    assert.equal(await stopped, false);
    const { approvals: other } = setup();
    const open = other.askToRead('r2', '.npmrc');
    other.denyAll();
    assert.equal(await open, false);
  });

  it('ignores an answer for an unknown or settled question', async () => {
    const { approvals, posted } = setup();
    const allowed = approvals.askToRead('r1', '.env');
    approvals.answer('approval-999', false);
    approvals.answer(posted[0].approvalId, true);
    approvals.answer(posted[0].approvalId, false);
    assert.equal(await allowed, true);
  });
});

describe('agent approvals (the panel)', () => {
  it('shows the question in the streaming answer, focuses Allow Once, and posts the answer once', () => {
    const panel = createPanel();
    panel.init();
    const requestId = sendPrompt(panel, 'read my env');
    panel.deliver({ type: 'answerStart', requestId, userMessage: user('u1', 'read my env'), assistantId: 'a1', model: 'm', replaceFromIndex: 0, mode: 'agent' });
    panel.deliver({ type: 'answerApproval', requestId, approvalId: 'ap1', path: '.env' });
    const question = panel.$('[data-id="a1"] .ml-approval');
    assert.equal(question.getAttribute('aria-label'), 'Allow the agent to read .env?');
    assert.match(question.textContent ?? '', /wants to read \.env, which may hold secrets/);
    assert.equal(panel.doc.activeElement, panel.button('Allow reading .env once'));
    panel.click(panel.button('Do not allow reading .env'));
    assert.deepEqual(panel.last('approve'), { type: 'approve', approvalId: 'ap1', allow: false });
    assert.equal(panel.$$('[data-id="a1"] .ml-approval button').length, 0, 'answered once');
    assert.match(question.textContent ?? '', /Not allowed\./);
  });

  it('ignores a question for another request', () => {
    const panel = createPanel();
    panel.init();
    const requestId = sendPrompt(panel, 'q');
    panel.deliver({ type: 'answerStart', requestId, userMessage: user('u1', 'q'), assistantId: 'a1', model: 'm', replaceFromIndex: 0, mode: 'agent' });
    panel.deliver({ type: 'answerApproval', requestId: 'someone-else', approvalId: 'ap1', path: '.env' });
    assert.equal(panel.$$('.ml-approval').length, 0);
  });
});
