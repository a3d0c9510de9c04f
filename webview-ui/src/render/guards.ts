// Limits on what reaches `marked`. Model output is untrusted (a model can be prompt-injected
// through the user's files), and marked has inputs that cost far more than their size:
// - nesting: each blockquote or list level re-lexes its content, recursively, so 5,000 levels
//   overflow the stack and 10,000 list levels (~100 MB) exhaust memory before anything throws;
// - emphasis: an opening `*` / `_` / `~` that never closes makes marked scan the rest of its
//   paragraph for a closer, once per opener, so 120 KB of "a*_" costs minutes;
// - size: a table with 100,000 cells, or a paragraph of many megabytes.
// Text beyond a limit is not given to marked: it is shown as plain text with a notice.

/**
 * Text past this many characters (of what is lexed at once) is shown as plain text without
 * being parsed or even scanned: more than any one answer at the largest token limit, and a
 * pass of any kind over 100 MB takes the panel away for a noticeable time.
 */
export const MAX_LEX_CHARS = 2_000_000;

/** Deepest nesting (blockquote markers plus list levels) that may reach marked. */
export const MAX_NESTING_DEPTH = 64;
/**
 * marked's nesting work is about Σ depth × length over a block's lines: a group of lines whose
 * average depth is above this is shown as plain text, so even 64 levels with megabytes inside
 * cost a bounded multiple of their size.
 */
export const MAX_AVERAGE_DEPTH = 16;
/** Longest inline run (a paragraph's text, a heading, a table cell) given to the inline lexer. */
export const MAX_INLINE_CHARS = 32_000;
/**
 * The emphasis scanners may read an inline run this many times over (plus a fixed allowance);
 * a run that needs more is shown as plain text. Ordinary text needs one pass or two.
 */
export const INLINE_WORK_PER_CHAR = 16;
export const INLINE_WORK_BASE = 4_096;
/** Each scanner step also costs about this many characters' worth of reading. */
export const INLINE_WORK_PER_STEP = 16;
/** Tables with more cells than this (in one top-level block) are shown as plain text. */
export const MAX_TABLE_CELLS = 5_000;

/**
 * Deepest element nesting in a block's HTML given to the sanitiser. Markdown within the limits
 * above nests about three elements per level; raw HTML nested thousands deep makes some HTML
 * parsers (jsdom's) take quadratic time, and browsers flatten it past 512 levels anyway.
 */
export const MAX_HTML_DEPTH = 256;

const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const TAG_START = /<(\/?)([a-zA-Z][a-zA-Z0-9-]{0,30})/g;

/**
 * Whether `html` nests elements deeper than `limit`, counting start tags against end tags
 * (an estimate: implied end tags are not modelled, so it may count deeper than a parser
 * would, never shallower for well-formed markup). Linear; stops at the limit.
 */
export function nestsDeeperThan(html: string, limit: number): boolean {
  let depth = 0;
  TAG_START.lastIndex = 0;
  for (let match = TAG_START.exec(html); match; match = TAG_START.exec(html)) {
    if (match[1]) depth = Math.max(0, depth - 1);
    else if (!VOID_ELEMENTS.has(match[2].toLowerCase()) && ++depth > limit) return true;
  }
  return false;
}

export interface Region {
  start: number;
  /** Exclusive; at a line start (after the '\n') or at the end of the text. */
  end: number;
}

const SPACE = 32;
const TAB = 9;
const GT = 62;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/**
 * Whole-line regions of `src` that are nested too deeply for marked, each extended to the
 * group of non-blank lines around it (so the region is a block on its own), with neighbouring
 * regions merged when only blank lines separate them. Linear in `src`, one pass, no regex
 * that can backtrack. Most texts have none.
 */
export function findTooDeepRegions(src: string): Region[] {
  const regions: Region[] = [];
  let fence: { marker: string; length: number } | null = null;
  let groupStart = -1;
  let groupEnd = 0;
  let groupMax = 0;
  let groupWork = 0;
  let groupChars = 0;
  let carry = 0;
  const closeGroup = () => {
    if (groupStart < 0) return;
    if (groupMax > MAX_NESTING_DEPTH || groupWork > MAX_AVERAGE_DEPTH * groupChars) {
      const last = regions[regions.length - 1];
      if (last && onlyBlankLines(src, last.end, groupStart)) last.end = groupEnd;
      else regions.push({ start: groupStart, end: groupEnd });
    }
    groupStart = -1;
    groupMax = 0;
    groupWork = 0;
    groupChars = 0;
    carry = 0;
  };

  for (let lineStart = 0; lineStart < src.length; ) {
    const newline = src.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? src.length : newline;
    const next = newline < 0 ? src.length : newline + 1;
    let contentStart = lineStart;
    let indent = 0; // columns; a tab advances to the next multiple of 4
    for (; contentStart < lineEnd; contentStart++) {
      const c = src.charCodeAt(contentStart);
      if (c === SPACE) indent++;
      else if (c === TAB) indent += 4 - (indent % 4);
      else break;
    }

    if (contentStart === lineEnd && !fence) {
      closeGroup(); // a blank line ends the group (inside a fence it is just code)
      lineStart = next;
      continue;
    }
    if (groupStart < 0) groupStart = lineStart;
    groupEnd = next;

    const markers = countMarkers(src, contentStart, lineEnd);
    // Checked inside fences too: the fence as seen here may not be one for marked (say, in an
    // HTML block), and a marker 65 levels deep is never ordinary code anyway.
    const depth = markers > 0 ? Math.floor(indent / 2) + markers : 0;
    if (depth > MAX_NESTING_DEPTH && !isThematicBreak(src, lineStart, lineEnd)) groupMax = depth;

    let weight: number;
    if (fence) {
      weight = carry; // code at the fence's own depth
      if (closesFence(src, lineStart, lineEnd, fence)) fence = null;
    } else {
      weight = markers > 0 ? depth : Math.max(carry, Math.floor(indent / 2));
      carry = weight;
      if (indent <= 3) fence = opensFence(src.slice(lineStart, Math.min(lineEnd, lineStart + 200)));
    }
    const length = next - lineStart;
    groupWork += weight * length;
    groupChars += length;
    lineStart = next;
  }
  if (groupStart >= 0) {
    groupEnd = src.length;
    closeGroup();
  }
  return regions;
}

/** Blockquote markers and list markers at the start of a line ("> - 1. > x" has four). */
function countMarkers(src: string, from: number, to: number): number {
  let count = 0;
  let i = from;
  while (i < to) {
    const c = src.charCodeAt(i);
    let after = -1;
    if (c === GT) after = i + 1;
    else if ((c === 45 || c === 43 || c === 42) && isBlankOrEnd(src, i + 1, to)) after = i + 1; // - + *
    else if (c >= 48 && c <= 57) {
      let j = i;
      while (j < to && j - i < 9 && src.charCodeAt(j) >= 48 && src.charCodeAt(j) <= 57) j++;
      const d = src.charCodeAt(j);
      if ((d === 46 || d === 41) && isBlankOrEnd(src, j + 1, to)) after = j + 1; // . )
    }
    if (after < 0) break;
    count++;
    i = after;
    while (i < to && (src.charCodeAt(i) === SPACE || src.charCodeAt(i) === TAB)) i++;
  }
  return count;
}

function isBlankOrEnd(src: string, i: number, to: number): boolean {
  return i >= to || src.charCodeAt(i) === SPACE || src.charCodeAt(i) === TAB;
}

/** "- - -", "***", "_ _ _": three or more of one of - * _, with blanks only (a loop, no regex). */
function isThematicBreak(src: string, from: number, to: number): boolean {
  let marker = '';
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = src[i];
    if (c === ' ' || c === '\t') continue;
    if (marker === '' && (c === '-' || c === '*' || c === '_')) marker = c;
    if (c !== marker) return false;
    count++;
  }
  return count >= 3;
}

function opensFence(line: string): { marker: string; length: number } | null {
  const match = FENCE_OPEN.exec(line);
  if (!match) return null;
  const [, run, info] = match;
  if (run[0] === '`' && info.includes('`')) return null;
  return { marker: run[0], length: run.length };
}

function closesFence(src: string, from: number, to: number, fence: { marker: string; length: number }): boolean {
  let i = from;
  while (i < to && i - from < 4 && src.charCodeAt(i) === SPACE) i++;
  if (i - from > 3) return false;
  let run = 0;
  while (i < to && src[i] === fence.marker) {
    i++;
    run++;
  }
  if (run < fence.length) return false;
  while (i < to && (src.charCodeAt(i) === SPACE || src.charCodeAt(i) === TAB)) i++;
  return i === to;
}

function onlyBlankLines(src: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = src.charCodeAt(i);
    if (c !== SPACE && c !== TAB && c !== 10) return false;
  }
  return true;
}
