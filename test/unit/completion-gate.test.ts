import * as assert from 'node:assert/strict';
import { completionBlocked, languageEnabled, type GateInput } from '../../src/completion/completionGate';
import { fastestCoderModel } from '../../src/completion/completionModel';
import { WorkspaceBoundary } from '../../src/agent/workspaceBoundary';

const boundary = new WorkspaceBoundary({ roots: [] });
const base = (overrides: Partial<GateInput> = {}): GateInput => ({
  languageId: 'typescript',
  scheme: 'file',
  relativePath: 'src/math.ts',
  fileName: 'math.ts',
  length: 1000,
  settings: { enabled: true, languages: { '*': true, plaintext: false }, maxFileKB: 512, outsideWorkspace: false, inlineSuggestEnabled: true },
  now: 1_000_000,
  isSensitive: (path) => boundary.isSensitive(path),
  ...overrides,
});

describe('ghost text: when a suggestion may be asked for', () => {
  it('allows an ordinary workspace file', () => {
    assert.equal(completionBlocked(base()), undefined);
  });

  it('never for a secret file, in or out of the workspace', () => {
    for (const relativePath of ['.env', '.env.local', 'config/.env.production', 'certs/server.pem', 'id_rsa', '.npmrc']) {
      assert.equal(completionBlocked(base({ relativePath, fileName: relativePath.split('/').pop()! })), 'a file that may hold secrets', relativePath);
    }
    const outside = base({ relativePath: undefined, fileName: '.env', settings: { ...base().settings, outsideWorkspace: true } });
    assert.equal(completionBlocked(outside), 'a file that may hold secrets');
  });

  it('not for a file over the size limit', () => {
    assert.match(completionBlocked(base({ length: 513 * 1024 })) ?? '', /over 512 KB/);
  });

  it('not outside the workspace unless allowed; untitled documents are the user’s own', () => {
    assert.match(completionBlocked(base({ relativePath: undefined, fileName: 'notes.ts' })) ?? '', /outside the workspace/);
    assert.equal(completionBlocked(base({ relativePath: undefined, fileName: 'notes.ts', settings: { ...base().settings, outsideWorkspace: true } })), undefined);
    assert.equal(completionBlocked(base({ scheme: 'untitled', relativePath: undefined, fileName: 'Untitled-1' })), undefined);
  });

  it('follows the switch, VS Code’s inline suggestions setting, a snooze, and the per-language map', () => {
    assert.match(completionBlocked(base({ settings: { ...base().settings, enabled: false } })) ?? '', /turned off/);
    assert.match(completionBlocked(base({ settings: { ...base().settings, inlineSuggestEnabled: false } })) ?? '', /inlineSuggest/);
    assert.equal(completionBlocked(base({ snoozedUntil: 1_000_001 })), 'snoozed');
    assert.equal(completionBlocked(base({ snoozedUntil: 999_999 })), undefined, 'a snooze that has ended');
    assert.match(completionBlocked(base({ languageId: 'plaintext' })) ?? '', /off for plaintext/);
    assert.equal(languageEnabled({ '*': false, python: true }, 'python'), true);
    assert.equal(languageEnabled({ '*': false, python: true }, 'go'), false);
    assert.equal(languageEnabled({}, 'go'), true);
  });

  it('not in output, git or diff-proposal documents', () => {
    for (const scheme of ['output', 'git', 'modelslab-proposal', 'vscode-scm']) assert.match(completionBlocked(base({ scheme })) ?? '', /not a code document/, scheme);
  });
});

describe('ghost text: the default model', () => {
  it('is the smallest Qwen coder model in the catalogue, else the default', () => {
    assert.equal(fastestCoderModel(['deepseek-ai-DeepSeek-V3', 'Qwen-Qwen2.5-Coder-32B-Instruct', 'Qwen/Qwen2.5-Coder-7B-Instruct', 'Qwen-Qwen2.5-72B-Instruct-Turbo']), 'Qwen/Qwen2.5-Coder-7B-Instruct');
    assert.equal(fastestCoderModel(['Qwen-Qwen2.5-Coder-32B-Instruct', 'gemini-2.0-flash-001']), 'Qwen-Qwen2.5-Coder-32B-Instruct');
    assert.equal(fastestCoderModel(['gemini-2.0-flash-001']), 'Qwen-Qwen2.5-Coder-32B-Instruct');
  });
});
