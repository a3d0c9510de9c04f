// The one place that talks to `marked`: shared options, the lexer entry point and the
// token → HTML step. Everything else works with tokens and DOM nodes.
import { Lexer, Parser, Renderer, getDefaults } from 'marked';
import type { Links, MarkedOptions, Token, Tokens } from 'marked';

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

/** Lexes `src` as if it followed the text described by `context`. */
export function lexMarkdown(src: string, context: LexContext = {}): LexResult {
  const lexer = new Lexer(options);
  if (context.links) Object.assign(lexer.tokens.links, context.links);
  if (context.inLink) lexer.state.inLink = true;
  // marked decides some blocks by the previous one: an HTML block such as "</pre>" cannot
  // interrupt a paragraph. A stand-in paragraph gives it that context; it is removed after.
  const standIn = context.afterParagraph ? pushStandInParagraph(lexer) : undefined;
  const tokens = lexer.lex(src);
  if (standIn) tokens.splice(tokens.indexOf(standIn), 1);
  return { tokens, links: tokens.links };
}

function pushStandInParagraph(lexer: InstanceType<typeof Lexer>): Token {
  const standIn: Tokens.Paragraph = { type: 'paragraph', raw: '', text: '', tokens: [] };
  lexer.tokens.push(standIn);
  // Merges into a previous paragraph update its inline-queue entry; give it one.
  lexer.inlineQueue.push({ src: '', tokens: standIn.tokens });
  return standIn;
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
