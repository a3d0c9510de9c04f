import * as assert from 'node:assert/strict';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, InternalServerError } from 'openai';
import { legacyBodyError, ModelsLabError, serverMessageOf, toModelsLabError } from '../../src/llm/errors';
import { redactingLogger } from '../../src/llm/logger';
import { redactSecrets } from '../../src/llm/redact';
import { KEY, memoryLogger } from './llm-helpers';

/** A fetch failure the way undici reports it: TypeError('fetch failed') caused by a coded error. */
function fetchFailure(code: string): APIConnectionError {
  const cause = Object.assign(new Error(`connect ${code} api.example`), { code });
  return new APIConnectionError({ cause: new TypeError('fetch failed', { cause }) });
}

describe('toModelsLabError', () => {
  it('tells DNS, refused, reset and TLS failures apart, with advice', () => {
    const dns = toModelsLabError(fetchFailure('ENOTFOUND'));
    assert.equal(dns.kind, 'network');
    assert.match(dns.message, /DNS lookup failed\). Check your internet connection or the http\.proxy setting\./);
    assert.match(toModelsLabError(fetchFailure('ECONNREFUSED')).message, /refused/);
    assert.match(toModelsLabError(fetchFailure('ECONNRESET')).message, /closed before the answer started/);
    const tls = toModelsLabError(fetchFailure('CERT_HAS_EXPIRED'));
    assert.equal(tls.kind, 'network');
    assert.match(tls.message, /certificate problem: CERT_HAS_EXPIRED.*http\.proxyStrictSSL/);
    assert.match(toModelsLabError(fetchFailure('SELF_SIGNED_CERT_IN_CHAIN')).message, /certificate/);
  });

  it('a socket failure after text is a stream_dropped with the partial text', () => {
    const terminated = new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    const error = toModelsLabError(terminated, { partialText: 'half an answ' });
    assert.equal(error.kind, 'stream_dropped');
    assert.equal(error.partialText, 'half an answ');
  });

  it('maps aborts, SDK timeouts and JSON parse errors', () => {
    assert.equal(toModelsLabError(new APIUserAbortError()).kind, 'cancelled');
    assert.equal(toModelsLabError(new DOMException('aborted', 'AbortError')).kind, 'cancelled');
    assert.equal(toModelsLabError(new APIConnectionTimeoutError()).kind, 'timeout');
    const malformed = toModelsLabError(new SyntaxError('Unexpected token n in JSON'), { partialText: 'abc' });
    assert.equal(malformed.kind, 'malformed_response');
    assert.equal(malformed.partialText, 'abc');
  });

  it('maps an error object inside the SSE stream by its code', () => {
    const headers = new Headers();
    const rate = toModelsLabError(new APIError(undefined, { message: 'slow down', type: 'rate_limit_error' }, undefined, headers));
    assert.equal(rate.kind, 'rate_limit');
    const numeric = toModelsLabError(new APIError(undefined, { message: 'nope', code: 401 }, undefined, headers));
    assert.equal(numeric.kind, 'auth');
    assert.equal(numeric.status, 401);
    assert.equal(toModelsLabError(new APIError(undefined, { message: 'boom' }, undefined, headers)).kind, 'server');
  });

  it('does not show an HTML error page as the server message', () => {
    const html = new InternalServerError(502, undefined, '<html><body>Bad gateway</body></html>', new Headers());
    const error = toModelsLabError(html);
    assert.equal(error.kind, 'server');
    assert.equal(error.message, 'ModelsLab had a server error (502). Try again in a moment.');
  });

  it('reads Retry-After and retry-after-ms from the response headers', () => {
    const seconds = toModelsLabError(APIError.generate(429, { error: { message: 'x' } }, undefined, new Headers({ 'retry-after': '3' })));
    assert.equal(seconds.retryAfterMs, 3_000);
    assert.match(seconds.message, /ry again in 3 s\./);
    const ms = toModelsLabError(APIError.generate(429, { error: { message: 'x' } }, undefined, new Headers({ 'retry-after-ms': '1500' })));
    assert.equal(ms.retryAfterMs, 1_500);
  });

  it('classifies legacy 200 errors by their text and redacts the key from them', () => {
    assert.equal(legacyBodyError({ status: 'error', message: 'Rate limit reached' }).kind, 'rate_limit');
    assert.equal(legacyBodyError({ status: 'error', message: 'Model xyz not found' }, { model: 'xyz' }).kind, 'model_not_found');
    const leaky = legacyBodyError({ status: 'error', message: `Invalid API key ${KEY}` }, { secrets: [KEY] });
    assert.equal(leaky.kind, 'auth');
    assert.ok(!JSON.stringify({ ...leaky, message: leaky.message }).includes(KEY));
  });

  it('reads the legacy misspelling messege, and retry_after from the body', () => {
    assert.equal(serverMessageOf({ status: 'error', messege: 'Queue full' }), 'Queue full');
    const legacy = legacyBodyError({ status: 'error', messege: 'Rate limit exceeded. Maximum 5 queued requests allowed.', retry_after: 30 });
    assert.equal(legacy.kind, 'rate_limit');
    assert.equal(legacy.retryAfterMs, 30_000);
    const inside = toModelsLabError(APIError.generate(429, { error: { message: 'x', retry_after: 30 } }, undefined, new Headers({ 'retry-after': '2' })));
    assert.equal(inside.retryAfterMs, 30_000, 'the longer of header and body');
  });

  it('keeps an existing ModelsLabError and adds the partial text', () => {
    const original = new ModelsLabError({ kind: 'server', message: 'x', status: 500 });
    assert.equal(toModelsLabError(original), original);
    assert.equal(toModelsLabError(original, { partialText: 'abc' }).partialText, 'abc');
  });
});

describe('redaction', () => {
  it('removes the key in plain, URL-encoded and JSON-escaped form, and bearer tokens', () => {
    const key = 'ab"c/d+e=f';
    const text = `key=${key} url=${encodeURIComponent(key)} json=${JSON.stringify(key)} Authorization: Bearer some.other.token`;
    const redacted = redactSecrets(text, [key]);
    assert.ok(!redacted.includes(key));
    assert.ok(!redacted.includes(encodeURIComponent(key)));
    assert.ok(!redacted.includes('some.other.token'));
    assert.match(redacted, /Bearer \[redacted\]/);
  });

  it('ignores empty and very short secrets', () => {
    assert.equal(redactSecrets('a b c', ['', 'a', undefined]), 'a b c');
  });

  it('redactingLogger redacts messages and arguments of every level', () => {
    const inner = memoryLogger();
    const logger = redactingLogger(inner, () => [KEY]);
    logger.trace(`t ${KEY}`);
    logger.debug('d', { key: KEY });
    logger.info('i', new Error(`e ${KEY}`));
    logger.warn('w', KEY);
    logger.error(`x ${KEY}`);
    assert.equal(inner.lines.length, 5);
    assert.ok(!inner.lines.join('\n').includes(KEY));
  });
});

describe('classifying huge server texts', () => {
  const NINE_HUNDRED_KB = 900 * 1024;

  it('judges a 900 KB message by its head, not by an echoed prompt far below', () => {
    const echoed = 'please review how my api key is stored. '.repeat(Math.ceil(NINE_HUNDRED_KB / 40));
    const dump = 'deadbeef'.repeat(512); // 4 KB of state before the echo
    const error = legacyBodyError({ status: 'error', message: `Model is currently overloaded. State: ${dump} Your request: ${echoed}` });
    assert.equal(error.kind, 'server');
    assert.ok(error.message.length < 400, `message is ${error.message.length} chars`);
  });

  it('classifies 900 KB of repeated "model" words (no match) with linear regexes', () => {
    const error = legacyBodyError({ status: 'error', message: 'model '.repeat(NINE_HUNDRED_KB / 6) });
    assert.equal(error.kind, 'bad_request');
    assert.ok(error.message.length < 400, `message is ${error.message.length} chars`);
  });
});
