// What the clean-up rules share: the facts about the hole worked out once, the file's
// indentation style, and a rough reading of brackets, strings and comments.
import { isBlank, lastLine, usesHashComments, usesTags } from './holePrompt';
import type { HoleShape } from './types';

/** Columns per indentation level; a tab counts as one level. */
export interface IndentStyle {
  tabs: boolean;
  unit: number;
}

/** What the rules need to know about the hole, worked out once. */
export interface Hole {
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

export function holeFacts(hole: HoleShape): Hole {
  const cur = lastLine(hole.prefix);
  const above = hole.prefix.slice(0, hole.prefix.length - cur.length).split('\n');
  above.pop();
  const [after, ...below] = hole.suffix.split('\n');
  const lang = hole.languageId;
  return { lang, cur, after, above, below, indent: detectIndent([...above, cur, ...below], lang), file: hole.prefix + hole.suffix };
}

// ---- Indentation ----

export const TWO_SPACE_LANGUAGES = new Set(['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'json', 'jsonc', 'yaml', 'html', 'css', 'scss', 'vue']);

export const indentOf = (line: string): string => /^[ \t]*/.exec(line)![0];

/** The most common step between the indents of consecutive space-indented lines (2 to 8). */
export function spaceUnit(lines: readonly string[]): number | undefined {
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

export function detectIndent(lines: readonly string[], lang: string): IndentStyle {
  const tabbed = lines.filter((l) => l.startsWith('\t')).length;
  const spaced = lines.filter((l) => l.startsWith(' ') && !isBlank(l)).length;
  if (tabbed > spaced || (tabbed === 0 && spaced === 0 && lang === 'go')) return { tabs: true, unit: 4 };
  return { tabs: false, unit: spaceUnit(lines) ?? (TWO_SPACE_LANGUAGES.has(lang) ? 2 : 4) };
}

export function cols(ws: string, style: IndentStyle): number {
  let n = 0;
  for (const ch of ws) n += ch === '\t' ? style.unit : 1;
  return n;
}

export function render(columns: number, style: IndentStyle): string {
  const c = Math.max(0, columns);
  return style.tabs ? '\t'.repeat(Math.floor(c / style.unit)) + ' '.repeat(c % style.unit) : ' '.repeat(c);
}

/** Reads the reply's indentation in the file's columns: spaces in a tabbed file count by the reply's own step. */
export function replyColumns(lines: readonly string[], style: IndentStyle): (ws: string) => number {
  if (!style.tabs || lines.some((l) => l.startsWith('\t'))) return (ws) => cols(ws, style);
  const unit = spaceUnit(lines) ?? style.unit;
  return (ws) => Math.round((cols(ws, style) * style.unit) / unit);
}

// ---- Brackets, strings and comments, roughly ----

export const JSX_LANGUAGES = new Set(['typescriptreact', 'javascriptreact']);
export const INDENT_SENSITIVE = new Set(['python', 'yaml', 'coffeescript', 'haml', 'pug']);

/** The line with string contents and comments removed, so their brackets do not count. */
export function codeOnly(line: string, lang: string): string {
  const strings = lang === 'rust' ? /"(?:[^"\\]|\\.)*"|'(?:\\.|[^'\\])'/g : /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g;
  let code = line.replace(strings, '""');
  code = usesHashComments(lang) ? code.replace(/(^|\s)#.*$/, '') : code.replace(/\/\*.*?\*\//g, '').replace(/(^|[^:])\/\/.*$/, '$1');
  return usesTags(lang) ? code.replace(/<!--.*?-->/g, '') : code;
}

export function depthTokens(lang: string): RegExp {
  const parts = ['[{(\\[]', '[})\\]]'];
  if (lang === 'shellscript') parts.push('\\b(?:if|case|for|while|until|select|fi|esac|done)\\b');
  if (usesTags(lang)) parts.push('<\\/?[A-Za-z][\\w-]*\\b[^<>]*>');
  return new RegExp(parts.join('|'), 'g');
}

export function tokenDelta(token: string): number {
  if (/^[{([]$/.test(token) || /^(if|case|for|while|until|select)$/.test(token)) return 1;
  if (/^[})\]]$/.test(token) || /^(fi|esac|done)$/.test(token)) return -1;
  if (token.startsWith('</')) return -1;
  const tag = /^<([A-Za-z][\w-]*)/.exec(token)?.[1] ?? '';
  return token.endsWith('/>') || /^(area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)$/i.test(tag) ? 0 : 1;
}

/** The bracket (and keyword, and tag) depth after a line, and the lowest it went. */
export function depthAfter(line: string, depth: number, lang: string): { end: number; min: number } {
  let end = depth;
  let min = depth;
  for (const m of codeOnly(line, lang).matchAll(depthTokens(lang))) {
    end += tokenDelta(m[0]);
    min = Math.min(min, end);
  }
  return { end, min };
}

export function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

/** How far from balanced: unmatched brackets plus unpaired quotes. Overlap trims must not raise it. */
export function unbalance(text: string, lang: string): number {
  const code = text.split('\n').map((l) => codeOnly(l, lang)).join('\n');
  let n = 0;
  for (const [open, close] of ['()', '[]', '{}']) n += Math.abs(count(code, open) - count(code, close));
  for (const quote of lang === 'rust' ? ['"'] : ['"', "'", '`']) n += count(code, quote) % 2;
  return n;
}

export function startsWithCloser(line: string, lang: string): boolean {
  const t = line.trimStart();
  if (/^[}\])]/.test(t)) return true;
  if (lang === 'shellscript' && /^(fi|done|esac|else|elif)\b/.test(t)) return true;
  return (usesTags(lang) || JSX_LANGUAGES.has(lang)) && t.startsWith('</');
}
