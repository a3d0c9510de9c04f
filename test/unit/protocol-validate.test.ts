import * as assert from 'node:assert/strict';
import { validateWebviewMessage } from '../../src/shared/validate';

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
