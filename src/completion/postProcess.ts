// A chat model's reply turned into the text to insert at the cursor ('' = show nothing).
// Chat models wrap code in fences, add prose, repeat the code around the hole, run past the
// block and guess the indentation; each step below undoes one of those habits.
import {
  completionMode, firstLine, isBlank, lastLine, MARKER_PATTERN, opensBlock, usesHashComments, usesTags, withoutLineComment, type CompletionMode,
} from './holePrompt';
import type { HoleShape } from './types';

/** Columns per indentation level; a tab counts as one level. */
interface IndentStyle {
  tabs: boolean;
  unit: number;
}

/** What the rules need to know about the hole, worked out once. */
interface Hole {
  lang: string;
  /** The cursor's line up to the cursor. */
  cur: string;
  /** The cursor's line after the cursor. */
  after: string;
  /** Whole lines above and below the cursor's line. */
  above: string[];
  below: string[];
  indent: IndentStyle;
  /** The document around the hole, to tell an echoed marker from real code. */
  file: string;
}

export function cleanCompletion(raw: string, hole: HoleShape, mode: CompletionMode = completionMode(hole)): string {
  const h = holeFacts(hole);
  let text = unwrapReply(stripArtifacts(raw, h), h.lang);
  if (isBlank(text) || isOnlyASentence(text, h)) return '';
  text = placeFirstLine(dropPrefixEcho(text, h), h, mode);
  text = mode === 'line' ? firstLine(text) : shapeBlock(text.split('\n'), h).join('\n');
  text = trimSuffixOverlap(text.trimEnd(), h);
  if (isBlank(text) || repeatsNearbyLine(text, h)) return '';
  return closesOnItsOwnLine(text, h, mode);
}

/**
 * A block written between "{" and the brace the editor closed ("{|}"): the brace goes back on a
 * line of its own, at the opener's indentation, as the user would have typed it.
 */
function closesOnItsOwnLine(text: string, h: Hole, mode: CompletionMode): string {
  if (mode !== 'block' || !text.includes('\n') || !/^\s*[)\]}]/.test(h.after)) return text;
  return `${text.trimEnd()}\n${indentOf(h.cur)}`;
}

function holeFacts(hole: HoleShape): Hole {
  const cur = lastLine(hole.prefix);
  const above = hole.prefix.slice(0, hole.prefix.length - cur.length).split('\n');
  above.pop();
  const [after, ...below] = hole.suffix.split('\n');
  const lang = hole.languageId;
  return { lang, cur, after, above, below, indent: detectIndent([...above, cur, ...below], lang), file: hole.prefix + hole.suffix };
}

// ---- Indentation ----

const TWO_SPACE_LANGUAGES = new Set(['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'json', 'jsonc', 'yaml', 'html', 'css', 'scss', 'vue']);

const indentOf = (line: string): string => /^[ \t]*/.exec(line)![0];

/** The most common step between the indents of consecutive space-indented lines (2 to 8). */
function spaceUnit(lines: readonly string[]): number | undefined {
  const counts = new Map<number, number>();
  let previous = 0;
  for (const line of lines) {
    if (isBlank(line) || line.startsWith('\t')) continue;
    const width = indentOf(line).length;
    const step = Math.abs(width - previous);
    if (step >= 2 && step <= 8) counts.set(step, (counts.get(step) ?? 0) + 1);
    previous = width;
  }
  let best: number | undefined;
  for (const [step, n] of counts) if (best === undefined || n > counts.get(best)! || (n === counts.get(best) && step < best)) best = step;
  return best;
}

function detectIndent(lines: readonly string[], lang: string): IndentStyle {
  const tabbed = lines.filter((l) => l.startsWith('\t')).length;
  const spaced = lines.filter((l) => l.startsWith(' ') && !isBlank(l)).length;
  if (tabbed > spaced || (tabbed === 0 && spaced === 0 && lang === 'go')) return { tabs: true, unit: 4 };
  return { tabs: false, unit: spaceUnit(lines) ?? (TWO_SPACE_LANGUAGES.has(lang) ? 2 : 4) };
}

function cols(ws: string, style: IndentStyle): number {
  let n = 0;
  for (const ch of ws) n += ch === '\t' ? style.unit : 1;
  return n;
}

function render(columns: number, style: IndentStyle): string {
  const c = Math.max(0, columns);
  return style.tabs ? '\t'.repeat(Math.floor(c / style.unit)) + ' '.repeat(c % style.unit) : ' '.repeat(c);
}

/** Reads the reply's indentation in the file's columns: spaces in a tabbed file count by the reply's own step. */
function replyColumns(lines: readonly string[], style: IndentStyle): (ws: string) => number {
  if (!style.tabs || lines.some((l) => l.startsWith('\t'))) return (ws) => cols(ws, style);
  const unit = spaceUnit(lines) ?? style.unit;
  return (ws) => Math.round((cols(ws, style) * style.unit) / unit);
}

// ---- Brackets, strings and comments, roughly ----

const JSX_LANGUAGES = new Set(['typescriptreact', 'javascriptreact']);
const INDENT_SENSITIVE = new Set(['python', 'yaml', 'coffeescript', 'haml', 'pug']);

/** The line with string contents and comments removed, so their brackets do not count. */
function codeOnly(line: string, lang: string): string {
  const strings = lang === 'rust' ? /"(?:[^"\\]|\\.)*"|'(?:\\.|[^'\\])'/g : /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g;
  let code = line.replace(strings, '""');
  code = usesHashComments(lang) ? code.replace(/(^|\s)#.*$/, '') : code.replace(/\/\*.*?\*\//g, '').replace(/(^|[^:])\/\/.*$/, '$1');
  return usesTags(lang) ? code.replace(/<!--.*?-->/g, '') : code;
}

function depthTokens(lang: string): RegExp {
  const parts = ['[{(\\[]', '[})\\]]'];
  if (lang === 'shellscript') parts.push('\\b(?:if|case|for|while|until|select|fi|esac|done)\\b');
  if (usesTags(lang)) parts.push('<\\/?[A-Za-z][\\w-]*\\b[^<>]*>');
  return new RegExp(parts.join('|'), 'g');
}

function tokenDelta(token: string): number {
  if (/^[{([]$/.test(token) || /^(if|case|for|while|until|select)$/.test(token)) return 1;
  if (/^[})\]]$/.test(token) || /^(fi|esac|done)$/.test(token)) return -1;
  if (token.startsWith('</')) return -1;
  const tag = /^<([A-Za-z][\w-]*)/.exec(token)?.[1] ?? '';
  return token.endsWith('/>') || /^(area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)$/i.test(tag) ? 0 : 1;
}

/** The bracket (and keyword, and tag) depth after a line, and the lowest it went. */
function depthAfter(line: string, depth: number, lang: string): { end: number; min: number } {
  let end = depth;
  let min = depth;
  for (const m of codeOnly(line, lang).matchAll(depthTokens(lang))) {
    end += tokenDelta(m[0]);
    min = Math.min(min, end);
  }
  return { end, min };
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

/** How far from balanced: unmatched brackets plus unpaired quotes. Overlap trims must not raise it. */
function unbalance(text: string, lang: string): number {
  const code = text.split('\n').map((l) => codeOnly(l, lang)).join('\n');
  let n = 0;
  for (const [open, close] of ['()', '[]', '{}']) n += Math.abs(count(code, open) - count(code, close));
  for (const quote of lang === 'rust' ? ['"'] : ['"', "'", '`']) n += count(code, quote) % 2;
  return n;
}

function startsWithCloser(line: string, lang: string): boolean {
  const t = line.trimStart();
  if (/^[}\])]/.test(t)) return true;
  if (lang === 'shellscript' && /^(fi|done|esac|else|elif)\b/.test(t)) return true;
  return (usesTags(lang) || JSX_LANGUAGES.has(lang)) && t.startsWith('</');
}

// ---- Wrapping: markers, fences, prose ----

const SPECIAL_TOKENS = /<\|[A-Za-z_]+\|>|<｜[^｜\n]*｜>|<\/?COMPLETION>/g;

function stripArtifacts(raw: string, h: Hole): string {
  const unlessInFile = (m: string) => (h.file.includes(m) ? m : '');
  return raw.replace(/\r\n?/g, '\n').replace(MARKER_PATTERN, unlessInFile).replace(SPECIAL_TOKENS, unlessInFile);
}

const FENCE_LINE = /^\s*(`{3,}|~{3,})[^`]*$/;
const PROSE_INTRO = /^(sure|certainly|of course|okay|ok|absolutely|here(?:'s| is| are)|the (?:completion|completed|missing|code|following|rest)|to (?:complete|fill|finish)|this (?:completes|fills|will|should)|i(?:'ll| will|'ve| have)|below|you can)\b/i;
const CHATTY = /^(Let me know|I hope|Hope this helps|Feel free|Happy coding)\b/;
const PROSE_OUTRO = /^(This|These|That|Note|Explanation|Let me|Hope|In this|With this|Now|It|I|I'm|I've|The (?:above|code|function|completion|missing|rest))\b[^;{}=]*$/;

function isProseIntro(line: string): boolean {
  const t = line.trim();
  if (/^(completion|answer|output|code|result|solution)\s*:$/i.test(t)) return true;
  return PROSE_INTRO.test(t) && /[:.!]$/.test(t) && !/[;{}=]/.test(t);
}

function isProseOutro(line: string): boolean {
  const t = line.trim();
  return CHATTY.test(t) || PROSE_OUTRO.test(t) && (t.endsWith(':') || t.split(/\s+/).length >= 3);
}

/** The code of the first fenced block with any, or of the code before a stray closing fence. */
function fencedCode(lines: readonly string[], lang: string): string | undefined {
  const at = lines.findIndex((l) => FENCE_LINE.test(l));
  if (at < 0) return undefined;
  const before = lines.slice(0, at);
  if (before.some((l) => !isBlank(l) && !isProseIntro(l))) {
    // Markdown writes fences of its own; elsewhere code before a fence means the fence closes it.
    return lang === 'markdown' ? undefined : dropLeadingProse(before.join('\n'));
  }
  const marker = /^\s*(`{3,}|~{3,})/.exec(lines[at])![1];
  const close = lines.findIndex((l, i) => i > at && l.trim().startsWith(marker) && l.trim().replace(/[`~]/g, '') === '');
  const body = lines.slice(at + 1, close < 0 ? undefined : close).join('\n').replace(/`{3,}\s*$/, '');
  if (!isBlank(body) || close < 0) return body;
  return fencedCode(lines.slice(close + 1), lang) ?? '';
}

function dropLeadingProse(text: string): string {
  const lines = text.split('\n');
  let i = 0;
  let cut = 0;
  while (i < lines.length && i < 6) {
    if (isBlank(lines[i])) i++;
    else if (isProseIntro(lines[i])) cut = ++i;
    else break;
  }
  if (cut === 0) return text;
  while (cut < lines.length && isBlank(lines[cut])) cut++;
  return lines.slice(cut).join('\n');
}

/** Drops closing paragraphs about the code ("This adds…"): flush-left prose after a blank line, or a last sentence. */
function dropTrailingProse(text: string, lang: string): string {
  // In prose files only the chat pleasantries can be told from the text.
  const isOutro = lang === 'markdown' || lang === 'plaintext' ? (l: string) => CHATTY.test(l.trim()) : isProseOutro;
  const lines = text.replace(/\s+$/, '').split('\n');
  for (;;) {
    const blank = lines.map(isBlank).lastIndexOf(true);
    const from = blank >= 0 ? blank + 1 : lines.length - 1;
    const paragraph = lines.slice(from);
    const prose = from > 0 && paragraph.length > 0 && isOutro(paragraph[0]) && paragraph.every((l) => !/^\s/.test(l));
    if (!prose || (blank < 0 && !/[.!]$/.test(paragraph[0].trim()))) break;
    lines.splice(from);
    while (lines.length > 0 && isBlank(lines[lines.length - 1])) lines.pop();
  }
  return lines.join('\n');
}

/** Comments, strings and prose files take sentences; code does not. */
function cursorInProse(h: Hole): boolean {
  if (h.lang === 'markdown' || h.lang === 'plaintext') return true;
  const comment = usesHashComments(h.lang) ? /#|"""|'''/ : /\/\/|\/\*|^\s*\*/;
  return comment.test(h.cur) || unbalance(h.cur.replace(/[()[\]{}]/g, ''), h.lang) > 0;
}

/** "I need more context to complete this." and the like, where code was expected. */
function isOnlyASentence(text: string, h: Hole): boolean {
  const t = text.trim();
  return !t.includes('\n') && /^[A-Z][^;{}()=<>`"]*[.!]$/.test(t) && t.split(/\s+/).length >= 5 && !cursorInProse(h);
}

function unwrapReply(text: string, lang: string): string {
  const fenced = fencedCode(text.split('\n'), lang);
  if (fenced !== undefined) return fenced;
  // "`a * b`", or "Sure! `a * b`.": one inline code span, and nothing but words around it.
  const inline = /^([A-Za-z][A-Za-z ,'!:]*[!:,]\s+)?`([^`\n]+)`[.!]?\s*$/.exec(text.trim());
  if (inline && lang !== 'markdown') return inline[2];
  return dropTrailingProse(dropLeadingProse(text), lang);
}

// ---- Echoes of the code around the hole ----

const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /\w/.test(ch);

/** The reply starts with the last lines before the cursor (and the cursor's line): drop them. */
function dropPrefixEcho(text: string, h: Hole): string {
  const lines = text.split('\n');
  const c = h.cur.trimStart();
  for (let n = Math.min(h.above.length, lines.length - 1); n >= 1; n--) {
    const echoed = lines.slice(0, n);
    if (!echoed.every((l, i) => l.trim() === h.above[h.above.length - n + i].trim())) continue;
    if (!c && !sureEcho(echoed, h)) continue;
    const next = lines[n].trimStart();
    if (c && !next.startsWith(c)) continue;
    return c ? [next.slice(c.length), ...lines.slice(n + 1)].join('\n') : lines.slice(n).join('\n');
  }
  return c ? dropLineEcho(text, h) : text;
}

/**
 * A lone `}` (or the end of a block comment) may be the reply closing another block rather than
 * an echo: it counts only with its indentation matching too (an unindented first line sits at the cursor's).
 */
function sureEcho(echoed: readonly string[], h: Hole): boolean {
  const shown = echoed.map((l, i) => ({ l, i })).filter(({ l }) => !isBlank(l));
  if (shown.length !== 1 || (/\w/.test(shown[0].l) && !startsWithCloser(shown[0].l, h.lang))) return true;
  const { l, i } = shown[0];
  const placed = i === 0 && !indentOf(l) ? h.cur + l : l;
  return placed.trimEnd() === h.above[h.above.length - echoed.length + i].trimEnd();
}

/** The longest end of the cursor's line that the reply starts with, at a word boundary. */
function dropLineEcho(text: string, h: Hole): string {
  const c = h.cur.trimStart();
  const trimmed = text.replace(/^[ \t]+/, '');
  for (let k = c.length; k >= 1; k--) {
    const overlap = c.slice(c.length - k);
    if (isBlank(overlap)) continue;
    if (k < c.length && isWordChar(c[c.length - k - 1]) && isWordChar(overlap[0])) continue;
    const source = /^\s/.test(overlap) ? text : trimmed;
    if (!source.startsWith(overlap)) continue;
    const rest = source.slice(k);
    // A word in the overlap is a sure echo; a lone `(` may be the reply's own bracket.
    if (/\w/.test(overlap) || unbalance(rest, h.lang) <= unbalance(source, h.lang)) return rest;
  }
  return text;
}

/** Where the first line goes: the cursor already has its line's indentation and text. */
function placeFirstLine(text: string, h: Hole, mode: CompletionMode): string {
  if (isBlank(h.cur)) {
    const t = text.replace(/^([ \t]*\n)+/, '');
    const ws = indentOf(t);
    return render(firstLineColumn(cols(ws, h.indent), h) - cols(h.cur, h.indent), h.indent) + t.slice(ws.length);
  }
  // One space after a cursor that follows a space is a doubled space; more may be alignment.
  let t = /[ \t]$/.test(h.cur) && /^[ \t]\S/.test(text) ? text.slice(1) : text;
  // Text follows on the cursor's line: a leading line break would split it.
  if (mode === 'line' && !isBlank(h.after)) t = t.replace(/^\s*\n[ \t]*/, '');
  if (mode === 'block' && opensBody(h.cur, h.lang) && !t.startsWith('\n') && depthAfter(firstLine(t), 0, h.lang).min >= 0) t = `\n${t}`;
  return t;
}

/**
 * The column of a first line on an empty line: the cursor's, or deeper when the model indents
 * it (the cursor may sit at column 0 of a body), but no deeper than the line above allows.
 */
function firstLineColumn(replyCols: number, h: Hole): number {
  const above = [...h.above].reverse().find((l) => !isBlank(l));
  const limit = above === undefined ? replyCols : cols(indentOf(above), h.indent) + (opensBlock(above, h.lang) ? h.indent.unit : 0);
  return Math.max(cols(h.cur, h.indent), Math.min(replyCols, limit));
}

/** Blocks whose body goes on the next line (not `(`, `[` or `=>`, which often go on inline). */
function opensBody(line: string, lang: string): boolean {
  return opensBlock(line, lang) && !/([([]|=>)\s*$/.test(line) && !(lang === 'yaml');
}

// ---- Multi-line: indentation, the end of the block, the lines after the cursor ----

function shapeBlock(lines: string[], h: Hole): string[] {
  const shaped = dropSuffixEcho(cutAtBlockEnd(reindent(lines, h), h), h);
  while (shaped.length > 1 && isBlank(shaped[shaped.length - 1])) shaped.pop();
  return shaped;
}

/**
 * Moves the lines after the first to where the first line after the cursor belongs, when the
 * model used another base indent (often flush left); tabs or spaces as in the file.
 */
function reindent(lines: string[], h: Hole): string[] {
  const anchor = lines.findIndex((l, i) => i > 0 && !isBlank(l));
  if (anchor < 0) return lines;
  const toCols = replyColumns(lines.slice(1), h.indent);
  const shift = anchorShift(h.cur + lines[0], lines[anchor], toCols(indentOf(lines[anchor])), h);
  return lines.map((l, i) => (i === 0 ? l : isBlank(l) ? '' : render(toCols(indentOf(l)) + shift, h.indent) + l.trimStart()));
}

/**
 * How far the first following line is off. After an opener it must sit one level deeper (a
 * closer at the opener's level); otherwise at the same level, except that Python may dedent.
 */
function anchorShift(head: string, anchor: string, at: number, h: Hole): number {
  const base = cols(indentOf(head), h.indent);
  const unit = h.indent.unit;
  if (startsWithCloser(anchor, h.lang)) {
    if (opensBlock(head, h.lang)) return base - at;
    return at < base - unit ? base - unit - at : 0;
  }
  // Deeper than one level, but not by a smaller step (the model's own unit).
  if (opensBlock(head, h.lang)) return at > base && at <= base + unit ? 0 : base + unit - at;
  // Deeper after a finished statement is a shifted block; deeper after `foo(a,` is a continuation.
  if (at > base) return endsStatement(head, h.lang) ? base - at : 0;
  return at === base || INDENT_SENSITIVE.has(h.lang) ? 0 : base - at;
}

/** A line after which the next one starts at the same level. */
function endsStatement(line: string, lang: string): boolean {
  const code = withoutLineComment(line, lang);
  if (depthAfter(code, 0, lang).end !== 0) return false;
  if (INDENT_SENSITIVE.has(lang)) return !/[\\,+\-*/%=&|<>.:]$/.test(code);
  return !usesTags(lang) && lang !== 'markdown' && lang !== 'plaintext' && /[;,}]$/.test(code);
}

/** The cursor's block: lines after the first stay at `floor` or deeper; its closer sits at `outer`. */
function cursorBlock(line0: string, h: Hole): { floor: number; outer: number } {
  const base = cols(indentOf(h.cur + line0), h.indent);
  const parent = Math.max(0, base - h.indent.unit);
  if (!isBlank(h.cur)) return opensBlock(h.cur, h.lang) ? { floor: base + 1, outer: base } : { floor: base, outer: parent };
  const above = [...h.above].reverse().find((l) => !isBlank(l));
  const aboveCols = above === undefined ? 0 : cols(indentOf(above), h.indent);
  if (above !== undefined && opensBlock(above, h.lang) && aboveCols >= base) return { floor: aboveCols + 1, outer: aboveCols };
  return { floor: base, outer: parent };
}

/** Cuts after the line that closes the block around the cursor, or before a line that leaves it by indentation. */
function cutAtBlockEnd(lines: string[], h: Hole): string[] {
  const { floor, outer } = cursorBlock(lines[0], h);
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (i > 0 && !isBlank(line) && cols(indentOf(line), h.indent) < floor && !startsWithCloser(line, h.lang)) return lines.slice(0, i);
    depth = depthAfter(line, depth, h.lang).end;
    if (depth >= 0) continue;
    // The closer of the cursor's block lines up with the line that opened it.
    const closing = i > 0 && startsWithCloser(line, h.lang) ? render(outer, h.indent) + line.trimStart() : line;
    return [...lines.slice(0, i), closing];
  }
  return lines;
}

/** Lines with words in them match whatever their indentation; bare closers must match exactly. */
function sameLine(a: string, b: string): boolean {
  const t = a.trim();
  return /\w/.test(t) && t.length >= 6 ? t === b.trim() : a.trimEnd() === b.trimEnd();
}

/** The reply ends by writing out the lines that already follow the cursor: drop them. */
function dropSuffixEcho(lines: string[], h: Hole): string[] {
  const next = h.below.filter((l) => !isBlank(l));
  if (next.length === 0 || !isBlank(h.after)) return lines;
  for (let i = isBlank(h.cur) ? 0 : 1; i < lines.length; i++) {
    if (isBlank(lines[i])) continue;
    const tail = lines.slice(i).filter((l) => !isBlank(l));
    if (i === 0) tail[0] = h.cur + tail[0];
    let k = 0;
    while (k < tail.length && k < next.length && sameLine(tail[k], next[k])) k++;
    if (k > 0 && (k === tail.length || k >= 2)) return lines.slice(0, i);
  }
  return lines;
}

/**
 * The reply's end repeats what follows the cursor (`)`, `;`, `"`): drop it, unless that leaves
 * the reply less balanced. With nothing after the cursor on its line, the next line's start
 * counts only when dropping it balances the reply.
 */
function trimSuffixOverlap(text: string, h: Hole): string {
  const sameLineText = !isBlank(h.after);
  const ahead = (sameLineText ? h.after : (h.below.find((l) => !isBlank(l)) ?? '')).trim();
  if (!ahead || isBlank(text)) return text;
  const score = unbalance(text, h.lang);
  for (let k = Math.min(ahead.length, text.length); k >= 1; k--) {
    const overlap = ahead.slice(0, k);
    if (!text.endsWith(overlap)) continue;
    const rest = text.slice(0, -k);
    const restScore = unbalance(rest, h.lang);
    // Keep a space the text after the cursor needs (`x, ` + `y)`), unless it brings its own.
    if (sameLineText ? restScore <= score : restScore < score) return sameLineText && !/^\s/.test(h.after) ? rest : rest.trimEnd();
  }
  if (!sameLineText || score === 0) return text;
  // The reply ran on through the text after the cursor: cut where that text starts.
  for (let j = text.indexOf(ahead); j > 0; j = text.indexOf(ahead, j + 1)) {
    if (!isBlank(text.slice(0, j)) && unbalance(text.slice(0, j), h.lang) < score) return text.slice(0, j).trimEnd();
  }
  return text;
}

/** A one-line suggestion that makes the line a copy of one just above (or the next line). */
const DECLARATION = /^(import|from|export|const|let|var|def|class|function|package|use|#include|using)\b/;

/**
 * A one-line suggestion that makes the line a copy of the line above or below, or of an import
 * or declaration a few lines up (it would declare the same thing twice). Closers (`}`, `</p>`,
 * `fi`) repeat legitimately; so do list items and fields further up.
 */
function repeatsNearbyLine(text: string, h: Hole): boolean {
  if (text.includes('\n')) return false;
  const whole = (h.cur + text + h.after).trim();
  if (!/[A-Za-z0-9]/.test(whole) || startsWithCloser(whole, h.lang)) return false;
  const nonBlankAbove = h.above.filter((l) => !isBlank(l));
  const near = DECLARATION.test(whole) ? nonBlankAbove.slice(-5) : nonBlankAbove.slice(-1);
  if (isBlank(h.cur) && isBlank(h.after)) near.push(h.below.find((l) => !isBlank(l)) ?? '');
  return near.some((l) => l.trim() === whole);
}
