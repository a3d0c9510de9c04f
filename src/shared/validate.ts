// Runtime validation of messages arriving from the webview. The webview renders untrusted
// model output, so the host treats everything it posts as untrusted input.
//
// The table of shapes is typed from the protocol itself: each message's entry must list
// every field of its type, with a kind that fits the field's type, wrapped in `optional()`
// exactly when the field is optional. Adding a field to a `WebviewToHost` message therefore
// does not compile until its entry here says how to check it.
import { MAX_PROMPT_CHARS } from './limits';
import type { ChatMode, CodeBlockAction, ReviewAction, WebviewToHost } from './protocol';

const MAX_ID = 200;

/** Every code block action, as a value; the table checks it names exactly the `CodeBlockAction` union. */
export const CODE_BLOCK_ACTIONS = ['copy', 'insert', 'apply', 'newFile'] as const satisfies readonly CodeBlockAction[];
export const CHAT_MODES = ['ask', 'agent'] as const satisfies readonly ChatMode[];
export const REVIEW_ACTIONS = ['acceptAll', 'rejectAll', 'accept', 'reject', 'openDiff', 'undo'] as const satisfies readonly ReviewAction[];

// ---------------------------------------------------------------- field kinds

/** A whole number from `min` to `max`; build it with `integer()`. */
export interface IntegerKind {
  readonly kind: 'integer';
  readonly min: number;
  readonly max: number;
}

/**
 * One of a fixed set of strings; build it with `oneOf()` from a `const` array. Invariant in `V`,
 * so it fits a field only when the array's values are exactly the field's literal union.
 */
export interface EnumKind<in out V extends string> {
  readonly kind: 'enum';
  readonly values: readonly V[];
}

/** An optional field: checked with `kind` when present, allowed when absent (or `undefined`). */
export interface Optional<K> {
  readonly optional: K;
}

/**
 * The kind a field of type `F` may be checked with, `never` for a type the validator cannot check:
 * a `string` field takes 'id' (non-empty, at most 200 characters) or 'text' (at most
 * MAX_PROMPT_CHARS); a union of string literals takes `oneOf()`; `boolean` takes 'boolean';
 * `number` takes `integer()`.
 */
export type KindFor<F> = [F] extends [boolean]
  ? [boolean] extends [F]
    ? 'boolean'
    : never
  : [F] extends [number]
    ? number extends F
      ? IntegerKind
      : never
    : [F] extends [string]
      ? string extends F
        ? 'id' | 'text'
        : EnumKind<F>
      : never;

/** The checks for one message type `M`: every field but `type`, optional exactly when `M` says so. */
export type ShapeFor<M extends { type: string }> = {
  readonly [K in Exclude<keyof M, 'type'>]-?: Pick<M, K> extends Required<Pick<M, K>> ? KindFor<M[K]> : Optional<KindFor<Exclude<M[K], undefined>>>;
};

/** One shape per message type of the union `U`. */
export type ShapeTable<U extends { type: string }> = {
  readonly [T in U['type']]: ShapeFor<Extract<U, { type: T }>>;
};

export type Validation<U> = { ok: true; message: U } | { ok: false; reason: string };

export function integer(min: number, max: number): IntegerKind {
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) throw new RangeError(`bad integer bounds ${min}..${max}`);
  return { kind: 'integer', min, max };
}

export function oneOf<const V extends string>(values: readonly V[]): EnumKind<V> {
  return { kind: 'enum', values };
}

export function optional<const K>(kind: K): Optional<K> {
  return { optional: kind };
}

// ---------------------------------------------------------------- the webview's messages

export const WEBVIEW_MESSAGE_SHAPES: ShapeTable<WebviewToHost> = {
  ready: {},
  send: { requestId: 'id', text: 'text', mode: optional(oneOf(CHAT_MODES)) },
  cancel: { requestId: 'id' },
  regenerate: { requestId: 'id' },
  editAndResend: { requestId: 'id', messageId: 'id', text: 'text' },
  continueAnswer: { requestId: 'id', messageId: 'id' },
  pickModel: {},
  setApiKey: {},
  openLink: { href: 'text' },
  codeBlock: { action: oneOf(CODE_BLOCK_ACTIONS), code: 'text', language: 'id' },
  removeContext: { id: 'id' },
  attachFile: {},
  openConversation: { id: 'id' },
  renameConversation: { id: 'id' },
  deleteConversation: { id: 'id' },
  exportConversation: { id: 'id' },
  approve: { approvalId: 'id', allow: 'boolean' },
  openRule: { path: 'text' },
  toggleRule: { path: 'text', enabled: 'boolean' },
  pickCompareModels: { clear: optional('boolean') },
  openComparison: { messageId: 'id' },
  retryWithModel: { requestId: 'id', model: 'id' },
  // A path is text (it may be long); the host only matches it against the answer's own list.
  reviewEdits: { messageId: 'id', action: oneOf(REVIEW_ACTIONS), path: optional('text') },
};

// ---------------------------------------------------------------- checking

type AnyKind = 'id' | 'text' | 'boolean' | IntegerKind | { readonly kind: 'enum'; readonly values: readonly string[] };
type AnyField = AnyKind | Optional<AnyKind>;

function fieldIsValid(kind: AnyKind, value: unknown): boolean {
  if (typeof kind === 'string') {
    switch (kind) {
      case 'id':
        return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID;
      case 'text':
        return typeof value === 'string' && value.length <= MAX_PROMPT_CHARS;
      case 'boolean':
        return typeof value === 'boolean';
    }
  }
  switch (kind.kind) {
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= kind.min && value <= kind.max;
    case 'enum':
      return typeof value === 'string' && kind.values.includes(value);
  }
}

/**
 * A validator for the message union `U`: it returns the message typed if it has exactly the
 * shape its `type` requires, else a reason. Unknown extra fields are dropped rather than passed along.
 */
export function messageValidator<U extends { type: string }>(shapes: ShapeTable<U>): (raw: unknown) => Validation<U> {
  const table = shapes as unknown as Record<string, Record<string, AnyField>>;
  return (raw) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'not an object' };
    const type = (raw as { type?: unknown }).type;
    if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(table, type)) {
      return { ok: false, reason: `unknown type ${JSON.stringify(String(type)).slice(0, 60)}` };
    }
    const clean: Record<string, unknown> = { type };
    for (const [field, spec] of Object.entries(table[type])) {
      const value = (raw as Record<string, unknown>)[field];
      const isOptional = typeof spec === 'object' && 'optional' in spec;
      if (isOptional && value === undefined) continue;
      if (!fieldIsValid(isOptional ? spec.optional : spec, value)) return { ok: false, reason: `${type}.${field} is invalid` };
      clean[field] = value;
    }
    return { ok: true, message: clean as unknown as U };
  };
}

/** Validates a message posted by the webview; see `messageValidator`. */
export const validateWebviewMessage: (raw: unknown) => Validation<WebviewToHost> = messageValidator<WebviewToHost>(WEBVIEW_MESSAGE_SHAPES);
