// A reply's wrapping: echoed markers and chat tokens, fences, and prose before or after the code.
import { isBlank, MARKER_PATTERN, usesHashComments } from './holePrompt';
import { type Hole, unbalance } from './replyShape';

// ---- Wrapping: markers, fences, prose ----

export const SPECIAL_TOKENS = /<\|[A-Za-z_]+\|>|<｜[^｜\n]*｜>|<\/?COMPLETION>/g;

export function stripArtifacts(raw: string, h: Hole): string {
  const unlessInFile = (m: string) => (h.file.includes(m) ? m : '');
  return raw.replace(/\r\n?/g, '\n').replace(MARKER_PATTERN, unlessInFile).replace(SPECIAL_TOKENS, unlessInFile);
}

export const FENCE_LINE = /^\s*(`{3,}|~{3,})[^`]*$/;
export const PROSE_INTRO = /^(sure|certainly|of course|okay|ok|absolutely|here(?:'s| is| are)|the (?:completion|completed|missing|code|following|rest)|to (?:complete|fill|finish)|this (?:completes|fills|will|should)|i(?:'ll| will|'ve| have)|below|you can)\b/i;
export const CHATTY = /^(Let me know|I hope|Hope this helps|Feel free|Happy coding)\b/;
export const PROSE_OUTRO = /^(This|These|That|Note|Explanation|Let me|Hope|In this|With this|Now|It|I|I'm|I've|The (?:above|code|function|completion|missing|rest))\b[^;{}=]*$/;

export function isProseIntro(line: string): boolean {
  const t = line.trim();
  if (/^(completion|answer|output|code|result|solution)\s*:$/i.test(t)) return true;
  return PROSE_INTRO.test(t) && /[:.!]$/.test(t) && !/[;{}=]/.test(t);
}

export function isProseOutro(line: string): boolean {
  const t = line.trim();
  return CHATTY.test(t) || PROSE_OUTRO.test(t) && (t.endsWith(':') || t.split(/\s+/).length >= 3);
}

/** The code of the first fenced block with any, or of the code before a stray closing fence. */
export function fencedCode(lines: readonly string[], lang: string): string | undefined {
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

export function dropLeadingProse(text: string): string {
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
export function dropTrailingProse(text: string, lang: string): string {
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
export function cursorInProse(h: Hole): boolean {
  if (h.lang === 'markdown' || h.lang === 'plaintext') return true;
  const comment = usesHashComments(h.lang) ? /#|"""|'''/ : /\/\/|\/\*|^\s*\*/;
  return comment.test(h.cur) || unbalance(h.cur.replace(/[()[\]{}]/g, ''), h.lang) > 0;
}

/** "I need more context to complete this." and the like, where code was expected. */
export function isOnlyASentence(text: string, h: Hole): boolean {
  const t = text.trim();
  return !t.includes('\n') && /^[A-Z][^;{}()=<>`"]*[.!]$/.test(t) && t.split(/\s+/).length >= 5 && !cursorInProse(h);
}

export function unwrapReply(text: string, lang: string): string {
  const fenced = fencedCode(text.split('\n'), lang);
  if (fenced !== undefined) return fenced;
  // "`a * b`", or "Sure! `a * b`.": one inline code span, and nothing but words around it.
  const inline = /^([A-Za-z][A-Za-z ,'!:]*[!:,]\s+)?`([^`\n]+)`[.!]?\s*$/.exec(text.trim());
  if (inline && lang !== 'markdown') return inline[2];
  return dropTrailingProse(dropLeadingProse(text), lang);
}
