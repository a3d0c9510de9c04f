import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Keybinding {
  command: string;
  key: string;
  when?: string;
}

const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
  contributes: { keybindings: Keybinding[] };
};

/**
 * Evaluates a `when` clause made of context keys, `!`, `&&` and `||` (all the manifest uses);
 * anything else throws, so the test cannot pass by misreading a clause.
 */
function evaluateWhen(clause: string, context: Record<string, boolean>): boolean {
  return clause.split('||').some((conjunction) =>
    conjunction.split('&&').every((term) => {
      const match = /^\s*(!?)\s*([\w.]+)\s*$/.exec(term);
      if (!match) throw new Error(`unsupported when term: ${term}`);
      const value = context[match[2]] === true;
      return match[1] ? !value : value;
    }),
  );
}

// Widgets and modes that Escape closes or leaves; Stop must not take Escape from them.
const ESCAPE_OWNERS = [
  'inlineSuggestionVisible',
  'editorHasMultipleSelections',
  'parameterHintsVisible',
  'renameInputVisible',
  'suggestWidgetVisible',
  'findWidgetVisible',
  'inQuickOpen',
  'notificationCenterVisible',
  'editorHasSelection',
];

describe('keybindings: Escape for Stop', () => {
  const escape = manifest.contributes.keybindings.find((k) => k.command === 'modelslab.stop');

  it('is bound to Escape with a when clause', () => {
    assert.ok(escape, 'modelslab.stop has a keybinding');
    assert.equal(escape.key, 'escape');
    assert.ok(escape.when, 'the Escape binding has a when clause');
  });

  it('stops while something is generating and nothing else wants Escape', () => {
    assert.equal(evaluateWhen(escape?.when ?? '', { 'modelslab.busy': true }), true);
    assert.equal(evaluateWhen(escape?.when ?? '', { 'modelslab.busy': false }), false);
  });

  for (const key of ESCAPE_OWNERS) {
    it(`leaves Escape alone while ${key}`, () => {
      assert.equal(evaluateWhen(escape?.when ?? '', { 'modelslab.busy': true, [key]: true }), false);
    });
  }
});
