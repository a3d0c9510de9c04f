// ModelsLab's models through VS Code's own language model API (vscode.lm), as VS Code's chat
// and other extensions use them, against the local server.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeModelsLab, RecordedRequest } from '../fake-server/server';
import { connectToFakeServer, disconnect, setSetting, SUITE_KEY, waitFor } from './harness';

const SERVED = ['Qwen-Qwen2.5-Coder-32B-Instruct', 'deepseek-ai-DeepSeek-V3', 'meta-llama-3-8B-instruct'];

async function modelslabModels(): Promise<vscode.LanguageModelChat[]> {
  return vscode.lm.selectChatModels({ vendor: 'modelslab' });
}

async function model(id: string): Promise<vscode.LanguageModelChat> {
  const found = (await modelslabModels()).find((m) => m.id === id);
  assert.ok(found, `vscode.lm has no ModelsLab model ${id}`);
  return found;
}

function chats(server: FakeModelsLab): RecordedRequest[] {
  return server.requests.filter((r) => r.path.endsWith('/chat/completions'));
}

async function collect(response: vscode.LanguageModelChatResponse): Promise<{ text: string; calls: vscode.LanguageModelToolCallPart[] }> {
  let text = '';
  const calls: vscode.LanguageModelToolCallPart[] = [];
  for await (const part of response.stream) {
    if (part instanceof vscode.LanguageModelTextPart) text += part.value;
    else if (part instanceof vscode.LanguageModelToolCallPart) calls.push(part);
  }
  return { text, calls };
}

describe('ModelsLab models in vscode.lm (language model provider)', () => {
  let server: FakeModelsLab;
  before(async () => {
    server = await connectToFakeServer();
  });
  beforeEach(() => {
    server.reset();
    server.setModels(SERVED);
  });
  after(() => disconnect(server));

  it('selectChatModels({vendor: "modelslab"}) lists the live catalogue first, with limits and families', async () => {
    // A settings (or key) change is what makes the catalogue, and VS Code's copy of it, be
    // read again: here the base URL gains the path the real API has.
    await setSetting('baseUrl', `${server.url}/api/v7/llm`);
    const models = await waitFor(async () => {
      const found = await modelslabModels();
      return found.slice(0, 3).map((m) => m.id).join() === SERVED.join() ? found : undefined;
    }, "the server's three models first in vscode.lm");
    const ids = models.map((m) => m.id);
    assert.ok(ids.length > SERVED.length, `the built-in models follow (got ${ids.join(', ')})`);
    const coder = models[0];
    assert.equal(coder.vendor, 'modelslab');
    assert.equal(coder.name, 'Qwen2.5 Coder 32B');
    assert.equal(coder.family, 'qwen');
    assert.equal(coder.maxInputTokens, 32_768 - 8_192);
    assert.equal(models.find((m) => m.id === 'deepseek-ai-DeepSeek-V3')?.family, 'deepseek');
  });

  it('sendRequest streams from the server, which sees the model, the messages and the tools', async () => {
    server.enqueue({ text: 'Streamed through vscode.lm.', chunkSize: 3 });
    const chat = await model('deepseek-ai-DeepSeek-V3');
    const response = await chat.sendRequest(
      [vscode.LanguageModelChatMessage.User('What does clamp do?'), vscode.LanguageModelChatMessage.Assistant('It bounds a value.'), vscode.LanguageModelChatMessage.User('And average?')],
      {
        tools: [{ name: 'read_file', description: 'Reads a workspace file', inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }],
      },
    );
    const { text } = await collect(response);
    assert.equal(text, 'Streamed through vscode.lm.');
    const [seen] = chats(server);
    assert.equal(seen.body.model, 'deepseek-ai-DeepSeek-V3');
    assert.deepEqual(
      seen.body.messages.map((m: { role: string; content: string }) => [m.role, m.content]),
      [
        ['user', 'What does clamp do?'],
        ['assistant', 'It bounds a value.'],
        ['user', 'And average?'],
      ],
    );
    assert.deepEqual(seen.body.tools, [
      { type: 'function', function: { name: 'read_file', description: 'Reads a workspace file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } } },
    ]);
    assert.equal(seen.body.tool_choice, 'auto');
    assert.ok(seen.body.max_tokens > 0 && seen.body.max_tokens <= 8_192, `max_tokens is always sent and capped (${seen.body.max_tokens})`);
    assert.equal(seen.headers.authorization, `Bearer ${SUITE_KEY}`, 'the key is ours to send; the consumer never sees it');
  });

  it('cancelling the token closes the socket the server holds', async () => {
    server.enqueue({ chunks: 3, stallAfterChunks: 3 });
    const chat = await model('Qwen-Qwen2.5-Coder-32B-Instruct');
    const source = new vscode.CancellationTokenSource();
    const response = await chat.sendRequest([vscode.LanguageModelChatMessage.User('stall please')], {}, source.token);
    const iterator = response.text[Symbol.asyncIterator]();
    await iterator.next();
    const [seen] = await server.waitForRequests(1);
    source.cancel();
    // Drain what is left: cancellation ends the stream.
    for (let next = await iterator.next().catch(() => ({ done: true })); !next.done; next = await iterator.next().catch(() => ({ done: true }))) {
      // nothing to do with the rest
    }
    await seen.closed;
    assert.equal(chats(server)[0].closedByClient, true, 'the server saw the client close the connection');
  });

  it('a tool call round trip: the call streams back as a LanguageModelToolCallPart, and its result goes back as a tool message', async () => {
    server.enqueue({ toolCalls: [{ id: 'call_1', name: 'read_file', arguments: '{"path":"src/math.ts"}' }], finishReason: 'tool_calls' });
    const chat = await model('Qwen-Qwen2.5-Coder-32B-Instruct');
    const tools = [{ name: 'read_file', description: 'Reads a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }];
    const first = await collect(await chat.sendRequest([vscode.LanguageModelChatMessage.User('Read math.ts')], { tools }));
    assert.equal(first.calls.length, 1);
    assert.deepEqual([first.calls[0].callId, first.calls[0].name, first.calls[0].input], ['call_1', 'read_file', { path: 'src/math.ts' }]);

    server.enqueue({ text: 'It has average and clamp.' });
    const second = await collect(
      await chat.sendRequest(
        [
          vscode.LanguageModelChatMessage.User('Read math.ts'),
          vscode.LanguageModelChatMessage.Assistant([first.calls[0]]),
          vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart('call_1', [new vscode.LanguageModelTextPart('export function average…')])]),
        ],
        { tools },
      ),
    );
    assert.equal(second.text, 'It has average and clamp.');
    const seen = chats(server)[1];
    assert.deepEqual(seen.body.messages, [
      { role: 'user', content: 'Read math.ts' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"src/math.ts"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'export function average…' },
    ]);
  });

  it("countTokens uses ModelsLab's count_tokens endpoint, and a local estimate where there is none", async () => {
    const chat = await model('Qwen-Qwen2.5-Coder-32B-Instruct');
    // The local server counts words, plus 3 a message: "one two three four" is 7.
    assert.equal(await chat.countTokens('one two three four'), 7);
    const counted = server.requests.filter((r) => r.path.endsWith('/v1/messages/count_tokens'));
    assert.equal(counted.length, 1);
    assert.equal(counted[0].body.model, 'Qwen-Qwen2.5-Coder-32B-Instruct');

    server.setCountTokens(false);
    const estimate = await chat.countTokens('five six seven eight nine ten');
    assert.ok(estimate > 0 && estimate !== 9, `a local estimate, not the server's word count (got ${estimate})`);
  });

  it('an empty message list is refused with a clear error, not sent', async () => {
    const chat = await model('Qwen-Qwen2.5-Coder-32B-Instruct');
    await assert.rejects(async () => collect(await chat.sendRequest([])), /no message to answer/);
    assert.equal(chats(server).length, 0);
  });

  it('a model the server does not know fails with an error naming it and saying how to pick another', async () => {
    server.enqueue({ status: 404, errorMessage: 'The model `meta-llama-3-8B-instruct` does not exist' });
    const chat = await model('meta-llama-3-8B-instruct');
    await assert.rejects(async () => collect(await chat.sendRequest([vscode.LanguageModelChatMessage.User('hi')])), (err: Error) => {
      assert.match(err.message, /meta-llama-3-8B-instruct/);
      assert.match(err.message, /Pick another model/);
      return true;
    });
  });

  it('without a key, a silent look finds no ModelsLab models (and nothing throws)', async () => {
    await vscode.commands.executeCommand('modelslab.clearApiKey');
    try {
      const models = await waitFor(async () => ((await modelslabModels()).length === 0 ? [] : undefined), 'the ModelsLab models to go away with the key');
      assert.deepEqual(models, []);
    } finally {
      await vscode.commands.executeCommand('modelslab.setApiKey', SUITE_KEY);
    }
    await waitFor(async () => ((await modelslabModels()).length > 0 ? true : undefined), 'the models to come back with the key');
  });
});
