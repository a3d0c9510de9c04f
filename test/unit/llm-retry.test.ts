import * as assert from 'node:assert/strict';
import { ModelsLabError } from '../../src/llm/errors';
import { abortableSleep, DEFAULT_RETRY_POLICY, isRetryable, retryDelayMs, withRetries } from '../../src/llm/retry';
import { parseRetryAfter, retryAfterFromBody } from '../../src/llm/retry-after';
import type { ChatChunk } from '../../src/llm/types';

const error = (kind: ModelsLabError['kind'], status?: number, retryAfterMs?: number) =>
  new ModelsLabError({ kind, message: kind, status, retryAfterMs });

describe('retry policy', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('12', now), 12_000);
    assert.equal(parseRetryAfter('1.5', now), 1_500);
    assert.equal(parseRetryAfter('Tue, 01 Jan 2030 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Mon, 31 Dec 2029 00:00:00 GMT', now), 0, 'a past date means now');
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
    assert.equal(parseRetryAfter('', now), undefined);
  });

  it('reads retry_after (seconds) from a legacy body or from inside error', () => {
    assert.equal(retryAfterFromBody({ status: 'error', message: 'x', retry_after: 30 }), 30_000);
    assert.equal(retryAfterFromBody({ message: 'x', retry_after: '1.5' }), 1_500);
    assert.equal(retryAfterFromBody({ error: { message: 'x', retry_after: 2 } }), 2_000);
    for (const bad of [-1, 'soon', null, Infinity, {}]) assert.equal(retryAfterFromBody({ retry_after: bad }), undefined, String(bad));
    assert.equal(retryAfterFromBody('retry_after: 3'), undefined);
    assert.equal(retryAfterFromBody(undefined), undefined);
  });

  it('retries 429, 500/502/503/504 and connection failures only', () => {
    for (const status of [500, 502, 503, 504]) assert.ok(isRetryable(error('server', status)), `${status}`);
    assert.ok(isRetryable(error('rate_limit', 429)));
    assert.ok(isRetryable(error('network')));
    assert.ok(!isRetryable(error('server', 501)));
    assert.ok(!isRetryable(error('network', 407)));
    for (const kind of ['auth', 'model_not_found', 'bad_request', 'timeout', 'stream_dropped', 'malformed_response', 'cancelled', 'invalid_params', 'no_key'] as const) {
      assert.ok(!isRetryable(error(kind)), kind);
    }
  });

  it('backs off exponentially with full jitter, and honours a capped Retry-After', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, random: () => 0.999 };
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => retryDelayMs(error('server', 500), i, policy)), [499, 999, 1998, 3996, 7992, 7992]);
    assert.equal(retryDelayMs(error('server', 500), 2, { ...policy, random: () => 0 }), 0);
    assert.equal(retryDelayMs(error('rate_limit', 429, 5_000), 0, policy), 5_000);
    assert.equal(retryDelayMs(error('rate_limit', 429, 600_000), 0, policy), 60_000);
  });

  it('never retries once a chunk has been yielded', async () => {
    let attempts = 0;
    async function* attempt(): AsyncGenerator<ChatChunk> {
      attempts++;
      yield { type: 'text', text: 'partial' };
      throw error('server', 500);
    }
    const policy = { ...DEFAULT_RETRY_POLICY, sleep: async () => undefined };
    const chunks: ChatChunk[] = [];
    await assert.rejects(async () => {
      for await (const chunk of withRetries(attempt, policy)) chunks.push(chunk);
    }, { kind: 'server' });
    assert.equal(attempts, 1);
    assert.deepEqual(chunks, [{ type: 'text', text: 'partial' }]);
  });

  it('abortableSleep resolves after the time, and rejects at once on abort', async () => {
    await abortableSleep(5);
    const controller = new AbortController();
    const started = Date.now();
    const pending = abortableSleep(10_000, controller.signal);
    controller.abort();
    await assert.rejects(pending);
    assert.ok(Date.now() - started < 500);
    await assert.rejects(abortableSleep(10, AbortSignal.abort()));
  });
});
