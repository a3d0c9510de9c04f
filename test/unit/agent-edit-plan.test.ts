import * as assert from 'node:assert/strict';
import { EditPlan, replaceUnique, type ReplaceResult } from '../../src/agent/editPlan';

function replaced(result: ReplaceResult): string {
  assert.ok(result.ok, `expected the replacement to succeed, got: ${result.ok ? '' : result.reason}`);
  return result.content;
}

function failed(result: ReplaceResult, pattern: RegExp): void {
  assert.equal(result.ok, false, 'expected the replacement to fail');
  assert.equal('content' in result, false, 'a failed edit must carry no content');
  assert.match(result.ok ? '' : result.reason, pattern);
}

describe('replaceUnique', () => {
  const source = 'const a = 1;\nconst b = 2;\nconst c = 3;\n';

  it('replaces the one occurrence and leaves the rest as it was', () => {
    assert.equal(replaced(replaceUnique(source, 'const b = 2;', 'const b = 20;')), 'const a = 1;\nconst b = 20;\nconst c = 3;\n');
  });

  it('fails when the old string is missing, saying to re-read the file', () => {
    failed(replaceUnique(source, 'const d = 4;', 'x'), /not found.*re-read the file/);
  });

  it('fails when the old string occurs several times, saying how many and to add context', () => {
    failed(replaceUnique(source, 'const', 'let'), /occurs 3 times.*more surrounding lines/);
    // Overlapping matches are ambiguous too.
    failed(replaceUnique('aaa', 'aa', 'b'), /occurs 2 times/);
  });

  it('refuses an empty old string and a change that changes nothing', () => {
    failed(replaceUnique(source, '', 'x'), /old string is empty.*create-file tool/);
    failed(replaceUnique('', '', 'x'), /old string is empty/);
    failed(replaceUnique(source, 'const a = 1;', 'const a = 1;'), /nothing to change/);
  });

  it('inserts the new string literally ($& and $1 are not replacement patterns)', () => {
    assert.equal(replaced(replaceUnique('price: X', 'X', '$&$1$$')), 'price: $&$1$$');
  });

  it('empties the file only when the new string legitimately does', () => {
    assert.equal(replaced(replaceUnique('only line\n', 'only line\n', '')), '');
  });

  describe('line endings', () => {
    it('matches LF strings in a CRLF file and writes CRLF back', () => {
      const crlf = 'one\r\ntwo\r\nthree\r\n';
      assert.equal(replaced(replaceUnique(crlf, 'one\ntwo', 'uno\ndos\nmas')), 'uno\r\ndos\r\nmas\r\nthree\r\n');
    });

    it('keeps the line break next to the match, and removes it only when the old string includes it', () => {
      assert.equal(replaced(replaceUnique('foo\r\nbar\r\n', 'foo', 'baz')), 'baz\r\nbar\r\n');
      assert.equal(replaced(replaceUnique('foo\r\nbar\r\n', 'foo\n', '')), 'bar\r\n');
      assert.equal(replaced(replaceUnique('foo\r\nbar\r\n', '\nbar', '\nqux')), 'foo\r\nqux\r\n');
    });

    it('matches CRLF strings in an LF file and writes LF', () => {
      assert.equal(replaced(replaceUnique('a\nb\nc\n', 'a\r\nb', 'x\r\ny')), 'x\ny\nc\n');
    });

    it('leaves every byte outside the match alone in a mixed file', () => {
      const mixed = 'one\r\ntwo\nthree\r\nfour\r\n';
      assert.equal(replaced(replaceUnique(mixed, 'three', 'THREE')), 'one\r\ntwo\nTHREE\r\nfour\r\n');
      // The new text takes the majority style, here CRLF.
      assert.equal(replaced(replaceUnique(mixed, 'two\nthree', 'two\nTHREE')), 'one\r\ntwo\r\nTHREE\r\nfour\r\n');
    });

    it('counts matches in the LF view: an LF string can be ambiguous in a CRLF file', () => {
      failed(replaceUnique('x\r\ny\r\nx\r\ny\r\n', 'x\ny', 'z'), /occurs 2 times/);
    });
  });

  it('never changes the file on failure: the content is byte-identical (Cline #9555)', () => {
    const original = 'line 1\r\nline 2\r\n\u00e9t\u00e9 \u{1F600}\n';
    const before = Buffer.from(original, 'utf8');
    const plan = new EditPlan();
    failed(plan.replace('a.txt', original, 'line 3', 'x'), /not found/);
    failed(plan.replace('a.txt', original, 'line', 'x'), /occurs 2 times/);
    failed(plan.replace('a.txt', original, '', 'x'), /empty/);
    assert.deepEqual(plan.files(), []);
    assert.equal(plan.proposed('a.txt'), undefined);
    assert.ok(Buffer.from(original, 'utf8').equals(before));
  });
});

describe('EditPlan', () => {
  it('applies successive replacements in one file to the already proposed content', () => {
    const plan = new EditPlan();
    const disk = 'alpha\nbeta\ngamma\n';
    assert.equal(replaced(plan.replace('src/a.ts', disk, 'alpha', 'ALPHA')), 'ALPHA\nbeta\ngamma\n');
    // The caller reads the disk again; the second edit must still build on the first.
    assert.equal(replaced(plan.replace('src/a.ts', disk, 'gamma', 'GAMMA')), 'ALPHA\nbeta\nGAMMA\n');
    assert.deepEqual(plan.files(), [{ path: 'src/a.ts', original: disk, updated: 'ALPHA\nbeta\nGAMMA\n', isNew: false }]);
  });

  it('keeps the first proposal intact when a later edit fails', () => {
    const plan = new EditPlan();
    plan.replace('a.ts', 'x = 1\n', 'x = 1', 'x = 2');
    failed(plan.replace('a.ts', 'x = 1\n', 'x = 1', 'x = 3'), /not found/);
    assert.equal(plan.proposed('a.ts'), 'x = 2\n');
  });

  it('holds new files, which later edits can change too', () => {
    const plan = new EditPlan();
    plan.propose('src/new.ts', undefined, 'export const n = 1;\n');
    assert.equal(replaced(plan.replace('src/new.ts', undefined, 'n = 1', 'n = 2')), 'export const n = 2;\n');
    assert.deepEqual(plan.files(), [{ path: 'src/new.ts', original: undefined, updated: 'export const n = 2;\n', isNew: true }]);
  });

  it('refuses to replace in a file that neither exists nor was proposed', () => {
    const plan = new EditPlan();
    failed(plan.replace('ghost.ts', undefined, 'a', 'b'), /does not exist.*create it/);
    assert.deepEqual(plan.files(), []);
  });

  it('keeps the first original when a file is proposed again', () => {
    const plan = new EditPlan();
    plan.propose('a.ts', 'v1', 'v2');
    plan.propose('a.ts', 'v2', 'v3');
    assert.deepEqual(plan.files(), [{ path: 'a.ts', original: 'v1', updated: 'v3', isNew: false }]);
  });

  it('lists files in the order first touched, leaves out edits that cancel out, and drops on request', () => {
    const plan = new EditPlan();
    plan.propose('b.ts', 'b', 'B');
    plan.propose('a.ts', 'a', 'A');
    plan.propose('c.ts', undefined, 'C');
    plan.propose('a.ts', 'a', 'a');
    assert.deepEqual(plan.files().map((f) => f.path), ['b.ts', 'c.ts']);
    assert.equal(plan.drop('b.ts'), true);
    assert.equal(plan.drop('b.ts'), false);
    assert.deepEqual(plan.files().map((f) => f.path), ['c.ts']);
    assert.equal(plan.proposed('b.ts'), undefined);
  });
});
