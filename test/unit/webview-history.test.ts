import * as assert from 'node:assert/strict';
import { assistant, conversation, createPanel, user } from './webview-harness';

const DAY = 24 * 60 * 60 * 1000;

describe('webview history view', () => {
  function openHistory() {
    const panel = createPanel();
    panel.init({ conversation: conversation([user('u1', 'q'), assistant('a1', 'a')], 'c1') });
    // The view's History title-bar action makes the host send the list.
    panel.deliver({
      type: 'historyList',
      activeId: 'c1',
      items: [
        { id: 'c1', title: 'Parser questions', updatedAt: panel.clock.now() - 5 * 60_000, messageCount: 2 },
        { id: 'c2', title: 'Refactor utils', updatedAt: panel.clock.now() - 3 * DAY, messageCount: 1 },
      ],
    });
    return panel;
  }

  it('replaces the conversation with the list of conversations', () => {
    const panel = openHistory();
    assert.equal(panel.$('.ml-history').hidden, false);
    assert.equal(panel.$('.ml-chat').hidden, true);
    const items = panel.$$('.ml-history-item');
    assert.equal(items.length, 2);
    assert.match(items[0].textContent ?? '', /Parser questions.*5 min ago · 2 messages/);
    assert.match(items[1].textContent ?? '', /3 days ago · 1 message$/);
    assert.ok(items[0].classList.contains('is-active'));
    assert.equal(items[0].querySelector('[aria-current="true"]')?.textContent, 'Parser questions', 'the title has the row to itself');
    assert.match(items[0].querySelector('.ml-history-meta')?.textContent ?? '', /^Current · /);
  });

  it('posts open, rename, export and delete for an item', () => {
    const panel = openHistory();
    panel.click(panel.$$('.ml-history-open')[1]);
    panel.click(panel.button('Rename Refactor utils'));
    panel.click(panel.button('Export Refactor utils as Markdown'));
    panel.click(panel.button('Delete Refactor utils'));
    assert.deepEqual(panel.posted.slice(-4), [
      { type: 'openConversation', id: 'c2' },
      { type: 'renameConversation', id: 'c2' },
      { type: 'exportConversation', id: 'c2' },
      { type: 'deleteConversation', id: 'c2' },
    ]);
  });

  it('"Back to chat" returns without asking the host', () => {
    const panel = openHistory();
    const before = panel.posted.length;
    panel.click(panel.button('Back to chat'));
    assert.equal(panel.$('.ml-chat').hidden, false);
    assert.equal(panel.$('.ml-history').hidden, true);
    assert.equal(panel.posted.length, before);
  });

  it('a conversation from the host returns to the chat and re-renders it', () => {
    const panel = openHistory();
    panel.deliver({ type: 'conversation', conversation: conversation([user('u9', 'other prompt')], 'c2') });
    assert.equal(panel.$('.ml-chat').hidden, false);
    assert.deepEqual(panel.$$('.ml-msg').map((m) => m.getAttribute('data-id')), ['u9']);
  });

  it('says so when there is no history', () => {
    const panel = createPanel();
    panel.init();
    panel.deliver({ type: 'historyList', items: [], activeId: '' });
    assert.match(panel.$('.ml-history').textContent ?? '', /No saved conversations yet/);
  });

  it('Up, Down, Home and End move between conversations', () => {
    const panel = openHistory();
    const rows = panel.$$<HTMLButtonElement>('.ml-history-open');
    rows[0].focus();
    panel.key(rows[0], 'ArrowDown');
    assert.equal(panel.doc.activeElement, rows[1]);
    panel.key(rows[1], 'ArrowDown');
    assert.equal(panel.doc.activeElement, rows[1], 'stays on the last');
    panel.key(rows[1], 'Home');
    assert.equal(panel.doc.activeElement, rows[0]);
    panel.key(rows[0], 'End');
    assert.equal(panel.doc.activeElement, rows[1]);
    panel.key(rows[1], 'ArrowUp');
    assert.equal(panel.doc.activeElement, rows[0]);
  });
});
