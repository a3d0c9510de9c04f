import * as assert from 'node:assert/strict';
import { globToRegExp, RULES_HEADING, RuleSet, type RuleSource } from '../../src/rules/ruleSet';
import { formatSize } from '../../src/prompts/contextBudget';

const AGENTS: RuleSource = { path: 'AGENTS.md', text: '# Agents\nRun npm test before you say done.\n' };
const COPILOT: RuleSource = { path: '.github/copilot-instructions.md', text: 'Prefer small functions.' };
const TS: RuleSource = { path: '.modelslab/rules/ts.md', text: '---\napplyTo: "**/*.ts"\ndescription: TS\n---\nNo any.\n' };
const PY: RuleSource = { path: '.modelslab/rules/py.md', text: '---\napplyTo: "**/*.py, scripts/**"\n---\nUse type hints.\n' };
const BAD: RuleSource = { path: '.modelslab/rules/bad.md', text: '---\napplyTo: "**/*.ts"\noops\n---\nBad body.\n' };

const select = (sources: RuleSource[], activePaths: string[], disabled: string[] = []) => new RuleSet(sources).select({ disabled, activePaths });
const applying = (sources: RuleSource[], activePaths: string[], disabled: string[] = []) => select(sources, activePaths, disabled).applying.map((r) => r.path);

describe('rule set: which rules apply', () => {
  it('orders AGENTS.md, copilot-instructions, then .modelslab/rules/* by name, whatever the input order', () => {
    assert.deepEqual(new RuleSet([TS, PY, COPILOT, BAD, AGENTS]).rules.map((r) => r.path), [
      'AGENTS.md',
      '.github/copilot-instructions.md',
      '.modelslab/rules/bad.md',
      '.modelslab/rules/py.md',
      '.modelslab/rules/ts.md',
    ]);
  });

  it('a rule with applyTo applies when an active or attached file matches; one without always', () => {
    const all = [AGENTS, COPILOT, TS, PY];
    assert.deepEqual(applying(all, ['src/math.ts']), ['AGENTS.md', '.github/copilot-instructions.md', '.modelslab/rules/ts.md']);
    assert.deepEqual(applying(all, ['greet.py']), ['AGENTS.md', '.github/copilot-instructions.md', '.modelslab/rules/py.md']);
    assert.deepEqual(applying(all, ['README.md', 'scripts/build.sh']), ['AGENTS.md', '.github/copilot-instructions.md', '.modelslab/rules/py.md'], 'the second glob of the list');
    assert.deepEqual(applying(all, []), ['AGENTS.md', '.github/copilot-instructions.md'], 'no file: only the rules without applyTo');
    assert.deepEqual(applying(all, ['src\\win\\a.ts']), ['AGENTS.md', '.github/copilot-instructions.md', '.modelslab/rules/ts.md'], 'Windows separators');
  });

  it('a switched-off rule neither applies nor goes into the prompt, but is still listed', () => {
    const selection = select([AGENTS, TS], ['a.ts'], ['.modelslab/rules/ts.md']);
    assert.deepEqual(selection.applying.map((r) => r.path), ['AGENTS.md']);
    assert.deepEqual(selection.views(), [
      { path: 'AGENTS.md', enabled: true, applies: true },
      { path: '.modelslab/rules/ts.md', enabled: false, applies: false, applyTo: '**/*.ts' },
    ]);
    assert.doesNotMatch(selection.instructions().text, /No any/);
  });

  it('views: applyTo as written (comma-joined), the problem of a malformed file, which then always applies', () => {
    assert.deepEqual(select([PY, BAD], ['x.rs']).views(), [
      { path: '.modelslab/rules/bad.md', enabled: true, applies: true, problem: 'malformed front matter (line 3 is not "key: value"): used as plain text' },
      { path: '.modelslab/rules/py.md', enabled: true, applies: false, applyTo: '**/*.py, scripts/**' },
    ]);
    assert.match(select([BAD], []).instructions().text, /---\napplyTo: "\*\*\/\*\.ts"\noops\n---\nBad body\./, 'the whole file, as plain text');
  });

  it('globs as Copilot reads applyTo: relative ones match at any depth, "/" anchors, "*" and "**" match even with no file', () => {
    const rule = (applyTo: string): RuleSource => ({ path: '.modelslab/rules/r.md', text: `---\napplyTo: "${applyTo}"\n---\nR` });
    const applies = (applyTo: string, paths: string[]) => applying([rule(applyTo)], paths).length === 1;
    assert.ok(applies('src/*.ts', ['src/a.ts']));
    assert.ok(applies('src/*.ts', ['app/src/a.ts']));
    assert.ok(!applies('src/*.ts', ['src/deep/a.ts']));
    assert.ok(applies('/src/*.ts', ['src/a.ts']));
    assert.ok(!applies('/src/*.ts', ['app/src/a.ts']));
    assert.ok(applies('./src/**', ['src/a/b/c.ts']));
    assert.ok(applies('*.md', ['docs/guide.md']));
    assert.ok(applies('**/*.{ts,tsx}', ['ui/App.tsx']));
    assert.ok(applies('{src,test}/**/*.ts', ['test/unit/a.ts']));
    assert.ok(!applies('{src,test}/**/*.ts', ['lib/a.js']));
    for (const everything of ['*', '**', '**/*']) assert.ok(applies(everything, []), `${everything} with no file`);
  });

  it('several folders: a folder\'s globs match only its own files; rules are ordered folder by folder', () => {
    const sources: RuleSource[] = [
      { path: 'web/.modelslab/rules/ts.md', folder: 'web', text: TS.text },
      { path: 'api/AGENTS.md', folder: 'api', text: 'API rules.' },
      { path: 'web/AGENTS.md', folder: 'web', text: 'Web rules.' },
    ];
    assert.deepEqual(new RuleSet(sources).rules.map((r) => r.path), ['api/AGENTS.md', 'web/AGENTS.md', 'web/.modelslab/rules/ts.md']);
    assert.deepEqual(applying(sources, ['api/server.ts']), ['api/AGENTS.md', 'web/AGENTS.md']);
    assert.deepEqual(applying(sources, ['web/src/app.ts']), ['api/AGENTS.md', 'web/AGENTS.md', 'web/.modelslab/rules/ts.md']);
  });
});

describe('rule set: the glob matcher', () => {
  const cases: [string, string, boolean][] = [
    ['**/*.ts', 'a.ts', true],
    ['**/*.ts', 'a/b/c.ts', true],
    ['**/*.ts', 'a.tsx', false],
    ['*.ts', 'a/b.ts', false],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    ['a/**', 'a/x/y', true],
    ['a?.js', 'ab.js', true],
    ['a?.js', 'a/.js', false],
    ['*.{js,jsx}', 'x.jsx', true],
    ['{a,b/{c,d}}/*', 'b/d/x', true],
    ['{a,b/{c,d}}/*', 'b/e/x', false],
    ['[!.]*.md', 'readme.md', true],
    ['[!.]*.md', '.hidden.md', false],
    ['file[0-9].txt', 'file7.txt', true],
    ['a.b+(c)', 'a.b+(c)', true],
    ['a.b', 'axb', false],
    ['{unclosed', '{unclosed', true],
  ];
  for (const [glob, path, expected] of cases) {
    it(`${glob} ${expected ? 'matches' : 'does not match'} ${path}`, () => assert.equal(globToRegExp(glob).test(path), expected));
  }
});

describe('rule set: the system-prompt section', () => {
  it('one delimited section: the heading, each file under its path, in order, then an end line', () => {
    const { text, cut } = select([TS, COPILOT, AGENTS], ['a.ts']).instructions();
    assert.equal(cut, undefined);
    assert.equal(
      text,
      `${RULES_HEADING}\n\n## AGENTS.md\n\n# Agents\nRun npm test before you say done.\n\n## .github/copilot-instructions.md\n\nPrefer small functions.` +
        '\n\n## .modelslab/rules/ts.md (for files matching **/*.ts)\n\nNo any.\n\n(End of the project rules.)',
    );
  });

  it('no rule applies, or only empty ones: no section at all', () => {
    assert.deepEqual(select([TS], ['a.py']).instructions(), { text: '' });
    assert.deepEqual(select([{ path: 'AGENTS.md', text: '\n\n' }], []).instructions(), { text: '' });
  });

  it('over the budget: whole files while they fit, then a cut at a line that says what was left out', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `- rule ${String(i).padStart(3, '0')}: keep the code tidy and tested`);
    const style: RuleSource = { path: '.modelslab/rules/style.md', text: lines.join('\n') };
    const zebra: RuleSource = { path: '.modelslab/rules/zebra.md', text: 'Stripes.' };
    const budget = 4000;
    const { text, cut } = select([AGENTS, style, zebra], []).instructions(budget);
    assert.ok(text.length <= budget, `${text.length} characters`);
    assert.ok(text.includes('Run npm test before you say done.'), 'AGENTS.md fits whole');
    const kept = text.slice(text.indexOf('## .modelslab/rules/style.md\n\n') + 30, text.indexOf('\n\n[…'));
    assert.ok(kept.length > 1000, 'most of the room is used');
    assert.ok(lines.join('\n').startsWith(kept) && kept.endsWith('tested'), 'cut at the end of a line');
    const left = formatSize(style.text.length - kept.length);
    assert.equal(cut, `…the rest of .modelslab/rules/style.md (${left}) and all of .modelslab/rules/zebra.md (8 characters) were left out to fit the budget`);
    assert.ok(text.endsWith(`\n\n[…the rest of .modelslab/rules/style.md (${left}) and 1 more rule file were left out to fit the budget.]\n\n(End of the project rules.)`));
    assert.doesNotMatch(text, /Stripes/);
  });

  it('one file cut: the rest\'s size in KB', () => {
    const style: RuleSource = { path: '.modelslab/rules/style.md', text: 'x'.repeat(60) + '\n' + 'y'.repeat(20_000) };
    const { cut } = select([style], []).instructions(8000);
    assert.match(cut ?? '', /^…the rest of \.modelslab\/rules\/style\.md \(\d+(\.\d)? KB\) was left out to fit the budget$/);
  });

  it('a file that does not fit at all is named whole; a tiny budget leaves no section but still says so', () => {
    const big: RuleSource = { path: 'AGENTS.md', text: 'a'.repeat(3000) };
    const { text, cut } = select([big, COPILOT], []).instructions(200);
    assert.equal(text, '');
    assert.equal(cut, '…all of AGENTS.md (2.9 KB), .github/copilot-instructions.md (23 characters) were left out to fit the budget');
  });

  it('never goes over the budget, whatever the budget', () => {
    const sources: RuleSource[] = [AGENTS, COPILOT, TS, { path: '.modelslab/rules/long.md', text: 'line of rules\n'.repeat(500) }];
    for (let budget = 0; budget <= 9000; budget += 97) {
      const { text, cut } = select(sources, ['a.ts']).instructions(budget);
      assert.ok(text.length <= budget, `budget ${budget}: ${text.length}`);
      assert.equal(cut === undefined, text.includes('line of rules\n'.repeat(500).trimEnd()), `budget ${budget}: a cut is said iff something was left out`);
    }
  });
});
