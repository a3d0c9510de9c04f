import * as assert from 'node:assert/strict';
import { toRequestFields, validateChatRequest } from '../../src/llm/params';
import type { ChatOptions } from '../../src/llm/types';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import { chat, HELLO, makeClient, MODEL } from './llm-helpers';

describe('chat parameters', () => {
  const invalid: [Partial<ChatOptions>, RegExp][] = [
    [{ temperature: 3 }, /^temperature must be between 0 and 2 \(got 3\)$/],
    [{ temperature: -0.1 }, /temperature must be between 0 and 2/],
    [{ temperature: Number.NaN }, /temperature must be between 0 and 2 \(got NaN\)/],
    [{ topP: 1.5 }, /^top_p must be between 0 and 1 \(got 1.5\)$/],
    [{ maxTokens: 0 }, /^max_tokens must be a whole number of at least 1 \(got 0\)$/],
    [{ maxTokens: 2.5 }, /max_tokens must be a whole number/],
    [{ presencePenalty: 2.5 }, /^presence_penalty must be between -2 and 2 \(got 2.5\)$/],
    [{ frequencyPenalty: -3 }, /^frequency_penalty must be between -2 and 2 \(got -3\)$/],
    [{ stop: ['a', 'b', 'c', 'd', 'e'] }, /^stop takes at most 4 sequences \(got 5\)$/],
    [{ stop: ['ok', ''] }, /^stop\[1\] must be a non-empty string$/],
    [{ seed: 1.5 }, /^seed must be an integer \(got 1.5\)$/],
    [{ model: '' }, /^model must be a non-empty model ID$/],
    [{ model: '   ' }, /model must be a non-empty/],
  ];

  for (const [options, message] of invalid) {
    it(`rejects ${JSON.stringify(options)}`, () => {
      assert.throws(() => validateChatRequest(HELLO, { model: MODEL, ...options }), (err: Error & { kind?: string }) => {
        assert.equal(err.kind, 'invalid_params');
        assert.match(err.message, message);
        return true;
      });
    });
  }

  it('rejects empty messages and unknown roles', () => {
    assert.throws(() => validateChatRequest([], { model: MODEL }), /messages must contain at least one message/);
    assert.throws(
      () => validateChatRequest([{ role: 'tool' as 'user', content: 'x' }], { model: MODEL }),
      /messages\[0\]\.role must be system, user or assistant \(got "tool"\)/,
    );
  });

  it('accepts the documented edges', () => {
    validateChatRequest(HELLO, {
      model: MODEL,
      temperature: 2,
      topP: 0,
      maxTokens: 1,
      presencePenalty: -2,
      frequencyPenalty: 2,
      stop: ['a', 'b', 'c', 'd'],
      seed: 0,
      responseFormat: 'json_object',
    });
  });

  it('maps camelCase options to API names and leaves unset ones out', () => {
    assert.deepEqual(toRequestFields(HELLO, { model: ` ${MODEL} `, topP: 0.5, stop: [] }), {
      model: MODEL,
      messages: HELLO,
      top_p: 0.5,
    });
  });

  describe('through the client', () => {
    let server: FakeModelsLab;
    before(async () => {
      server = await startFakeModelsLab();
    });
    after(() => server.close());

    it('an out-of-range parameter fails before any request reaches the server', async () => {
      const { error } = await chat(makeClient(server).client, { temperature: 3 });
      assert.equal(error?.kind, 'invalid_params');
      assert.equal(error?.message, 'temperature must be between 0 and 2 (got 3)');
      assert.equal(server.requests.length, 0);
    });
  });
});
