import * as assert from 'node:assert/strict';
import { integer, messageValidator, oneOf, optional, validateWebviewMessage } from '../../src/shared/validate';

describe('validateWebviewMessage', () => {
  it('accepts each well-formed message and drops unknown extra fields', () => {
    const result = validateWebviewMessage({ type: 'send', requestId: 'r1', text: 'hello', extra: 'dropped' });
    assert.deepEqual(result, { ok: true, message: { type: 'send', requestId: 'r1', text: 'hello' } });
    assert.deepEqual(validateWebviewMessage({ type: 'ready' }), { ok: true, message: { type: 'ready' } });
    assert.deepEqual(validateWebviewMessage({ type: 'codeBlock', action: 'apply', code: 'x', language: 'ts' }), {
      ok: true,
      message: { type: 'codeBlock', action: 'apply', code: 'x', language: 'ts' },
    });
  });

  const malformed: [string, unknown][] = [
    ['null', null],
    ['a string', 'send'],
    ['an array', [{ type: 'ready' }]],
    ['no type', { requestId: 'r' }],
    ['an unknown type', { type: 'runCommand', command: 'workbench.action.terminal.new' }],
    ['a prototype key as type', { type: 'constructor' }],
    ['a missing field', { type: 'send', requestId: 'r1' }],
    ['a wrongly typed field', { type: 'send', requestId: 'r1', text: 42 }],
    ['an empty id', { type: 'cancel', requestId: '' }],
    ['an overlong id', { type: 'cancel', requestId: 'x'.repeat(201) }],
    ['an unknown code action', { type: 'codeBlock', action: 'exec', code: 'rm -rf /', language: 'sh' }],
    ['an oversized text', { type: 'send', requestId: 'r', text: 'x'.repeat(200_001) }],
  ];
  for (const [name, raw] of malformed) {
    it(`rejects ${name} with a reason`, () => {
      const result = validateWebviewMessage(raw);
      assert.equal(result.ok, false);
      if (!result.ok) assert.ok(result.reason.length > 0);
    });
  }
});

describe('messageValidator with optional, boolean and integer fields', () => {
  type Continue = { type: 'continueAnswer'; requestId: string; keepContext: boolean; maxTokens?: number; note?: string; mode?: 'short' | 'long' };
  const validate = messageValidator<Continue | { type: 'ping' }>({
    continueAnswer: {
      requestId: 'id',
      keepContext: 'boolean',
      maxTokens: optional(integer(1, 32_768)),
      note: optional('text'),
      mode: optional(oneOf(['short', 'long'])),
    },
    ping: {},
  });

  it('allows optional fields to be absent, or undefined, and leaves them out', () => {
    assert.deepEqual(validate({ type: 'continueAnswer', requestId: 'r1', keepContext: false }), {
      ok: true,
      message: { type: 'continueAnswer', requestId: 'r1', keepContext: false },
    });
    const result = validate({ type: 'continueAnswer', requestId: 'r1', keepContext: true, maxTokens: undefined, note: undefined });
    assert.deepEqual(result, { ok: true, message: { type: 'continueAnswer', requestId: 'r1', keepContext: true } });
    assert.ok(result.ok && !('maxTokens' in result.message));
  });

  it('keeps optional fields that are present and valid, and drops unknown ones', () => {
    assert.deepEqual(validate({ type: 'continueAnswer', requestId: 'r1', keepContext: true, maxTokens: 1, note: '', mode: 'long', extra: 1 }), {
      ok: true,
      message: { type: 'continueAnswer', requestId: 'r1', keepContext: true, maxTokens: 1, note: '', mode: 'long' },
    });
    assert.deepEqual(validate({ type: 'continueAnswer', requestId: 'r1', keepContext: true, maxTokens: 32_768 }), {
      ok: true,
      message: { type: 'continueAnswer', requestId: 'r1', keepContext: true, maxTokens: 32_768 },
    });
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['a missing boolean', { keepContext: undefined }, 'keepContext'],
    ['a string for a boolean', { keepContext: 'true' }, 'keepContext'],
    ['an optional integer below its range', { maxTokens: 0 }, 'maxTokens'],
    ['an optional integer above its range', { maxTokens: 32_769 }, 'maxTokens'],
    ['an optional fraction', { maxTokens: 1.5 }, 'maxTokens'],
    ['an optional NaN', { maxTokens: NaN }, 'maxTokens'],
    ['an optional numeric string', { maxTokens: '5' }, 'maxTokens'],
    ['an optional null', { maxTokens: null }, 'maxTokens'],
    ['an optional oversized text', { note: 'x'.repeat(200_001) }, 'note'],
    ['an optional unknown enum value', { mode: 'medium' }, 'mode'],
  ];
  for (const [name, fields, field] of invalid) {
    it(`rejects ${name}, naming the field`, () => {
      const result = validate({ type: 'continueAnswer', requestId: 'r1', keepContext: true, ...fields });
      assert.deepEqual(result, { ok: false, reason: `continueAnswer.${field} is invalid` });
    });
  }

  it('refuses integer bounds that are not whole numbers in order', () => {
    assert.throws(() => integer(5, 1), RangeError);
    assert.throws(() => integer(0, 1.5), RangeError);
  });
});
