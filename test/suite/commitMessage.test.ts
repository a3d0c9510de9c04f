import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeModelsLab } from '../fake-server/server';
import { gitApi, type GitApi, type GitRepository } from '../../src/scm/gitApi';
import { connectToFakeServer, disconnect, waitFor } from './harness';

const SUBJECTS = ['feat(greet): add the greeting', 'fix(greet): trim the name first', 'docs(greet): explain the default name'];
const STAGED_MARKER = 'staged-change-7f3a';
const UNSTAGED_MARKER = 'unstaged-change-9c1d';
const MESSAGE = 'feat(greet): export a marker for the staged change\n\nThe marker lets the suite tell staged from unstaged text.';

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, { cwd, stdio: 'pipe' });
}

/** A repository of its own (user, no signing: the machine's global config must not matter). */
function initRepository(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q');
  git(dir, 'config', 'user.name', 'ModelsLab Suite');
  git(dir, 'config', 'user.email', 'suite@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
}

function write(dir: string, file: string, text: string): void {
  fs.writeFileSync(path.join(dir, file), text);
}

/** The path with symlinks resolved (Git reports real paths; a temp folder may sit behind a link). */
function real(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** Opens `dir` in the Git extension and waits until its API lists it with a settled state. */
async function openRepository(api: GitApi, dir: string): Promise<GitRepository> {
  await vscode.commands.executeCommand('git.openRepository', dir);
  return waitFor(() => api.repositories.find((r) => real(r.rootUri.fsPath) === real(dir)), `the Git extension to open ${dir}`, 20_000);
}

function chatRequests(server: FakeModelsLab) {
  return server.requests.filter((r) => r.path.endsWith('/chat/completions'));
}

function lastPrompt(server: FakeModelsLab): string {
  const requests = chatRequests(server);
  assert.ok(requests.length > 0, 'no chat request reached the server');
  const messages = requests[requests.length - 1].body.messages as { role: string; content: string }[];
  return messages.map((m) => m.content).join('\n');
}

describe('Generate Commit Message in the real host', function () {
  this.timeout(60_000);
  let server: FakeModelsLab;
  let api: GitApi;
  let root: string;
  let styled: string;
  let clean: string;

  before(async () => {
    const found = await gitApi();
    // code-server bundles vscode.git; if this fails, the host runs without it.
    assert.ok(!('problem' in found), `the Git extension is unavailable in this host: ${'problem' in found ? found.problem : ''}`);
    api = found;
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the suite needs the fixture workspace open');
    root = path.join(folder.uri.fsPath, `commit-message-test-${Date.now().toString(36)}`);

    // A repository with three commits in a recognisable style, one staged change and one unstaged.
    styled = path.join(root, 'styled');
    initRepository(styled);
    write(styled, 'greet.ts', 'export function greet(name: string): string {\n  return `Hello, ${name}`;\n}\n');
    write(styled, 'notes.txt', 'Notes\n');
    git(styled, 'add', '.');
    git(styled, 'commit', '-q', '-m', SUBJECTS[0]);
    write(styled, 'greet.ts', 'export function greet(name: string): string {\n  return `Hello, ${name.trim()}`;\n}\n');
    git(styled, 'commit', '-q', '-am', SUBJECTS[1]);
    write(styled, 'greet.ts', '/** Greets `name` (trimmed). */\nexport function greet(name: string): string {\n  return `Hello, ${name.trim()}`;\n}\n');
    git(styled, 'commit', '-q', '-am', `${SUBJECTS[2]}\n\nA body line that is not a subject.`);
    write(styled, 'greet.ts', `/** Greets \`name\` (trimmed). */\nexport function greet(name: string): string {\n  return \`Hello, \${name.trim()}\`;\n}\n\nexport const MARKER = '${STAGED_MARKER}';\n`);
    git(styled, 'add', 'greet.ts');
    write(styled, 'notes.txt', `Notes\n${UNSTAGED_MARKER}\n`);

    // A repository with nothing to describe.
    clean = path.join(root, 'clean');
    initRepository(clean);
    write(clean, 'README.md', '# Clean\n');
    git(clean, 'add', '.');
    git(clean, 'commit', '-q', '-m', 'Initial commit');

    server = await connectToFakeServer();
  });

  after(async () => {
    // Close our repositories in the Git extension before their folders go.
    for (const repository of [...(api?.repositories ?? [])]) {
      if (root && real(repository.rootUri.fsPath).startsWith(real(root) + path.sep)) {
        await Promise.resolve(vscode.commands.executeCommand('git.close', repository.rootUri)).catch(() => undefined);
      }
    }
    if (root) fs.rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    await disconnect(server);
  });

  it('sends the staged diff (not the unstaged change) and the last subjects, and writes the cleaned message into the commit box', async () => {
    const repository = await openRepository(api, styled);
    await waitFor(() => repository.state.indexChanges.length === 1 && repository.state.workingTreeChanges.length === 1, 'the Git state to show one staged and one unstaged change');
    server.enqueue({ text: `Here is a commit message:\n\n\`\`\`\n${MESSAGE}\n\`\`\`` });

    // The Git API's repository as the argument: it carries rootUri, as scm/title's SourceControl does.
    const outcome = await vscode.commands.executeCommand('modelslab.generateCommitMessage', repository);
    assert.equal(outcome, 'written');

    const prompt = lastPrompt(server);
    assert.ok(prompt.includes(STAGED_MARKER), 'the staged change is in the request');
    assert.ok(!prompt.includes(UNSTAGED_MARKER), 'the unstaged change is not in the request');
    assert.match(prompt, /the staged changes/);
    for (const subject of SUBJECTS) assert.ok(prompt.includes(`- ${subject}`), `the recent subject "${subject}" is in the request`);
    assert.ok(!prompt.includes('A body line that is not a subject'), 'only subject lines are sent');
    assert.match(prompt, /Conventional Commits prefixes/);
    // The workbench echoes streamed writes back late; the box settles on the final text.
    await waitFor(() => repository.inputBox.value === MESSAGE || undefined, 'the commit box to hold the cleaned message');
  });

  it('with nothing staged, describes the working tree and says so', async () => {
    const repository = await openRepository(api, styled);
    git(styled, 'reset', '-q');
    await repository.status();
    await waitFor(() => repository.state.indexChanges.length === 0, 'the Git state to show nothing staged');
    server.enqueue({ text: 'chore: note the markers' });

    const outcome = await vscode.commands.executeCommand('modelslab.generateCommitMessage', repository);
    assert.equal(outcome, 'written');
    const prompt = lastPrompt(server);
    assert.match(prompt, /the changes in the working tree \(nothing is staged\)/);
    assert.ok(prompt.includes(STAGED_MARKER) && prompt.includes(UNSTAGED_MARKER), 'both working-tree changes are in the request');
    await waitFor(() => repository.inputBox.value === 'chore: note the markers' || undefined, 'the commit box to hold the message');
  });

  it('a repository without changes sends no request and says there is nothing to describe', async () => {
    const repository = await openRepository(api, clean);
    const before = chatRequests(server).length;
    // Shaped as scm/title's argument (a SourceControl): only its rootUri matters, and it picks
    // this repository although another one is open.
    const outcome = await vscode.commands.executeCommand('modelslab.generateCommitMessage', { id: 'git', rootUri: repository.rootUri });
    assert.equal(outcome, 'nothingToDescribe');
    assert.equal(chatRequests(server).length, before, 'no request was sent');
    assert.equal(repository.inputBox.value, '');
  });
});
