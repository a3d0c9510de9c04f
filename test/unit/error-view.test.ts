import * as assert from 'node:assert/strict';
import { ModelsLabError, noKeyError } from '../../src/llm/errors';
import { describeError } from '../../src/platform/errorMessages';

describe('describeError (what the panel shows)', () => {
  it('caps the rate-limit wait of the Retry button like every other wait', () => {
    const before = Date.now();
    const view = describeError(new ModelsLabError({ kind: 'rate_limit', message: 'Rate limited.', status: 429, retryAfterMs: 3_600_000 }));
    assert.equal(view.action, 'retry');
    assert.ok(view.retryAt !== undefined);
    assert.ok(view.retryAt - before <= 60_000 + (Date.now() - before), `Retry unlocks within the 60 s cap, not in an hour (got ${view.retryAt - before} ms)`);
  });

  it('keeps a short wait as the server asked', () => {
    const before = Date.now();
    const view = describeError(new ModelsLabError({ kind: 'rate_limit', message: 'Rate limited.', status: 429, retryAfterMs: 5_000 }));
    assert.ok(view.retryAt! - before >= 5_000);
  });

  it('gives every kind the one action that fixes it', () => {
    const action = (kind: ConstructorParameters<typeof ModelsLabError>[0]['kind']) => describeError(new ModelsLabError({ kind, message: 'x' })).action;
    assert.equal(action('auth'), 'setApiKey');
    assert.equal(action('no_key'), 'setApiKey');
    assert.equal(action('model_not_found'), 'selectModel');
    assert.equal(action('invalid_params'), 'openSettings');
    assert.equal(action('cancelled'), undefined);
    assert.equal(action('server'), 'retry');
  });

  it('does not tell the user to set a key in words when the Set API Key button is right there', () => {
    const rejected = describeError(new ModelsLabError({ kind: 'auth', status: 401, message: 'ModelsLab rejected the API key (401): Key expired. Set a valid key with “ModelsLab: Set API Key”.' }));
    assert.deepEqual([rejected.message, rejected.action], ['ModelsLab rejected the API key (401): Key expired.', 'setApiKey']);
    const missing = describeError(noKeyError());
    assert.deepEqual([missing.message, missing.action], ['No ModelsLab API key is set.', 'setApiKey']);
  });
});
