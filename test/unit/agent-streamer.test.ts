import * as assert from 'node:assert/strict';
import { agentStreamer } from '../../src/agent/agentStreamer';
import type { AgentTool } from '../../src/agent/agentTool';
import { ModelsLabError } from '../../src/llm/errors';
import { chatRequest } from '../../src/llm/request';
import { TOOL_RECORD_CHARS, type ChatChunk } from '../../src/llm/types';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import { makeClient, MODEL } from './llm-helpers';

describe('agent streamer (the tool loop as one stream)', () => {
  let server: FakeModelsLab;
  before(async () => {
    server = await startFakeModelsLab();
  });
  afterEach(() => server.reset());
  after(() => server.close());

  const bigTool: AgentTool = {
    readOnly: true,
    spec: { name: 'read_file', description: 'Reads', parameters: { type: 'object' } },
    run: async () => ({ content: 'x'.repeat(2_000), summary: 'Read big.txt' }),
  };
  const request = chatRequest([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'read it' }], { model: MODEL, maxTokens: 100 });

  async function collect(signal?: AbortSignal): Promise<{ chunks: ChatChunk[]; error?: ModelsLabError }> {
    const chunks: ChatChunk[] = [];
    try {
      for await (const chunk of agentStreamer({ base: makeClient(server).client, tools: [bigTool] }).stream(request, signal)) chunks.push(chunk);
    } catch (err) {
      return { chunks, error: err as ModelsLabError };
    }
    return { chunks };
  }

  it('yields tool activity (running, then done with a compact record), the text, and one finish', async () => {
    server.enqueue({ toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"big.txt"}' }], finishReason: 'tool_calls' }, { text: 'It is big.' });
    const { chunks, error } = await collect();
    assert.equal(error, undefined);
    const tools = chunks.filter((c): c is Extract<ChatChunk, { type: 'tool' }> => c.type === 'tool').map((c) => c.activity);
    assert.deepEqual(tools.map((t) => t.state), ['running', 'done']);
    assert.equal(tools[1].args, '{"path":"big.txt"}');
    assert.ok(tools[1].result?.startsWith('x'.repeat(TOOL_RECORD_CHARS)) && tools[1].result.endsWith('… [1,400 more characters]'), tools[1].result?.slice(-40));
    assert.deepEqual(chunks.filter((c) => c.type === 'text').map((c) => (c.type === 'text' ? c.text : '')).join(''), 'It is big.');
    assert.deepEqual(chunks.at(-1), { type: 'finish', reason: 'stop' });
    assert.match(server.requests[0].body.messages[0].content, /^Be brief\.\n\nYou are in Agent mode/, 'the agent instructions join the system prompt');
  });

  it('a failure after text keeps that text in the error', async () => {
    server.enqueue({ text: 'Half an answ', dropAfterChunks: 3, chunkSize: 4 });
    const { error } = await collect();
    assert.ok(error instanceof ModelsLabError);
    assert.equal(error.partialText, 'Half an answ');
  });

  it('Stop ends the stream with a cancelled error', async () => {
    server.enqueue({ text: 'endless', chunkSize: 2, stallAfterChunks: 2 });
    const controller = new AbortController();
    const chunks: ChatChunk[] = [];
    let caught: unknown;
    try {
      for await (const chunk of agentStreamer({ base: makeClient(server).client, tools: [bigTool] }).stream(request, controller.signal)) {
        chunks.push(chunk);
        if (chunk.type === 'text') controller.abort();
      }
    } catch (err) {
      caught = err;
    }
    assert.equal((caught as ModelsLabError).kind, 'cancelled');
    assert.ok(chunks.some((c) => c.type === 'text'));
  });
});
