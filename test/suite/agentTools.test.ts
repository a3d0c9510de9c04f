// The agent's workspace tools in the real host: VS Code's file system, diagnostics, symbols
// and its own ripgrep, with the workspace as the boundary. Then a whole tool loop against
// the local server, with these tools.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AgentTool } from '../../src/agent/agentTool';
import { EditPlan } from '../../src/agent/editPlan';
import { gitignoreGlobs } from '../../src/agent/ignoreRules';
import { findRipgrep } from '../../src/agent/textSearch';
import { runToolLoop } from '../../src/agent/toolLoop';
import { WorkspaceBoundary } from '../../src/agent/workspaceBoundary';
import { workspaceTools } from '../../src/workspace/agentTools';
import type { FakeModelsLab } from '../fake-server/server';
import { connectToFakeServer, disconnect, extensionApi, workspaceFile } from './harness';

function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite needs the fixture workspace open');
  return folder.uri.fsPath;
}

describe('Agent tools in the real host', () => {
  let plan: EditPlan;
  let approvals: string[];
  let allow: boolean;
  let tools: Map<string, AgentTool>;
  let outside: string;
  const run = (name: string, args: Record<string, unknown>) => {
    const tool = tools.get(name);
    assert.ok(tool, `no tool ${name}`);
    return tool.run(args, new AbortController().signal);
  };

  before(() => {
    outside = mkdtempSync(join(tmpdir(), 'ml-outside-'));
    writeFileSync(join(outside, 'id_rsa'), 'PRIVATE KEY');
    writeFileSync(join(root(), '.env'), 'API_KEY=do-not-send\n');
    symlinkSync(join(outside, 'id_rsa'), join(root(), 'innocent.txt'));
    mkdirSync(join(root(), 'build'), { recursive: true });
    writeFileSync(join(root(), 'build', 'out.js'), 'const generated = "IGNORED_MARKER";\n');
  });
  beforeEach(() => {
    plan = new EditPlan();
    approvals = [];
    allow = false;
    const boundary = new WorkspaceBoundary({ roots: [root()] });
    tools = new Map(
      workspaceTools({
        boundary,
        plan,
        approveSensitiveRead: async (path) => {
          approvals.push(path);
          return allow;
        },
        ignoredGlobs: gitignoreGlobs('build/\n'),
      }).map((tool) => [tool.spec.name, tool]),
    );
  });
  after(() => {
    rmSync(join(root(), '.env'), { force: true });
    rmSync(join(root(), 'innocent.txt'), { force: true });
    rmSync(join(root(), 'build'), { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('read_file reads a line range and says where the cut is', async () => {
    const outcome = await run('read_file', { path: 'math.ts', startLine: 9, endLine: 10 });
    assert.equal(outcome.isError, undefined);
    assert.equal(outcome.summary, 'Read math.ts, lines 9–10');
    assert.match(outcome.content, /export function clamp/);
    assert.match(outcome.content, /Call read_file with startLine 11 for more/);
  });

  it('refuses paths outside the workspace: ../, an absolute path, and a symlink leading out', async () => {
    for (const path of ['../../etc/passwd', join(outside, 'id_rsa'), 'innocent.txt']) {
      const outcome = await run('read_file', { path });
      assert.equal(outcome.isError, true, `${path} was read: ${outcome.content}`);
      assert.doesNotMatch(outcome.content, /PRIVATE KEY|root:/);
    }
  });

  it('asks before reading a secret file, and reads nothing when the user says no', async () => {
    const refused = await run('read_file', { path: '.env' });
    assert.deepEqual(approvals, ['.env']);
    assert.equal(refused.isError, true);
    assert.doesNotMatch(refused.content, /do-not-send/);
    allow = true;
    assert.match((await run('read_file', { path: '.env' })).content, /API_KEY=do-not-send/);
  });

  it("search_text uses VS Code's own ripgrep here, and never searches secret files", async () => {
    assert.ok(findRipgrep(vscode.env.appRoot), `no ripgrep under ${vscode.env.appRoot}`);
    const found = await run('search_text', { query: 'return', include: '*.ts' });
    assert.match(found.content, /^math\.ts:\d+: /m);
    assert.match(found.summary, /Searched 'return': 1 file/);
    const secret = await run('search_text', { query: 'do-not-send' });
    assert.equal(secret.content, 'No match for do-not-send.');
  });

  it('skips what .gitignore ignores: refused by read, not found by search', async () => {
    const read = await run('read_file', { path: 'build/out.js' });
    assert.equal(read.isError, true);
    assert.match(read.content, /excluded by files\.exclude or \.gitignore/);
    assert.equal((await run('search_text', { query: 'IGNORED_MARKER' })).content, 'No match for IGNORED_MARKER.');
  });

  it('list_dir, find_files, get_symbols and get_open_editors answer from VS Code', async () => {
    assert.match((await run('list_dir', { path: '.' })).content, /^math\.ts$/m);
    assert.match((await run('find_files', { glob: '**/*.py' })).content, /greet\.py/);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile('math.ts')));
    const symbols = await run('get_symbols', { path: 'math.ts' });
    assert.match(symbols.content, /Function clamp \(lines 9–13\)/);
    assert.match((await run('get_open_editors', {})).content, /math\.ts/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('replace_in_file proposes without writing; a missing or repeated old string fails and leaves the file byte-identical', async () => {
    const before = readFileSync(join(root(), 'math.ts'));
    const missing = await run('replace_in_file', { path: 'math.ts', old_string: 'no such text', new_string: '' });
    assert.equal(missing.isError, true);
    assert.match(missing.content, /not found/i);
    const repeated = await run('replace_in_file', { path: 'math.ts', old_string: 'return', new_string: 'yield' });
    assert.equal(repeated.isError, true);
    const ok = await run('replace_in_file', { path: 'math.ts', old_string: '  if (value < min) return min;\n', new_string: '' });
    assert.equal(ok.isError, undefined, ok.content);
    assert.deepEqual(readFileSync(join(root(), 'math.ts')), before, 'nothing was written');
    assert.deepEqual(plan.files().map((f) => f.path), ['math.ts']);
  });

  it('create_file proposes a new file, and refuses one that exists or lies outside', async () => {
    assert.equal((await run('create_file', { path: 'src/new.ts', content: 'export {};\n' })).isError, undefined);
    assert.equal(existsSync(join(root(), 'src', 'new.ts')), false);
    assert.equal((await run('create_file', { path: 'math.ts', content: '' })).isError, true);
    assert.equal((await run('create_file', { path: '../escape.ts', content: '' })).isError, true);
    assert.deepEqual(plan.files().map((f) => [f.path, f.isNew]), [['src/new.ts', true]]);
  });
});

describe('An agent turn in the real host (tool loop, workspace tools, local server)', () => {
  let server: FakeModelsLab;
  before(async () => {
    server = await connectToFakeServer();
  });
  after(() => disconnect(server));

  it('answers a codebase question after two tool calls', async () => {
    const api = await extensionApi();
    server.enqueue(
      { toolCalls: [{ id: 'c1', name: 'search_text', arguments: '{"query":"clamp"}' }], finishReason: 'tool_calls' },
      { toolCalls: [{ id: 'c2', name: 'read_file', arguments: '{"path":"math.ts","startLine":9,"endLine":13}' }], finishReason: 'tool_calls' },
      { text: 'clamp is in math.ts, lines 9–13.' },
    );
    const summaries: string[] = [];
    const result = await runToolLoop({
      streamer: api.connection,
      request: api.connection.buildRequest([{ role: 'user', content: 'Where is clamp?' }]),
      tools: workspaceTools({ boundary: new WorkspaceBoundary({ roots: [root()] }), plan: new EditPlan(), approveSensitiveRead: async () => false }),
      onEvent: (event) => event.type === 'toolEnd' && summaries.push(event.summary),
    });
    assert.equal(result.status, 'done');
    assert.equal(result.text, 'clamp is in math.ts, lines 9–13.');
    assert.deepEqual(summaries, ["Searched 'clamp': 1 file", 'Read math.ts, lines 9–13']);
    const last = server.requests.filter((r) => r.path.endsWith('/chat/completions'))[2];
    assert.match(last.body.messages[4].content, /export function clamp/);
  });
});
