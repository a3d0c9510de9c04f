import * as assert from 'node:assert/strict';
import { budgetDiff, fairShares, parseDiff, summaryLine } from '../../src/scm/diffBudget';

// Real `git diff --cached` output (git 2.39): a modification, a deletion, a binary change, a
// pure rename and a new file whose name has a space (git ends its "+++" line with a tab).
const SMALL = [
  'diff --git a/a.txt b/a.txt',
  'index 4cb29ea..ea14db2 100644',
  '--- a/a.txt',
  '+++ b/a.txt',
  '@@ -1,3 +1,4 @@',
  ' one',
  '-two',
  '+2',
  ' three',
  '+four',
  'diff --git a/del.txt b/del.txt',
  'deleted file mode 100644',
  'index 286c5f5..0000000',
  '--- a/del.txt',
  '+++ /dev/null',
  '@@ -1 +0,0 @@',
  '-gone',
  'diff --git a/img.bin b/img.bin',
  'index 88768ef..f68ed80 100644',
  'Binary files a/img.bin and b/img.bin differ',
  'diff --git a/old.txt b/new.txt',
  'similarity index 100%',
  'rename from old.txt',
  'rename to new.txt',
  'diff --git a/sp ace.txt b/sp ace.txt',
  'new file mode 100644',
  'index 0000000..ce01362',
  '--- /dev/null',
  '+++ b/sp ace.txt\t',
  '@@ -0,0 +1 @@',
  '+hello',
  '',
].join('\n');

/** A modified file with `hunks` hunks of `lines` changed lines each. */
function bigFile(path: string, hunks: number, lines: number): string {
  let text = `diff --git a/${path} b/${path}\nindex 1111111..2222222 100644\n--- a/${path}\n+++ b/${path}\n`;
  for (let h = 0; h < hunks; h++) {
    text += `@@ -${h * 100 + 1},${lines} +${h * 100 + 1},${lines} @@ function part${h}()\n`;
    for (let i = 0; i < lines; i++) text += `-  const value${h}_${i} = computeTheOldWay(${i});\n+  const value${h}_${i} = computeTheNewWay(${i});\n`;
  }
  return text;
}

describe('diff budget', () => {
  it('parses files with their status, paths, binary flag and +/- counts', () => {
    const files = parseDiff(SMALL);
    assert.deepEqual(
      files.map((f) => [f.path, f.oldPath, f.status, f.binary, f.added, f.removed, f.hunks.length]),
      [
        ['a.txt', undefined, 'modified', false, 2, 1, 1],
        ['del.txt', undefined, 'deleted', false, 0, 1, 1],
        ['img.bin', undefined, 'modified', true, 0, 0, 0],
        ['new.txt', 'old.txt', 'renamed', false, 0, 0, 0],
        ['sp ace.txt', undefined, 'added', false, 1, 0, 1],
      ],
    );
    assert.equal(summaryLine(files[3]), '- old.txt → new.txt (renamed, +0 -0)');
    assert.equal(summaryLine(files[2]), '- img.bin (modified, binary)');
    // The parts add back up to the diff: nothing is lost or invented by parsing.
    assert.equal(files.map((f) => f.header + f.hunks.join('')).join(''), SMALL);
  });

  it('counts a "+++" or "---" inside a hunk as a changed line, not a header', () => {
    const [file] = parseDiff('diff --git a/x.md b/x.md\n--- a/x.md\n+++ b/x.md\n@@ -1 +1 @@\n---- old rule\n++++ new rule\n');
    assert.deepEqual([file.path, file.added, file.removed, file.hunks.length], ['x.md', 1, 1, 1]);
  });

  it('sends a diff within the budget whole', () => {
    assert.deepEqual(budgetDiff(SMALL, 10_000), { text: SMALL, truncated: false });
  });

  it('cuts a huge diff per file: every file is listed with its counts, each gets a share, and the cut is noted', () => {
    const huge = bigFile('src/huge.ts', 40, 60) + bigFile('src/small.ts', 1, 3) + bigFile('src/medium.ts', 5, 20) + SMALL;
    const budget = 12_000;
    const result = budgetDiff(huge, budget);
    assert.equal(result.truncated, true);
    assert.ok(result.text.length <= budget, `${result.text.length} characters, over the ${budget} budget`);
    assert.match(result.notice ?? '', /over the 12 KB budget/);
    for (const line of ['- src/huge.ts (modified, +2400 -2400)', '- src/small.ts (modified, +3 -3)', '- src/medium.ts (modified, +100 -100)', '- img.bin (modified, binary)', '- old.txt → new.txt (renamed, +0 -0)']) {
      assert.ok(result.text.includes(line), `the summary lists ${line}`);
    }
    // The small file fits its share and goes whole; the huge one cannot starve the others.
    assert.ok(result.text.includes(bigFile('src/small.ts', 1, 3)), 'the small file is whole');
    assert.ok(result.text.includes('@@ -1,20 +1,20 @@ function part0()'), 'the medium file is shown in part');
    assert.ok(result.text.includes('computeTheNewWay(0);'), 'the huge file is shown in part');
    assert.match(result.text, /\[src\/huge\.ts: \d+ of 40 hunks left out or cut, \d+ changed lines not shown\]/);
    assert.match(result.text, /\[src\/medium\.ts: \d+ of 5 hunks left out or cut/);
    assert.ok(!result.text.includes('[src/small.ts'), 'no note for a file sent whole');
    // Cut lines end at a line boundary: no half line of code.
    for (const line of result.text.split('\n')) assert.ok(!/computeThe\w+\([^)]*$/.test(line), `a half line: ${line}`);
  });

  it('over budget, a lock file and a deleted file keep their summary line and are named as left out, without their text', () => {
    const lock = bigFile('package-lock.json', 3, 200);
    const deleted = 'diff --git a/old.ts b/old.ts\ndeleted file mode 100644\n--- a/old.ts\n+++ /dev/null\n@@ -1,300 +0,0 @@\n' + '-removed line of old code\n'.repeat(300);
    const result = budgetDiff(lock + deleted + bigFile('src/a.ts', 1, 5), 6_000);
    assert.ok(result.text.includes('- package-lock.json (modified, +600 -600)'));
    assert.ok(result.text.includes('- old.ts (deleted, +0 -300)'));
    assert.ok(result.text.includes('[Changed lines left out, see the summary: package-lock.json (lock file, 1200 lines), old.ts (deleted, 300 lines)]'));
    assert.ok(!result.text.includes('removed line of old code'));
    assert.ok(result.text.includes(bigFile('src/a.ts', 1, 5)), 'the real change gets the room');
  });

  it('a binary file over budget is listed as binary with no content', () => {
    const result = budgetDiff(bigFile('src/big.ts', 20, 50) + SMALL, 5_000);
    assert.ok(result.text.includes('- img.bin (modified, binary)'));
    assert.ok(!result.text.includes('Binary files a/img.bin'), 'a binary file has nothing to show beyond its summary');
  });

  it('with many files: lists as many as a third of the budget holds, then how many more; excerpts go to as many as fit', () => {
    const many = Array.from({ length: 500 }, (_, i) => bigFile(`src/file${i}.ts`, 1, 1 + (i % 7))).join('');
    const result = budgetDiff(many, 9_000);
    assert.ok(result.text.length <= 9_000, `${result.text.length} characters`);
    assert.match(result.text, /- … and \d+ more files \(\+\d+ -\d+\)\n/);
    assert.match(result.text, /\[Changed lines left out, see the summary: src\/file\d+\.ts \(no room, \d+ lines\).*, and \d+ more\]\n$/);
    assert.ok(result.text.includes(bigFile('src/file0.ts', 1, 1)), 'the smallest files are shown whole');
  });

  it('stays within budget when one long path needs a note', () => {
    const path = `src/${'deeply/nested/'.repeat(12)}module.ts`;
    const result = budgetDiff(bigFile(path, 30, 30) + bigFile('b.ts', 30, 30), 4_000);
    assert.ok(result.text.length <= 4_000, `${result.text.length} characters`);
    assert.ok(result.text.includes(`[${path}: `));
  });

  it('shares room fairly: small needs are met in full and the rest is split equally', () => {
    assert.deepEqual(fairShares([100, 5_000, 20, 9_000, 0], 3_000), [100, 1_440, 20, 1_440, 0]);
    assert.deepEqual(fairShares([10, 20], 1_000), [10, 20]);
  });
});
