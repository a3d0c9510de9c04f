// ModelsLab's rate-limit wait is a body field in seconds (`retry_after`), not a header.
import * as assert from 'node:assert/strict';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import { chat, collect, HELLO, makeClient, MODEL } from './llm-helpers';

const QUEUE_FULL = 'Rate limit exceeded. Maximum 5 queued requests allowed.';

describe('retry_after in the error body', () => {
  let server: FakeModelsLab;
  before(async () => {
    server = await startFakeModelsLab();
  });
  afterEach(() => server.reset());
  after(() => server.close());

  it('the documented 429 body: waits retry_after seconds, then retries', async () => {
    server.enqueue({ status: 429, errorShape: 'legacy', errorMessage: QUEUE_FULL, retryAfterInBody: 30 }, { text: 'ok' });
    const { client, sleeps } = makeClient(server, { now: () => 1_000_000 });
    const { chunks, text } = await chat(client);
    assert.equal(text, 'ok');
    assert.deepEqual(sleeps, [30_000]);
    assert.deepEqual(chunks[0], { type: 'retrying', attempt: 1, delayMs: 30_000, reason: 'rate limited (429)', retryAt: 1_030_000 });
  });

  it('{error:{…, retry_after}} with 429 is honoured too', async () => {
    server.enqueue({ status: 429, retryAfterInBody: 30 }, { text: 'ok' });
    const { client, sleeps } = makeClient(server);
    assert.equal((await chat(client)).text, 'ok');
    assert.deepEqual(sleeps, [30_000]);
  });

  it('the legacy body with HTTP 200, as JSON and as an SSE data line, is honoured', async () => {
    server.enqueue(
      { legacyErrorWith200: true, errorMessage: QUEUE_FULL, retryAfterInBody: 5 },
      { legacyErrorAsSse: true, errorMessage: QUEUE_FULL, retryAfterInBody: 6 },
      { text: 'ok' },
    );
    const { client, sleeps } = makeClient(server);
    assert.equal((await chat(client)).text, 'ok');
    assert.deepEqual(sleeps, [5_000, 6_000]);
  });

  it('is capped by retryAfterCapMs, like Retry-After', async () => {
    server.enqueue({ status: 429, errorShape: 'legacy', retryAfterInBody: 3600 }, { status: 429, retryAfterInBody: 3600 }, { text: 'ok' });
    const { client, sleeps } = makeClient(server, { retryAfterCapMs: 10_000 });
    assert.equal((await chat(client)).text, 'ok');
    assert.deepEqual(sleeps, [10_000, 10_000]);
  });

  it('with both a header and a body field, the longer wait wins', async () => {
    server.enqueue({ status: 429, retryAfter: '5', retryAfterInBody: 30 }, { status: 429, retryAfter: '40', retryAfterInBody: 30 }, { text: 'ok' });
    const { client, sleeps } = makeClient(server);
    assert.equal((await chat(client)).text, 'ok');
    assert.deepEqual(sleeps, [30_000, 40_000]);
  });

  it('exhausted: the error carries the wait and says it', async () => {
    server.setDefault({ status: 429, errorShape: 'legacy', errorMessage: QUEUE_FULL, retryAfterInBody: 30 });
    const { error } = await chat(makeClient(server, { maxRetries: 1 }).client);
    assert.equal(error?.kind, 'rate_limit');
    assert.equal(error?.retryAfterMs, 30_000);
    assert.equal(error?.message, `ModelsLab rate limited this key (429): ${QUEUE_FULL} Try again in 30 s.`);
  });

  it('reads the legacy misspelling "messege" as the message', async () => {
    server.enqueue({ legacyErrorWith200: true, legacyMessageField: 'messege', errorMessage: 'Prompt is empty after filtering' });
    const { error } = await chat(makeClient(server).client);
    assert.equal(error?.message, 'ModelsLab could not process the request: Prompt is empty after filtering');
  });

  it('a full queue (more requests in flight than the cap) waits the server-given time', async () => {
    server.setQueueCap(1);
    server.enqueue({ stallBeforeHeaders: true });
    const holder = new AbortController();
    const held = collect(makeClient(server).client.streamChat(HELLO, { model: MODEL }, holder.signal));
    await server.waitForRequests(1);
    const { client, sleeps } = makeClient(server, { maxRetries: 1 });
    const { error } = await chat(client);
    assert.deepEqual(sleeps, [30_000]);
    assert.equal(error?.kind, 'rate_limit');
    assert.equal(error?.message, 'ModelsLab rate limited this key (429): Rate limit exceeded. Maximum 1 queued requests allowed. Try again in 30 s.');
    holder.abort();
    assert.equal((await held).error?.kind, 'cancelled');
  });
});
