// The completion eval's own parts (test/eval/): the edit distance it scores with and the hole
// cutter it builds its corpus with. The eval itself runs with `npm run eval:completions`.
import * as assert from 'node:assert/strict';
import { levenshtein, editSimilarity } from '../eval/editDistance';
import { cutLineRest, cutNextLine, cutBlockBody, cutRandomHole, cursorColumns } from '../eval/holeCutter';
import { fakeReply, FAILURE_MODES, indentUnit } from '../eval/failureModes';
import { rng } from '../eval/prng';

/** The textbook recursion, memoised: slow, obviously right. */
function referenceDistance(a: string, b: string): number {
  const memo = new Map<string, number>();
  const d = (i: number, j: number): number => {
    if (i === 0) return j;
    if (j === 0) return i;
    const key = `${i},${j}`;
    if (!memo.has(key)) memo.set(key, Math.min(d(i - 1, j) + 1, d(i, j - 1) + 1, d(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1)));
    return memo.get(key)!;
  };
  return d(a.length, b.length);
}

describe('completion eval: Levenshtein distance', () => {
  const known: [string, string, number][] = [
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['abc', 'abc', 0],
    ['abc', 'acb', 2],
    ['return x;', 'return x;\n}', 2],
    ['  foo()', '\tfoo()', 2],
  ];
  for (const [a, b, expected] of known) {
    it(`${JSON.stringify(a)} → ${JSON.stringify(b)} is ${expected}, both ways`, () => {
      assert.equal(levenshtein(a, b), expected);
      assert.equal(levenshtein(b, a), expected);
    });
  }

  it('agrees with the textbook recursion on 300 random pairs', () => {
    const random = rng(7);
    const word = (): string => Array.from({ length: random.int(0, 9) }, () => 'ab c\n'[random.int(0, 4)]).join('');
    for (let i = 0; i < 300; i++) {
      const a = word();
      const b = word();
      assert.equal(levenshtein(a, b), referenceDistance(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  });

  it('similarity is 1 for equal strings, 0 for nothing in common, and 1 − d / the longer length between', () => {
    assert.equal(editSimilarity('', ''), 1);
    assert.equal(editSimilarity('abc', 'abc'), 1);
    assert.equal(editSimilarity('abc', 'xyz'), 0);
    assert.equal(editSimilarity('abc', ''), 0);
    assert.equal(editSimilarity('kitten', 'sitting'), 1 - 3 / 7);
  });
});

const FILE = [
  '// a small file', // 0
  'import { x } from "./x";', // 1
  '', // 2
  'export function add(a, b) {', // 3
  '  const sum = Math.max(a, b);', // 4
  '  if (sum > 0) {', // 5
  '    return sum;', // 6
  '  }', // 7
  '  return 0;', // 8
  '}', // 9
  '', // 10
  'add(1, 2);', // 11
].join('\n');

describe('completion eval: the hole cutter', () => {
  it('cuts the rest of a line at a token boundary', () => {
    const cut = cutLineRest(FILE, 4, '  const sum = '.length)!;
    assert.equal(cut.middle, 'Math.max(a, b);');
    assert.ok(cut.prefix.endsWith('\n  const sum = '));
    assert.ok(cut.suffix.startsWith('\n  if (sum > 0) {'));
  });

  it('leaves auto-closed brackets after the cursor when asked', () => {
    const cut = cutLineRest(FILE, 4, '  const sum = Math.max('.length, true)!;
    assert.equal(cut.middle, 'a, b');
    assert.ok(cut.suffix.startsWith(');\n  if'));
  });

  it('never puts the cursor inside a word or the indentation', () => {
    assert.equal(cutLineRest(FILE, 4, 5), undefined); // "  con|st"
    assert.equal(cutLineRest(FILE, 4, 1), undefined);
    assert.equal(cutLineRest(FILE, 11, 'add(1, 2'.length), undefined); // ");" alone: no word character
    assert.deepEqual(cursorColumns('  a.b(c)'), [3, 4, 5, 6, 7]); // after a, ., b, (, c
  });

  it('cuts a whole next line after its indentation', () => {
    const cut = cutNextLine(FILE, 8, 'typescript')!;
    assert.equal(cut.middle, 'return 0;');
    assert.ok(cut.prefix.endsWith('  }\n  '));
    assert.equal(cut.suffix, '\n}\n\nadd(1, 2);');
  });

  it('refuses a next-line hole that opens or starts a block (those are block holes)', () => {
    assert.equal(cutNextLine(FILE, 5, 'typescript'), undefined); // "if (sum > 0) {"
    assert.equal(cutNextLine(FILE, 6, 'typescript'), undefined); // first line inside it
  });

  it('refuses a next-line hole that only closes a block (the editor writes those)', () => {
    assert.equal(cutNextLine(FILE, 9, 'typescript'), undefined); // "}"
    assert.equal(cutNextLine('a\nb\nc\n<div>\n  <p>x</p>\n</div>\n', 5, 'html'), undefined);
  });

  it('cuts a block body up to the line that closes it', () => {
    const inner = cutBlockBody(FILE, 5, 'typescript')!;
    assert.equal(inner.middle, 'return sum;');
    assert.ok(inner.prefix.endsWith('if (sum > 0) {\n    '));
    assert.ok(inner.suffix.startsWith('\n  }\n  return 0;'));
    const outer = cutBlockBody(FILE, 3, 'typescript')!;
    assert.equal(outer.middle, 'const sum = Math.max(a, b);\n  if (sum > 0) {\n    return sum;\n  }\n  return 0;');
    assert.ok(outer.suffix.startsWith('\n}\n'));
  });

  it('cuts Python blocks after a colon and refuses bodies over 8 lines', () => {
    const py = 'import os\n\n\ndef f(x):\n    y = x + 1\n    return y\n\n\nprint(f(1))\n';
    assert.equal(cutBlockBody(py, 3, 'python')!.middle, 'y = x + 1\n    return y');
    const long = 'a = 1\n\n\nif a:\n' + Array.from({ length: 9 }, (_, i) => `    b${i} = ${i}`).join('\n') + '\nprint(a)\n';
    assert.equal(cutBlockBody(long, 3, 'python'), undefined);
  });

  it('always gives prefix + middle + suffix === the file, and is the same for the same seed', () => {
    for (let seed = 0; seed < 60; seed++) {
      const cut = cutRandomHole(FILE, 'typescript', rng(seed))!;
      assert.equal(cut.prefix + cut.middle + cut.suffix, FILE);
      assert.ok(cut.middle.trim().length > 0);
      assert.deepEqual(cutRandomHole(FILE, 'typescript', rng(seed)), cut);
    }
  });
});

describe('completion eval: fake replies', () => {
  it('every reply keeps the true middle (or its re-indented lines) somewhere in it', () => {
    const cut = cutBlockBody(FILE, 3, 'typescript')!;
    for (const mode of FAILURE_MODES) {
      const reply = fakeReply({ ...cut, languageId: 'typescript' }, mode, rng(1));
      if (!reply) continue;
      if (mode === 'clean') assert.equal(reply.raw, cut.middle);
      else if (!mode.startsWith('indent')) assert.ok(reply.raw.includes(cut.middle), mode);
      else assert.notEqual(reply.raw, cut.middle, mode);
    }
  });
});

describe('completion eval: the indentation step of a file', () => {
  it('is the commonest increase, not a JSDoc line’s single space', () => {
    const fourSpaces = '/**\n * doc\n */\nclass A {\n    f() {\n        return 1;\n    }\n    /**\n     * more\n     */\n}';
    assert.equal(indentUnit(fourSpaces), '    ');
    assert.equal(indentUnit('a {\n  b {\n    c;\n  }\n}'), '  ');
    assert.equal(indentUnit('a {\n\tb {\n\t\tc;\n\t}\n}'), '\t');
  });
});
