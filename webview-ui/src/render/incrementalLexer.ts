// Lexes a growing markdown text without re-lexing what is already settled.
//
// The text is split at `offset`: everything before it belongs to top-level blocks that are
// FROZEN (their tokens can no longer change, whatever is appended), everything after it is
// the tail. Each update lexes only the tail; the tail's leading tokens that have become
// settled are frozen and `offset` moves past them. So an update costs O(tail), not O(text).
//
// When is a token settled? marked lexes block by block from the start of the remaining text,
// and a block's extent is decided by looking at the line(s) right after it (does this line
// continue the list / paragraph / quote, or interrupt it?). So a block is settled once the
// NEXT non-space block has started on a line that is complete (ends in '\n'): appended text
// can no longer change that line. The first line alone is not enough while it is still being
// typed: "para\n```" is a paragraph followed by a fence, but "para\n```a`" is one paragraph.
// Some decisions look two lines ahead: a table starts only with its delimiter row, and a
// paragraph (also inside a list or quote) may end before a line because of the line after
// it ("|---|\n  y\n-" splits before "  y" as a setext heading; "- x" then undoes that). So
// after a paragraph, list or quote, and for a table, the next block counts as started once
// two of its lines are complete.
// A reference definition followed by a line that starts like a title stays open (below).
// Blank lines ('space' tokens) never settle anything: a list or an indented code block may
// continue after them.
//
// Consequences, kept deliberately:
// - the last block is always open; so is any block followed only by blank lines or by a
//   block whose first line is still incomplete (a list stays open until something that is
//   not part of the list has started; a paragraph may still become a setext heading or a
//   table);
// - reference definitions ([x]: url) found in frozen text are carried into later lexes, and
//   so are marked's "inside an inline <a>" state and whether the last frozen block is a
//   paragraph (marked looks back at it), so frozen and one-shot lexing agree. A
//   definition that appears AFTER a frozen block that uses it cannot be applied to that
//   block by this lexer; the renderer repairs that case on finish() (see streamingRenderer).
import { forEachToken, lexMarkdown, type Links, type Token } from './markdown';

export { forEachToken };

export interface PositionedToken {
  token: Token;
  /** Offset of the token's raw text in the whole (normalised) document. */
  start: number;
}

export interface LexUpdate {
  /** Tokens that became settled in this update; they are never returned again. */
  frozen: PositionedToken[];
  /** The unsettled tail, re-lexed on every update. */
  open: PositionedToken[];
  /** Definitions known to this lex (the tokens above were inline-lexed with these). */
  links: Links;
}

export class IncrementalLexer {
  private frozenText = '';
  private tail = '';
  private offset = 0;
  private carriedLinks: Links = Object.create(null) as Links;
  private carriedInLink = false;
  private lastFrozenType = '';
  private pendingCR = false;

  /** The whole (normalised) text. Concatenation is cheap; avoid calling it per chunk. */
  get text(): string {
    return this.frozenText + this.tail;
  }

  /** Length of the frozen prefix of `text`. */
  get frozenLength(): number {
    return this.offset;
  }

  /** Length of `text`, without building it. */
  get length(): number {
    return this.offset + this.tail.length;
  }

  append(chunk: string): void {
    this.tail += this.normaliseNewlines(chunk);
  }

  /** CRLF / CR → LF for a chunk that goes elsewhere, keeping the chunk-safe state in step. */
  normalise(chunk: string): string {
    return this.normaliseNewlines(chunk);
  }

  /** Appends text already normalised with normalise(). */
  appendNormalised(text: string): void {
    this.tail += text;
  }

  /** Cuts `text` back to its first `length` characters (never into frozen text); returns the cut part. */
  truncate(length: number): string {
    const keep = Math.max(length, this.offset) - this.offset;
    const cut = this.tail.slice(keep);
    this.tail = this.tail.slice(0, keep);
    return cut;
  }

  reset(): void {
    this.frozenText = '';
    this.tail = '';
    this.offset = 0;
    this.carriedLinks = Object.create(null) as Links;
    this.carriedInLink = false;
    this.lastFrozenType = '';
    this.pendingCR = false;
  }

  /** Lexes the tail, freezes what has settled, and returns frozen + open tokens. */
  update(): LexUpdate {
    const src = this.tail;
    const { tokens, links } = lexMarkdown(src, {
      links: this.carriedLinks,
      inLink: this.carriedInLink,
      afterParagraph: this.lastFrozenType === 'paragraph',
    });
    const starts: number[] = [];
    let pos = 0;
    for (const token of tokens) {
      starts.push(pos);
      pos += token.raw.length;
    }

    let settledCount = countSettled(src, tokens, starts);
    // marked sometimes glues a '\n' onto a raw that is not in the source; only freeze raws
    // that match the text exactly, or the offset would drift.
    for (let i = 0; i < settledCount; i++) {
      if (!src.startsWith(tokens[i].raw, starts[i])) {
        settledCount = i;
        break;
      }
    }

    const frozen: PositionedToken[] = [];
    for (let i = 0; i < settledCount; i++) {
      frozen.push({ token: tokens[i], start: this.offset + starts[i] });
      this.carryState(tokens[i]);
    }
    const open: PositionedToken[] = [];
    for (let i = settledCount; i < tokens.length; i++) {
      open.push({ token: tokens[i], start: this.offset + starts[i] });
    }

    if (settledCount > 0) {
      const frozenLength = starts[settledCount];
      this.frozenText += src.slice(0, frozenLength);
      this.tail = src.slice(frozenLength);
      this.offset += frozenLength;
    }
    return { frozen, open, links };
  }

  /** CRLF / CR → LF as marked does, but chunk-safe ("\r" | "\n" may arrive apart). */
  private normaliseNewlines(chunk: string): string {
    let text = chunk;
    if (this.pendingCR && text.startsWith('\n')) text = text.slice(1);
    this.pendingCR = text.endsWith('\r');
    return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  }

  private carryState(token: Token): void {
    this.lastFrozenType = token.type;
    forEachToken(token, (t) => {
      if (t.type === 'def' && !(t.tag in this.carriedLinks)) {
        this.carriedLinks[t.tag] = { href: t.href, title: t.title };
      } else if (t.type === 'html' && !t.block && 'inLink' in t) {
        this.carriedInLink = Boolean(t.inLink);
      }
    });
  }
}

/** Blocks whose paragraph text ends where a table starts: a two-line lookahead. */
const CONTINUABLE = new Set(['paragraph', 'blockquote', 'list']);

/** How many leading tokens are settled (see the header comment). */
function countSettled(src: string, tokens: Token[], starts: number[]): number {
  for (let i = tokens.length - 1; i > 0; i--) {
    const token = tokens[i];
    if (token.type === 'space') continue;
    const linesNeeded = token.type === 'table' || CONTINUABLE.has(tokens[i - 1].type) ? 2 : 1;
    if (hasCompleteLines(src, starts[i], linesNeeded)) return capAtOpenDefinition(tokens, i);
  }
  return 0;
}

/**
 * A definition's title may start on the next line and run over many lines until its closing
 * quote ("[a]: /url\n'multi\nline'"), so a definition followed by a line that starts like a
 * title stays open, with everything after it. Rare, and bounded to that answer.
 */
function capAtOpenDefinition(tokens: Token[], settled: number): number {
  for (let i = 0; i < settled; i++) {
    const next = tokens[i + 1];
    if (tokens[i].type === 'def' && next.type !== 'space' && /^[ \t]*["'(]/.test(next.raw)) return i;
  }
  return settled;
}

function hasCompleteLines(src: string, from: number, count: number): boolean {
  let at = from;
  for (let n = 0; n < count; n++) {
    const newline = src.indexOf('\n', at);
    if (newline < 0) return false;
    at = newline + 1;
  }
  return true;
}
