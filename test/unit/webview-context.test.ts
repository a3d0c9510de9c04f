import * as assert from 'node:assert/strict';
import { createPanel } from './webview-harness';

describe('webview context chips', () => {
  it('shows chips with a kind icon and a remove button that posts removeContext', () => {
    const panel = createPanel();
    panel.init();
    assert.equal(panel.$('.ml-context').hidden, true);
    panel.deliver({
      type: 'context',
      chips: [
        { id: 's1', label: 'utils.ts:10-20', kind: 'selection' },
        { id: 'f1', label: 'README.md', kind: 'file' },
      ],
    });
    const chips = panel.$$('.ml-context .ml-chip');
    assert.equal(chips.length, 2);
    assert.ok(chips[0].querySelector('.codicon-selection'));
    assert.ok(chips[1].querySelector('.codicon-file'));
    assert.equal(panel.$('.ml-context').hidden, false);
    panel.click(panel.button('Remove README.md'));
    assert.deepEqual(panel.last('removeContext'), { type: 'removeContext', id: 'f1' });

    panel.deliver({ type: 'context', chips: [] });
    assert.equal(panel.$('.ml-context').hidden, true);
  });

  it('shows a truncation notice as visible text', () => {
    const panel = createPanel();
    panel.init();
    panel.deliver({ type: 'context', chips: [{ id: 'f1', label: 'big.log', kind: 'file', truncatedNotice: 'Only the first 2,000 lines are attached.' }] });
    const note = panel.$('.ml-chip-note');
    assert.equal(note.textContent, 'big.log: Only the first 2,000 lines are attached.');
    assert.ok(panel.$('.ml-chip').classList.contains('is-truncated'));
  });

  it('renders labels as text', () => {
    const panel = createPanel();
    panel.init();
    panel.deliver({ type: 'context', chips: [{ id: 'x', label: '<img src=x onerror=alert(1)>', kind: 'file' }] });
    assert.equal(panel.doc.querySelector('.ml-context img'), null);
    assert.equal(panel.$('.ml-context .ml-chip-label').textContent, '<img src=x onerror=alert(1)>');
  });
});
