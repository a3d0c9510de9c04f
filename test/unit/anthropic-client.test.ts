// ModelsLabClient with protocol 'anthropic' against the local server's …/v1/messages route:
// real sockets, the SDK and undici as in production, the same guarded stream as the OpenAI
// transport (retries before any text, Stop closes the socket, partial text kept).
import * as assert from 'node:assert/strict';
import type { ModelsLabError } from '../../src/llm/errors';
import { chatRequest, type ChatRequest } from '../../src/llm/request';
import type { ChatChunk } from '../../src/llm/types';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import { collect, KEY, makeClient, MODEL, textOf } from './llm-helpers';
import type { ModelsLabClientConfig } from '../../src/llm/client';

const ask = (options: Partial<ChatRequest> = {}): ChatRequest => ({
  ...chatRequest([{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Say hello' }], { model: MODEL, maxTokens: 256 }),
  ...options,
});

describe('ModelsLabClient over the Anthropic-compatible endpoint', () => {
  let server: FakeModelsLab;
  const anthropic = (config: Partial<ModelsLabClientConfig> = {}) => makeClient(server, { protocol: 'anthropic', ...config });

  before(async () => {
    server = await startFakeModelsLab();
  });
  afterEach(() => server.reset());
  after(() => server.close());

  it('streams the model, the text, usage and one finish', async () => {
    server.enqueue({ text: 'Hello, Anthropic world!', chunkSize: 3, usage: { prompt_tokens: 11, completion_tokens: 8 } });
    const { chunks, text, error } = await collect(anthropic().client.stream(ask()));
    assert.equal(error, undefined);
    assert.equal(text, 'Hello, Anthropic world!');
    assert.deepEqual(chunks[0], { type: 'model', model: MODEL });
    assert.deepEqual(chunks.slice(-2), [
      { type: 'usage', usage: { promptTokens: 11, completionTokens: 8, totalTokens: 19 } },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('sends x-api-key, anthropic-version, a top-level system and max_tokens to …/v1/messages', async () => {
    const { client, logger } = anthropic();
    await collect(client.stream(ask({ sampling: { temperature: 0.2 } })));
    const [request] = await server.waitForRequests(1);
    assert.equal(request!.path, '/api/v7/llm/v1/messages');
    assert.equal(request!.headers['x-api-key'], KEY);
    assert.equal(request!.headers['anthropic-version'], '2023-06-01');
    assert.equal(request!.hasMaxTokens, true);
    assert.deepEqual(request!.body, {
      model: MODEL,
      max_tokens: 256,
      messages: [{ role: 'user', content: 'Say hello' }],
      stream: true,
      system: 'You are terse.',
      temperature: 0.2,
    });
    assert.ok(logger.lines.some((line) => line.includes('anthropic')), 'the log names the transport');
    assert.ok(!logger.lines.some((line) => line.includes(KEY)), 'the key is never logged');
  });

  it('takes the key as x-api-key alone (the server ignores the bearer here)', async () => {
    // A fetch that strips the SDK's Authorization header: only x-api-key is left.
    const onlyApiKey: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      headers.delete('authorization');
      return fetch(input, { ...init, headers });
    };
    server.setValidKeys([KEY]);
    const { error, text } = await collect(anthropic({ fetch: onlyApiKey }).client.stream(ask()));
    assert.equal(error, undefined);
    assert.ok(text.length > 0);
    assert.equal(server.requests[0]!.headers.authorization, undefined);
  });

  it('Stop closes the socket and keeps the partial text', async () => {
    server.enqueue({ text: 'abcdefghijkl', chunkSize: 2, stallAfterChunks: 3 });
    const controller = new AbortController();
    const seen: string[] = [];
    let caught: unknown;
    try {
      for await (const chunk of anthropic().client.stream(ask(), controller.signal)) {
        if (chunk.type !== 'text') continue;
        seen.push(chunk.text);
        controller.abort();
      }
    } catch (err) {
      caught = err;
    }
    const error = caught as ModelsLabError;
    assert.equal(error?.kind, 'cancelled');
    assert.equal(seen.length, 1);
    assert.equal(error.partialText, seen[0]);
    const [request] = await server.waitForRequests(1);
    await request!.closed;
    assert.equal(request!.closedByClient, true);
  });

  it('401 → auth, not retried', async () => {
    server.setValidKeys(['another-key-000']);
    const { error } = await collect(anthropic().client.stream(ask()));
    assert.equal(error?.kind, 'auth');
    assert.equal(error?.status, 401);
    assert.equal(server.requests.length, 1);
    assert.ok(!error!.message.includes(KEY));
  });

  it('429 with retry_after in the body is retried after that wait', async () => {
    server.enqueue({ status: 429, retryAfterInBody: 7 }, { text: 'after the wait' });
    const { client, sleeps } = anthropic();
    const { chunks, text, error } = await collect(client.stream(ask()));
    assert.equal(error, undefined);
    assert.equal(text, 'after the wait');
    assert.deepEqual(sleeps, [7_000]);
    const retrying = chunks.find((c): c is Extract<ChatChunk, { type: 'retrying' }> => c.type === 'retrying');
    assert.equal(retrying?.delayMs, 7_000);
    assert.equal(retrying?.reason, 'rate limited (429)');
    assert.equal(server.requests.length, 2);
  });

  it("the account's queue cap counts /v1/messages requests, and its 429 wait is honoured", async () => {
    // One request holds the only slot; the second gets the cap's 429 and, while it "sleeps",
    // the first is stopped, so the retry finds the slot free.
    server.setQueueCap(1, 12);
    server.enqueue({ stallBeforeHeaders: true }, { text: 'got the slot' });
    const holder = new AbortController();
    const held = collect(anthropic().client.stream(ask(), holder.signal));
    const [first] = await server.waitForRequests(1);
    const sleeps: number[] = [];
    const { text, error } = await collect(
      anthropic({
        sleep: async (ms) => {
          sleeps.push(ms);
          holder.abort();
          await first!.closed;
        },
      }).client.stream(ask()),
    );
    assert.equal(error, undefined);
    assert.equal(text, 'got the slot');
    assert.deepEqual(sleeps, [12_000]);
    assert.equal((await held).error?.kind, 'cancelled');
    assert.equal(server.peakChatsInFlight, 1);
  });

  it('529 overloaded is retried, then succeeds', async () => {
    server.enqueue({ status: 529 }, { text: 'better now' });
    const { chunks, text, error } = await collect(anthropic().client.stream(ask()));
    assert.equal(error, undefined);
    assert.equal(text, 'better now');
    assert.deepEqual(
      chunks.filter((c) => c.type === 'retrying').map((c) => (c.type === 'retrying' ? c.reason : '')),
      ['server error (529)'],
    );
  });

  it('a per-model script applies to this route too', async () => {
    server.enqueueFor(MODEL, { status: 529 });
    server.enqueue({ text: 'shared queue' });
    const { text, error } = await collect(anthropic().client.stream(ask()));
    assert.equal(error, undefined);
    assert.equal(text, 'shared queue');
    assert.equal(server.requests.length, 2);
  });

  it('an error event mid-stream ends with a ModelsLabError holding the text before it, not retried', async () => {
    server.enqueue({ text: 'abcdefghijkl', chunkSize: 4, anthropicErrorAfterChunks: 2 });
    const { text, error } = await collect(anthropic().client.stream(ask()));
    assert.equal(error?.kind, 'server');
    assert.equal(error?.status, 529);
    assert.equal(error?.partialText, 'abcdefgh');
    assert.equal(text, 'abcdefgh');
    assert.equal(server.requests.length, 1);
  });

  it('an error event before any text is retried like an HTTP error', async () => {
    server.enqueue({ text: 'never shown', anthropicErrorAfterChunks: 0 }, { text: 'second try' });
    const { text, error } = await collect(anthropic().client.stream(ask()));
    assert.equal(error, undefined);
    assert.equal(text, 'second try');
    assert.equal(server.requests.length, 2);
  });

  it('a rate_limit_error event is a rate limit', async () => {
    server.enqueue({ text: 'abcd', anthropicErrorAfterChunks: 0, anthropicErrorType: 'rate_limit_error' });
    const { error } = await collect(anthropic({ maxRetries: 0 }).client.stream(ask()));
    assert.equal(error?.kind, 'rate_limit');
  });

  it('stop_reason max_tokens gives finish "length"', async () => {
    server.enqueue({ text: 'cut off', finishReason: 'length' });
    const { chunks } = await collect(anthropic().client.stream(ask()));
    assert.deepEqual(chunks.at(-1), { type: 'finish', reason: 'length' });
  });

  it('a dropped connection mid-answer keeps the partial text', async () => {
    server.enqueue({ text: 'abcdefgh', chunkSize: 2, dropAfterChunks: 2 });
    const { error } = await collect(anthropic().client.stream(ask()));
    assert.equal(error?.kind, 'stream_dropped');
    assert.equal(error?.partialText, 'abcd');
  });

  it('reads a whole message when the server ignores stream:true', async () => {
    const withoutStream: typeof fetch = (input, init) => {
      const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
      delete body.stream;
      return fetch(input, { ...init, body: JSON.stringify(body) });
    };
    server.enqueue({ text: 'All at once.', usage: { prompt_tokens: 3, completion_tokens: 4 } });
    const { chunks } = await collect(anthropic({ fetch: withoutStream }).client.stream(ask()));
    assert.deepEqual(chunks, [
      { type: 'model', model: MODEL },
      { type: 'text', text: 'All at once.' },
      { type: 'usage', usage: { promptTokens: 3, completionTokens: 4, totalTokens: 7 } },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('a tool call round trip: tool_use out, tool_result back, then the answer', async () => {
    const tools = [{ name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } }];
    server.enqueue({ text: 'Reading it.', toolCalls: [{ id: 'toolu_01', name: 'read_file', arguments: '{"path":"src/a.ts","lines":[1,20]}' }] });
    const { client } = anthropic();
    const first = await collect(client.stream(ask({ tools, toolChoice: 'auto' })));
    assert.equal(first.error, undefined);
    assert.equal(first.text, 'Reading it.');
    const calls = first.chunks.flatMap((c) => (c.type === 'toolCall' ? [c.call] : []));
    assert.deepEqual(calls, [{ id: 'toolu_01', name: 'read_file', arguments: '{"path":"src/a.ts","lines":[1,20]}' }]);
    assert.deepEqual(first.chunks.at(-1), { type: 'finish', reason: 'tool_calls' });
    assert.deepEqual(server.requests[0]!.body.tools, [{ name: 'read_file', description: 'Read a file', input_schema: tools[0]!.parameters }]);
    assert.deepEqual(server.requests[0]!.body.tool_choice, { type: 'auto' });

    server.enqueue({ text: 'It exports nothing.' });
    const base = ask({ tools });
    const second = await collect(
      client.stream({
        ...base,
        messages: [
          ...base.messages,
          { role: 'assistant', parts: [{ type: 'text', text: first.text }, ...calls.map((call) => ({ type: 'toolCall' as const, call }))] },
          { role: 'tool', parts: [{ type: 'toolResult', callId: 'toolu_01', content: 'export {};' }] },
        ],
      }),
    );
    assert.equal(second.text, 'It exports nothing.');
    assert.deepEqual(server.requests[1]!.body.messages.slice(1), [
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Reading it.' },
          { type: 'tool_use', id: 'toolu_01', name: 'read_file', input: { path: 'src/a.ts', lines: [1, 20] } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: 'export {};' }] },
    ]);
  });

  it('an explicit transport still wins over protocol', async () => {
    const { openAiTransport } = await import('../../src/llm/openaiTransport');
    await collect(anthropic({ transport: openAiTransport }).client.stream(ask()));
    assert.equal(server.requests[0]!.path, '/api/v7/llm/chat/completions');
  });

  it('the text of the answer is the same through either protocol', async () => {
    server.setDefault({ text: 'Same words, two wires.', chunkSize: 5 });
    const viaOpenAi = await collect(makeClient(server).client.stream(ask()));
    const viaAnthropic = await collect(anthropic().client.stream(ask()));
    assert.equal(textOf(viaAnthropic.chunks), 'Same words, two wires.');
    assert.equal(textOf(viaOpenAi.chunks), textOf(viaAnthropic.chunks));
  });
});
