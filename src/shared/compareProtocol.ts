// The typed protocol between the host and the comparison webview (one column per model).
// Imported by both bundles, so it must not import `vscode` or touch the DOM.
import type { CodeBlockAction, ErrorView, Usage } from './protocol';
import { CODE_BLOCK_ACTIONS, integer, messageValidator, oneOf, optional, type ShapeTable, type Validation } from './validate';

/** Where one column's answer is: waiting to be sent, queued for a slot, streaming, or how it ended. */
export type ColumnStatus = 'waiting' | 'queued' | 'streaming' | 'done' | 'truncated' | 'stopped' | 'incomplete' | 'error';

export interface ColumnView {
  model: string;
  /** The model's display name. */
  label: string;
  status: ColumnStatus;
  /** The text so far (on init; later text comes as deltas). */
  text: string;
  /** From Send to the first token. */
  firstTokenMs?: number;
  /** Completion tokens per second of streaming (from the first token to the end). */
  tokensPerSecond?: number;
  usage?: Usage;
  error?: ErrorView;
  /** Something to know about this column now: "Waiting for a free slot (2nd)", "Rate limited: retrying in 4 s". */
  note?: string;
}

export interface ComparisonView {
  /** The chat answer this comparison belongs to. */
  messageId: string;
  prompt: string;
  columns: ColumnView[];
  /** Set once the user picked an answer to continue with. */
  chosen?: number;
  /** False for a comparison reopened from history after the conversation moved on. */
  canChoose: boolean;
}

export type HostToCompare =
  | { type: 'init'; comparison: ComparisonView }
  | { type: 'delta'; column: number; text: string }
  /** Everything about a column but its text. */
  | { type: 'column'; column: number; state: Omit<ColumnView, 'text' | 'model' | 'label'> }
  | { type: 'chosen'; column: number };

export type CompareToHost =
  | { type: 'ready' }
  /** Stop one column, or all of them. */
  | { type: 'stop'; column?: number }
  | { type: 'use'; column: number }
  | { type: 'openLink'; href: string }
  | { type: 'codeBlock'; action: CodeBlockAction; code: string; language: string };

/** At most this many columns: the validator refuses any other index. */
export const MAX_COMPARE_COLUMNS = 4;

const COMPARE_MESSAGE_SHAPES: ShapeTable<CompareToHost> = {
  ready: {},
  stop: { column: optional(integer(0, MAX_COMPARE_COLUMNS - 1)) },
  use: { column: integer(0, MAX_COMPARE_COLUMNS - 1) },
  openLink: { href: 'text' },
  codeBlock: { action: oneOf(CODE_BLOCK_ACTIONS), code: 'text', language: 'id' },
};

/** The comparison webview's messages are untrusted like the chat's: checked field by field. */
export const validateCompareMessage: (raw: unknown) => Validation<CompareToHost> = messageValidator<CompareToHost>(COMPARE_MESSAGE_SHAPES);
