import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRipgrep, searchGlob, searchText } from '../../src/agent/textSearch';

describe('agent text search (the JavaScript walk)', () => {
  let root: string;
  let outside: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'ml-search-'));
    outside = mkdtempSync(join(tmpdir(), 'ml-outside-'));
    const write = (path: string, text: string | Buffer) => {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write('src/retry.ts', 'export const RETRIES = 3;\n// Retry-After is capped\n');
    write('src/client.ts', 'import { RETRIES } from "./retry";\nconst retryAfter = 1;\n');
    write('docs/notes.md', 'Retry-After: see src/retry.ts\n');
    write('node_modules/lib/index.js', 'Retry-After in a dependency\n');
    write('.git/config', 'Retry-After in git\n');
    write('assets/blob.bin', Buffer.from([0x52, 0x65, 0x74, 0x72, 0x79, 0x2d, 0x41, 0x66, 0x74, 0x65, 0x72, 0x00, 0x01]));
    write('.env.local', 'API_KEY=Retry-After-secret\n');
    write('big.txt', `Retry-After ${'x'.repeat(5_000)}\n`);
    writeFileSync(join(outside, 'secret.ts'), 'Retry-After outside the workspace\n');
    symlinkSync(outside, join(root, 'linked'));
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  const search = (pattern: string, extra: { isRegex?: boolean; include?: string; maxResults?: number } = {}) =>
    searchText({ roots: [root], pattern, isRegex: extra.isRegex ?? false, include: extra.include, exclude: ['.env*'], maxResults: extra.maxResults ?? 50, maxFileBytes: 1_000 });

  it('finds a literal in the workspace, with paths and line numbers, and skips dependencies, .git, secret, binary and big files and links out', async () => {
    const result = await search('Retry-After');
    assert.equal(result.engine, 'javascript');
    assert.deepEqual(
      result.matches.map((m) => `${m.path}:${m.line}`).sort(),
      ['docs/notes.md:1', 'src/retry.ts:2'],
    );
    assert.equal(result.limited, false);
  });

  it('takes a regex, and an include glob', async () => {
    const regex = await search('retry\\w*', { isRegex: true });
    assert.ok(regex.matches.some((m) => m.path === 'src/client.ts' && m.line === 2));
    const onlyTs = await search('RETRIES', { include: '**/*.ts' });
    assert.deepEqual(onlyTs.matches.map((m) => m.path).sort(), ['src/client.ts', 'src/retry.ts']);
    const onlyDocs = await search('Retry-After', { include: 'docs/**' });
    assert.deepEqual(onlyDocs.matches.map((m) => m.path), ['docs/notes.md']);
  });

  it('stops at maxResults and says it did', async () => {
    const result = await search('R', { maxResults: 2 });
    assert.equal(result.matches.length, 2);
    assert.equal(result.limited, true);
  });

  it('globs: ** spans folders, * stays in a name, a bare name matches anywhere', () => {
    assert.ok(searchGlob('**/*.ts').test('a/b/c.ts'));
    assert.ok(searchGlob('**/*.ts').test('c.ts'));
    assert.ok(!searchGlob('src/*.ts').test('src/a/b.ts'));
    assert.ok(searchGlob('*.md').test('docs/notes.md'));
    assert.ok(!searchGlob('*.md').test('docs/notes.mdx'));
    assert.ok(searchGlob('file?.txt').test('file1.txt'));
  });

  it("finds VS Code's ripgrep in a desktop install and in code-server's, and nothing elsewhere", () => {
    const desktop = mkdtempSync(join(tmpdir(), 'ml-app-'));
    const server = mkdtempSync(join(tmpdir(), 'ml-app-'));
    try {
      mkdirSync(join(desktop, 'node_modules', '@vscode', 'ripgrep', 'bin'), { recursive: true });
      writeFileSync(join(desktop, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'), '');
      mkdirSync(join(server, 'node_modules', '@vscode', 'ripgrep-universal', 'bin', 'linux-x64'), { recursive: true });
      writeFileSync(join(server, 'node_modules', '@vscode', 'ripgrep-universal', 'bin', 'linux-x64', 'rg'), '');
      assert.equal(findRipgrep(desktop, 'linux', 'x64'), join(desktop, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'));
      assert.equal(findRipgrep(server, 'linux', 'x64'), join(server, 'node_modules', '@vscode', 'ripgrep-universal', 'bin', 'linux-x64', 'rg'));
      assert.equal(findRipgrep(root), undefined);
      assert.equal(findRipgrep(undefined), undefined);
    } finally {
      rmSync(desktop, { recursive: true, force: true });
      rmSync(server, { recursive: true, force: true });
    }
  });
});
