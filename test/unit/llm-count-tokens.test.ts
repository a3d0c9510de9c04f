import * as assert from 'node:assert/strict';
import { ModelsLabError } from '../../src/llm/errors';
import type { RequestMessage } from '../../src/llm/request';
import { estimateRequestTokens, IMAGE_TOKENS } from '../../src/llm/tokenCount';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import { KEY, makeClient, MODEL } from './llm-helpers';

const IMAGE = { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' } as const;

/** Every role and part: two system prompts, a user turn with an image, a tool call and its result, an image alone. */
const CONVERSATION: RequestMessage[] = [
  { role: 'system', parts: [{ type: 'text', text: 'You are terse.' }] },
  { role: 'system', parts: [{ type: 'text', text: 'Answer in English.' }] },
  { role: 'user', parts: [{ type: 'text', text: 'What is the weather?' }, IMAGE] },
  { role: 'assistant', parts: [{ type: 'toolCall', call: { id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
  { role: 'tool', parts: [{ type: 'toolResult', callId: 'call_1', content: 'Sunny, 21 °C' }] },
  { role: 'user', parts: [IMAGE] },
];

/**
 * The fake server's count for CONVERSATION: words (6 in system, 4 + 2 + 3 in the three messages
 * sent) plus 3 a message; the client adds IMAGE_TOKENS for each of the two images.
 */
const SERVER_COUNT = 6 + 4 + 2 + 3 + 3 * 3 + 2 * IMAGE_TOKENS;

const HELLO_REQUEST = { model: MODEL, messages: [{ role: 'user', parts: [{ type: 'text', text: 'Say hello to the world' }] }] as RequestMessage[] };
/** The fake server's count for HELLO_REQUEST: five words plus 3 for the message. */
const HELLO_SERVER_COUNT = 5 + 3;

/** A count_tokens request made directly, to check the server's route. */
function countRequest(server: FakeModelsLab, body: object, headers: Record<string, string>): Promise<Response> {
  return fetch(`${server.url}/api/v7/llm/v1/messages/count_tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('token counting (ModelsLabClient.countTokens)', () => {
  let server: FakeModelsLab;

  before(async () => {
    server = await startFakeModelsLab();
  });
  afterEach(() => server.reset());
  after(() => server.close());

  it('the server and the local estimate give different counts, so a test can tell which one answered', () => {
    assert.notEqual(estimateRequestTokens(CONVERSATION), SERVER_COUNT);
    assert.notEqual(estimateRequestTokens(HELLO_REQUEST.messages), HELLO_SERVER_COUNT);
  });

  it('posts an Anthropic-shaped body to /v1/messages/count_tokens with the key as x-api-key, and uses the server count plus images', async () => {
    const { client } = makeClient(server);
    const count = await client.countTokens({ model: MODEL, messages: CONVERSATION });
    assert.deepEqual(count, { tokens: SERVER_COUNT, source: 'server' });
    assert.equal(server.requests.length, 1);
    const [request] = server.requests;
    assert.equal(request!.method, 'POST');
    assert.equal(request!.path, '/api/v7/llm/v1/messages/count_tokens');
    assert.equal(request!.headers['x-api-key'], KEY);
    assert.match(String(request!.headers['x-client-request-id']), /^[0-9a-f]{8}$/);
    assert.deepEqual(request!.body, {
      model: MODEL,
      system: 'You are terse.\n\nAnswer in English.',
      messages: [
        { role: 'user', content: 'What is the weather?' },
        { role: 'assistant', content: 'get_weather {"city":"Paris"}' },
        { role: 'user', content: 'Sunny, 21 °C' },
      ],
    });
    assert.ok(!request!.rawBody.includes(IMAGE.data), 'images are not sent');
  });

  it('with only a system prompt, sends it as the one user message', async () => {
    const { client } = makeClient(server);
    const count = await client.countTokens({ model: MODEL, messages: [{ role: 'system', parts: [{ type: 'text', text: 'Be brief' }] }] });
    assert.deepEqual(count, { tokens: 2 + 3, source: 'server' });
    assert.deepEqual(server.requests[0]!.body, { model: MODEL, messages: [{ role: 'user', content: 'Be brief' }] });
  });

  it('on 404 falls back to the estimate, and later counts make no request', async () => {
    server.setCountTokens(false);
    const { client, logger } = makeClient(server);
    const first = await client.countTokens(HELLO_REQUEST);
    assert.deepEqual(first, { tokens: estimateRequestTokens(HELLO_REQUEST.messages), source: 'estimate' });
    assert.equal(server.requests.length, 1);
    server.setCountTokens(true);
    const second = await client.countTokens({ model: MODEL, messages: CONVERSATION });
    assert.deepEqual(second, { tokens: estimateRequestTokens(CONVERSATION), source: 'estimate' });
    assert.equal(server.requests.length, 1, 'the missing endpoint is remembered');
    const infos = logger.lines.filter((line) => line.startsWith('info ') && line.includes('token count'));
    assert.equal(infos.length, 1, 'the fallback is logged once');
    assert.match(infos[0]!, /\/v1\/messages\/count_tokens not offered \(404\); using the local estimate from now on/);
  });

  for (const [name, body] of [
    ['a string input_tokens', { input_tokens: '8' }],
    ['a negative input_tokens', { input_tokens: -1 }],
    ['no input_tokens', { tokens: 8 }],
    ['a JSON null', null],
  ] as const) {
    it(`falls back to the estimate on a malformed body (${name}), and asks the server again next time`, async () => {
      server.setCountTokensScript({ body });
      const { client, logger } = makeClient(server);
      assert.deepEqual(await client.countTokens(HELLO_REQUEST), { tokens: estimateRequestTokens(HELLO_REQUEST.messages), source: 'estimate' });
      assert.ok(logger.lines.some((line) => line.startsWith('info ') && line.includes('malformed_response')));
      server.setCountTokensScript(null);
      assert.deepEqual(await client.countTokens(HELLO_REQUEST), { tokens: HELLO_SERVER_COUNT, source: 'server' });
      assert.equal(server.requests.length, 2);
    });
  }

  it('falls back to the estimate on a legacy error body sent with HTTP 200', async () => {
    server.setCountTokensScript({ legacyErrorWith200: true, errorMessage: 'Internal error while counting' });
    const { client, logger } = makeClient(server);
    assert.deepEqual(await client.countTokens(HELLO_REQUEST), { tokens: estimateRequestTokens(HELLO_REQUEST.messages), source: 'estimate' });
    assert.ok(logger.lines.some((line) => line.includes('server') && line.includes('Internal error while counting')));
  });

  it('falls back to the estimate on a 500, logs it once, and keeps asking the server', async () => {
    server.setCountTokensScript({ status: 500 });
    const { client, logger } = makeClient(server);
    const estimate = { tokens: estimateRequestTokens(HELLO_REQUEST.messages), source: 'estimate' };
    assert.deepEqual(await client.countTokens(HELLO_REQUEST), estimate);
    assert.deepEqual(await client.countTokens(HELLO_REQUEST), estimate);
    assert.equal(server.requests.length, 2, 'a 500 is not remembered as a missing endpoint');
    assert.equal(logger.lines.filter((line) => line.includes('token count') && line.includes('server 500')).length, 1);
    server.setCountTokensScript(null);
    assert.deepEqual(await client.countTokens(HELLO_REQUEST), { tokens: HELLO_SERVER_COUNT, source: 'server' });
  });

  it('falls back to the estimate when the server does not answer within the connect timeout', async () => {
    server.setCountTokensScript({ stallBeforeHeaders: true });
    const { client, logger } = makeClient(server, { connectTimeoutMs: 200 });
    const started = Date.now();
    assert.deepEqual(await client.countTokens(HELLO_REQUEST), { tokens: estimateRequestTokens(HELLO_REQUEST.messages), source: 'estimate' });
    assert.ok(Date.now() - started < 2_000, 'gave up at the short timeout');
    assert.ok(logger.lines.some((line) => line.startsWith('info ') && line.includes('timeout')));
  });

  it('falls back to the estimate when the server cannot be reached', async () => {
    const gone = await startFakeModelsLab();
    await gone.close();
    const { client } = makeClient(gone);
    assert.deepEqual(await client.countTokens(HELLO_REQUEST), { tokens: estimateRequestTokens(HELLO_REQUEST.messages), source: 'estimate' });
  });

  it('without a key, counts locally and sends nothing', async () => {
    const { client } = makeClient(server, { apiKey: '' });
    assert.deepEqual(await client.countTokens(HELLO_REQUEST), { tokens: estimateRequestTokens(HELLO_REQUEST.messages), source: 'estimate' });
    assert.equal(server.requests.length, 0);
  });

  it('rejects with kind cancelled for a signal aborted before the call, sending nothing', async () => {
    const { client } = makeClient(server);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(client.countTokens(HELLO_REQUEST, controller.signal), (err) => err instanceof ModelsLabError && err.kind === 'cancelled');
    assert.equal(server.requests.length, 0);
  });

  it('rejects with kind cancelled when the signal aborts while the server is counting', async () => {
    server.setCountTokensScript({ stallBeforeHeaders: true });
    const { client } = makeClient(server);
    const controller = new AbortController();
    const counting = client.countTokens(HELLO_REQUEST, controller.signal);
    const [request] = await server.waitForRequests(1);
    controller.abort();
    await assert.rejects(counting, (err) => err instanceof ModelsLabError && err.kind === 'cancelled');
    await request!.closed;
    assert.equal(request!.closedByClient, true);
  });

  it('never writes the key to the log, even when the server echoes it', async () => {
    const { client, logger } = makeClient(server);
    server.setCountTokensScript({ status: 400, errorMessage: `Bad key {key}` });
    await client.countTokens(HELLO_REQUEST);
    server.setCountTokensScript({ legacyErrorWith200: true, errorMessage: 'Internal error for {key}' });
    await client.countTokens(HELLO_REQUEST);
    server.setCountTokens(false);
    await client.countTokens(HELLO_REQUEST);
    const lines = logger.lines.filter((line) => line.includes('token count'));
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.ok(lines.some((line) => line.includes('Bad key')), 'the echoed message was logged');
    assert.ok(logger.lines.every((line) => !line.includes(KEY)), logger.lines.join('\n'));
  });
});

describe('estimateRequestTokens', () => {
  it('is nothing for no messages, and adds IMAGE_TOKENS for each image', () => {
    assert.equal(estimateRequestTokens([]), 0);
    const text: RequestMessage = { role: 'user', parts: [{ type: 'text', text: 'abc def' }] };
    const withImage: RequestMessage = { role: 'user', parts: [{ type: 'text', text: 'abc def' }, IMAGE] };
    assert.equal(estimateRequestTokens([withImage]) - estimateRequestTokens([text]), IMAGE_TOKENS);
  });

  it('counts tool calls and tool results as text', () => {
    const empty: RequestMessage = { role: 'assistant', parts: [] };
    const call: RequestMessage = { role: 'assistant', parts: [{ type: 'toolCall', call: { id: 'c', name: 'read_file', arguments: '{"path":"a/very/long/path.ts"}' } }] };
    const result: RequestMessage = { role: 'tool', parts: [{ type: 'toolResult', callId: 'c', content: 'x'.repeat(300) }] };
    assert.ok(estimateRequestTokens([call]) > estimateRequestTokens([empty]));
    assert.ok(estimateRequestTokens([result]) >= estimateRequestTokens([empty]) + 100);
  });
});

describe('fake server: POST …/v1/messages/count_tokens', () => {
  let server: FakeModelsLab;

  before(async () => {
    server = await startFakeModelsLab();
  });
  afterEach(() => server.reset());
  after(() => server.close());

  const body = { model: MODEL, system: [{ type: 'text', text: 'Be brief.' }], messages: [{ role: 'user', content: [{ type: 'text', text: 'one two  three' }, { type: 'image' }] }, { role: 'assistant', content: 'four' }] };

  it('counts words in system and every message (string or text blocks) plus 3 a message, with the key as x-api-key or bearer', async () => {
    const keyHeaders: Record<string, string>[] = [{ 'x-api-key': KEY }, { authorization: `Bearer ${KEY}` }];
    for (const headers of keyHeaders) {
      const response = await countRequest(server, body, headers);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { input_tokens: 2 + 3 + 1 + 2 * 3 });
    }
    assert.equal(server.requests.length, 2, 'requests are recorded');
  });

  it('answers 401 without a key or with a key it does not know, and 400 without a model', async () => {
    assert.equal((await countRequest(server, body, {})).status, 401);
    server.setValidKeys(['another-key']);
    assert.equal((await countRequest(server, body, { 'x-api-key': KEY })).status, 401);
    server.setValidKeys(null);
    assert.equal((await countRequest(server, { messages: [] }, { 'x-api-key': KEY })).status, 400);
  });

  it('setCountTokens(false) makes the route 404, key or not; reset() brings it back', async () => {
    server.setCountTokens(false);
    assert.equal((await countRequest(server, body, { 'x-api-key': KEY })).status, 404);
    assert.equal((await countRequest(server, body, {})).status, 404);
    server.reset();
    assert.equal((await countRequest(server, body, { 'x-api-key': KEY })).status, 200);
  });
});
