import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { CommitBox } from '../../src/scm/commitBox';
import type { GitRepository } from '../../src/scm/gitApi';
import { readChanges } from '../../src/scm/repositoryChanges';

const ROOT = path.resolve('/repo');
const change = (file: string) => ({ uri: { fsPath: path.join(ROOT, file) } });
const STAGED_DIFF = 'diff --git a/a.ts b/a.ts\n--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-a\n+staged\n';
const WORKING_DIFF = 'diff --git a/b.ts b/b.ts\n--- a/b.ts\n+++ b/b.ts\n@@ -1 +1 @@\n-b\n+unstaged\n';

/** A repository as the Git API shows it; `diff(cached)` answers by the flag, and calls are counted. */
function fakeRepository(state: { index?: string[]; working?: string[]; untracked?: string[] }, options: { log?: () => Promise<{ hash: string; message: string }[]> } = {}) {
  const calls = { status: 0, diff: [] as boolean[] };
  const repository = {
    rootUri: { fsPath: ROOT },
    inputBox: { value: '' },
    state: {
      indexChanges: (state.index ?? []).map(change),
      workingTreeChanges: (state.working ?? []).map(change),
      untrackedChanges: (state.untracked ?? []).map(change),
    },
    diff: async (cached?: boolean) => {
      calls.diff.push(cached === true);
      return cached ? STAGED_DIFF : WORKING_DIFF;
    },
    log: options.log ?? (async () => [{ hash: '1', message: 'feat: newest\n\nbody' }, { hash: '2', message: 'fix: older' }]),
    status: async () => void calls.status++,
  } as unknown as GitRepository;
  return { repository, calls };
}

describe('commit message: the changes to describe', () => {
  it('takes the staged diff when something is staged, and the subjects only', async () => {
    const { repository, calls } = fakeRepository({ index: ['a.ts'], working: ['b.ts'] });
    const changes = await readChanges(repository);
    assert.deepEqual(changes, { staged: true, diff: STAGED_DIFF, newFiles: [], recentSubjects: ['feat: newest', 'fix: older'] });
    assert.deepEqual(calls.diff, [true]);
    assert.equal(calls.status, 1, 'the status is refreshed first');
  });

  it('takes the working tree when nothing is staged, naming the untracked files the diff leaves out', async () => {
    const { repository, calls } = fakeRepository({ working: ['b.ts', 'new/file.ts'], untracked: ['other.md'] });
    const changes = await readChanges(repository);
    assert.equal(changes?.staged, false);
    assert.equal(changes?.diff, WORKING_DIFF);
    assert.deepEqual(changes?.newFiles, ['new/file.ts', 'other.md']);
    assert.deepEqual(calls.diff, [false]);
  });

  it('finds nothing to describe in a clean repository, without asking for a diff', async () => {
    const { repository, calls } = fakeRepository({});
    assert.equal(await readChanges(repository), undefined);
    assert.deepEqual(calls.diff, []);
  });

  it('a repository without commits has no subjects (its log fails)', async () => {
    const { repository } = fakeRepository({ index: ['a.ts'] }, { log: () => Promise.reject(new Error('no HEAD')) });
    assert.deepEqual((await readChanges(repository))?.recentSubjects, []);
  });
});

describe('commit message: the commit box', () => {
  it('streams, then finishes; late echoes of its own writes are not taken for the user typing', () => {
    const inputBox = { value: 'draft' };
    const box = new CommitBox({ inputBox });
    box.stream('fea');
    box.stream('feat: a');
    inputBox.value = 'fea'; // the workbench echoing an earlier write, late
    assert.equal(box.finish('feat: add a'), true);
    assert.equal(inputBox.value, 'feat: add a');
  });

  it('keeps what the user typed meanwhile: no more writes, no restore over it', () => {
    const inputBox = { value: '' };
    const box = new CommitBox({ inputBox });
    box.stream('feat: a');
    inputBox.value = 'my own message';
    box.stream('feat: add');
    assert.equal(box.finish('feat: add a'), false);
    assert.equal(box.restore('cancelled'), 'cancelled');
    assert.equal(inputBox.value, 'my own message');
  });

  it('puts the earlier text back on Cancel or failure', () => {
    const inputBox = { value: 'draft' };
    const box = new CommitBox({ inputBox });
    box.stream('half a mess');
    assert.equal(box.restore('failed'), 'failed');
    assert.equal(inputBox.value, 'draft');
  });
});
