import * as assert from 'node:assert/strict';
import type { SlashCommandView } from '../../src/shared/protocol';
import { BUILTIN_SLASH_COMMANDS } from '../../src/prompts/slashCommand';
import { filterCommands } from '../../webview-ui/src/views/slashMenu';
import { createPanel, sendPrompt, type Panel } from './webview-harness';

const REVIEW: SlashCommandView = { name: 'review-pr', description: 'Review the pull request', source: 'promptFile' };
const COMMANDS: SlashCommandView[] = [...BUILTIN_SLASH_COMMANDS, REVIEW];

function panelWithCommands(commands = COMMANDS): Panel {
  const panel = createPanel();
  panel.init();
  panel.deliver({ type: 'slashCommands', commands });
  return panel;
}

const list = (panel: Panel) => panel.$('[role="listbox"]');
const isOpen = (panel: Panel) => !list(panel).hidden;
const names = (panel: Panel) => panel.$$('[role="option"]').map((o) => o.querySelector('.ml-slash-name')?.textContent);
const active = (panel: Panel) => panel.$$('[role="option"][aria-selected="true"]').map((o) => o.querySelector('.ml-slash-name')?.textContent);

describe('webview slash commands', () => {
  it('"/" alone opens the list of every command, named and wired for assistive technology', () => {
    const panel = panelWithCommands();
    const box = panel.composer();
    assert.equal(isOpen(panel), false);
    panel.type('/');
    assert.equal(isOpen(panel), true);
    assert.deepEqual(names(panel), ['/explain', '/fix', '/doc', '/tests', '/new', '/compare', '/review-pr']);
    assert.equal(list(panel).getAttribute('aria-label'), 'Slash commands');
    assert.equal(box.getAttribute('aria-controls'), list(panel).id);
    assert.equal(box.getAttribute('aria-autocomplete'), 'list');
    const first = panel.$$('[role="option"]')[0];
    assert.equal(box.getAttribute('aria-activedescendant'), first.id);
    assert.equal(first.getAttribute('aria-selected'), 'true');
    assert.match(first.textContent ?? '', /Explain the selected code/);
    // Codicons only: a built-in's own icon, and a note for a prompt file.
    assert.ok(first.querySelector('.codicon.codicon-question'));
    assert.ok(panel.$$('[role="option"]')[6].querySelector('.codicon.codicon-note'));
  });

  it('opens only for "/" at the start with no space after the name', () => {
    const panel = panelWithCommands();
    for (const text of ['explain', 'x /', ' /', '/explain ', '/explain this']) {
      panel.type(text);
      assert.equal(isOpen(panel), false, text);
    }
  });

  it('stays closed until the host has sent the list', () => {
    const panel = createPanel();
    panel.init();
    panel.type('/');
    assert.equal(isOpen(panel), false);
  });

  it('filters as the user types: names that start with the text first, then names that contain it', () => {
    const panel = panelWithCommands();
    panel.type('/te');
    assert.deepEqual(names(panel), ['/tests']);
    panel.type('/E');
    assert.deepEqual(names(panel), ['/explain', '/tests', '/new', '/compare', '/review-pr'], 'case-insensitive; /explain starts with e');
    panel.type('/zzz');
    assert.equal(isOpen(panel), false, 'nothing matches: closed');
    assert.equal(panel.composer().hasAttribute('aria-activedescendant'), false);
    assert.equal(panel.composer().hasAttribute('aria-controls'), false);
    assert.deepEqual(
      filterCommands(COMMANDS, 'view').map((c) => c.name),
      ['review-pr'],
    );
  });

  it('ArrowDown and ArrowUp move the active option, wrapping; the prompt history is not recalled', () => {
    const panel = createPanel({ state: { prompts: ['an older prompt'] } });
    panel.init();
    panel.deliver({ type: 'slashCommands', commands: COMMANDS });
    const box = panel.composer();
    panel.type('/');
    assert.equal(panel.key(box, 'ArrowDown').defaultPrevented, true);
    assert.deepEqual(active(panel), ['/fix']);
    assert.equal(box.getAttribute('aria-activedescendant'), panel.$$('[role="option"]')[1].id);
    panel.key(box, 'ArrowUp');
    panel.key(box, 'ArrowUp');
    assert.deepEqual(active(panel), ['/review-pr'], 'up from the first wraps to the last');
    panel.key(box, 'ArrowDown');
    assert.deepEqual(active(panel), ['/explain']);
    assert.equal(box.value, '/', 'no recalled prompt');
  });

  it('the active option stays active while the filter keeps it', () => {
    const panel = panelWithCommands();
    panel.type('/');
    panel.key(panel.composer(), 'ArrowUp'); // review-pr
    panel.type('/r');
    assert.deepEqual(active(panel), ['/review-pr']);
  });

  it('Enter writes "/name " into the box, closes the list and sends nothing', () => {
    const panel = panelWithCommands();
    const box = panel.composer();
    panel.type('/ex');
    assert.equal(panel.key(box, 'Enter').defaultPrevented, true);
    assert.equal(box.value, '/explain ');
    assert.equal(box.selectionStart, '/explain '.length);
    assert.equal(isOpen(panel), false);
    assert.equal(panel.last('send'), undefined);
    panel.clock.advance(1000);
    assert.equal(panel.state?.draft, '/explain ', 'the draft is kept');
    // The user finishes the prompt; it goes to the host as text, for its send path to read.
    panel.type('/explain the loop');
    panel.key(box, 'Enter');
    assert.equal(panel.last('send')?.text, '/explain the loop');
  });

  it('Tab completes a prompt file the same way', () => {
    const panel = panelWithCommands();
    panel.type('/rev');
    assert.equal(panel.key(panel.composer(), 'Tab').defaultPrevented, true);
    assert.equal(panel.composer().value, '/review-pr ');
  });

  it('/compare acts at once: the models Quick Pick, an empty box, and the focus comes back to the box', () => {
    const panel = panelWithCommands();
    const box = panel.composer();
    panel.type('/comp');
    panel.key(box, 'Enter');
    assert.deepEqual(panel.last('pickCompareModels'), { type: 'pickCompareModels' });
    assert.equal(box.value, '');
    assert.equal(panel.last('send'), undefined);
    panel.$('button[aria-label="Send"]').focus();
    panel.window.dispatchEvent(new panel.window.FocusEvent('focus'));
    assert.equal(panel.doc.activeElement, box);
  });

  it('/compare typed out with more text acts on Enter and leaves the rest in the box', () => {
    const panel = panelWithCommands();
    const box = panel.composer();
    panel.type('/compare which is faster?');
    assert.equal(isOpen(panel), false);
    panel.key(box, 'Enter');
    assert.ok(panel.last('pickCompareModels'));
    assert.equal(panel.last('send'), undefined);
    assert.equal(box.value, 'which is faster?');
  });

  it('/new acts at once and writes nothing into the box', () => {
    const panel = panelWithCommands();
    const box = panel.composer();
    panel.type('/new');
    panel.key(box, 'Enter');
    assert.equal(box.value, '');
    // Until there is a "new chat" message, /new reaches the host through its send path.
    assert.equal(panel.last('send')?.text, '/new');
  });

  it('a prompt file named "new" is written out, not run as the built-in', () => {
    const panel = panelWithCommands([{ name: 'new', description: 'Mine', source: 'promptFile' }]);
    panel.type('/new');
    panel.key(panel.composer(), 'Enter');
    assert.equal(panel.composer().value, '/new ');
    assert.equal(panel.last('send'), undefined);
  });

  it('Escape closes the list without stopping a streaming answer; the next Escape stops it', () => {
    const panel = panelWithCommands();
    const box = panel.composer();
    const requestId = sendPrompt(panel, 'a question');
    panel.type('/');
    assert.equal(panel.key(box, 'Escape').defaultPrevented, true);
    assert.equal(isOpen(panel), false);
    assert.equal(panel.last('cancel'), undefined);
    assert.equal(box.value, '/', 'the text stays');
    panel.key(box, 'Escape');
    assert.deepEqual(panel.last('cancel'), { type: 'cancel', requestId });
  });

  it('Enter with the list open while an answer streams completes, and sends nothing', () => {
    const panel = panelWithCommands();
    sendPrompt(panel, 'a question');
    panel.type('/fi');
    panel.key(panel.composer(), 'Enter');
    assert.equal(panel.composer().value, '/fix ');
    assert.equal(panel.posted.filter((m) => m.type === 'send').length, 1);
  });

  it('typing again after Escape reopens the list', () => {
    const panel = panelWithCommands();
    panel.type('/');
    panel.key(panel.composer(), 'Escape');
    panel.type('/d');
    assert.deepEqual(names(panel), ['/doc']);
  });

  it('Shift+Enter and modified arrows are left to the textarea', () => {
    const panel = panelWithCommands();
    const box = panel.composer();
    panel.type('/');
    assert.equal(panel.key(box, 'Enter', { shiftKey: true }).defaultPrevented, false);
    assert.equal(panel.key(box, 'ArrowDown', { altKey: true }).defaultPrevented, false);
    assert.deepEqual(active(panel), ['/explain']);
  });

  it('a click picks an option; pressing on the list keeps the focus in the box', () => {
    const panel = panelWithCommands();
    const box = panel.composer();
    box.focus();
    panel.type('/');
    const option = panel.$$('[role="option"]')[3];
    const press = new panel.window.MouseEvent('mousedown', { bubbles: true, cancelable: true });
    option.querySelector('.ml-slash-description')?.dispatchEvent(press);
    assert.equal(press.defaultPrevented, true);
    panel.click(option.querySelector('.ml-slash-description') as Element);
    assert.equal(box.value, '/tests ');
    assert.equal(isOpen(panel), false);
  });

  it('leaving the box closes the list', () => {
    const panel = panelWithCommands();
    const box = panel.composer();
    box.focus();
    panel.type('/');
    box.blur();
    assert.equal(isOpen(panel), false);
  });

  it('a new list from the host (a prompt file added) refilters the open list', () => {
    const panel = panelWithCommands(BUILTIN_SLASH_COMMANDS.slice());
    panel.type('/');
    assert.equal(names(panel).length, 6);
    panel.deliver({ type: 'slashCommands', commands: COMMANDS });
    assert.deepEqual(names(panel).slice(-1), ['/review-pr'], 'the open list shows the new file');
    panel.type('/revi');
    assert.deepEqual(names(panel), ['/review-pr']);
    panel.deliver({ type: 'slashCommands', commands: BUILTIN_SLASH_COMMANDS.slice() });
    assert.equal(isOpen(panel), false, 'the file is gone: nothing matches');
  });

  it('a recalled prompt that starts with "/" does not open the list', () => {
    const panel = createPanel({ state: { prompts: ['/explain'] } });
    panel.init();
    panel.deliver({ type: 'slashCommands', commands: COMMANDS });
    panel.key(panel.composer(), 'ArrowUp');
    assert.equal(panel.composer().value, '/explain');
    assert.equal(isOpen(panel), false);
  });
});
