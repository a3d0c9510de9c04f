// Echoes of the code before the hole: repeated lines and the cursor's line written again, and
// where the first line of the suggestion goes.
import { firstLine, isBlank, opensBlock, type CompletionMode } from './holePrompt';
import { type Hole, indentOf, cols, render, depthAfter, unbalance, startsWithCloser } from './replyShape';

// ---- Echoes of the code around the hole ----

export const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /\w/.test(ch);

/** The reply starts with the last lines before the cursor (and the cursor's line): drop them. */
export function dropPrefixEcho(text: string, h: Hole): string {
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
export function sureEcho(echoed: readonly string[], h: Hole): boolean {
  const shown = echoed.map((l, i) => ({ l, i })).filter(({ l }) => !isBlank(l));
  if (shown.length !== 1 || (/\w/.test(shown[0].l) && !startsWithCloser(shown[0].l, h.lang))) return true;
  const { l, i } = shown[0];
  const placed = i === 0 && !indentOf(l) ? h.cur + l : l;
  return placed.trimEnd() === h.above[h.above.length - echoed.length + i].trimEnd();
}

/** The longest end of the cursor's line that the reply starts with, at a word boundary. */
export function dropLineEcho(text: string, h: Hole): string {
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
export function placeFirstLine(text: string, h: Hole, mode: CompletionMode): string {
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
export function firstLineColumn(replyCols: number, h: Hole): number {
  const above = [...h.above].reverse().find((l) => !isBlank(l));
  const limit = above === undefined ? replyCols : cols(indentOf(above), h.indent) + (opensBlock(above, h.lang) ? h.indent.unit : 0);
  return Math.max(cols(h.cur, h.indent), Math.min(replyCols, limit));
}

/** Blocks whose body goes on the next line (not `(`, `[` or `=>`, which often go on inline). */
export function opensBody(line: string, lang: string): boolean {
  return opensBlock(line, lang) && !/([([]|=>)\s*$/.test(line) && !(lang === 'yaml');
}
