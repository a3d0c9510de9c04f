// Cuts one realistic hole out of a file's text: prefix + middle + suffix === text, always.
//   line-rest   the cursor mid-line at a token boundary; the middle is the rest of the line
//               (closing brackets the editor auto-closed may stay after the cursor)
//   next-line   the cursor after the indentation of a line; the middle is that line's text
//               (not a line that only closes a block: the editor writes those)
//   block-body  the cursor on a fresh, indented line after a line ending in `{` `[` `(` (or
//               `:` in Python and YAML, `then`/`do` in shell, an opening tag in HTML); the
//               middle is the whole block body, 1–8 lines, up to the line that closes it
import type { Rng } from './prng';

export type HoleKind = 'line-rest' | 'next-line' | 'block-body';

export interface Cut {
  kind: HoleKind;
  /** The cursor's line (0-based) and column. */
  line: number;
  column: number;
  prefix: string;
  middle: string;
  suffix: string;
}

/** Longest line a hole may touch; longer ones are data, not code someone types. */
const MAX_LINE = 200;
const MAX_BODY_LINES = 8;

const indentOf = (line: string): string => /^[ \t]*/.exec(line)![0];
const isBlank = (line: string): boolean => line.trim() === '';
const isWord = (ch: string | undefined): boolean => ch !== undefined && /[\w$]/.test(ch);

/** A file split into lines once, with each line's start offset. */
interface Doc {
  text: string;
  lines: string[];
  starts: number[];
}

function docOf(text: string | Doc): Doc {
  if (typeof text !== 'string') return text;
  const lines = text.split('\n');
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  return { text, lines, starts };
}

function cutAtOffsets(text: string, kind: HoleKind, line: number, column: number, start: number, end: number): Cut {
  return { kind, line, column, prefix: text.slice(0, start), middle: text.slice(start, end), suffix: text.slice(end) };
}

/** Columns where a cursor plausibly rests mid-line: after a separator or at the end of a word, never in the indentation. */
export function cursorColumns(line: string): number[] {
  const end = line.trimEnd().length;
  const columns: number[] = [];
  for (let p = indentOf(line).length + 1; p < end; p++) {
    const before = line[p - 1];
    if (' (.=:,[{<!&|+-*/?'.includes(before) || (isWord(before) && !isWord(line[p]))) columns.push(p);
  }
  return columns;
}

const CLOSERS = /[)\]}]+[;,]?[ \t]*$/;
const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** The trailing run of closing brackets the editor would have auto-closed when their openers were typed before `column`. */
function autoClosedTail(line: string, column: number): string {
  const rest = line.slice(column);
  const run = CLOSERS.exec(rest)?.[0] ?? '';
  if (!run || rest.slice(0, rest.length - run.length).trim().length < 2) return '';
  const before = line.slice(0, column);
  for (const closer of new Set(run.replace(/[^)\]}]/g, ''))) {
    const opener = PAIRS[closer];
    const open = before.split(opener).length - 1 - (before.split(closer).length - 1);
    if (open < run.split(closer).length - 1) return '';
  }
  return run;
}

/** The rest of line `index` after `column`; with `keepClosers`, auto-closed brackets stay after the cursor. */
export function cutLineRest(file: string | Doc, index: number, column: number, keepClosers = false): Cut | undefined {
  const { text, lines, starts } = docOf(file);
  const line = lines[index];
  if (line === undefined || line.length > MAX_LINE || !cursorColumns(line).includes(column)) return undefined;
  const tail = keepClosers ? autoClosedTail(line, column) : '';
  const middle = line.slice(column, line.length - tail.length);
  if (middle.trim().length < 2 || !/\w/.test(middle)) return undefined; // punctuation alone is not worth a suggestion
  const start = starts[index] + column;
  return cutAtOffsets(text, 'line-rest', index, column, start, start + middle.length);
}

/** Which lines open a block whose body is indented under them. */
export function opensBlock(line: string, languageId: string): boolean {
  const t = line.trim();
  switch (languageId) {
    case 'markdown':
      return false;
    case 'python':
      return t.endsWith(':') && !t.startsWith('#');
    case 'yaml':
      return t.endsWith(':') && !t.startsWith('#');
    case 'shellscript':
      return /(^|[\s;])(then|do)$/.test(t) || t.endsWith('{');
    case 'html':
      return /^<[a-zA-Z][^>]*>$/.test(t) && !t.endsWith('/>') && !t.includes('</');
    default:
      return /[{[(]$/.test(t) && !/^(\/\/|\*|\/\*)/.test(t);
  }
}

/** Lines the editor closes by itself (`}`, `]);`, `</div>`): nobody waits for ghost text to write them. */
const AUTO_CLOSED = /^([)\]}>;,]+|<\/[\w-]+>)$/;

/**
 * The text of line `index` after its indentation, unless the line opens a block or follows one
 * (those are block holes) or only closes one.
 */
export function cutNextLine(file: string | Doc, index: number, languageId: string): Cut | undefined {
  const { text, lines, starts } = docOf(file);
  const line = lines[index];
  if (index < 1 || line === undefined || isBlank(line) || line.length > MAX_LINE || opensBlock(line, languageId) || AUTO_CLOSED.test(line.trim())) return undefined;
  let previous = index - 1;
  while (previous >= 0 && isBlank(lines[previous])) previous--;
  if (previous >= 0 && opensBlock(lines[previous], languageId)) return undefined;
  const column = indentOf(line).length;
  return cutAtOffsets(text, 'next-line', index, column, starts[index] + column, starts[index] + line.trimEnd().length);
}

/** The body of the block that line `opener` opens: 1–8 lines, ending before the first line indented no deeper than the opener. */
export function cutBlockBody(file: string | Doc, opener: number, languageId: string): Cut | undefined {
  const { text, lines, starts } = docOf(file);
  if (lines[opener] === undefined || !opensBlock(lines[opener], languageId)) return undefined;
  const base = indentOf(lines[opener]).length;
  const first = opener + 1;
  if (first >= lines.length || isBlank(lines[first]) || indentOf(lines[first]).length <= base) return undefined;
  let close = first;
  while (close < lines.length && (isBlank(lines[close]) || indentOf(lines[close]).length > base)) close++;
  if (close >= lines.length) return undefined; // no line closes it: not a block we can judge
  let last = close - 1;
  while (isBlank(lines[last])) last--;
  const body = lines.slice(first, last + 1);
  if (body.length > MAX_BODY_LINES || body.some((l) => l.length > MAX_LINE)) return undefined;
  const column = indentOf(lines[first]).length;
  return cutAtOffsets(text, 'block-body', first, column, starts[first] + column, starts[last] + lines[last].trimEnd().length);
}

const KINDS_FOR: Record<string, HoleKind[]> = { markdown: ['line-rest', 'next-line'] };
const ALL_KINDS: HoleKind[] = ['line-rest', 'next-line', 'block-body'];

/** The kinds of hole a language gets (Markdown has no blocks). */
export function kindsFor(languageId: string): HoleKind[] {
  return KINDS_FOR[languageId] ?? ALL_KINDS;
}

/**
 * A hole at a place the PRNG chooses among all the file offers, of the first kind in `kinds`
 * the file has (the caller orders them so each kind gets its share, not only the easy ones),
 * avoiding the cursor lines in `taken` and a file's first three lines.
 */
export function cutRandomHole(text: string, languageId: string, random: Rng, taken: ReadonlySet<number> = new Set(), kinds = kindsFor(languageId)): Cut | undefined {
  const doc = docOf(text);
  const lineNumbers = doc.lines.map((_, i) => i).filter((i) => i >= 3 && i < doc.lines.length - 1);
  for (const kind of kinds) {
    let cuts: Cut[];
    if (kind === 'line-rest') {
      const usable = lineNumbers.filter((i) => !taken.has(i) && doc.lines[i].length <= MAX_LINE && cursorColumns(doc.lines[i]).length > 0);
      cuts = [];
      // Lines first, then a column on the line: long lines do not crowd out short ones.
      for (const i of random.shuffle(usable)) {
        const cut = cutLineRest(doc, i, random.pick(cursorColumns(doc.lines[i])), random.next() < 0.5);
        if (cut) {
          cuts.push(cut);
          break;
        }
      }
    } else if (kind === 'next-line') {
      cuts = lineNumbers.map((i) => cutNextLine(doc, i, languageId)).filter((c): c is Cut => c !== undefined);
    } else {
      cuts = lineNumbers.map((i) => cutBlockBody(doc, i, languageId)).filter((c): c is Cut => c !== undefined);
    }
    cuts = cuts.filter((c) => !taken.has(c.line));
    if (cuts.length > 0) return random.pick(cuts);
  }
  return undefined;
}
