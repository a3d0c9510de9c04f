import * as assert from 'node:assert/strict';
import { DEFAULT_MODEL_IDS, DEFAULT_REPLY_TEXT, startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';

const KEY = 'test-key-123';

function chatRequest(server: FakeModelsLab, body: object, init: { key?: string | null; signal?: AbortSignal } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.key !== null) headers.authorization = `Bearer ${init.key ?? KEY}`;
  return fetch(`${server.url}/api/v7/llm/chat/completions`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    signal: init.signal,
  });
}

const streamBody = (extra: object = {}) => ({
  model: 'Qwen-Qwen2.5-Coder-32B-Instruct',
  messages: [{ role: 'user', content: 'Say hello' }],
  stream: true,
  stream_options: { include_usage: true },
  ...extra,
});

/** The data lines of an SSE body, in order. */
function dataLines(body: string): string[] {
  return body
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice('data: '.length));
}

/** Each data line's first delta, or the line itself when it is not a chunk with one ([DONE], usage, finish). */
function deltas(body: string): unknown[] {
  return dataLines(body).map((line) => (line.startsWith('{') ? (JSON.parse(line).choices[0]?.delta ?? line) : line));
}

/** Reads a body until the socket fails; returns what arrived and the error. */
async function readUntilError(response: Response): Promise<{ text: string; error: unknown }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return { text, error: undefined };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}

/** Reads until the text so far contains `needle`; returns all of it. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, needle: string): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes(needle)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`The body ended before ${JSON.stringify(needle)}; got ${JSON.stringify(text)}`);
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

/**
 * A whole exchange on another connection: what the server sent on an open one before it answered
 * this one has been taken in by then. A barrier in place of "wait a while and see that nothing came".
 */
async function roundTrip(server: FakeModelsLab): Promise<void> {
  await (await fetch(`${server.url}/models`, { headers: { authorization: `Bearer ${KEY}` } })).text();
}

describe('fake ModelsLab server', () => {
  let server: FakeModelsLab;

  beforeEach(async () => {
    server = await startFakeModelsLab();
  });
  afterEach(async () => {
    await server.close();
  });

  it('streams role, content chunks, finish, usage and [DONE] in order', async () => {
    server.enqueue({ text: 'Hello, world!', chunkSize: 5 });
    const response = await chatRequest(server, streamBody());
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const lines = dataLines(await response.text());
    assert.equal(lines.at(-1), '[DONE]');
    const events = lines.slice(0, -1).map((line) => JSON.parse(line));
    assert.deepEqual(events[0].choices[0].delta, { role: 'assistant', content: '' });
    const contents = events.slice(1, 4).map((e) => e.choices[0].delta.content);
    assert.deepEqual(contents, ['Hello', ', wor', 'ld!']);
    for (const event of events.slice(0, 4)) {
      assert.equal(event.object, 'chat.completion.chunk');
      assert.equal(event.model, 'Qwen-Qwen2.5-Coder-32B-Instruct');
      assert.equal(event.choices[0].finish_reason, null);
    }
    assert.equal(events[4].choices[0].finish_reason, 'stop');
    assert.deepEqual(events[5].choices, []);
    assert.deepEqual(events[5].usage, { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 });
    assert.equal(events.length, 6);
  });

  it('uses the default reply and omits usage unless include_usage was asked for', async () => {
    const response = await chatRequest(server, streamBody({ stream_options: undefined }));
    const events = dataLines(await response.text()).slice(0, -1).map((line) => JSON.parse(line));
    const text = events.map((e) => e.choices[0]?.delta?.content ?? '').join('');
    assert.equal(text, DEFAULT_REPLY_TEXT);
    assert.ok(events.every((e) => e.usage === undefined));
  });

  it('sends a scripted usage, finish reason and exactly N filler chunks', async () => {
    server.enqueue({ chunks: 7, chunkSize: 3, usage: { prompt_tokens: 10, completion_tokens: 7 }, finishReason: 'length' });
    const events = dataLines(await (await chatRequest(server, streamBody())).text()).slice(0, -1).map((l) => JSON.parse(l));
    const content = events.filter((e) => e.choices[0]?.delta?.content);
    assert.equal(content.length, 7);
    assert.ok(content.every((e) => e.choices[0].delta.content.length === 3));
    assert.equal(events.at(-2).choices[0].finish_reason, 'length');
    assert.deepEqual(events.at(-1).usage, { prompt_tokens: 10, completion_tokens: 7, total_tokens: 17 });
  });

  it('streams tool calls as OpenAI tool_calls deltas, arguments in ~8-character pieces, finishing with tool_calls', async () => {
    const args = '{"path":"src/app.ts","line":42}';
    server.enqueue({ toolCalls: [{ id: 'call_1', name: 'read_file', arguments: args }, { id: 'call_2', name: 'list_dir', arguments: '{}' }] });
    const events = dataLines(await (await chatRequest(server, streamBody())).text()).slice(0, -1).map((l) => JSON.parse(l));
    const deltas = events.map((e) => e.choices[0]?.delta).filter((d) => d?.tool_calls);
    assert.ok(events.every((e) => !e.choices[0]?.delta?.content), 'no text without text or chunks');
    assert.deepEqual(deltas[0].tool_calls, [{ index: 0, id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '' } }]);
    const first = deltas.filter((d) => d.tool_calls[0].index === 0).slice(1).map((d) => d.tool_calls[0]);
    assert.ok(first.length >= 3, 'the arguments come in several deltas');
    assert.ok(first.every((part) => part.index === 0 && part.id === undefined && part.function.arguments.length <= 8));
    assert.equal(first.map((part) => part.function.arguments).join(''), args);
    const second = deltas.filter((d) => d.tool_calls[0].index === 1).map((d) => d.tool_calls[0]);
    assert.deepEqual(second, [
      { index: 1, id: 'call_2', type: 'function', function: { name: 'list_dir', arguments: '' } },
      { index: 1, function: { arguments: '{}' } },
    ]);
    assert.equal(events.at(-2).choices[0].finish_reason, 'tool_calls');
  });

  it('tool calls in a non-stream reply, after any scripted text; finishReason length still works', async () => {
    server.enqueue({ text: 'Let me look.', toolCalls: [{ id: 'c', name: 'f', arguments: '{"a":1}' }] }, { text: 'cut', finishReason: 'length' });
    const body = await (await chatRequest(server, { ...streamBody(), stream: false })).json();
    assert.deepEqual(body.choices[0].message, {
      role: 'assistant',
      content: 'Let me look.',
      tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
    });
    assert.equal(body.choices[0].finish_reason, 'tool_calls');
    const cut = await (await chatRequest(server, { ...streamBody(), stream: false })).json();
    assert.equal(cut.choices[0].finish_reason, 'length');
  });

  it('records whether the body had max_tokens', async () => {
    await (await chatRequest(server, streamBody({ max_tokens: 1 }))).text();
    await (await chatRequest(server, streamBody())).text();
    await (await fetch(`${server.url}/models`, { headers: { authorization: `Bearer ${KEY}` } })).text();
    assert.deepEqual((await server.waitForRequests(3)).map((r) => r.hasMaxTokens), [true, false, false]);
  });

  it('answers a non-stream request with a chat.completion object', async () => {
    server.enqueue({ text: 'Paris.' });
    const response = await chatRequest(server, { model: 'm', messages: [{ role: 'user', content: 'Capital of France?' }] });
    const body = await response.json();
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.choices[0].message.content, 'Paris.');
    assert.equal(body.choices[0].finish_reason, 'stop');
    assert.equal(typeof body.usage.total_tokens, 'number');
  });

  it('paces chunks by tokensPerSecond', async () => {
    server.enqueue({ chunks: 6, tokensPerSecond: 50 });
    // A lower bound only, on the monotonic clock: a busy machine can only make it slower.
    const started = performance.now();
    await (await chatRequest(server, streamBody())).text();
    assert.ok(performance.now() - started >= 90, 'six chunks at 50/s take about 100 ms');
  });

  it('returns errors in the OpenAI shape with Retry-After', async () => {
    server.enqueue({ status: 429, errorMessage: 'Slow down', retryAfter: '12' });
    const response = await chatRequest(server, streamBody());
    assert.equal(response.status, 429);
    assert.equal(response.headers.get('retry-after'), '12');
    assert.deepEqual(await response.json(), { error: { message: 'Slow down', type: 'rate_limit_error', code: 'rate_limit_exceeded' } });
  });

  it('returns errors in the legacy shape, also with HTTP 200 and as an SSE line', async () => {
    server.enqueue(
      { status: 401, errorShape: 'legacy', errorMessage: 'Invalid key' },
      { legacyErrorWith200: true, errorMessage: 'Model is loading' },
      { legacyErrorAsSse: true, errorMessage: 'Out of credits' },
    );
    const first = await chatRequest(server, streamBody());
    assert.equal(first.status, 401);
    assert.deepEqual(await first.json(), { status: 'error', message: 'Invalid key' });
    const second = await chatRequest(server, streamBody());
    assert.equal(second.status, 200);
    assert.match(second.headers.get('content-type') ?? '', /application\/json/);
    assert.deepEqual(await second.json(), { status: 'error', message: 'Model is loading' });
    const third = await chatRequest(server, streamBody());
    assert.equal(third.status, 200);
    assert.deepEqual(dataLines(await third.text()).map((l) => JSON.parse(l)), [{ status: 'error', message: 'Out of credits' }]);
  });

  it('puts retry_after (seconds) in the error body, in both shapes, and can spell message as messege', async () => {
    server.enqueue(
      { status: 429, retryAfterInBody: 30, errorMessage: 'Slow down' },
      { status: 429, errorShape: 'legacy', retryAfterInBody: 30, errorMessage: 'Slow down' },
      { legacyErrorWith200: true, retryAfterInBody: 5, legacyMessageField: 'messege', errorMessage: 'Busy' },
      { legacyErrorAsSse: true, retryAfterInBody: 5, legacyMessageField: 'messege', errorMessage: 'Busy' },
    );
    const openai = await chatRequest(server, streamBody());
    assert.equal(openai.headers.get('retry-after'), null);
    assert.deepEqual(await openai.json(), { error: { message: 'Slow down', type: 'rate_limit_error', code: 'rate_limit_exceeded', retry_after: 30 } });
    assert.deepEqual(await (await chatRequest(server, streamBody())).json(), { status: 'error', message: 'Slow down', retry_after: 30 });
    assert.deepEqual(await (await chatRequest(server, streamBody())).json(), { status: 'error', messege: 'Busy', retry_after: 5 });
    const sse = dataLines(await (await chatRequest(server, streamBody())).text()).map((l) => JSON.parse(l));
    assert.deepEqual(sse, [{ status: 'error', messege: 'Busy', retry_after: 5 }]);
  });

  it('queue cap: past N chat requests in flight, answers 429 with the documented body without using a script', async () => {
    server.setQueueCap(2);
    server.enqueue({ stallBeforeHeaders: true }, { stallBeforeHeaders: true }, { text: 'after the queue drained' });
    const first = new AbortController();
    const second = new AbortController();
    // Both stall until aborted; their rejections are expected.
    const pending = [first, second].map((c) => chatRequest(server, streamBody(), { signal: c.signal }).catch(() => undefined));
    const [firstRecord] = await server.waitForRequests(2);
    const refused = await chatRequest(server, streamBody());
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), null);
    assert.equal(await refused.text(), '{"status":"error","message":"Rate limit exceeded. Maximum 2 queued requests allowed.","retry_after":30}');
    first.abort();
    await firstRecord!.closed;
    const served = await chatRequest(server, { ...streamBody(), stream: false });
    assert.equal((await served.json()).choices[0].message.content, 'after the queue drained');
    second.abort();
    await Promise.all(pending);
  });

  it('queue cap takes its retry_after, and reset() lifts it', async () => {
    server.setQueueCap(0, 7);
    assert.deepEqual(await (await chatRequest(server, streamBody())).json(), {
      status: 'error',
      message: 'Rate limit exceeded. Maximum 0 queued requests allowed.',
      retry_after: 7,
    });
    server.reset();
    assert.equal((await chatRequest(server, { ...streamBody(), stream: false })).status, 200);
  });

  it('can echo the bearer token in an error message ({key})', async () => {
    server.enqueue({ status: 401, errorMessage: 'Key {key} is invalid' });
    const body = await (await chatRequest(server, streamBody())).json();
    assert.equal(body.error.message, `Key ${KEY} is invalid`);
  });

  it('rejects a missing or empty bearer token with 401 without consuming a script', async () => {
    server.enqueue({ text: 'kept' });
    const missing = await chatRequest(server, streamBody(), { key: null });
    assert.equal(missing.status, 401);
    assert.equal((await missing.json()).error.type, 'authentication_error');
    const empty = await chatRequest(server, streamBody(), { key: '' });
    assert.equal(empty.status, 401);
    await empty.text();
    const ok = await chatRequest(server, { ...streamBody(), stream: false });
    assert.equal((await ok.json()).choices[0].message.content, 'kept');
  });

  it('rejects a request without model or messages with 400', async () => {
    const noModel = await chatRequest(server, { messages: [{ role: 'user', content: 'x' }] });
    assert.equal(noModel.status, 400);
    assert.match((await noModel.json()).error.message, /model/);
    const noMessages = await chatRequest(server, { model: 'm', messages: [] });
    assert.equal(noMessages.status, 400);
    assert.match((await noMessages.json()).error.message, /messages/);
  });

  it('records method, path, headers and body of every request, /models included', async () => {
    await (await chatRequest(server, streamBody())).text();
    await (await fetch(`${server.url}/v1/models`, { headers: { authorization: `Bearer ${KEY}` } })).text();
    const [chat, models] = await server.waitForRequests(2);
    assert.equal(chat!.method, 'POST');
    assert.equal(chat!.path, '/api/v7/llm/chat/completions');
    assert.equal(chat!.headers.authorization, `Bearer ${KEY}`);
    assert.equal(chat!.body.model, 'Qwen-Qwen2.5-Coder-32B-Instruct');
    assert.deepEqual(JSON.parse(chat!.rawBody), chat!.body);
    assert.equal(models!.method, 'GET');
    assert.equal(models!.path, '/v1/models');
    assert.equal(models!.body, undefined);
    await chat!.closed;
    assert.equal(chat!.closedByClient, false);
  });

  it('serves /models from the default list, a custom list, 404 or a script', async () => {
    const get = () => fetch(`${server.url}/models`, { headers: { authorization: `Bearer ${KEY}` } });
    const defaults = await (await get()).json();
    assert.deepEqual(defaults.data.map((m: { id: string }) => m.id), DEFAULT_MODEL_IDS);
    server.setModels(['a', 'b']);
    assert.deepEqual(await (await get()).json(), {
      object: 'list',
      data: [
        { id: 'a', object: 'model', created: 1712345678, owned_by: 'modelslab' },
        { id: 'b', object: 'model', created: 1712345678, owned_by: 'modelslab' },
      ],
    });
    server.setModels(null);
    const missing = await get();
    assert.equal(missing.status, 404);
    await missing.text();
    server.setModelsScript({ status: 503 });
    const failing = await get();
    assert.equal(failing.status, 503);
    await failing.text();
  });

  it('serves the model list at /v1/models too, with the key as x-api-key; setModelsPaths turns /models off', async () => {
    const get = (path: string, headers: Record<string, string>) => fetch(`${server.url}/api/v7/llm${path}`, { headers });
    server.setModels(['a']);
    server.setModelsPaths(['/v1/models']);
    const plain = await get('/models', { authorization: `Bearer ${KEY}` });
    assert.equal(plain.status, 404);
    await plain.text();
    const v1 = await get('/v1/models', { 'x-api-key': KEY });
    assert.equal(v1.status, 200);
    assert.deepEqual((await v1.json()).data.map((m: { id: string }) => m.id), ['a']);
    const keyless = await get('/v1/models', {});
    assert.equal(keyless.status, 401);
    await keyless.text();
    server.reset();
    const back = await get('/models', { authorization: `Bearer ${KEY}` });
    assert.equal(back.status, 200);
    await back.text();
  });

  it('setValidKeys: chat answers 401 to any other key; setModelsNeedKey(false): the list answers without one', async () => {
    const models = (headers: Record<string, string>) => fetch(`${server.url}/api/v7/llm/models`, { headers });
    server.setValidKeys(['good-key']);
    const wrong = await chatRequest(server, streamBody(), { key: 'bad-key' });
    assert.equal(wrong.status, 401);
    assert.equal((await wrong.json()).error.type, 'authentication_error');
    assert.equal((await chatRequest(server, { ...streamBody(), stream: false }, { key: 'good-key' })).status, 200);
    const wrongList = await models({ authorization: 'Bearer bad-key' });
    assert.equal(wrongList.status, 401);
    await wrongList.text();
    server.setModelsNeedKey(false);
    const open = await models({});
    assert.equal(open.status, 200);
    assert.deepEqual((await open.json()).data.map((m: { id: string }) => m.id), DEFAULT_MODEL_IDS);
    const stillWrong = await chatRequest(server, streamBody(), { key: 'bad-key' });
    assert.equal(stillWrong.status, 401);
    await stillWrong.text();
    server.reset();
    const anyKey = await chatRequest(server, { ...streamBody(), stream: false }, { key: 'bad-key' });
    assert.equal(anyKey.status, 200);
    await anyKey.text();
    const closed = await models({});
    assert.equal(closed.status, 401);
    await closed.text();
  });

  it('drops the connection after N chunks', async () => {
    server.enqueue({ text: 'abcdefghijkl', chunkSize: 2, dropAfterChunks: 2 });
    const response = await chatRequest(server, streamBody());
    const { text, error } = await readUntilError(response);
    assert.ok(error, 'reading the body fails');
    assert.deepEqual(dataLines(text).map((l) => JSON.parse(l).choices[0].delta.content), ['', 'ab', 'cd']);
    const [record] = await server.waitForRequests(1);
    await record!.closed;
    assert.equal(record!.closedByClient, false, 'the server closed it, not the client');
  });

  it('resets the connection (RST) after N chunks and a pause', async () => {
    server.enqueue({ text: 'abcdefgh', chunkSize: 2, resetAfterChunks: 2, resetAfterMs: 150 });
    // A lower bound only, on the monotonic clock: a busy machine can only make it slower.
    const started = performance.now();
    const response = await chatRequest(server, streamBody());
    const reader = response.body!.getReader();
    const text = await readUntil(reader, '"cd"');
    assert.deepEqual(deltas(text), [{ role: 'assistant', content: '' }, { content: 'ab' }, { content: 'cd' }], 'the chunks arrive before the reset');
    const failure = await reader.read().then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(performance.now() - started >= 145, 'the socket stayed open for the pause');
    // A reset, not a clean close: a FIN mid-body would read as UND_ERR_SOCKET ("other side closed").
    assert.equal((failure as { cause?: { code?: string } } | undefined)?.cause?.code, 'ECONNRESET', `reading fails with ECONNRESET: ${String(failure)}`);
    const [record] = await server.waitForRequests(1);
    await record!.closed;
    assert.equal(record!.closedByClient, false, 'the server reset it, not the client');
  });

  it('stalls after N chunks until the client closes, and records closedByClient', async () => {
    server.enqueue({ text: 'abcdefgh', chunkSize: 2, stallAfterChunks: 1 });
    const controller = new AbortController();
    const response = await chatRequest(server, streamBody(), { signal: controller.signal });
    const [record] = await server.waitForRequests(1);
    const reader = response.body!.getReader();
    const text = await readUntil(reader, '"ab"');
    assert.deepEqual(deltas(text), [{ role: 'assistant', content: '' }, { content: 'ab' }], 'the one chunk, nothing after it');
    // The next read stays open: a later exchange on another connection ends first.
    let next: 'pending' | 'data' | 'failed' = 'pending';
    void reader.read().then(
      () => (next = 'data'),
      () => (next = 'failed'),
    );
    await roundTrip(server);
    assert.equal(next, 'pending', 'nothing more came, and the connection is still open');
    // Only now does the client give up; the response was still unfinished, so the close is the client's.
    controller.abort();
    await record!.closed;
    assert.equal(record!.closedByClient, true);
  });

  it('stalls before headers until the client gives up', async () => {
    server.enqueue({ stallBeforeHeaders: true });
    const controller = new AbortController();
    const pending = chatRequest(server, streamBody(), { signal: controller.signal });
    let answered = false;
    void pending.then(
      () => (answered = true),
      () => undefined,
    );
    const [record] = await server.waitForRequests(1);
    await roundTrip(server);
    assert.equal(answered, false, 'no headers, while a later exchange was answered in full');
    controller.abort();
    await assert.rejects(pending, (err: Error) => err.name === 'AbortError');
    await record!.closed;
    assert.equal(record!.closedByClient, true);
  });

  it('waits delayMs before sending headers', async () => {
    server.enqueue({ delayMs: 120 });
    // A lower bound only, on the monotonic clock: a busy machine can only make it slower.
    const started = performance.now();
    const response = await chatRequest(server, streamBody());
    assert.ok(performance.now() - started >= 100);
    await response.text();
  });

  it('sends a malformed data line after N chunks, then keeps going', async () => {
    server.enqueue({ text: 'abcdef', chunkSize: 2, malformedAfterChunks: 1 });
    const lines = dataLines(await (await chatRequest(server, streamBody())).text());
    assert.equal(lines[2], '{not json');
    assert.equal(JSON.parse(lines[1]!).choices[0].delta.content, 'ab');
    assert.equal(JSON.parse(lines[3]!).choices[0].delta.content, 'cd');
    assert.equal(lines.at(-1), '[DONE]');
  });

  it('consumes scripts FIFO, then the default; reset clears everything', async () => {
    server.setDefault({ text: 'default' });
    server.enqueue({ text: 'one' }, { text: 'two' });
    const texts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const body = await (await chatRequest(server, { ...streamBody(), stream: false })).json();
      texts.push(body.choices[0].message.content);
    }
    assert.deepEqual(texts, ['one', 'two', 'default']);
    server.reset();
    assert.equal(server.requests.length, 0);
    const body = await (await chatRequest(server, { ...streamBody(), stream: false })).json();
    assert.equal(body.choices[0].message.content, DEFAULT_REPLY_TEXT);
  });

  it('waitForRequests rejects after its timeout', async () => {
    await assert.rejects(server.waitForRequests(1, 50), /Expected 1 request/);
  });

  it('close() ends a stalled response that is still open instead of waiting for it', async () => {
    server.enqueue({ stallAfterChunks: 0 });
    const response = await chatRequest(server, streamBody());
    const [record] = await server.waitForRequests(1);
    let ended = false;
    void record!.closed.then(() => (ended = true));
    const reader = response.body!.getReader();
    const text = await readUntil(reader, '"role":"assistant"');
    assert.deepEqual(deltas(text), [{ role: 'assistant', content: '' }], 'the role chunk, nothing after it');
    assert.equal(ended, false, 'the exchange is open, mid-body, when close() is called');
    // The client never lets go of this response, so only close() can end it: a close() that waited
    // for open responses would never resolve, nor would the exchange end or the read fail.
    const [, read] = await Promise.all([
      server.close(),
      reader.read().then(
        ({ done }) => (done ? 'clean end' : 'data'),
        () => 'failed',
      ),
      record!.closed,
    ]);
    assert.equal(read, 'failed', 'the client sees the connection cut, not more data or a clean end');
  });
});
