// Multi-line suggestions: indentation, the end of the cursor's block, and the lines that are
// already after the cursor.
import { isBlank, opensBlock, usesTags, withoutLineComment } from './holePrompt';
import { type Hole, indentOf, cols, render, replyColumns, INDENT_SENSITIVE, depthAfter, unbalance, startsWithCloser } from './replyShape';

// ---- Multi-line: indentation, the end of the block, the lines after the cursor ----

export function shapeBlock(lines: string[], h: Hole): string[] {
  const shaped = dropSuffixEcho(cutAtBlockEnd(reindent(lines, h), h), h);
  while (shaped.length > 1 && isBlank(shaped[shaped.length - 1])) shaped.pop();
  return shaped;
}

/**
 * Moves the lines after the first to where the first line after the cursor belongs, when the
 * model used another base indent (often flush left); tabs or spaces as in the file.
 */
export function reindent(lines: string[], h: Hole): string[] {
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
export function anchorShift(head: string, anchor: string, at: number, h: Hole): number {
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
export function endsStatement(line: string, lang: string): boolean {
  const code = withoutLineComment(line, lang);
  if (depthAfter(code, 0, lang).end !== 0) return false;
  if (INDENT_SENSITIVE.has(lang)) return !/[\\,+\-*/%=&|<>.:]$/.test(code);
  return !usesTags(lang) && lang !== 'markdown' && lang !== 'plaintext' && /[;,}]$/.test(code);
}

/** The cursor's block: lines after the first stay at `floor` or deeper; its closer sits at `outer`. */
export function cursorBlock(line0: string, h: Hole): { floor: number; outer: number } {
  const base = cols(indentOf(h.cur + line0), h.indent);
  const parent = Math.max(0, base - h.indent.unit);
  if (!isBlank(h.cur)) return opensBlock(h.cur, h.lang) ? { floor: base + 1, outer: base } : { floor: base, outer: parent };
  const above = [...h.above].reverse().find((l) => !isBlank(l));
  const aboveCols = above === undefined ? 0 : cols(indentOf(above), h.indent);
  if (above !== undefined && opensBlock(above, h.lang) && aboveCols >= base) return { floor: aboveCols + 1, outer: aboveCols };
  return { floor: base, outer: parent };
}

/** Cuts after the line that closes the block around the cursor, or before a line that leaves it by indentation. */
export function cutAtBlockEnd(lines: string[], h: Hole): string[] {
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
export function sameLine(a: string, b: string): boolean {
  const t = a.trim();
  return /\w/.test(t) && t.length >= 6 ? t === b.trim() : a.trimEnd() === b.trimEnd();
}

/** The reply ends by writing out the lines that already follow the cursor: drop them. */
export function dropSuffixEcho(lines: string[], h: Hole): string[] {
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
export function trimSuffixOverlap(text: string, h: Hole): string {
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
