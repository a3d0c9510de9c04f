import * as assert from 'node:assert/strict';
import { extractCode, matchIndentation, commonIndent } from '../../src/prompts/extractCode';

const CODE = 'function add(a, b) {\n  return a + b;\n}';

describe('extractCode: the shapes models really produce', () => {
  const shapes: [string, string][] = [
    ['a bare answer', CODE],
    ['a fence with a language', '```ts\n' + CODE + '\n```'],
    ['a fence without a language', '```\n' + CODE + '\n```'],
    ['prose before', 'Here is the refactored code:\n\n```typescript\n' + CODE + '\n```'],
    ['prose after', '```js\n' + CODE + '\n```\n\nThis version is shorter and clearer.'],
    ['prose before and after', 'Sure!\n```js\n' + CODE + '\n```\nLet me know if you need more.'],
    ['an unterminated fence (the answer was cut)', 'Here you go:\n```js\n' + CODE + '\n'],
    ['a tilde fence', '~~~javascript\n' + CODE + '\n~~~'],
    ['a four-backtick fence', '````ts\n' + CODE + '\n````'],
    ['CRLF line endings', '```ts\r\n' + CODE.replace(/\n/g, '\r\n') + '\r\n```\r\n'],
    ['a stray closing fence without an opening one', CODE + '\n```'],
    ['blank lines around the code', '```ts\n\n\n' + CODE + '\n\n```'],
    ['an indented fence', '   ```ts\n' + CODE + '\n   ```'],
  ];
  for (const [name, answer] of shapes) {
    it(`handles ${name}`, () => assert.equal(extractCode(answer), CODE));
  }

  it('takes the largest block when the answer has a small example and the real code', () => {
    const answer = 'Call it like `add(1, 2)`:\n```js\nadd(1, 2)\n```\nThe function:\n```js\n' + CODE + '\n```';
    assert.equal(extractCode(answer), CODE);
  });

  it('keeps code that itself contains a shorter fence inside a longer one', () => {
    const inner = 'const md = `\n```\nx\n```\n`;';
    assert.equal(extractCode('````ts\n' + inner + '\n````'), inner);
  });
});

describe('matchIndentation', () => {
  it('re-indents a flush-left rewrite to the original’s indentation', () => {
    const original = '    if (x) {\n      y();\n    }\n';
    assert.equal(matchIndentation('if (x) {\n  y();\n}', original), '    if (x) {\n      y();\n    }\n');
  });
  it('leaves an already indented rewrite alone', () => {
    assert.equal(matchIndentation('  a();', '  b();'), '  a();');
  });
  it('does not indent the first line when the selection started mid-line', () => {
    assert.equal(matchIndentation('a();\nb();', '  x();\n  y();', true), 'a();\n  b();');
  });
  it('finds the common indent of non-blank lines', () => {
    assert.equal(commonIndent('    a\n\n      b\n    c'), '    ');
  });
});
