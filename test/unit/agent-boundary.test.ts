import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { globToRegExp, WorkspaceBoundary, type BoundaryFs, type Resolved } from '../../src/agent/workspaceBoundary';

function accepted(result: Resolved): Extract<Resolved, { ok: true }> {
  assert.ok(result.ok, `expected the path to be accepted, got: ${result.ok ? '' : result.reason}`);
  return result;
}

function refused(result: { ok: boolean; reason?: string }, pattern: RegExp): void {
  assert.equal(result.ok, false, 'expected a refusal');
  assert.match(result.reason ?? '', pattern);
}

describe('WorkspaceBoundary', () => {
  // base/ws and base/other are workspace folders; base/outside is not.
  let base: string;
  let ws: string;
  let other: string;
  let outside: string;
  let boundary: WorkspaceBoundary;

  before(async () => {
    base = await fs.mkdtemp(join(tmpdir(), 'ml-boundary-'));
    ws = join(base, 'ws');
    other = join(base, 'other');
    outside = join(base, 'outside');
    await fs.mkdir(join(ws, 'src', 'nested', 'deep'), { recursive: true });
    await fs.mkdir(join(other, 'lib'), { recursive: true });
    await fs.mkdir(outside);
    await fs.writeFile(join(ws, 'src', 'a.ts'), 'export const a = 1;\n');
    await fs.writeFile(join(ws, 'src', 'nested', 'deep', 'b.ts'), 'export const b = 2;\n');
    await fs.writeFile(join(ws, '.env'), 'TOKEN=secret\n');
    await fs.writeFile(join(other, 'lib', 'c.ts'), 'export const c = 3;\n');
    await fs.writeFile(join(outside, 'secret.txt'), 'do not read\n');
    await fs.symlink(join(ws, 'src', 'a.ts'), join(ws, 'link-inside.ts'));
    await fs.symlink(join(ws, '.env'), join(ws, 'notes.txt'));
    await fs.symlink(join(outside, 'secret.txt'), join(ws, 'link-file-out'));
    await fs.symlink(outside, join(ws, 'link-dir-out'), 'dir');
    await fs.symlink(join(outside, 'missing.txt'), join(ws, 'dangling'));
    boundary = new WorkspaceBoundary({ roots: [ws] });
  });

  after(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });

  describe('resolve: paths inside the workspace', () => {
    it('accepts a relative path against the first folder', async () => {
      const r = accepted(await boundary.resolve('src/a.ts'));
      assert.deepEqual(r, { ok: true, absolute: join(ws, 'src', 'a.ts'), relative: 'src/a.ts', root: ws, sensitive: false });
    });

    it('accepts ./ paths, nested paths and a .. that stays inside', async () => {
      assert.equal(accepted(await boundary.resolve('./src/a.ts')).relative, 'src/a.ts');
      assert.equal(accepted(await boundary.resolve('src/nested/deep/b.ts')).absolute, join(ws, 'src', 'nested', 'deep', 'b.ts'));
      assert.equal(accepted(await boundary.resolve('src/nested/../a.ts')).relative, 'src/a.ts');
    });

    it('accepts the folder itself as "."', async () => {
      const r = accepted(await boundary.resolve('.'));
      assert.equal(r.relative, '.');
      assert.equal(r.absolute, ws);
    });

    it('accepts an absolute path inside the folder', async () => {
      const r = accepted(await boundary.resolve(join(ws, 'src', 'nested', 'deep', 'b.ts')));
      assert.equal(r.relative, 'src/nested/deep/b.ts');
      assert.equal(r.root, ws);
    });

    it('accepts a symlink inside that points inside, keeping the path the model gave', async () => {
      const r = accepted(await boundary.resolve('link-inside.ts'));
      assert.equal(r.absolute, join(ws, 'link-inside.ts'));
      assert.equal(r.relative, 'link-inside.ts');
    });

    it('accepts a new file in a new subfolder (the create tool)', async () => {
      const r = accepted(await boundary.resolve('newdir/sub/new.ts'));
      assert.equal(r.absolute, join(ws, 'newdir', 'sub', 'new.ts'));
      assert.equal(r.relative, 'newdir/sub/new.ts');
    });
  });

  describe('resolve: escapes are refused', () => {
    it('refuses ../ escapes, however they are spelled', async () => {
      refused(await boundary.resolve('../outside/secret.txt'), /^outside the workspace: .*climbs out/);
      refused(await boundary.resolve('src/../../outside/secret.txt'), /^outside the workspace/);
      refused(await boundary.resolve('..'), /^outside the workspace/);
    });

    it('refuses absolute paths outside every folder', async () => {
      refused(await boundary.resolve(join(outside, 'secret.txt')), /^outside the workspace: .*not inside any workspace folder/);
      refused(await boundary.resolve('/etc/passwd'), /^outside the workspace/);
      // A sibling whose name starts like the folder's is not inside it.
      refused(await boundary.resolve(`${ws}-evil/x.ts`), /^outside the workspace/);
    });

    it('refuses the home folder instead of looking for a folder named "~"', async () => {
      refused(await boundary.resolve('~/.ssh/id_rsa'), /^outside the workspace: .*home folder/);
    });

    it('refuses a symlinked file that points outside, by relative and by absolute path', async () => {
      refused(await boundary.resolve('link-file-out'), /^outside the workspace: .*symbolic link/);
      refused(await boundary.resolve(join(ws, 'link-file-out')), /^outside the workspace: .*symbolic link/);
    });

    it('refuses a symlinked folder that points outside, and files under it', async () => {
      refused(await boundary.resolve('link-dir-out'), /symbolic link/);
      refused(await boundary.resolve('link-dir-out/secret.txt'), /symbolic link/);
    });

    it('refuses a new file under a symlinked-outside folder', async () => {
      refused(await boundary.resolve('link-dir-out/newdir/new.ts'), /^outside the workspace: .*symbolic link/);
    });

    it('refuses a dangling symlink, which a write would follow to wherever it points', async () => {
      refused(await boundary.resolve('dangling'), /symbolic link whose target does not exist/);
      refused(await boundary.resolve('dangling/child.txt'), /symbolic link whose target does not exist/);
    });

    it('refuses empty paths, NUL characters and a window without folders', async () => {
      refused(await boundary.resolve(''), /no path given/);
      refused(await boundary.resolve('src/a.ts\0.png'), /NUL/);
      refused(await new WorkspaceBoundary({ roots: [] }).resolve('src/a.ts'), /no workspace folder is open/);
    });

    it('refuses with the fs error when a path cannot be checked', async () => {
      const denied = Object.assign(new Error('denied'), { code: 'EACCES' });
      const failing: BoundaryFs = { ...fs, realpath: () => Promise.reject(denied) };
      refused(await new WorkspaceBoundary({ roots: [ws] }, failing).resolve('src/a.ts'), /^cannot check "src\/a.ts": EACCES/);
    });
  });

  describe('resolve: several workspace folders', () => {
    let multi: WorkspaceBoundary;
    beforeEach(() => {
      multi = new WorkspaceBoundary({ roots: [ws, other] });
    });

    it('picks the folder named by the first segment', async () => {
      const r = accepted(await multi.resolve('other/lib/c.ts'));
      assert.equal(r.root, other);
      assert.equal(r.relative, 'lib/c.ts');
      assert.equal(r.absolute, join(other, 'lib', 'c.ts'));
      assert.equal(accepted(await multi.resolve('ws/src/a.ts')).root, ws);
    });

    it('takes other relative paths against the first folder', async () => {
      const r = accepted(await multi.resolve('src/a.ts'));
      assert.equal(r.root, ws);
      assert.equal(r.absolute, join(ws, 'src', 'a.ts'));
    });

    it('accepts an absolute path in the second folder, and refuses .. from one folder into another', async () => {
      assert.equal(accepted(await multi.resolve(join(other, 'lib', 'c.ts'))).root, other);
      refused(await multi.resolve('../other/lib/c.ts'), /^outside the workspace: .*climbs out of the workspace folder "ws"/);
    });
  });

  describe('isSensitive', () => {
    it('matches each built-in pattern, in any folder', () => {
      for (const p of ['.env', '.env.local', 'config/.env.production', 'certs/server.pem', 'keys/private.key', '.ssh/id_rsa', 'id_rsa.pub', '.npmrc', 'packages/x/.npmrc', '.git/config', 'vendor/lib/.git/config']) {
        assert.equal(boundary.isSensitive(p), true, p);
      }
    });

    it('leaves ordinary files alone', () => {
      for (const p of ['src/a.ts', 'src/environment.ts', 'src/env.ts', 'keyboard.ts', 'docs/pem.md', '.git/HEAD', 'config', 'src/config.ts', '.gitignore']) {
        assert.equal(boundary.isSensitive(p), false, p);
      }
    });

    it('ignores case (".ENV" is ".env" on macOS and Windows) and covers what is inside a secret folder', () => {
      assert.equal(boundary.isSensitive('.ENV'), true);
      assert.equal(boundary.isSensitive('Server.PEM'), true);
      assert.equal(boundary.isSensitive('.env.d/api.txt'), true);
      assert.equal(boundary.isSensitive('./.env'), true);
    });

    it('adds the globs from the setting: names at any depth, paths from the root', () => {
      const b = new WorkspaceBoundary({ roots: [ws], sensitivePatterns: ['*.secret.json', 'secrets/**', 'credentials', '/top.txt', '  '] });
      assert.equal(b.isSensitive('config/db.secret.json'), true);
      assert.equal(b.isSensitive('secrets/api.json'), true);
      assert.equal(b.isSensitive('secrets/deep/api.json'), true);
      assert.equal(b.isSensitive('src/secrets/api.json'), false);
      assert.equal(b.isSensitive('a/credentials/x.txt'), true);
      assert.equal(b.isSensitive('top.txt'), true);
      assert.equal(b.isSensitive('a/top.txt'), false);
      assert.equal(b.isSensitive('src/a.ts'), false);
      assert.equal(boundary.isSensitive('config/db.secret.json'), false);
    });

    it('marks a resolved symlink sensitive when it leads to a secret file', async () => {
      const r = accepted(await boundary.resolve('notes.txt'));
      assert.equal(r.relative, 'notes.txt');
      assert.equal(r.sensitive, true);
      assert.equal(accepted(await boundary.resolve('.env')).sensitive, true);
    });
  });

  describe('globToRegExp', () => {
    /** Each case: its title, the glob, paths it must match, paths it must not. */
    const cases: [string, string, string[], string[]][] = [
      ['keeps * within one segment', '*.ts', ['a.ts', '.ts'], ['src/a.ts', 'ats']],
      ['keeps ? within one segment', 'a?c', ['abc'], ['a/c', 'ac']],
      ['lets a leading ** span any folders, none included', '**/x', ['x', 'a/b/x'], ['ax', 'x/y']],
      ['lets a middle ** span any folders, none included', 'a/**/b', ['a/b', 'a/x/y/b'], ['ab', 'a/bc']],
      ['lets a trailing ** cover the folder and all below it', 'a/**', ['a', 'a/b/c'], ['ab']],
      ['lets a lone ** match everything', '**', ['a', 'a/b'], []],
      ['matches braces literally', '{a,b}.ts', ['{a,b}.ts'], ['a.ts']],
      ['matches regex characters literally', 'a+(b)$.[c]', ['a+(b)$.[c]'], ['aa(b).c']],
    ];
    for (const [title, glob, matching, other] of cases) {
      it(title, () => {
        const re = globToRegExp(glob);
        assert.deepEqual(matching.filter((p) => !re.test(p)), [], `${glob} must match these`);
        assert.deepEqual(other.filter((p) => re.test(p)), [], `${glob} must not match these`);
      });
    }
  });

  describe('checkReadable', () => {
    it('accepts a text file and gives its size', async () => {
      assert.deepEqual(await boundary.checkReadable(join(ws, 'src', 'a.ts')), { ok: true, size: 20 });
    });

    it('refuses a folder and a missing file', async () => {
      refused(await boundary.checkReadable(join(ws, 'src')), /^a folder, not a file/);
      refused(await boundary.checkReadable(join(ws, 'nope.ts')), /^not found/);
    });

    it('refuses a file over the limit, stating its size and the limit', async () => {
      const big = join(base, 'big.txt');
      await fs.writeFile(big, 'x'.repeat(1.5 * 1024 * 1024));
      refused(await boundary.checkReadable(big), /^too large: the file is 1\.5 MB and the limit is 1 MB/);
      const small = new WorkspaceBoundary({ roots: [ws], maxFileBytes: 10 });
      refused(await small.checkReadable(join(ws, 'src', 'a.ts')), /the file is 20 bytes and the limit is 10 bytes/);
      assert.deepEqual(await new WorkspaceBoundary({ roots: [ws], maxFileBytes: 20 }).checkReadable(join(ws, 'src', 'a.ts')), { ok: true, size: 20 });
    });

    it('refuses a binary file: a NUL byte in the first 8 KB', async () => {
      const binary = join(base, 'image.bin');
      await fs.writeFile(binary, Buffer.concat([Buffer.from('PNG header'), Buffer.from([0, 1, 2]), Buffer.from('rest')]));
      refused(await boundary.checkReadable(binary), /^binary file/);
      // Only the head is sniffed: a NUL far in does not make a text file binary.
      const late = join(base, 'late-nul.txt');
      await fs.writeFile(late, Buffer.concat([Buffer.from('a'.repeat(9000)), Buffer.from([0])]));
      assert.deepEqual(await boundary.checkReadable(late), { ok: true, size: 9001 });
    });

    it('accepts an empty file', async () => {
      const empty = join(base, 'empty.txt');
      await fs.writeFile(empty, '');
      assert.deepEqual(await boundary.checkReadable(empty), { ok: true, size: 0 });
    });
  });
});
