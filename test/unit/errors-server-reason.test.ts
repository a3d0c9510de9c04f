// The server's own reason reaches the user (cleaned, never the key), followed by our advice.
import * as assert from 'node:assert/strict';
import { APIError } from 'openai';
import { legacyBodyError, serverMessageOf, SERVER_TEXT_CAP_CHARS, toModelsLabError } from '../../src/llm/errors';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import { chat, KEY, makeClient } from './llm-helpers';

describe('error messages carry the server reason', () => {
  let server: FakeModelsLab;
  before(async () => {
    server = await startFakeModelsLab();
  });
  afterEach(() => server.reset());
  after(() => server.close());

  it('a legacy 200 "overloaded" error shows the reason after its retries, then what to do', async () => {
    server.setDefault({ legacyErrorWith200: true, errorMessage: 'Model is currently overloaded' });
    const { error } = await chat(makeClient(server).client);
    assert.equal(server.requests.length, 4, 'still retried');
    assert.equal(error?.kind, 'server');
    assert.equal(error?.message, 'ModelsLab had a server error: Model is currently overloaded. Try again in a moment.');
  });

  it('a 503 shows its reason, redacted', async () => {
    server.setDefault({ status: 503, errorMessage: 'Upstream busy for key {key}.' });
    const { error } = await chat(makeClient(server).client, {});
    assert.equal(error?.message, 'ModelsLab had a server error (503): Upstream busy for key [redacted]. Try again in a moment.');
    assert.ok(!JSON.stringify({ ...error, message: error?.message }).includes(KEY));
  });

  it('a 429 shows the queue cap the server named', async () => {
    server.setDefault({ status: 429, errorShape: 'legacy', errorMessage: 'Rate limit exceeded. Maximum 5 queued requests allowed.', retryAfter: '7' });
    const { error } = await chat(makeClient(server, { maxRetries: 0 }).client);
    assert.equal(error?.message, 'ModelsLab rate limited this key (429): Rate limit exceeded. Maximum 5 queued requests allowed. Try again in 7 s.');
  });

  it('a 401 with a reason of its own shows it; a reason that only restates the status is left out', async () => {
    server.enqueue({ status: 401, errorMessage: 'Key expired on 2025-01-31' }, { status: 500 }, { status: 401 });
    const { client } = makeClient(server, { maxRetries: 0 });
    assert.equal((await chat(client)).error?.message, 'ModelsLab rejected the API key (401): Key expired on 2025-01-31. Set a valid key with “ModelsLab: Set API Key”.');
    assert.equal((await chat(client)).error?.message, 'ModelsLab had a server error (500). Try again in a moment.');
    assert.equal((await chat(client)).error?.message, 'ModelsLab rejected the API key (401). Set a valid key with “ModelsLab: Set API Key”.');
  });

  it('a 408 names the reason too', async () => {
    server.enqueue({ status: 408, errorMessage: 'Generation took longer than 120 s' });
    const { error } = await chat(makeClient(server, { maxRetries: 0 }).client);
    assert.equal(error?.message, 'ModelsLab timed out (408): Generation took longer than 120 s. Try again in a moment.');
  });

  it('a 407 names the proxy reason (fetch cannot receive a 407 from an origin, so built directly)', () => {
    const proxy = APIError.generate(407, { error: { message: 'Proxy login required (realm corp)' } }, undefined, new Headers());
    assert.equal(
      toModelsLabError(proxy).message,
      'A proxy between you and ModelsLab asked for credentials (407): Proxy login required (realm corp). Check the http.proxy setting.',
    );
  });
});

describe('huge error bodies (hostile or broken servers)', () => {
  it('reads only the head of a 1 MB message, in every body shape', () => {
    const huge = 'Model is currently overloaded. '.padEnd(1_000_000, 'x');
    for (const body of [{ status: 'error', message: huge }, { status: 'error', messege: huge }, { error: { message: huge } }, huge]) {
      const said = serverMessageOf(body);
      assert.ok(said !== undefined && said.length <= SERVER_TEXT_CAP_CHARS, 'capped');
    }
    const legacy = legacyBodyError({ status: 'error', message: huge });
    assert.equal(legacy.kind, 'server');
    assert.ok(legacy.message.length < 1_000, 'a short message for the user');
    const fromStatus = toModelsLabError(new APIError(500, undefined, `500 ${huge}`, new Headers()));
    assert.ok(fromStatus.message.length < 1_000);
  });
});
