import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import type { ModelsLabError } from '../../src/llm/errors';
import { connectToFakeServer, disconnect, extensionApi, setSetting, SUITE_KEY } from './harness';

describe('ModelsLab connection in the real host', () => {
  let server: FakeModelsLab;
  before(async () => {
    server = await connectToFakeServer();
  });
  after(async () => {
    delete process.env.MODELSLAB_API_KEY;
    await vscode.commands.executeCommand('modelslab.clearApiKey');
    await disconnect(server);
  });

  it('setApiKey stores a trimmed key and verifies it with one cheap request', async () => {
    server.reset();
    const result = (await vscode.commands.executeCommand('modelslab.setApiKey', `  ${SUITE_KEY}  `)) as { stored: boolean; verified?: boolean };
    assert.deepEqual(result, { stored: true, verified: true });
    // The check is the model list, which here refuses a keyless probe, so it proves the key: no
    // completion is spent on it. (The open chat view also refreshes its model list after a key
    // change, which is the same cheap request.)
    assert.ok(server.requests.some((r) => r.path.endsWith('/models') && r.headers.authorization === `Bearer ${SUITE_KEY}`));
    assert.ok(!server.requests.some((r) => r.path.endsWith('/chat/completions')));
    for (const request of server.requests) assert.ok([undefined, `Bearer ${SUITE_KEY}`].includes(request.headers.authorization as string | undefined), 'only the trimmed key, or the keyless probe');
  });

  it('setApiKey refuses an empty key and keeps the previous one', async () => {
    const result = (await vscode.commands.executeCommand('modelslab.setApiKey', '   ')) as { stored: boolean };
    assert.equal(result.stored, false);
    server.reset();
    const api = await extensionApi();
    await (await api.connection.client()).listModels();
    assert.equal(server.requests[0].headers.authorization, `Bearer ${SUITE_KEY}`);
  });

  it('reports a key that ModelsLab rejects', async () => {
    server.setModelsScript({ status: 401, errorMessage: 'Invalid API key' });
    const result = (await vscode.commands.executeCommand('modelslab.setApiKey', 'ml-wrong-key')) as { stored: boolean; verified?: boolean; problem?: string };
    server.setModelsScript(null);
    assert.deepEqual(result, { stored: true, verified: false, problem: 'auth' });
    await vscode.commands.executeCommand('modelslab.setApiKey', SUITE_KEY);
  });

  it('clearApiKey removes the key: the client then fails with no_key', async () => {
    await vscode.commands.executeCommand('modelslab.clearApiKey');
    const api = await extensionApi();
    await assert.rejects(api.connection.client(), // The suite bundles its own copy of the error class, so match on the kind.
      (err: unknown) => (err as ModelsLabError).kind === 'no_key' && /Set API Key/.test((err as Error).message));
  });

  it('falls back to MODELSLAB_API_KEY from the environment when no key is stored', async () => {
    process.env.MODELSLAB_API_KEY = 'ml-env-key-7a7a7a';
    try {
      const api = await extensionApi();
      server.reset();
      await (await api.connection.client()).listModels();
      assert.equal(server.requests[0].headers.authorization, 'Bearer ml-env-key-7a7a7a');
    } finally {
      delete process.env.MODELSLAB_API_KEY;
    }
    await vscode.commands.executeCommand('modelslab.setApiKey', SUITE_KEY);
  });

  it('applies a settings change without a reload', async () => {
    const api = await extensionApi();
    const other = await startFakeModelsLab();
    try {
      await setSetting('baseUrl', other.url);
      await setSetting('model', 'deepseek-ai-DeepSeek-V3');
      await setSetting('temperature', 0.7);
      const { options } = api.connection.requestOptions();
      const chunks: string[] = [];
      for await (const chunk of (await api.connection.client()).streamChat([{ role: 'user', content: 'hi' }], options)) {
        if (chunk.type === 'text') chunks.push(chunk.text);
      }
      const completions = other.requests.filter((r) => r.path.endsWith('/chat/completions'));
      assert.equal(completions.length, 1, 'the request went to the new base URL');
      assert.equal(completions[0].body.model, 'deepseek-ai-DeepSeek-V3');
      assert.equal(completions[0].body.temperature, 0.7);
      assert.ok(chunks.join('').length > 0);
    } finally {
      await setSetting('model', undefined);
      await setSetting('temperature', undefined);
      await setSetting('baseUrl', server.url);
      await other.close();
    }
  });

  it('never stores the key in settings', async () => {
    const config = vscode.workspace.getConfiguration('modelslab');
    const all = JSON.stringify(Object.fromEntries(['baseUrl', 'model', 'models', 'systemPrompt'].map((k) => [k, config.inspect(k)])));
    assert.ok(!all.includes(SUITE_KEY));
  });
});
