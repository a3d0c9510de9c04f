// Reads the reviewer's answer. Only a well-formed verdict counts: anything else is "could not
// be read", never an approval, because a reviewer that said nothing usable approved nothing.
//
// Malformed (the whole answer is unreadable): empty, no JSON object, a missing or unknown
// verdict, `concerns` that is not a list. Tolerated, and said in `notes`:
// - a ```json fence, prose around the object, a <think> block before it;
// - `concerns` missing or null: no concerns;
// - a concern that is not an object or has no message: left out;
// - a line past either end of the proposed text: clamped to the first or last line (a concern
//   shown one line off beats a concern lost); no line or not a number: about the change as a whole;
// - a severity we do not know: mapped from common synonyms, else "warning".
import { MAX_CONCERNS } from './reviewPrompt';

export type Verdict = 'approve' | 'concerns' | 'reject';
export type Severity = 'error' | 'warning' | 'info';

export interface ReviewConcern {
  /** 1-based line of the proposed text; undefined: about the change as a whole. */
  line?: number;
  severity: Severity;
  message: string;
  /** The line the reviewer named, when it was out of range and `line` is the clamped one. */
  reportedLine?: number;
}

export interface Review {
  verdict: Verdict;
  /** One line; may be ''. */
  summary: string;
  concerns: ReviewConcern[];
  /** What was adjusted to read the answer, for the user (e.g. "line 120 is past the end…"). */
  notes: string[];
}

export type ParsedReview = { ok: true; review: Review } | { ok: false; reason: string };

const VERDICTS = new Set<string>(['approve', 'concerns', 'reject']);
const SEVERITY_WORDS: Record<string, Severity> = {
  error: 'error', critical: 'error', blocker: 'error', high: 'error', major: 'error', severe: 'error',
  warning: 'warning', warn: 'warning', medium: 'warning', moderate: 'warning', minor: 'warning',
  info: 'info', information: 'info', note: 'info', hint: 'info', suggestion: 'info', low: 'info', nit: 'info',
};
const SUMMARY_CHARS = 200;
const MAX_OBJECT_TRIES = 50;

/** Reads `text` as a review of a proposed text with `lineCount` lines. */
export function parseReview(text: string, lineCount: number): ParsedReview {
  const json = findJsonObject(text);
  if (json === undefined) return fail(text.trim() ? 'the answer holds no JSON object' : 'the answer was empty');
  const value = json as Record<string, unknown>;
  const verdict = typeof value.verdict === 'string' ? value.verdict.trim().toLowerCase() : undefined;
  if (verdict === undefined) return fail(value.verdict === undefined ? 'the answer has no verdict' : 'the verdict is not a word');
  if (!VERDICTS.has(verdict)) return fail(`the verdict "${verdict.slice(0, 40)}" is not approve, concerns or reject`);
  const rawConcerns = value.concerns ?? [];
  if (!Array.isArray(rawConcerns)) return fail('"concerns" is not a list');
  const notes: string[] = [];
  const concerns = readConcerns(rawConcerns, Math.max(1, lineCount), notes);
  return { ok: true, review: { verdict: verdict as Verdict, summary: oneLine(value.summary), concerns, notes } };
}

function fail(reason: string): ParsedReview {
  return { ok: false, reason };
}

function readConcerns(items: unknown[], lineCount: number, notes: string[]): ReviewConcern[] {
  const concerns: ReviewConcern[] = [];
  let unreadable = 0;
  for (const item of items) {
    const message = isObject(item) && typeof item.message === 'string' ? item.message.trim() : '';
    if (!isObject(item) || !message) {
      unreadable++;
      continue;
    }
    const concern: ReviewConcern = { severity: severityOf(item.severity), message };
    const line = lineOf(item.line);
    if (line !== undefined) {
      concern.line = Math.min(Math.max(line, 1), lineCount);
      if (concern.line !== line) {
        concern.reportedLine = line;
        notes.push(`The reviewer named line ${line}, which the proposed text does not have (it has ${lineCount}); the concern is shown on line ${concern.line}.`);
      }
    }
    concerns.push(concern);
  }
  if (unreadable) notes.push(`${unreadable} concern${unreadable === 1 ? ' was' : 's were'} left out: not an object with a message.`);
  if (concerns.length > MAX_CONCERNS) {
    notes.push(`Only the first ${MAX_CONCERNS} of ${concerns.length} concerns are shown.`);
    concerns.length = MAX_CONCERNS;
  }
  return concerns;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function severityOf(value: unknown): Severity {
  return (typeof value === 'string' && SEVERITY_WORDS[value.trim().toLowerCase()]) || 'warning';
}

/** A whole line number from a number or a numeric string ("12"); undefined for anything else. */
function lineOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

function oneLine(value: unknown): string {
  if (typeof value !== 'string') return '';
  const line = value.trim().split(/\r?\n/, 1)[0].trim();
  return line.length > SUMMARY_CHARS ? `${line.slice(0, SUMMARY_CHARS - 1)}…` : line;
}

/**
 * The first JSON object in `text`: the whole text, else inside a fence, else the first balanced
 * {...} that parses. A reasoning model's <think> block is skipped first (it may hold braces).
 */
export function findJsonObject(text: string): Record<string, unknown> | undefined {
  const body = text.replace(/<think>[\s\S]*?<\/think>/gi, '').trim();
  const whole = tryParse(body);
  if (whole) return whole;
  const fenced = /```(?:json)?\s*\n?([\s\S]*?)```/i.exec(body);
  const inFence = fenced ? tryParse(fenced[1].trim()) : undefined;
  if (inFence) return inFence;
  // Bounded: each try scans to the end, and a long answer full of braces must not hang the host.
  let tries = 0;
  for (let start = body.indexOf('{'); start >= 0 && tries++ < MAX_OBJECT_TRIES; start = body.indexOf('{', start + 1)) {
    const end = matchingBrace(body, start);
    if (end < 0) continue;
    const found = tryParse(body.slice(start, end + 1));
    if (found) return found;
  }
  return undefined;
}

function tryParse(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The index of the brace that closes the one at `start`, skipping braces inside strings; -1 if none. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}
