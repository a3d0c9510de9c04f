import * as assert from 'node:assert/strict';
import { parseRuleFile, splitGlobs } from '../../src/rules/ruleFile';

const PLAIN = /^malformed front matter \(.+\): used as plain text$/;

describe('rule files: front matter', () => {
  it('reads applyTo and description, and the body after the front matter', () => {
    const parsed = parseRuleFile('---\napplyTo: "src/**/*.ts"\ndescription: TypeScript style\n---\n\n# Style\nUse tabs.\n');
    assert.deepEqual(parsed, { body: '# Style\nUse tabs.', applyTo: ['src/**/*.ts'], description: 'TypeScript style' });
  });

  it('takes quoted, unquoted and comma-separated globs, braces kept whole', () => {
    assert.deepEqual(parseRuleFile("---\napplyTo: '**/*.py'\n---\nx").applyTo, ['**/*.py']);
    assert.deepEqual(parseRuleFile('---\napplyTo: **/*.ts\n---\nx').applyTo, ['**/*.ts']);
    assert.deepEqual(parseRuleFile('---\napplyTo: "**/*.ts, **/*.tsx,docs/*.md"\n---\nx').applyTo, ['**/*.ts', '**/*.tsx', 'docs/*.md']);
    assert.deepEqual(parseRuleFile('---\napplyTo: {src,test}/**/*.{ts,js}, *.md\n---\nx').applyTo, ['{src,test}/**/*.{ts,js}', '*.md']);
    assert.deepEqual(parseRuleFile('---\napplyTo: "a\\"b" # a comment\n---\nx').applyTo, ['a"b']);
    assert.deepEqual(parseRuleFile("---\napplyTo: 'it''s/*'\n---\nx").applyTo, ["it's/*"]);
    assert.deepEqual(splitGlobs(' , a ,, b '), ['a', 'b']);
  });

  it('handles CRLF line ends and a byte-order mark', () => {
    const parsed = parseRuleFile('\uFEFF---\r\napplyTo: "**/*.ts"\r\n---\r\nLine one.\r\nLine two.\r\n');
    assert.deepEqual(parsed, { body: 'Line one.\nLine two.', applyTo: ['**/*.ts'] });
  });

  it('without front matter the whole file is the body and it always applies', () => {
    assert.deepEqual(parseRuleFile('# Rules\n\nBe kind.\n'), { body: '# Rules\n\nBe kind.' });
    // A rule in the middle of the text is a Markdown rule, not front matter.
    assert.deepEqual(parseRuleFile('Intro\n---\napplyTo: x\n---\n'), { body: 'Intro\n---\napplyTo: x\n---' });
  });

  it('skips blank lines, comments and keys it does not know', () => {
    const parsed = parseRuleFile('---\n# for TS\n\nname: ts\ntools: [a, b]\napplyTo: "*.ts"\n---\nBody');
    assert.deepEqual(parsed, { body: 'Body', applyTo: ['*.ts'] });
  });

  it('an empty front matter is allowed', () => {
    assert.deepEqual(parseRuleFile('---\n---\nBody'), { body: 'Body' });
  });

  describe('malformed front matter: the whole file as plain text, with a problem', () => {
    const cases: [string, string, RegExp][] = [
      ['unclosed ---', '---\napplyTo: "**/*.ts"\nBody with no end\n', /no closing "---"/],
      ['a line that is not key: value', '---\napplyTo: "**/*.ts"\nthis is prose\n---\nBody', /line 3 is not "key: value"/],
      ['a block list', '---\napplyTo:\n  - "**/*.ts"\n---\nBody', /line 3 is not "key: value"/],
      ['applyTo as a flow list', '---\napplyTo: ["**/*.ts", "**/*.js"]\n---\nBody', /applyTo is not a string/],
      ['applyTo with no value', '---\napplyTo:\n---\nBody', /applyTo is not a string/],
      ['applyTo a boolean', '---\napplyTo: true\n---\nBody', /applyTo is not a string/],
      ['applyTo a number', '---\napplyTo: 42\n---\nBody', /applyTo is not a string/],
      ['applyTo empty', '---\napplyTo: ""\n---\nBody', /applyTo is empty/],
      ['an unclosed quote', '---\napplyTo: "**/*.ts\n---\nBody', /line 2: no closing "/],
      ['text after a quote', '---\napplyTo: "a" b\n---\nBody', /line 2: text after the closing "/],
    ];
    for (const [name, text, reason] of cases) {
      it(name, () => {
        const parsed = parseRuleFile(text);
        assert.equal(parsed.body, text.trim(), 'the whole file, front matter included');
        assert.equal(parsed.applyTo, undefined, 'so it always applies');
        assert.match(parsed.problem ?? '', PLAIN);
        assert.match(parsed.problem ?? '', reason);
      });
    }

    it('the plain text is normalised like any other (BOM dropped, LF line ends)', () => {
      assert.deepEqual(parseRuleFile('\uFEFF---\r\nnot a field\r\n---\r\nBody\r\n'), {
        body: '---\nnot a field\n---\nBody',
        problem: 'malformed front matter (line 2 is not "key: value"): used as plain text',
      });
    });
  });
});
