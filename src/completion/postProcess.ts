// A chat model's reply turned into the text to insert at the cursor ('' = show nothing).
// Chat models wrap code in fences, add prose, repeat the code around the hole, run past the
// block and guess the indentation; each step below undoes one of those habits.
import { completionMode, firstLine, isBlank, type CompletionMode } from './holePrompt';
import { type Hole, holeFacts, indentOf, startsWithCloser } from './replyShape';
import { stripArtifacts, isOnlyASentence, unwrapReply } from './replyWrapping';
import { dropPrefixEcho, placeFirstLine } from './replyEchoes';
import { shapeBlock, trimSuffixOverlap } from './blockShape';
import type { HoleShape } from './types';

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
