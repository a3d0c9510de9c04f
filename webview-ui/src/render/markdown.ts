// The one place that talks to `marked`: shared options, the lexer entry point and the
// token → HTML step. Everything else works with tokens and DOM nodes.
import { Lexer, Parser, Renderer, getDefaults } from 'marked';
import type { Links, MarkedOptions, Token, Tokens, TokensList } from 'marked';
import {
  INLINE_WORK_BASE,
  INLINE_WORK_PER_CHAR,
  INLINE_WORK_PER_STEP,
  MAX_INLINE_CHARS,
  MAX_LEX_CHARS,
  MAX_TABLE_CELLS,
  findTooDeepRegions,
} from './guards';

export type { Links, Token, Tokens };

/** Markdown → HTML overrides; the HTML is still untrusted and goes through sanitize.ts. */
class ChatRenderer extends Renderer {
  // No extra trailing newline: the <code> text must equal codeText() exactly, because
  // codeBlock.ts reads it back as the source for copy / insert / apply.
  override code(token: Tokens.Code): string {
    const language = (token.lang ?? '').match(/^\S*/)?.[0] ?? '';
    const cls = language ? ` class="language-${escapeHtml(language)}"` : '';
    return `<pre><code${cls}>${escapeHtml(codeText(token))}</code></pre>\n`;
  }

  // Task-list checkboxes as text: <input> is not on the sanitiser's allow-list.
  override checkbox({ checked }: Tokens.Checkbox): string {
    return checked ? '☑ ' : '☐ ';
  }
}

/**
 * The code of a code block: its lines joined with '\n', no newline after the last one.
 * marked usually drops that final newline but keeps it when the block ends with a blank
 * line ("x\n\n" for lines "x" and ""), and keeps it for indented code; normalise.
 */
export function codeText(token: { text: string }): string {
  return token.text.endsWith('\n') ? token.text.slice(0, -1) : token.text;
}

const options: MarkedOptions = { ...getDefaults(), gfm: true, breaks: false, renderer: new ChatRenderer() };

/** Lexer state carried over from text that was already lexed (see incrementalLexer.ts). */
export interface LexContext {
  /** Reference-link definitions seen earlier in the document (first definition wins). */
  links?: Links;
  /** Whether an earlier inline `<a>` is still open; marked suppresses bare-URL autolinks then. */
  inLink?: boolean;
  /** Whether the block just before `src` is a paragraph (marked looks back at it, see below). */
  afterParagraph?: boolean;
}

export interface LexResult {
  tokens: Token[];
  /** Every definition known after this lex: the carried ones plus the new ones. */
  links: Links;
}

/** The type of a block shown as plain text (see plainToken). */
export const PLAIN_TOKEN = 'mlPlain';

/**
 * A block shown as plain text, with a notice: nested too deeply, too large or too costly for
 * marked (see guards.ts), or marked failed on it. Never given to marked's Parser.
 */
export function plainToken(raw: string): Token {
  return { type: PLAIN_TOKEN, raw, text: raw };
}

/**
 * Lexes `src` as if it followed the text described by `context`. Never throws: parts that
 * marked must not see (guards.ts) or that it fails on become plain-text tokens.
 */
export function lexMarkdown(src: string, context: LexContext = {}): LexResult {
  // Past MAX_LEX_CHARS, from a line start where there is one: plain text, never scanned.
  const cut = src.length > MAX_LEX_CHARS ? src.lastIndexOf('\n', MAX_LEX_CHARS - 1) + 1 || MAX_LEX_CHARS : src.length;
  const head = cut < src.length ? src.slice(0, cut) : src;
  const text = head.includes('\r') ? head.replace(/\r\n?/g, '\n') : head;
  let result: LexResult;
  try {
    result = lexAroundDeepRegions(text, context);
  } catch {
    // marked failed on something no limit foresaw (a stack overflow, say): lex each group of
    // lines on its own, so only the group that fails is shown as plain text.
    result = lexGroupByGroup(text, context);
  }
  if (cut < src.length) result.tokens.push(plainToken(src.slice(cut)));
  return result;
}

interface SegmentResult extends LexResult {
  inLink: boolean;
}

/** Lexes `text`, with the regions nested too deeply for marked as plain-text tokens. */
function lexAroundDeepRegions(text: string, context: LexContext): SegmentResult {
  const regions = findTooDeepRegions(text);
  if (regions.length === 0) return lexSegment(text, context);
  const chain = new SegmentChain(context);
  let at = 0;
  for (const region of regions) {
    if (region.start > at) chain.add(lexSegment(text.slice(at, region.start), chain.context));
    chain.addPlain(text.slice(region.start, region.end));
    at = region.end;
  }
  if (at < text.length) chain.add(lexSegment(text.slice(at), chain.context));
  return chain.result();
}

function lexGroupByGroup(text: string, context: LexContext): SegmentResult {
  const chain = new SegmentChain(context);
  for (const group of splitAtBlankLines(text)) {
    try {
      chain.add(lexAroundDeepRegions(group, chain.context));
    } catch {
      chain.addPlain(group);
    }
  }
  return chain.result();
}

/** Joins the tokens of consecutive parts of a text, carrying the lexer context across. */
class SegmentChain {
  private readonly tokens: Token[] = [];
  private links: Links;
  private inLink: boolean;
  private afterParagraph: boolean;

  constructor(context: LexContext) {
    this.links = context.links ?? (Object.create(null) as Links);
    this.inLink = Boolean(context.inLink);
    this.afterParagraph = Boolean(context.afterParagraph);
  }

  get context(): LexContext {
    return { links: this.links, inLink: this.inLink, afterParagraph: this.afterParagraph };
  }

  add(result: SegmentResult): void {
    for (const token of result.tokens) this.tokens.push(token);
    this.links = result.links;
    this.inLink = result.inLink;
    const last = result.tokens[result.tokens.length - 1];
    if (last) this.afterParagraph = last.type === 'paragraph';
  }

  addPlain(raw: string): void {
    this.tokens.push(plainToken(raw));
    this.afterParagraph = false;
  }

  result(): SegmentResult {
    return { tokens: this.tokens, links: this.links, inLink: this.inLink };
  }
}

/** Consecutive pieces of `text`, each ending after a run of blank lines (or at the end). */
function splitAtBlankLines(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (const match of text.matchAll(/\n(?:[ \t]*\n)+/g)) {
    const end = match.index + match[0].length;
    pieces.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) pieces.push(text.slice(start));
  return pieces;
}

function lexSegment(src: string, context: LexContext): SegmentResult {
  const lexer = new GuardedLexer(options);
  if (context.links) Object.assign(lexer.tokens.links, context.links);
  if (context.inLink) lexer.state.inLink = true;
  // marked decides some blocks by the previous one: an HTML block such as "</pre>" cannot
  // interrupt a paragraph. A stand-in paragraph gives it that context; it is removed after.
  const standIn = context.afterParagraph ? pushStandInParagraph(lexer) : undefined;
  const tokens = lexer.lex(src);
  if (standIn) tokens.splice(tokens.indexOf(standIn), 1);
  return { tokens: lexer.withPlainBlocks(tokens), links: tokens.links, inLink: lexer.state.inLink };
}

function pushStandInParagraph(lexer: Lexer): Token {
  const standIn: Tokens.Paragraph = { type: 'paragraph', raw: '', text: '', tokens: [] };
  lexer.tokens.push(standIn);
  // Merges into a previous paragraph update its inline-queue entry; give it one.
  lexer.inlineQueue.push({ src: '', tokens: standIn.tokens });
  return standIn;
}

// ----------------------------------------------------------------- the guarded lexer

/** Characters' worth of work the emphasis scanners may still do in the current inline run. */
let inlineBudget = Infinity;
const BUDGET_EXCEEDED = new Error('inline work budget exceeded');

/**
 * One of marked's closing-delimiter scanners (for `*`, `_` and `~`), metered: each step is
 * charged what it read, and the run is abandoned when its budget is spent. This is where
 * marked's emphasis work goes quadratic; metering it bounds the work exactly, without
 * guessing from the text which runs are costly.
 */
class MeteredRegExp extends RegExp {
  override exec(text: string): RegExpExecArray | null {
    const from = this.lastIndex;
    const match = super.exec(text);
    inlineBudget -= INLINE_WORK_PER_STEP + (match ? this.lastIndex : text.length) - from;
    if (inlineBudget < 0) throw BUDGET_EXCEEDED;
    return match;
  }
}

const METERED = ['emStrongRDelimAst', 'emStrongRDelimUnd', 'delRDelim'] as const;

interface LexerRules {
  inline: Record<string, RegExp>;
}

const meteredInlineRules = new WeakMap<object, Record<string, RegExp>>();

function withMeteredScanners(rules: LexerRules): LexerRules {
  let inline = meteredInlineRules.get(rules.inline);
  if (!inline) {
    inline = { ...rules.inline };
    for (const name of METERED) if (inline[name]) inline[name] = new MeteredRegExp(inline[name]);
    meteredInlineRules.set(rules.inline, inline);
  }
  return { ...rules, inline };
}

/** Marks an inline run that was not lexed: its text stays as it is, escaped on output. */
const DEGRADED = 'mlDegraded';

/**
 * marked's Lexer with limits on the inline pass: runs over MAX_INLINE_CHARS or over their
 * work budget, and tables over MAX_TABLE_CELLS, are not inline-lexed; the top-level blocks
 * holding them become plain-text tokens (withPlainBlocks).
 */
class GuardedLexer extends Lexer {
  private readonly plainBlocks = new Set<Token>();
  private degraded = false;

  constructor(lexerOptions: MarkedOptions) {
    super(lexerOptions);
    // Each Lexer sets the (shared) tokenizer's rules; meter this lexer's emphasis scanners.
    const tokenizer = (this as unknown as { tokenizer: { rules: LexerRules } }).tokenizer;
    tokenizer.rules = withMeteredScanners(tokenizer.rules);
  }

  /** marked's Lexer.lex (block pass, then the inline pass over the queue), with the limits. */
  override lex(src: string): TokensList {
    const text = src.replace(/\r\n|\r/g, '\n');
    const firstNew = this.tokens.length;
    this.blockTokens(text, this.tokens);
    const skipped = this.findOversizedTables(this.tokens.slice(firstNew));
    for (let i = 0; i < this.inlineQueue.length; i++) {
      const { src: run, tokens } = this.inlineQueue[i];
      this.state.inRawBlock = false;
      if (!skipped.has(tokens)) this.inlineRun(run, tokens);
    }
    this.inlineQueue = [];
    return this.tokens;
  }

  /** `tokens` with each top-level block that holds a run or table past a limit as plain text. */
  withPlainBlocks(tokens: Token[]): Token[] {
    if (!this.degraded && this.plainBlocks.size === 0) return tokens;
    return tokens.map((token) => (this.plainBlocks.has(token) || (this.degraded && holdsDegradedRun(token)) ? plainToken(token.raw) : token));
  }

  private inlineRun(run: string, tokens: Token[]): void {
    if (run.length > MAX_INLINE_CHARS) {
      this.degrade(run, tokens);
      return;
    }
    const inLink = this.state.inLink;
    inlineBudget = INLINE_WORK_BASE + INLINE_WORK_PER_CHAR * run.length;
    try {
      this.inlineTokens(run, tokens);
    } catch {
      // Over budget, or marked failed on this run (a stack overflow, say).
      this.state.inLink = inLink;
      this.degrade(run, tokens);
    } finally {
      inlineBudget = Infinity;
    }
  }

  private degrade(run: string, tokens: Token[]): void {
    tokens.length = 0;
    tokens.push({ type: 'text', raw: run, text: run, escaped: false, [DEGRADED]: true });
    this.degraded = true;
  }

  /** Top-level blocks with too many table cells; returns the inline runs not to lex. */
  private findOversizedTables(blocks: Token[]): Set<Token[]> {
    const skipped = new Set<Token[]>();
    for (const block of blocks) {
      if (countTableCells(block) <= MAX_TABLE_CELLS) continue;
      this.plainBlocks.add(block);
      collectInlineRuns(block, skipped);
    }
    return skipped;
  }
}

/** Cells of the tables in a block (nested in lists and quotes too), up to just past the limit. */
function countTableCells(token: Token): number {
  switch (token.type) {
    case 'table':
      return (token.rows.length + 1) * token.header.length;
    case 'list': {
      let cells = 0;
      for (const item of token.items as Token[]) {
        cells += countTableCells(item);
        if (cells > MAX_TABLE_CELLS) break;
      }
      return cells;
    }
    case 'blockquote':
    case 'list_item': {
      let cells = 0;
      for (const child of token.tokens ?? []) {
        cells += countTableCells(child);
        if (cells > MAX_TABLE_CELLS) break;
      }
      return cells;
    }
    default:
      return 0;
  }
}

/** The token arrays under `token` that the inline pass would fill. */
function collectInlineRuns(token: Token, into: Set<Token[]>): void {
  if (token.type === 'table') {
    for (const cell of token.header) into.add(cell.tokens);
    for (const row of token.rows) for (const cell of row) into.add(cell.tokens);
    return;
  }
  if (token.type === 'list') {
    for (const item of token.items as Token[]) collectInlineRuns(item, into);
    return;
  }
  if ('tokens' in token && Array.isArray(token.tokens)) {
    into.add(token.tokens);
    for (const child of token.tokens) collectInlineRuns(child, into);
  }
}

function holdsDegradedRun(token: Token): boolean {
  let found = false;
  forEachToken(token, (t) => {
    if ((t as Record<string, unknown>)[DEGRADED]) found = true;
  });
  return found;
}

/** Visits a token and its descendants in document order (marked's inline-lexing order). */
export function forEachToken(token: Token, visit: (token: Token) => void): void {
  visit(token);
  switch (token.type) {
    case 'list':
      for (const item of token.items) forEachToken(item as Token, visit);
      return;
    case 'table':
      for (const cell of token.header) cell.tokens.forEach((t: Token) => forEachToken(t, visit));
      for (const row of token.rows) for (const cell of row) cell.tokens.forEach((t: Token) => forEachToken(t, visit));
      return;
    default:
      if ('tokens' in token && Array.isArray(token.tokens)) {
        for (const child of token.tokens) forEachToken(child, visit);
      }
  }
}

/** HTML for one top-level token (untrusted until sanitised). */
export function tokenToHtml(token: Token): string {
  return new Parser(options).parse([token]);
}

/** HTML for a whole document in one go; the naive baseline only. */
export function markdownToHtml(text: string): string {
  return new Parser(options).parse(new Lexer(options).lex(text));
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}
