// Automatic model fallback over the real client and the local server (real HTTP, per-model
// scripts): when the request moves on, which model answers, and when it must not move at all.
import * as assert from 'node:assert/strict';
import { runToolLoop } from '../../src/agent/toolLoop';
import { ModelsLabError, type ModelsLabErrorInit } from '../../src/llm/errors';
import { FallbackStreamer, modelChain, reasonToMoveOn, type FallbackOptions } from '../../src/llm/fallbackStreamer';
import { chatRequest, type ChatRequest, type RequestPolicy } from '../../src/llm/request';
import { RequestGovernor } from '../../src/llm/requestGovernor';
import type { ChatChunk } from '../../src/llm/types';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import { collect, HELLO, makeClient, ManualTimers, type Outcome } from './llm-helpers';

const A = 'Qwen-Qwen2.5-Coder-32B-Instruct';
const B = 'deepseek-ai-DeepSeek-V3';
const C = 'meta-llama-Llama-3.3-70B-Instruct-Turbo';

/** ModelsLab's queue-cap 429: the wait is a body field in seconds. */
const rateLimited = (seconds: number) => ({ status: 429, errorShape: 'legacy' as const, retryAfterInBody: seconds, errorMessage: 'Rate limit exceeded. Maximum 5 queued requests allowed.' });

function fallbacks(chunks: ChatChunk[]) {
  return chunks.filter((c) => c.type === 'fallback');
}

describe('FallbackStreamer against the local server', () => {
  let server: FakeModelsLab;
  before(async () => {
    server = await startFakeModelsLab();
  });
  afterEach(() => server.reset());
  after(() => server.close());

  /** The client (its retry waits recorded, not slept) wrapped in a fallback to B, then C. */
  function setup(options: Partial<FallbackOptions> = {}, clientConfig: Parameters<typeof makeClient>[1] = {}) {
    const timers = new ManualTimers();
    const test = makeClient(server, clientConfig);
    const streamer = new FallbackStreamer(test.client, {
      fallbackModels: () => [B, C],
      rateLimitWaitMs: () => 10_000,
      firstTokenTimeoutMs: () => 20_000,
      timers,
      ...options,
    });
    return { ...test, streamer, timers };
  }
  const request = (policy?: Partial<RequestPolicy>): ChatRequest => chatRequest(HELLO, { model: A, maxTokens: 100 }, policy);
  const models = () => server.requests.map((r) => r.body.model as string);

  it('a 429 asking for 30 s (over the 10 s threshold) moves on at once; the next model answers', async () => {
    server.enqueueFor(A, rateLimited(30));
    server.enqueueFor(B, { text: 'B here.' });
    const { streamer, sleeps } = setup();
    const { chunks, text, error } = await collect(streamer.stream(request()));
    assert.equal(error, undefined);
    assert.equal(text, 'B here.');
    assert.deepEqual(fallbacks(chunks), [{ type: 'fallback', from: A, to: B, reason: 'rate-limited' }]);
    assert.deepEqual(models(), [A, B], 'the server saw the second model');
    assert.deepEqual(sleeps, [], 'nothing waited for the 30 s');
    assert.equal(chunks.at(-1)?.type, 'finish');
  });

  it('a 429 asking for 1 s (under the threshold) is waited out on the same model', async () => {
    server.enqueueFor(A, rateLimited(1), { text: 'A after the wait.' });
    const { streamer, sleeps } = setup();
    const { chunks, text, error } = await collect(streamer.stream(request()));
    assert.equal(error, undefined);
    assert.equal(text, 'A after the wait.');
    assert.deepEqual(sleeps, [1000], 'the wait the server asked for');
    assert.deepEqual(fallbacks(chunks), []);
    assert.ok(chunks.some((c) => c.type === 'retrying'), 'the retry countdown passes through');
    assert.deepEqual(models(), [A, A]);
  });

  it('a 503 that outlasts its retries moves on', async () => {
    server.enqueueFor(A, { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    server.enqueueFor(B, { text: 'B instead.' });
    const { streamer } = setup();
    const { chunks, text } = await collect(streamer.stream(request()));
    assert.equal(text, 'B instead.');
    assert.deepEqual(fallbacks(chunks), [{ type: 'fallback', from: A, to: B, reason: 'failing (server error 503)' }]);
    assert.deepEqual(models(), [A, A, A, A, B], 'three retries on A first');
  });

  it('a 404 (model not found) moves on; so does a 400 saying the model is not available', async () => {
    server.enqueueFor(A, { status: 404 }, { status: 400, errorMessage: 'The model Qwen-Qwen2.5-Coder-32B-Instruct is not supported on your plan' });
    server.enqueueFor(B, { text: 'one' }, { text: 'two' });
    const { streamer } = setup();
    const first = await collect(streamer.stream(request()));
    const second = await collect(streamer.stream(request()));
    assert.deepEqual([first.text, second.text], ['one', 'two']);
    assert.deepEqual(fallbacks(first.chunks), [{ type: 'fallback', from: A, to: B, reason: 'unavailable' }]);
    assert.deepEqual(fallbacks(second.chunks), [{ type: 'fallback', from: A, to: B, reason: 'unavailable' }]);
    assert.deepEqual(models(), [A, B, A, B]);
  });

  it('a 400 about tools does not move: the agent answers it with the text protocol on the same model', async () => {
    server.enqueueFor(A, { status: 400, errorMessage: 'This model does not support tools' });
    const { streamer } = setup();
    const { error } = await collect(streamer.stream(request()));
    assert.equal(error?.kind, 'bad_request');
    assert.deepEqual(models(), [A]);
  });

  it('no first token in time: the first request is abandoned (its socket closed) and the next model answers', async () => {
    server.enqueueFor(A, { stallBeforeHeaders: true });
    server.enqueueFor(B, { text: 'B was quick.' });
    const { streamer, timers } = setup();
    const run = collect(streamer.stream(request()));
    const [stalled] = await server.waitForRequests(1);
    timers.advance(19_999);
    assert.equal(server.requests.length, 1, 'still waiting for A');
    timers.advance(1);
    await stalled!.closed;
    assert.equal(stalled!.closedByClient, true, 'the server saw the socket close');
    const { chunks, text, error } = await run;
    assert.equal(error, undefined);
    assert.equal(text, 'B was quick.');
    assert.deepEqual(fallbacks(chunks), [{ type: 'fallback', from: A, to: B, reason: 'too slow to start (no first token in 20 s)' }]);
    assert.deepEqual(models(), [A, B]);
  });

  it('the first-token clock is paused while the request waits for a slot in our own queue', async () => {
    const governor = new RequestGovernor({ limit: 1 });
    const { client, streamer, timers } = setup({}, { governor });
    server.enqueueFor(C, { text: 'holding', chunkSize: 4, stallAfterChunks: 1 });
    server.enqueueFor(A, { text: 'A, after the line.' });
    const stop = new AbortController();
    const holder = client.stream(chatRequest(HELLO, { model: C, maxTokens: 10 }), stop.signal)[Symbol.asyncIterator]();
    await holder.next(); // C is answering: it holds the only slot
    const waiting = streamer.stream(request())[Symbol.asyncIterator]();
    assert.deepEqual((await waiting.next()).value, { type: 'queued', position: 1 });
    timers.advance(60_000); // three first-token timeouts, all spent in the line
    stop.abort();
    await collect({ [Symbol.asyncIterator]: () => holder });
    const { chunks, text, error } = await collect({ [Symbol.asyncIterator]: () => waiting });
    assert.equal(error, undefined);
    assert.equal(text, 'A, after the line.');
    assert.deepEqual(fallbacks(chunks), []);
    assert.deepEqual(chunks[0], { type: 'queued', position: 0 }, 'admitted: the clock starts now');
    assert.deepEqual(models(), [C, A]);
  });

  it('a failure after text has started does not move: the error keeps the partial text', async () => {
    server.enqueueFor(A, { text: 'Partial answer here', chunkSize: 4, dropAfterChunks: 2 });
    const { streamer } = setup();
    const { chunks, text, error } = await collect(streamer.stream(request()));
    assert.equal(error?.kind, 'stream_dropped');
    assert.equal(text, 'Partial ');
    assert.equal(error?.partialText, 'Partial ');
    assert.deepEqual(fallbacks(chunks), []);
    assert.deepEqual(models(), [A]);
  });

  it('auth errors, a stop by the user and an error about parameters do not move', async () => {
    server.enqueueFor(A, { status: 401 });
    const { streamer } = setup();
    const auth = await collect(streamer.stream(request()));
    assert.equal(auth.error?.kind, 'auth');
    assert.deepEqual(models(), [A]);

    server.enqueueFor(A, { stallBeforeHeaders: true });
    const stop = new AbortController();
    const stopped = collect(streamer.stream(request(), stop.signal));
    await server.waitForRequests(2);
    stop.abort();
    assert.equal((await stopped).error?.kind, 'cancelled');

    const invalid = await collect(streamer.stream({ ...request(), maxTokens: -1 }));
    assert.equal(invalid.error?.kind, 'invalid_params');
    assert.deepEqual(models(), [A, A], 'no request to another model');
  });

  it('when every model fails: the last error (kind, status) with a message naming each model and why', async () => {
    server.enqueueFor(A, { status: 404 });
    server.enqueueFor(B, { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    server.enqueueFor(C, rateLimited(30), rateLimited(30), rateLimited(30), rateLimited(30));
    const { streamer, sleeps } = setup({ label: (id) => id.split('-')[0] as string });
    const { chunks, error } = await collect(streamer.stream(request()));
    assert.equal(error?.kind, 'rate_limit');
    assert.equal(error?.status, 429);
    assert.match(error!.message, /^No model could answer: Qwen was unavailable, deepseek was failing \(server error 503\), meta was rate-limited\. ModelsLab rate limited this key \(429\)/);
    assert.deepEqual(
      fallbacks(chunks).map((c) => [c.from, c.to]),
      [
        [A, B],
        [B, C],
      ],
    );
    assert.deepEqual(sleeps.filter((ms) => ms === 30_000).length, 3, 'on the last model the normal retry waits apply');
  });

  it('allowFallback: false, or no fallback models, passes the request through untouched', async () => {
    server.enqueueFor(A, { status: 404 }, { status: 404 });
    const { streamer } = setup();
    const refused = await collect(streamer.stream(request({ allowFallback: false })));
    assert.equal(refused.error?.kind, 'model_not_found');
    assert.equal(refused.error?.message, `The model “${A}” is not available on ModelsLab. Pick another model.`);
    const alone = setup({ fallbackModels: () => [A, ' '] }).streamer;
    const single: Outcome = await collect(alone.stream(request()));
    assert.equal(single.error?.kind, 'model_not_found');
    assert.deepEqual(models(), [A, A]);
  });

  it('which failures move on, and how the reason reads after "was"', async () => {
    const error = (init: Partial<ModelsLabErrorInit>) => new ModelsLabError({ kind: 'server', message: 'x', ...init });
    assert.equal(reasonToMoveOn(error({ kind: 'server', status: 529, detail: 'Overloaded' })), 'overloaded');
    assert.equal(reasonToMoveOn(error({ kind: 'server', status: 502 })), 'failing (server error 502)');
    assert.equal(reasonToMoveOn(error({ kind: 'bad_request', status: 400, detail: 'Model gemini-1.0-pro has been deprecated' })), 'unavailable');
    assert.equal(reasonToMoveOn(error({ kind: 'bad_request', status: 400, detail: 'Unknown model: foo' })), 'unavailable');
    assert.equal(reasonToMoveOn(error({ kind: 'bad_request', status: 400, detail: 'max_tokens must be at most 8192' })), undefined);
    assert.equal(reasonToMoveOn(error({ kind: 'timeout', detail: 'connect timeout' })), 'too slow to start');
    for (const kind of ['auth', 'no_key', 'cancelled', 'invalid_params', 'malformed_response', 'network'] as const) {
      assert.equal(reasonToMoveOn(error({ kind })), undefined, kind);
    }
    const timers = new ManualTimers();
    const governor = new RequestGovernor({ limit: 1, timers });
    await governor.acquire();
    const capped = governor.acquire().then(
      () => undefined,
      (e: unknown) => e,
    );
    timers.advance(120_000);
    const waitCap = await capped;
    assert.ok(waitCap instanceof ModelsLabError && waitCap.kind === 'timeout');
    assert.equal(reasonToMoveOn(waitCap), undefined, 'our own queue is the same for every model');
  });

  it('the chain: the request model first, then the fallbacks in order, each once', () => {
    assert.deepEqual(modelChain(A, [B, A, ' ', C, B]), [A, B, C]);
  });

  it('an agent turn stays on the model it fell back to for its next steps', async () => {
    server.enqueueFor(A, { status: 404 });
    server.enqueueFor(B, { toolCalls: [{ id: 'c1', name: 'echo', arguments: '{"say":"hi"}' }], finishReason: 'tool_calls' }, { text: 'Done on B.' });
    const { streamer } = setup();
    const events: string[] = [];
    const result = await runToolLoop({
      streamer,
      request: request(),
      tools: [
        {
          readOnly: true,
          spec: { name: 'echo', description: 'Echoes', parameters: { type: 'object', properties: { say: { type: 'string' } } } },
          run: async (args) => ({ content: String(args.say), summary: 'Echoed' }),
        },
      ],
      onEvent: (event) => events.push(event.type === 'fallback' ? `fallback ${event.from} → ${event.to}` : event.type),
    });
    assert.equal(result.status, 'done');
    assert.equal(result.text, 'Done on B.');
    assert.deepEqual(models(), [A, B, B], 'the second step went straight to B');
    assert.equal(events[0], `fallback ${A} → ${B}`);
  });
});
