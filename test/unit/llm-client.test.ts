import * as assert from 'node:assert/strict';
import { ModelsLabClient } from '../../src/llm/client';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import type { ChatChunk } from '../../src/llm/types';
import { chat, collect, HELLO, KEY, makeClient, ManualTimers, MODEL } from './llm-helpers';

/**
 * fetch whose streamed bodies come one SSE event per read, as from a server that sends each
 * piece a while after the last: the read boundaries are fixed, whatever the timing.
 */
const oneEventPerRead: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (!response.body || !/event-stream/.test(response.headers.get('content-type') ?? '')) return response;
  const upstream = response.body.getReader();
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  const events: string[] = [];
  let buffered = '';
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        while (events.length === 0) {
          const { done, value } = await upstream.read();
          if (done) {
            if (buffered) events.push(buffered);
            buffered = '';
            if (events.length === 0) return controller.close();
            break;
          }
          buffered += decoder.decode(value, { stream: true });
          for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
            events.push(buffered.slice(0, end + 2));
            buffered = buffered.slice(end + 2);
          }
        }
        controller.enqueue(encoder.encode(events.shift()!));
      },
      cancel: (reason) => upstream.cancel(reason),
    },
    // Nothing is read ahead: each read of the body pulls exactly one event.
    { highWaterMark: 0 },
  );
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
};

describe('ModelsLabClient.streamChat against the local server', () => {
  let server: FakeModelsLab;

  before(async () => {
    server = await startFakeModelsLab();
  });
  afterEach(() => server.reset());
  after(() => server.close());

  describe('a normal answer', () => {
    it('streams text in order, then usage, then one finish chunk', async () => {
      server.enqueue({ text: 'Hello, streaming world!', chunkSize: 3, usage: { prompt_tokens: 11, completion_tokens: 8 } });
      const { client } = makeClient(server);
      const { chunks, text, error } = await chat(client);
      assert.equal(error, undefined);
      assert.equal(text, 'Hello, streaming world!');
      // Pieces that arrive in one network read come up as one chunk, so only the order is fixed.
      const texts = chunks.flatMap((c) => (c.type === 'text' ? [c.text] : []));
      assert.equal(texts.join(''), 'Hello, streaming world!');
      assert.ok(texts.every((t) => t !== ''));
      assert.deepEqual(chunks[0], { type: 'model', model: MODEL }, 'the answering model comes first');
      assert.equal(chunks.slice(1).findIndex((c) => c.type !== 'text'), texts.length, 'text comes before usage and finish');
      assert.deepEqual(chunks.slice(-2), [
        { type: 'usage', usage: { promptTokens: 11, completionTokens: 8, totalTokens: 19 } },
        { type: 'finish', reason: 'stop' },
      ]);
    });

    it('sends model, messages, stream options and mapped parameters with the bearer key', async () => {
      const { client } = makeClient(server);
      await chat(client, {
        temperature: 0.2,
        topP: 0.9,
        maxTokens: 256,
        presencePenalty: 0.5,
        frequencyPenalty: -0.5,
        stop: ['###'],
        seed: 42,
        responseFormat: 'json_object',
      });
      const [request] = await server.waitForRequests(1);
      assert.equal(request!.path, '/api/v7/llm/chat/completions');
      assert.equal(request!.headers.authorization, `Bearer ${KEY}`);
      assert.match(String(request!.headers['x-client-request-id']), /^[0-9a-f]{8}$/);
      assert.deepEqual(request!.body, {
        model: MODEL,
        messages: HELLO,
        temperature: 0.2,
        top_p: 0.9,
        max_tokens: 256,
        presence_penalty: 0.5,
        frequency_penalty: -0.5,
        stop: ['###'],
        seed: 42,
        response_format: { type: 'json_object' },
        stream: true,
        stream_options: { include_usage: true },
      });
    });

    it('passes the finish reason through and works without a usage chunk', async () => {
      server.enqueue({ text: 'cut', finishReason: 'length', usage: null });
      const { chunks } = await chat(makeClient(server).client);
      assert.deepEqual(chunks.slice(-1), [{ type: 'finish', reason: 'length' }]);
      assert.ok(!chunks.some((c) => c.type === 'usage'));
    });

    it('accepts a base URL with a trailing slash', async () => {
      const { client } = makeClient(server, { baseUrl: `${server.url}/api/v7/llm/` });
      assert.equal((await chat(client)).error, undefined);
      assert.equal(server.requests[0]!.path, '/api/v7/llm/chat/completions');
    });

    it('reads a whole chat.completion when the server ignores stream:true', async () => {
      // Simulated with a fetch wrapper that drops `stream` from the body.
      const fetchWithoutStream: typeof fetch = (input, init) => {
        const body = JSON.parse(String(init?.body));
        delete body.stream;
        return fetch(input, { ...init, body: JSON.stringify(body) });
      };
      server.enqueue({ text: 'All at once.' });
      const { chunks } = await chat(makeClient(server, { fetch: fetchWithoutStream }).client);
      assert.deepEqual(chunks.slice(0, 2), [
        { type: 'model', model: MODEL },
        { type: 'text', text: 'All at once.' },
      ]);
      assert.deepEqual(chunks.at(-1), { type: 'finish', reason: 'stop' });
    });
  });

  describe('errors the server reports', () => {
    it('401 → auth, with the Set API Key action in the message, not retried', async () => {
      server.setDefault({ status: 401 });
      const { error } = await chat(makeClient(server).client);
      assert.equal(error?.kind, 'auth');
      assert.equal(error?.status, 401);
      assert.equal(error?.message, 'ModelsLab rejected the API key (401). Set a valid key with “ModelsLab: Set API Key”.');
      assert.equal(server.requests.length, 1);
    });

    it('403 → auth with the server message, not retried', async () => {
      server.setDefault({ status: 403, errorMessage: 'Your plan does not include this model' });
      const { error } = await chat(makeClient(server).client);
      assert.equal(error?.kind, 'auth');
      assert.equal(error?.status, 403);
      assert.match(error!.message, /refused this request \(403\): Your plan does not include this model/);
      assert.equal(server.requests.length, 1);
    });

    it('404 → model_not_found naming the model, not retried', async () => {
      server.setDefault({ status: 404 });
      const { error } = await chat(makeClient(server).client, { model: 'no-such-model' });
      assert.equal(error?.kind, 'model_not_found');
      assert.equal(error?.message, 'The model “no-such-model” is not available on ModelsLab. Pick another model.');
      assert.equal(server.requests.length, 1);
    });

    it('400 → bad_request showing the server message, in both error shapes', async () => {
      server.enqueue(
        { status: 400, errorMessage: 'messages[0].content is too long' },
        { status: 400, errorShape: 'legacy', errorMessage: 'Prompt exceeds the context window' },
      );
      const { client } = makeClient(server);
      const first = await chat(client);
      assert.equal(first.error?.kind, 'bad_request');
      assert.equal(first.error?.message, 'ModelsLab could not process the request (400): messages[0].content is too long');
      const second = await chat(client);
      assert.equal(second.error?.kind, 'bad_request');
      assert.match(second.error!.message, /\(400\): Prompt exceeds the context window/);
      assert.equal(server.requests.length, 2);
    });

    it('legacy {status:"error"} with HTTP 200 becomes a typed error, not empty text', async () => {
      server.enqueue({ legacyErrorWith200: true, errorMessage: 'Prompt is empty after filtering' });
      const { error, text } = await chat(makeClient(server).client);
      assert.equal(text, '');
      assert.equal(error?.kind, 'bad_request');
      assert.equal(error?.message, 'ModelsLab could not process the request: Prompt is empty after filtering');
    });

    it('legacy error with HTTP 200 is classified by its message (invalid key → auth)', async () => {
      server.enqueue({ legacyErrorWith200: true, errorMessage: 'Invalid API key provided' });
      const { error } = await chat(makeClient(server).client);
      assert.equal(error?.kind, 'auth');
      assert.match(error!.message, /Set a valid key/);
    });

    it('legacy error as an SSE data line becomes a typed error', async () => {
      server.enqueue({ legacyErrorAsSse: true, errorMessage: 'Insufficient credits' });
      const { error, text } = await chat(makeClient(server).client);
      assert.equal(text, '');
      assert.equal(error?.kind, 'bad_request');
      assert.match(error!.message, /Insufficient credits/);
    });

    it('never leaks the key: error messages, properties and log lines are redacted', async () => {
      server.enqueue(
        { status: 400, errorMessage: 'Key {key} is not valid for this model' },
        { legacyErrorWith200: true, errorMessage: 'bad key: {key}' },
        { status: 403, errorShape: 'legacy', errorMessage: 'Authorization: Bearer {key} refused' },
      );
      const { client, logger } = makeClient(server, {});
      for (let i = 0; i < 3; i++) {
        const { error } = await chat(client);
        assert.ok(error);
        const everything = JSON.stringify({ ...error, message: error.message, stack: error.stack });
        assert.ok(!everything.includes(KEY), `key leaked in ${everything}`);
        assert.match(error.message + (error.detail ?? ''), /\[redacted\]/);
      }
      assert.ok(logger.lines.length > 0);
      assert.ok(!logger.lines.join('\n').includes(KEY), 'key leaked in the log');
    });

    it('logs request id, model, latency and usage, and the prompt only at trace level', async () => {
      const { client, logger } = makeClient(server);
      await chat(client);
      const log = logger.lines.join('\n');
      assert.match(log, /^info \[[0-9a-f]{8}\] chat: model Qwen-Qwen2\.5-Coder-32B-Instruct/m);
      assert.match(log, /first token after \d+ ms/);
      assert.match(log, /usage: \d+ prompt \+ \d+ completion = \d+ tokens/);
      const promptLines = logger.lines.filter((line) => line.includes('Say hello'));
      assert.ok(promptLines.length > 0 && promptLines.every((line) => line.startsWith('trace ')));
    });
  });

  describe('retries (one policy, SDK retries off)', () => {
    it('500 then success: one retrying chunk, then the answer', async () => {
      server.enqueue({ status: 500 }, { text: 'recovered' });
      const { client, sleeps } = makeClient(server);
      const { chunks, text, error } = await chat(client);
      assert.equal(error, undefined);
      assert.equal(text, 'recovered');
      const retrying = chunks.filter((c) => c.type === 'retrying');
      assert.equal(retrying.length, 1);
      assert.equal(chunks[0]!.type, 'retrying');
      assert.deepEqual({ ...retrying[0], retryAt: 0 }, { type: 'retrying', attempt: 1, delayMs: 250, reason: 'server error (500)', retryAt: 0 });
      assert.deepEqual(sleeps, [250], 'full jitter: 0.5 × 500 ms');
      assert.equal(server.requests.length, 2);
    });

    it('persistent 500: exactly maxRetries + 1 requests, exponential backoff, then a server error', async () => {
      server.setDefault({ status: 500 });
      const { client, sleeps } = makeClient(server);
      const { chunks, error } = await chat(client);
      assert.equal(error?.kind, 'server');
      assert.equal(error?.message, 'ModelsLab had a server error (500). Try again in a moment.');
      assert.equal(server.requests.length, 4);
      assert.deepEqual(sleeps, [250, 500, 1000]);
      assert.deepEqual(
        chunks.map((c) => (c.type === 'retrying' ? c.attempt : c.type)),
        [1, 2, 3],
      );
    });

    it('maxRetries: 0 means exactly one request (the SDK adds none of its own)', async () => {
      server.setDefault({ status: 503 });
      const { client } = makeClient(server, { maxRetries: 0 });
      const { error } = await chat(client);
      assert.equal(error?.status, 503);
      assert.equal(server.requests.length, 1);
    });

    it('429 with Retry-After in seconds is honoured, and retryAt is now + delay', async () => {
      server.enqueue({ status: 429, retryAfter: '12' }, { text: 'ok' });
      const { client, sleeps } = makeClient(server, { now: () => 1_000_000 });
      const { chunks, text } = await chat(client);
      assert.equal(text, 'ok');
      assert.deepEqual(sleeps, [12_000]);
      assert.deepEqual(chunks[0], { type: 'retrying', attempt: 1, delayMs: 12_000, reason: 'rate limited (429)', retryAt: 1_012_000 });
    });

    it('429 with Retry-After as an HTTP date is honoured', async () => {
      const now = Date.parse('2030-01-01T00:00:00Z');
      server.enqueue({ status: 429, retryAfter: new Date(now + 7_000).toUTCString() }, { text: 'ok' });
      const { client, sleeps } = makeClient(server, { now: () => now });
      assert.equal((await chat(client)).text, 'ok');
      assert.deepEqual(sleeps, [7_000]);
    });

    it('a huge Retry-After is capped at retryAfterCapMs', async () => {
      server.enqueue({ status: 429, retryAfter: '3600' }, { text: 'ok' });
      const { client, sleeps } = makeClient(server);
      assert.equal((await chat(client)).text, 'ok');
      assert.deepEqual(sleeps, [60_000]);
    });

    it('429 exhausted → rate_limit error saying when to try again', async () => {
      server.setDefault({ status: 429, retryAfter: '12' });
      const { client } = makeClient(server, { maxRetries: 1 });
      const { error } = await chat(client);
      assert.equal(error?.kind, 'rate_limit');
      assert.equal(error?.retryAfterMs, 12_000);
      assert.equal(error?.message, 'ModelsLab rate limited this key (429); try again in 12 s.');
      assert.equal(server.requests.length, 2);
    });

    it('a drop before any text is retried; a drop after text never is', async () => {
      server.enqueue({ text: 'abcdef', dropAfterChunks: 0 }, { text: 'second try' });
      const first = await chat(makeClient(server).client);
      assert.equal(first.text, 'second try');
      assert.equal(server.requests.length, 2);

      server.reset();
      server.enqueue({ text: 'abcdefgh', chunkSize: 2, dropAfterChunks: 2 }, { text: 'must not be fetched' });
      const second = await chat(makeClient(server).client);
      assert.equal(second.error?.kind, 'stream_dropped');
      assert.equal(second.error?.partialText, 'abcd');
      assert.equal(second.text, 'abcd');
      assert.equal(second.error?.message, 'The connection dropped mid-answer; the partial answer was kept. Retry to get a full one.');
      assert.equal(server.requests.length, 1);
    });

    it('cancelling during a retry wait ends with cancelled and no further request', async () => {
      server.setDefault({ status: 503 });
      const controller = new AbortController();
      const { client } = makeClient(server, {
        sleep: (_ms, signal) =>
          new Promise((_resolve, reject) => {
            signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
            controller.abort();
          }),
      });
      const { error } = await chat(client, {}, controller.signal);
      assert.equal(error?.kind, 'cancelled');
      assert.equal(server.requests.length, 1);
    });
  });

  describe('connection problems, timeouts and cancellation', () => {
    it('connection refused → network error with advice', async () => {
      const closed = await startFakeModelsLab();
      const url = closed.url;
      await closed.close();
      const client = new ModelsLabClient({ baseUrl: url, apiKey: KEY, maxRetries: 1, sleep: async () => undefined });
      const { error, chunks } = await collect(client.streamChat(HELLO, { model: MODEL }));
      assert.equal(error?.kind, 'network');
      assert.match(error!.message, /refused.*http\.proxy/);
      assert.match(error!.detail ?? '', /ECONNREFUSED/);
      assert.equal(chunks.filter((c) => c.type === 'retrying').length, 1, 'connection errors are retried');
    });

    it('no key → no_key without any request', async () => {
      const client = new ModelsLabClient({ baseUrl: server.url, apiKey: '  ' });
      const { error } = await chat(client);
      assert.equal(error?.kind, 'no_key');
      assert.match(error!.message, /ModelsLab: Set API Key/);
      assert.equal(server.requests.length, 0);
    });

    it('abort mid-stream closes the socket and throws cancelled with the partial text', async () => {
      // The server sends three pieces and then holds the connection open without finishing, so
      // the answer is still streaming when we abort, however slow the machine is.
      server.enqueue({ text: 'abcdefghijkl', chunkSize: 2, stallAfterChunks: 3 });
      const controller = new AbortController();
      const { client } = makeClient(server);
      const seen: string[] = [];
      let caught: unknown;
      try {
        for await (const chunk of client.streamChat(HELLO, { model: MODEL }, controller.signal)) {
          if (chunk.type !== 'text') continue;
          seen.push(chunk.text);
          controller.abort();
        }
      } catch (err) {
        caught = err;
      }
      const error = caught as import('../../src/llm/errors').ModelsLabError;
      assert.equal(error?.kind, 'cancelled');
      assert.equal(seen.length, 1, 'nothing is shown after the abort');
      assert.ok(['ab', 'abcd', 'abcdef'].includes(seen[0]!), `unexpected first chunk ${seen[0]}`);
      assert.equal(error.partialText, seen.join(''));
      const [request] = await server.waitForRequests(1);
      await request!.closed;
      assert.equal(request!.closedByClient, true);
    });

    it('abort while waiting for headers closes the socket at once', async () => {
      server.enqueue({ stallBeforeHeaders: true });
      const controller = new AbortController();
      const { client } = makeClient(server);
      const pending = chat(client, {}, controller.signal);
      const [request] = await server.waitForRequests(1);
      controller.abort();
      const { error } = await pending;
      assert.equal(error?.kind, 'cancelled');
      assert.equal(error?.partialText, undefined);
      await request!.closed;
      assert.equal(request!.closedByClient, true);
    });

    it('an already aborted signal sends nothing', async () => {
      const { error } = await chat(makeClient(server).client, {}, AbortSignal.abort());
      assert.equal(error?.kind, 'cancelled');
      assert.equal(server.requests.length, 0);
    });

    it('breaking out of the loop early closes the socket too', async () => {
      // The server never finishes on its own, so only our break can close the connection.
      server.enqueue({ text: 'abcdefgh', chunkSize: 2, stallAfterChunks: 2 });
      for await (const chunk of makeClient(server).client.streamChat(HELLO, { model: MODEL })) {
        if (chunk.type === 'text') break;
      }
      const [request] = await server.waitForRequests(1);
      await request!.closed;
      assert.equal(request!.closedByClient, true);
    });

    it('first-byte timeout: no headers within connectTimeoutMs → timeout, socket closed, not retried', async () => {
      server.setDefault({ stallBeforeHeaders: true });
      // The connect timer runs on the test's clock: it fires exactly when 150 ms have passed on it.
      const timers = new ManualTimers();
      const { client, sleeps } = makeClient(server, { connectTimeoutMs: 150, timers });
      const pending = chat(client);
      await server.waitForRequests(1);
      timers.advance(149);
      assert.equal(timers.fired, 0, 'nothing fires before connectTimeoutMs');
      timers.advance(1);
      assert.equal(timers.fired, 1);
      const { error, chunks } = await pending;
      assert.equal(error?.kind, 'timeout');
      assert.equal(error?.detail, 'connect timeout');
      assert.match(error!.message, /did not respond within 1 s/);
      assert.deepEqual(chunks, [], 'no retrying chunk');
      assert.deepEqual(sleeps, [], 'no retry wait');
      assert.equal(server.requests.length, 1);
      await server.requests[0]!.closed;
      assert.equal(server.requests[0]!.closedByClient, true);
    });

    it('idle timeout after some text → timeout with the partial answer kept', async () => {
      // The idle timer runs on the test's clock, which starts moving only once the client holds 'abcd'.
      const timers = new ManualTimers();
      server.enqueue({ text: 'abcdefgh', chunkSize: 2, stallAfterChunks: 2 });
      const { client } = makeClient(server, { idleTimeoutMs: 150, timers });
      let seen = '';
      let sawPartial!: () => void;
      const partial = new Promise<void>((resolve) => (sawPartial = resolve));
      async function* watched(): AsyncGenerator<ChatChunk> {
        for await (const chunk of client.streamChat(HELLO, { model: MODEL })) {
          if (chunk.type === 'text' && (seen += chunk.text) === 'abcd') sawPartial();
          yield chunk;
        }
      }
      const pending = collect(watched());
      await partial;
      assert.equal(timers.monotonicNow(), 0);
      assert.ok(await timers.advanceUntilSettled(pending), 'the idle timeout ended the answer');
      assert.ok(timers.monotonicNow() >= 150, 'not before idleTimeoutMs had passed on the clock');
      const { error, text } = await pending;
      assert.equal(text, 'abcd');
      assert.equal(error?.kind, 'timeout');
      assert.equal(error?.detail, 'idle timeout');
      assert.equal(error?.partialText, 'abcd');
      assert.match(error!.message, /stopped sending the answer for 1 s; the partial answer was kept/);
      await server.requests[0]!.closed;
      assert.equal(server.requests[0]!.closedByClient, true);
    });

    it('idle timeout before any text (headers only) → timeout without partial text', async () => {
      // The clock starts moving once the response headers are in, so only the idle timer can end it.
      const timers = new ManualTimers();
      server.enqueue({ stallAfterChunks: 0 });
      let headersIn!: () => void;
      const headers = new Promise<void>((resolve) => (headersIn = resolve));
      const fetchSeeingHeaders: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        headersIn();
        return response;
      };
      const { client } = makeClient(server, { idleTimeoutMs: 150, timers, fetch: fetchSeeingHeaders });
      const pending = chat(client);
      await headers;
      assert.ok(await timers.advanceUntilSettled(pending), 'the idle timeout ended the answer');
      assert.ok(timers.monotonicNow() >= 150, 'not before idleTimeoutMs had passed on the clock');
      const { error, chunks } = await pending;
      assert.equal(error?.kind, 'timeout');
      assert.equal(error?.detail, 'idle timeout');
      assert.equal(error?.partialText, undefined);
      assert.match(error!.message, /sent nothing for 1 s/);
      assert.deepEqual(chunks, [], 'nothing was shown, no retrying chunk');
      await server.requests[0]!.closed;
      assert.equal(server.requests[0]!.closedByClient, true);
    });

    it('a slow consumer does not trip the idle timeout (the idle clock pauses while it holds a chunk)', async () => {
      // Time is the test's: while the consumer holds each chunk, ten idle timeouts' worth passes.
      const timers = new ManualTimers();
      server.enqueue({ text: 'abcdef', chunkSize: 2 });
      const { client } = makeClient(server, { idleTimeoutMs: 100, fetch: oneEventPerRead, timers });
      const chunks: string[] = [];
      for await (const chunk of client.streamChat(HELLO, { model: MODEL })) {
        if (chunk.type === 'text') {
          chunks.push(chunk.text);
          timers.advance(1_000);
        }
      }
      assert.equal(chunks.join(''), 'abcdef');
      assert.ok(timers.fired > 0, 'the idle check ran while the consumer held chunks');
    });

    it('a silent server trips the idle timeout on the injected clock, keeping the partial answer', async () => {
      const timers = new ManualTimers();
      server.enqueue({ text: 'abcdefgh', chunkSize: 2, stallAfterChunks: 2 });
      const { client } = makeClient(server, { idleTimeoutMs: 100, fetch: oneEventPerRead, timers });
      const stream = client.streamChat(HELLO, { model: MODEL })[Symbol.asyncIterator]();
      let text = '';
      while (text !== 'abcd') {
        const { value } = await stream.next();
        if (value?.type === 'text') text += value.text;
      }
      const next = stream.next();
      // The clock moves in steps, letting the stream run between them, until the timeout ends it.
      assert.ok(await timers.advanceUntilSettled(next, 25), 'the idle timeout ended the answer');
      await assert.rejects(next, (err: Error & { kind?: string; partialText?: string }) => err.kind === 'timeout' && err.partialText === 'abcd');
      assert.ok(timers.monotonicNow() >= 100, 'not before the idle timeout had passed');
      await server.requests[0]!.closed;
      assert.equal(server.requests[0]!.closedByClient, true);
    });

    it('pieces from a slow server come one by one', async () => {
      // A slow server's pieces arrive in separate network reads. Rather than pacing the server
      // and hoping the reads stay apart, the body is handed over one SSE event per read.
      server.enqueue({ text: 'abcdef', chunkSize: 2 });
      const { chunks, text, error } = await chat(makeClient(server, { fetch: oneEventPerRead }).client);
      assert.equal(error, undefined);
      assert.equal(text, 'abcdef');
      assert.deepEqual(
        chunks.filter((c) => c.type === 'text').map((c) => (c.type === 'text' ? c.text : '')),
        ['ab', 'cd', 'ef'],
      );
    });

    it('a malformed chunk → malformed_response keeping the partial text, not retried', async () => {
      server.enqueue({ text: 'abcdefgh', chunkSize: 2, malformedAfterChunks: 2 });
      const { error, text } = await chat(makeClient(server).client);
      assert.equal(text, 'abcd');
      assert.equal(error?.kind, 'malformed_response');
      assert.equal(error?.partialText, 'abcd');
      assert.match(error!.message, /could not be read\. The partial answer was kept/);
      assert.equal(server.requests.length, 1);
    });
  });

  describe('listModels and verifyKey', () => {
    it('lists the model IDs from GET /models with the key', async () => {
      server.setModels(['model-a', 'model-b']);
      const { client } = makeClient(server);
      assert.deepEqual(await client.listModels(), ['model-a', 'model-b']);
      const [request] = await server.waitForRequests(1);
      assert.equal(request!.method, 'GET');
      assert.equal(request!.path, '/api/v7/llm/models');
      assert.equal(request!.headers.authorization, `Bearer ${KEY}`);
    });

    it('listModels: 404 → a typed error (bad_request, status 404), 401 → auth', async () => {
      const { client } = makeClient(server);
      server.setModels(null);
      await assert.rejects(client.listModels(), { kind: 'bad_request', status: 404 });
      server.setModelsScript({ status: 401 });
      await assert.rejects(client.listModels(), { kind: 'auth', status: 401 });
    });

    it('verifyKey uses the model list when it checks keys (a keyless probe is refused; no completion sent)', async () => {
      const { client } = makeClient(server);
      await client.verifyKey();
      assert.deepEqual(server.requests.map((r) => r.path), ['/api/v7/llm/models', '/api/v7/llm/models']);
    });

    it('verifyKey falls back to a 1-token completion when /models and /v1/models are 404', async () => {
      server.setModels(null);
      const { client } = makeClient(server);
      await client.verifyKey();
      assert.equal(server.requests.length, 3);
      assert.equal(server.requests[2]!.body.max_tokens, 1);
    });

    it('verifyKey rejects a bad key with the auth error', async () => {
      server.setModelsScript({ status: 401 });
      await assert.rejects(makeClient(server).client.verifyKey(), { kind: 'auth' });
      server.setModels(null);
      server.setModelsScript(null);
      server.enqueue({ status: 401 });
      await assert.rejects(makeClient(server).client.verifyKey(), { kind: 'auth' });
    });
  });
});
