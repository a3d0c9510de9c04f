// Compile-time checks of the validator's shape table. `npm run typecheck` runs tsc over this
// file: every `@ts-expect-error` below must meet an error, or the typecheck fails. Each
// checked expression sits on the line right after its directive, so only that line's error counts.
import * as assert from 'node:assert/strict';
import type { CodeBlockAction, WebviewToHost } from '../../src/shared/protocol';
import {
  CODE_BLOCK_ACTIONS,
  WEBVIEW_MESSAGE_SHAPES,
  integer,
  oneOf,
  optional,
  validateWebviewMessage,
  type ShapeFor,
  type ShapeTable,
} from '../../src/shared/validate';

/** Returns its argument; the type argument says which message the shape must fit. */
const shape = <M extends { type: string }>(s: ShapeFor<M>): ShapeFor<M> => s;
const table = <U extends { type: string }>(t: ShapeTable<U>): ShapeTable<U> => t;

/** A message with a field of every kind, two of them optional. */
type Sample = {
  type: 'sample';
  requestId: string;
  note?: string;
  action: CodeBlockAction;
  continueAnswer: boolean;
  maxTokens?: number;
};

describe('protocol shape table types', () => {
  it('accepts a shape with every field, optional exactly where the type is', () => {
    const s = shape<Sample>({
      requestId: 'id',
      note: optional('text'),
      action: oneOf(CODE_BLOCK_ACTIONS),
      continueAnswer: 'boolean',
      maxTokens: optional(integer(1, 32_768)),
    });
    assert.deepEqual(Object.keys(s), ['requestId', 'note', 'action', 'continueAnswer', 'maxTokens']);
    assert.deepEqual(table<Sample | { type: 'ping' }>({ sample: s, ping: {} }).ping, {});
  });

  it('rejects a shape missing a field, required or optional', () => {
    // @ts-expect-error -- `text` is missing
    shape<Extract<WebviewToHost, { type: 'send' }>>({ requestId: 'id' });
    // @ts-expect-error -- the optional `maxTokens` is missing too: optional fields are listed as optional()
    shape<Sample>({ requestId: 'id', note: optional('text'), action: oneOf(CODE_BLOCK_ACTIONS), continueAnswer: 'boolean' });
  });

  it('rejects a field the type does not have', () => {
    // @ts-expect-error -- `force` is not a field of cancel
    shape<Extract<WebviewToHost, { type: 'cancel' }>>({ requestId: 'id', force: 'boolean' });
  });

  it('rejects optionality that disagrees with the type', () => {
    // @ts-expect-error -- `note` is optional in the type but required here
    shape<Sample>({ requestId: 'id', note: 'text', action: oneOf(CODE_BLOCK_ACTIONS), continueAnswer: 'boolean', maxTokens: optional(integer(1, 9)) });
    // @ts-expect-error -- `requestId` is required in the type but optional here
    shape<Sample>({ requestId: optional('id'), note: optional('text'), action: oneOf(CODE_BLOCK_ACTIONS), continueAnswer: 'boolean', maxTokens: optional(integer(1, 9)) });
  });

  it('rejects an enum whose values are not exactly the field type', () => {
    type CodeBlock = Extract<WebviewToHost, { type: 'codeBlock' }>;
    shape<CodeBlock>({ action: oneOf(['copy', 'insert', 'apply', 'newFile']), code: 'text', language: 'id' });
    // @ts-expect-error -- 'newFile' is missing
    shape<CodeBlock>({ action: oneOf(['copy', 'insert', 'apply']), code: 'text', language: 'id' });
    // @ts-expect-error -- 'exec' is not a CodeBlockAction
    shape<CodeBlock>({ action: oneOf(['copy', 'insert', 'apply', 'newFile', 'exec']), code: 'text', language: 'id' });
    // @ts-expect-error -- a free string kind for a literal union
    shape<CodeBlock>({ action: 'id', code: 'text', language: 'id' });
    // @ts-expect-error -- an enum for a free string
    shape<CodeBlock>({ action: oneOf(CODE_BLOCK_ACTIONS), code: oneOf(['a']), language: 'id' });
  });

  it('rejects a kind that does not fit the field type', () => {
    // @ts-expect-error -- a boolean field checked as a string
    shape<Sample>({ requestId: 'id', note: optional('text'), action: oneOf(CODE_BLOCK_ACTIONS), continueAnswer: 'text', maxTokens: optional(integer(1, 9)) });
    // @ts-expect-error -- a number field checked as a boolean
    shape<Sample>({ requestId: 'id', note: optional('text'), action: oneOf(CODE_BLOCK_ACTIONS), continueAnswer: 'boolean', maxTokens: optional('boolean') });
    // @ts-expect-error -- a string field checked as an integer
    shape<Sample>({ requestId: integer(0, 1), note: optional('text'), action: oneOf(CODE_BLOCK_ACTIONS), continueAnswer: 'boolean', maxTokens: optional(integer(1, 9)) });
    // @ts-expect-error -- a field type the validator has no kind for
    shape<{ type: 'list'; items: string[] }>({ items: 'text' });
  });

  it('the real table must change when a WebviewToHost message grows a field or a type', () => {
    type Grown = Exclude<WebviewToHost, { type: 'send' }> | { type: 'send'; requestId: string; text: string; maxTokens?: number };
    table<WebviewToHost>(WEBVIEW_MESSAGE_SHAPES);
    // @ts-expect-error -- the table's `send` has no entry for `maxTokens`
    table<Grown>(WEBVIEW_MESSAGE_SHAPES);
    // @ts-expect-error -- the table has no entry for 'setMaxTokens'
    table<WebviewToHost | { type: 'setMaxTokens'; maxTokens: number }>(WEBVIEW_MESSAGE_SHAPES);
    // What the compile error prevents: a field the table does not know is dropped at run time.
    assert.deepEqual(validateWebviewMessage({ type: 'send', requestId: 'r', text: 't', maxTokens: 5 }), {
      ok: true,
      message: { type: 'send', requestId: 'r', text: 't' },
    });
  });
});
