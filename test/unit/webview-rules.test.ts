import * as assert from 'node:assert/strict';
import { createPanel } from './webview-harness';

describe('webview: the project rules chip', () => {
  it('names the rules in effect, lists every file, opens one and switches one off', () => {
    const panel = createPanel();
    panel.init();
    const chip = panel.$('.ml-rules') as HTMLDetailsElement;
    assert.equal(chip.hidden, true, 'no rule files, no chip');
    panel.deliver({
      type: 'rules',
      rules: [
        { path: 'AGENTS.md', enabled: true, applies: true },
        { path: '.modelslab/rules/ts.md', enabled: true, applies: true, applyTo: '**/*.ts' },
        { path: '.modelslab/rules/py.md', enabled: true, applies: false, applyTo: '**/*.py' },
        { path: '.github/copilot-instructions.md', enabled: false, applies: true, problem: 'malformed front matter: used as plain text' },
      ],
    });
    assert.equal(chip.hidden, false);
    assert.equal(chip.querySelector('.ml-chip-label')?.textContent, 'Rules: AGENTS.md, ts.md');
    assert.equal(chip.querySelector('summary')?.getAttribute('aria-label'), 'Project rules: 2 of 4 in effect, 1 with a problem. Show them');
    assert.deepEqual(panel.$$('.ml-rule .ml-rule-note').map((n) => n.textContent), ['always', 'applies: **/*.ts', 'not for this file (**/*.py)', 'off']);
    assert.match(panel.$$('.ml-rule')[3].textContent ?? '', /malformed front matter/);
    panel.click(panel.$$('.ml-rule-open')[1]);
    assert.deepEqual(panel.last('openRule'), { type: 'openRule', path: '.modelslab/rules/ts.md' });
    const box = panel.$$('.ml-rule input')[0] as HTMLInputElement;
    box.checked = false;
    box.dispatchEvent(new box.ownerDocument.defaultView!.Event('change', { bubbles: true }));
    assert.deepEqual(panel.last('toggleRule'), { type: 'toggleRule', path: 'AGENTS.md', enabled: false });
  });
});
