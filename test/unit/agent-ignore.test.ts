import * as assert from 'node:assert/strict';
import { filesExcludeGlobs, gitignoreGlobs, ignoredBy } from '../../src/agent/ignoreRules';

describe('agent ignore rules (files.exclude and .gitignore)', () => {
  it('takes the files.exclude globs that are on', () => {
    assert.deepEqual(filesExcludeGlobs({ '**/.git': true, '**/*.log': true, 'tmp/**': false, '**/x': { when: '$(basename).ts' } }), ['.git', '*.log']);
    assert.deepEqual(filesExcludeGlobs(undefined), []);
  });

  it("reads a .gitignore's simple lines, and skips comments, negations and classes", () => {
    assert.deepEqual(gitignoreGlobs('# build output\ndist/\n/coverage\n*.log\n!keep.log\nsecret[0-9].txt\n\nnode_modules\n'), ['**/dist/**', './coverage', '*.log', 'node_modules']);
  });

  it('ignores a path when a glob matches it or a folder above it', () => {
    const ignored = ignoredBy([...gitignoreGlobs('dist/\n/coverage\n*.log\nnode_modules\n'), ...filesExcludeGlobs({ '**/*.snap': true })]);
    for (const path of ['dist/a.js', 'pkg/dist/b.js', 'coverage/index.html', 'logs/app.log', 'node_modules/x/index.js', 'src/__snapshots__/a.snap']) assert.equal(ignored(path), true, path);
    for (const path of ['src/a.ts', 'src/coverage/x.ts', 'README.md', 'distant/a.js']) assert.equal(ignored(path), false, path);
  });
});
