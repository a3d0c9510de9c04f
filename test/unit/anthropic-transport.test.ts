// The Anthropic transport on its own: what build() puts on the wire, and what the decoder makes
// of canned event sequences and whole bodies (no network here; anthropic-client.test.ts has that).
import * as assert from 'node:assert/strict';
import { APIError } from 'openai';
import { anthropicTransport, JSON_OBJECT_INSTRUCTION, toolInput } from '../../src/llm/anthropicTransport';
import { toModelsLabError } from '../../src/llm/errors';
import { isRetryable } from '../../src/llm/retry';
import { chatRequest, type ChatRequest } from '../../src/llm/request';
import type { SseEvent } from '../../src/llm/transport';
import type { ChatChunk } from '../../src/llm/types';

const KEY = 'sk-anthropic-test-1234';
const transport = anthropicTransport(KEY);
const MODEL = 'Qwen/Qwen2.5-VL-72B-Instruct-together';

const ev = (type: string, data: object = {}): SseEvent => ({ event: type, data: JSON.stringify({ type, ...data }) });
const start = (model = MODEL, input = 12) => ev('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model, content: [], usage: { input_tokens: input, output_tokens: 1 } } });
const textStart = (index = 0) => ev('content_block_start', { index, content_block: { type: 'text', text: '' } });
const text = (t: string, index = 0) => ev('content_block_delta', { index, delta: { type: 'text_delta', text: t } });
const stop = (index = 0) => ev('content_block_stop', { index });
const messageDelta = (stop_reason: string, output_tokens = 5) => ev('message_delta', { delta: { stop_reason, stop_sequence: null }, usage: { output_tokens } });

/** Runs events through a fresh decoder the way the guarded stream does: decode each, flush at the end. */
function decodeAll(events: SseEvent[]): { chunks: ChatChunk[]; done: boolean; finishReason: string | undefined } {
  const decoder = transport.createDecoder();
  const chunks: ChatChunk[] = [];
  for (const event of events) decoder.decode(event, chunks);
  decoder.flush(chunks);
  return { chunks, done: decoder.done, finishReason: decoder.finishReason };
}

const textOf = (chunks: ChatChunk[]) => chunks.map((c) => (c.type === 'text' ? c.text : '')).join('');

describe('anthropicTransport.build', () => {
  const plain = (request: Partial<ChatRequest> = {}): ChatRequest => ({ model: ` ${MODEL} `, maxTokens: 300, messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], ...request });

  it('posts to /v1/messages with x-api-key and anthropic-version, streaming, with max_tokens always', () => {
    const wire = transport.build(plain());
    assert.equal(transport.name, 'anthropic');
    assert.equal(wire.path, '/v1/messages');
    assert.deepEqual(wire.headers, { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' });
    assert.deepEqual(wire.body, { model: MODEL, max_tokens: 300, messages: [{ role: 'user', content: 'hi' }], stream: true });
  });

  it('moves every system message to the top-level system, joined with blank lines', () => {
    const request = chatRequest(
      [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'a' },
        { role: 'system', content: 'Answer in French.' },
        { role: 'assistant', content: 'b' },
      ],
      { model: MODEL },
    );
    const body = transport.build(request).body;
    assert.equal(body.system, 'You are terse.\n\nAnswer in French.');
    assert.deepEqual(body.messages, [
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'b' },
    ]);
    assert.ok(!('system' in transport.build(plain()).body), 'no system field without a system message');
  });

  it('maps sampling: temperature (clamped to 1), top_p, stop_sequences; penalties and seed are not sent', () => {
    const body = transport.build(
      plain({ sampling: { temperature: 1.5, topP: 0.9, stop: ['###', 'END'], presencePenalty: 1, frequencyPenalty: 1, seed: 7 } }),
    ).body;
    assert.equal(body.temperature, 1);
    assert.equal(body.top_p, 0.9);
    assert.deepEqual(body.stop_sequences, ['###', 'END']);
    for (const absent of ['stop', 'presence_penalty', 'frequency_penalty', 'seed', 'response_format']) assert.ok(!(absent in body), absent);
    assert.equal(transport.build(plain({ sampling: { temperature: 0.3 } })).body.temperature, 0.3);
  });

  it('asks for JSON in the system prompt, since Anthropic has no response_format', () => {
    const request = chatRequest([{ role: 'system', content: 'Be exact.' }, { role: 'user', content: 'list' }], { model: MODEL, responseFormat: 'json_object' });
    assert.equal(transport.build(request).body.system, `Be exact.\n\n${JSON_OBJECT_INSTRUCTION}`);
    assert.equal(transport.build(plain({ sampling: { responseFormat: 'json_object' } })).body.system, JSON_OBJECT_INSTRUCTION);
  });

  it('sends tools with input_schema and maps tool_choice auto/required/none', () => {
    const tools = [{ name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } }];
    const body = transport.build(plain({ tools, toolChoice: 'required' })).body;
    assert.deepEqual(body.tools, [{ name: 'read_file', description: 'Read a file', input_schema: tools[0]!.parameters }]);
    assert.deepEqual(body.tool_choice, { type: 'any' });
    assert.deepEqual(transport.build(plain({ tools, toolChoice: 'auto' })).body.tool_choice, { type: 'auto' });
    assert.deepEqual(transport.build(plain({ tools, toolChoice: 'none' })).body.tool_choice, { type: 'none' });
    assert.ok(!('tool_choice' in transport.build(plain({ tools })).body));
    assert.ok(!('tools' in transport.build(plain({ toolChoice: 'auto' })).body), 'no tools, no tool_choice');
  });

  it('sends a tool round trip as tool_use in the assistant turn and tool_result first in the next user turn', () => {
    const body = transport.build(
      plain({
        messages: [
          { role: 'user', parts: [{ type: 'text', text: 'Read a.ts' }] },
          { role: 'assistant', parts: [{ type: 'text', text: 'Reading.' }, { type: 'toolCall', call: { id: 'toolu_1', name: 'read_file', arguments: '{"path":"a.ts"}' } }] },
          { role: 'tool', parts: [{ type: 'toolResult', callId: 'toolu_1', content: 'export {}' }] },
          // VS Code's chat puts results in user messages, sometimes after text.
          { role: 'user', parts: [{ type: 'text', text: 'And now?' }, { type: 'toolResult', callId: 'toolu_2', content: 'more' }] },
        ],
      }),
    ).body;
    assert.deepEqual(body.messages, [
      { role: 'user', content: 'Read a.ts' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Reading.' },
          { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a.ts' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: 'export {}' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: 'more' },
          { type: 'text', text: 'And now?' },
        ],
      },
    ]);
  });

  it('sends invalid tool arguments as {_invalid_arguments: text}, empty ones as {}', () => {
    assert.deepEqual(toolInput('{"a":1}'), { a: 1 });
    assert.deepEqual(toolInput(''), {});
    assert.deepEqual(toolInput('  '), {});
    assert.deepEqual(toolInput('{"a":'), { _invalid_arguments: '{"a":' });
    assert.deepEqual(toolInput('[1,2]'), { _invalid_arguments: '[1,2]' }, 'input must be an object');
    assert.deepEqual(toolInput('null'), { _invalid_arguments: 'null' });
  });

  it('sends images as base64 image blocks, in order with the text', () => {
    const body = transport.build(
      plain({ messages: [{ role: 'user', parts: [{ type: 'text', text: 'What is ' }, { type: 'text', text: 'this?' }, { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' }] }] }),
    ).body;
    assert.deepEqual(body.messages, [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
        ],
      },
    ]);
  });

  it('merges consecutive same-role messages and drops empty ones, so roles alternate', () => {
    const request = chatRequest(
      [
        { role: 'user', content: 'one' },
        { role: 'user', content: 'two' },
        { role: 'assistant', content: '' },
        { role: 'user', content: 'three' },
        { role: 'assistant', content: 'four' },
        { role: 'assistant', content: 'five' },
      ],
      { model: MODEL },
    );
    assert.deepEqual(transport.build(request).body.messages, [
      { role: 'user', content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }, { type: 'text', text: 'three' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'four' }, { type: 'text', text: 'five' }] },
    ]);
  });

  it('puts a tool result carried by an assistant message in a user turn before it', () => {
    const body = transport.build(
      plain({
        messages: [
          { role: 'assistant', parts: [{ type: 'toolCall', call: { id: 't1', name: 'x', arguments: '{}' } }] },
          { role: 'assistant', parts: [{ type: 'toolResult', callId: 't1', content: 'ok' }, { type: 'text', text: 'Done.' }] },
        ],
      }),
    ).body;
    assert.deepEqual(
      (body.messages as { role: string }[]).map((m) => m.role),
      ['assistant', 'user', 'assistant'],
    );
  });
});

describe('anthropicTransport decoder', () => {
  it('decodes the full event sequence: model once, text, usage with the prompt tokens from message_start, finish reason', () => {
    const { chunks, done, finishReason } = decodeAll([
      start(MODEL, 12),
      textStart(),
      ev('ping'),
      text('Hel'),
      text('lo'),
      stop(),
      messageDelta('end_turn', 5),
      ev('message_stop'),
    ]);
    assert.deepEqual(chunks, [
      { type: 'model', model: MODEL },
      { type: 'text', text: 'Hello' },
      { type: 'usage', usage: { promptTokens: 12, completionTokens: 5, totalTokens: 17 } },
    ]);
    assert.equal(done, true);
    assert.equal(finishReason, 'stop');
  });

  it('maps stop reasons: max_tokens → length, stop_sequence → stop, tool_use → tool_calls', () => {
    assert.equal(decodeAll([start(), messageDelta('max_tokens')]).finishReason, 'length');
    assert.equal(decodeAll([start(), messageDelta('stop_sequence')]).finishReason, 'stop');
    assert.equal(decodeAll([start(), messageDelta('tool_use')]).finishReason, 'tool_calls');
  });

  it('assembles tool_use blocks from input_json_delta pieces and holds them until flush', () => {
    const decoder = transport.createDecoder();
    const out: ChatChunk[] = [];
    for (const event of [
      start(),
      textStart(0),
      text('Let me look.'),
      stop(0),
      ev('content_block_start', { index: 1, content_block: { type: 'tool_use', id: 'toolu_A', name: 'read_file', input: {} } }),
      ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"path":' } }),
      ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '"a.ts"}' } }),
      ev('content_block_stop', { index: 1 }),
      // A call without any delta: its input came whole with the start.
      ev('content_block_start', { index: 2, content_block: { type: 'tool_use', id: 'toolu_B', name: 'list', input: { dir: '.' } } }),
      ev('content_block_stop', { index: 2 }),
      messageDelta('tool_use'),
      ev('message_stop'),
    ]) {
      decoder.decode(event, out);
    }
    assert.ok(!out.some((c) => c.type === 'toolCall'), 'calls are held until flush');
    decoder.flush(out);
    assert.deepEqual(
      out.filter((c) => c.type === 'toolCall'),
      [
        { type: 'toolCall', call: { id: 'toolu_A', name: 'read_file', arguments: '{"path":"a.ts"}' } },
        { type: 'toolCall', call: { id: 'toolu_B', name: 'list', arguments: '{"dir":"."}' } },
      ],
    );
    assert.equal(textOf(out), 'Let me look.');
    assert.equal(decoder.finishReason, 'tool_calls');
  });

  it('ignores ping, unknown event types and thinking deltas', () => {
    const { chunks } = decodeAll([
      start(),
      ev('ping'),
      ev('some_future_event', { payload: 1 }),
      ev('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '' } }),
      ev('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'hmm' } }),
      stop(0),
      textStart(1),
      text('ok', 1),
      stop(1),
      messageDelta('end_turn'),
    ]);
    assert.equal(textOf(chunks), 'ok');
  });

  it('ignores whatever comes after message_stop', () => {
    const { chunks, done } = decodeAll([start(), textStart(), text('a'), ev('message_stop'), text('b')]);
    assert.equal(done, true);
    assert.equal(textOf(chunks), 'a');
  });

  it('an error event throws, and the text decoded before it stays in the output', () => {
    const decoder = transport.createDecoder();
    const out: ChatChunk[] = [];
    decoder.decode(start(), out);
    decoder.decode(textStart(), out);
    decoder.decode(text('partial '), out);
    let thrown: unknown;
    try {
      decoder.decode(ev('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }), out);
    } catch (err) {
      thrown = err;
    }
    assert.equal(textOf(out), 'partial ');
    const error = toModelsLabError(thrown, { partialText: 'partial ' });
    assert.equal(error.kind, 'server');
    assert.equal(error.status, 529);
    assert.equal(error.partialText, 'partial ');
  });

  it('maps each Anthropic error type to the kind the rest of the client acts on', () => {
    const kindOf = (type: string) => {
      try {
        decodeAll([start(), ev('error', { error: { type, message: `a ${type}` } })]);
      } catch (err) {
        return toModelsLabError(err);
      }
      assert.fail('no error thrown');
    };
    const overloaded = kindOf('overloaded_error');
    assert.deepEqual([overloaded.kind, overloaded.status, isRetryable(overloaded)], ['server', 529, true]);
    assert.equal(kindOf('rate_limit_error').kind, 'rate_limit');
    assert.equal(kindOf('authentication_error').kind, 'auth');
    assert.equal(kindOf('not_found_error').kind, 'model_not_found');
    assert.equal(kindOf('invalid_request_error').kind, 'bad_request');
    const api = kindOf('api_error');
    assert.deepEqual([api.kind, isRetryable(api)], ['server', true]);
  });

  it('an HTTP 529 with an Anthropic body (as the SDK hands it over) is a retryable server error', () => {
    const sdkError = APIError.generate(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, undefined, new Headers());
    const error = toModelsLabError(sdkError);
    assert.deepEqual([error.kind, error.status, isRetryable(error)], ['server', 529, true]);
    assert.match(error.message, /Overloaded/);
  });

  it('a malformed data line is a SyntaxError (a malformed response)', () => {
    assert.throws(() => decodeAll([start(), { event: 'content_block_delta', data: '{not json' }]), SyntaxError);
  });
});

describe('anthropicTransport.decodeBody', () => {
  it('turns a whole message into chunks ending with finish', () => {
    const chunks = transport.decodeBody({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: MODEL,
      content: [
        { type: 'text', text: 'The capital of France is Paris.' },
        { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: 'France' } },
      ],
      stop_reason: 'max_tokens',
      usage: { input_tokens: 15, output_tokens: 8 },
    });
    assert.deepEqual(chunks, [
      { type: 'model', model: MODEL },
      { type: 'text', text: 'The capital of France is Paris.' },
      { type: 'toolCall', call: { id: 'toolu_1', name: 'lookup', arguments: '{"q":"France"}' } },
      { type: 'usage', usage: { promptTokens: 15, completionTokens: 8, totalTokens: 23 } },
      { type: 'finish', reason: 'length' },
    ]);
  });

  it("reads ModelsLab's documented example, whose text blocks have no type", () => {
    const chunks = transport.decodeBody({ id: 'x', content: [{ text: 'hi' }], model: MODEL, usage: { input_tokens: 1, output_tokens: 1 } });
    assert.equal(textOf(chunks), 'hi');
    assert.deepEqual(chunks.at(-1), { type: 'finish', reason: 'stop' });
  });

  it('throws the mapped error for {type:"error", error:{type, message}}', () => {
    let thrown: unknown;
    try {
      transport.decodeBody({ type: 'error', error: { type: 'rate_limit_error', message: 'Slow down', retry_after: 7 } });
    } catch (err) {
      thrown = err;
    }
    const error = toModelsLabError(thrown);
    assert.equal(error.kind, 'rate_limit');
    assert.equal(error.retryAfterMs, 7_000);
  });

  it('a body that is not a message is a SyntaxError', () => {
    assert.throws(() => transport.decodeBody({ hello: 1 }), SyntaxError);
  });
});
