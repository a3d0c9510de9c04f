import * as assert from 'node:assert/strict';
import { buildOpenAiRequest } from '../../src/llm/openaiTransport';
import { validateChatRequest } from '../../src/llm/params';
import { chatRequest } from '../../src/llm/request';
import type { ChatOptions } from '../../src/llm/types';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import { chat, HELLO, makeClient, MODEL } from './llm-helpers';

describe('chat parameters', () => {
  const invalid: [Partial<ChatOptions>, RegExp][] = [
    [{ temperature: 3 }, /^temperature must be between 0 and 2 \(got 3\)$/],
    [{ temperature: -0.1 }, /temperature must be between 0 and 2/],
    [{ temperature: Number.NaN }, /temperature must be between 0 and 2 \(got NaN\)/],
    [{ topP: 1.5 }, /^top_p must be between 0 and 1 \(got 1.5\)$/],
    [{ maxTokens: 0 }, /^max_tokens must be a whole number of at least 1 \(got 0\)$/],
    [{ maxTokens: 2.5 }, /max_tokens must be a whole number/],
    [{ presencePenalty: 2.5 }, /^presence_penalty must be between -2 and 2 \(got 2.5\)$/],
    [{ frequencyPenalty: -3 }, /^frequency_penalty must be between -2 and 2 \(got -3\)$/],
    [{ stop: ['a', 'b', 'c', 'd', 'e'] }, /^stop takes at most 4 sequences \(got 5\)$/],
    [{ stop: ['ok', ''] }, /^stop\[1\] must be a non-empty string$/],
    [{ seed: 1.5 }, /^seed must be an integer \(got 1.5\)$/],
    [{ model: '' }, /^model must be a non-empty model ID$/],
    [{ model: '   ' }, /model must be a non-empty/],
  ];

  for (const [options, message] of invalid) {
    it(`rejects ${JSON.stringify(options)}`, () => {
      assert.throws(() => validateChatRequest(chatRequest(HELLO, { model: MODEL, ...options })), (err: Error & { kind?: string }) => {
        assert.equal(err.kind, 'invalid_params');
        assert.match(err.message, message);
        return true;
      });
    });
  }

  it('rejects empty messages and unknown roles', () => {
    assert.throws(() => validateChatRequest(chatRequest([], { model: MODEL })), /messages must contain at least one message/);
    assert.throws(
      () => validateChatRequest(chatRequest([{ role: 'robot' as 'user', content: 'x' }], { model: MODEL })),
      /messages\[0\]\.role must be system, user, assistant or tool \(got "robot"\)/,
    );
  });

  it('accepts the documented edges', () => {
    validateChatRequest(chatRequest(HELLO, {
      model: MODEL,
      temperature: 2,
      topP: 0,
      maxTokens: 1,
      presencePenalty: -2,
      frequencyPenalty: 2,
      stop: ['a', 'b', 'c', 'd'],
      seed: 0,
      responseFormat: 'json_object',
    }));
  });

  it('maps camelCase options to API names, leaves unset ones out and always sends max_tokens', () => {
    assert.deepEqual(buildOpenAiRequest(chatRequest(HELLO, { model: ` ${MODEL} `, topP: 0.5, stop: [] })).body, {
      model: MODEL,
      messages: HELLO,
      max_tokens: 4096,
      stream: true,
      stream_options: { include_usage: true },
      top_p: 0.5,
    });
  });

  it('sends tools, tool calls and tool results in the OpenAI shape', () => {
    const body = buildOpenAiRequest({
      model: MODEL,
      maxTokens: 100,
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'read a.ts' }] },
        { role: 'assistant', parts: [{ type: 'toolCall', call: { id: 'c1', name: 'read', arguments: '{"p":"a.ts"}' } }] },
        { role: 'tool', parts: [{ type: 'toolResult', callId: 'c1', content: 'export {}' }] },
      ],
      tools: [{ name: 'read', description: 'Reads a file', parameters: { type: 'object' } }],
      toolChoice: 'auto',
    }).body;
    assert.deepEqual(body.messages, [
      { role: 'user', content: 'read a.ts' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read', arguments: '{"p":"a.ts"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'export {}' },
    ]);
    assert.deepEqual(body.tools, [{ type: 'function', function: { name: 'read', description: 'Reads a file', parameters: { type: 'object' } } }]);
    assert.equal(body.tool_choice, 'auto');
  });

  it("maps VS Code's shapes: tool results in a user message become tool messages, images become image_url parts", () => {
    const body = buildOpenAiRequest({
      model: MODEL,
      maxTokens: 100,
      messages: [
        { role: 'assistant', parts: [{ type: 'toolCall', call: { id: 'c1', name: 'read', arguments: '{}' } }] },
        { role: 'user', parts: [{ type: 'toolResult', callId: 'c1', content: 'one' }] },
        { role: 'user', parts: [{ type: 'toolResult', callId: 'c2', content: 'two' }, { type: 'text', text: 'and now?' }] },
        { role: 'user', parts: [{ type: 'text', text: 'what is this' }, { type: 'image', mimeType: 'image/png', data: 'iVBOR' }, { type: 'text', text: '?' }] },
      ],
    }).body;
    assert.deepEqual(body.messages, [
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'one' },
      { role: 'tool', tool_call_id: 'c2', content: 'two' },
      { role: 'user', content: 'and now?' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBOR' } },
          { type: 'text', text: '?' },
        ],
      },
    ]);
  });

  describe('through the client', () => {
    let server: FakeModelsLab;
    before(async () => {
      server = await startFakeModelsLab();
    });
    after(() => server.close());

    it('an out-of-range parameter fails before any request reaches the server', async () => {
      const { error } = await chat(makeClient(server).client, { temperature: 3 });
      assert.equal(error?.kind, 'invalid_params');
      assert.equal(error?.message, 'temperature must be between 0 and 2 (got 3)');
      assert.equal(server.requests.length, 0);
    });
  });
});
