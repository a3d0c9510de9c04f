import * as assert from 'node:assert/strict';
import { ModelsLabError } from '../../src/llm/errors';
import { abortableSleep, DEFAULT_RETRY_POLICY, isRetryable, retryDelayMs, withRetries } from '../../src/llm/retry';
import { parseRetryAfter, retryAfterFromBody } from '../../src/llm/retry-after';
import type { ChatChunk } from '../../src/llm/types';

/** Node's count of live setTimeout timers: abortableSleep takes no injected clock, so this is how a test sees its timer. */
const activeTimeouts = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

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

  it('abortableSleep resolves after the time (a lower bound only)', async () => {
    const started = performance.now();
    await abortableSleep(20);
    // Node may fire a timer up to a millisecond early against performance.now(); a busy machine only makes it later.
    assert.ok(performance.now() - started >= 15, 'not before its time');
  });

  it('abortableSleep rejects with the abort reason as soon as the signal aborts, and clears its timer', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    // Ten minutes: only the abort can end this sleep within the test.
    const pending = abortableSleep(600_000, controller.signal);
    let outcome: unknown = 'pending';
    void pending.then(
      () => (outcome = 'resolved'),
      (err: unknown) => (outcome = err),
    );
    const armed = activeTimeouts();
    controller.abort(reason);
    assert.equal(activeTimeouts(), armed - 1, 'the abort cleared the ten-minute timer');
    // One turn of the event loop settles anything already settled; no time has to pass.
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(outcome, reason);
    await assert.rejects(pending, (err) => err === reason);
  });

  it('abortableSleep on an already aborted signal rejects without starting a timer', async () => {
    const reason = new Error('already');
    const before = activeTimeouts();
    const pending = abortableSleep(600_000, AbortSignal.abort(reason));
    assert.equal(activeTimeouts(), before, 'no timer was started');
    await assert.rejects(pending, (err) => err === reason);
  });
});
