import * as assert from 'node:assert/strict';
import { parseReview, type ParsedReview } from '../../src/review/reviewVerdict';

const VALID = { verdict: 'concerns', summary: 'Divides by zero on an empty list', concerns: [{ line: 2, severity: 'error', message: 'values.length may be 0' }] };

function unreadable(parsed: ParsedReview): string {
  assert.equal(parsed.ok, false, `expected an unreadable answer, got ${JSON.stringify(parsed)}`);
  return (parsed as { reason: string }).reason;
}

function readable(parsed: ParsedReview) {
  assert.ok(parsed.ok, `expected a readable answer, got ${JSON.stringify(parsed)}`);
  return parsed.review;
}

describe('review verdict parser', () => {
  it('reads a valid answer', () => {
    const review = readable(parseReview(JSON.stringify(VALID), 10));
    assert.deepEqual(review, { verdict: 'concerns', summary: 'Divides by zero on an empty list', concerns: [{ line: 2, severity: 'error', message: 'values.length may be 0' }], notes: [] });
  });

  it('reads each verdict, whatever its case, and an approval without concerns', () => {
    assert.equal(readable(parseReview('{"verdict":"approve","summary":"Fine."}', 3)).verdict, 'approve');
    assert.deepEqual(readable(parseReview('{"verdict":"approve","summary":"Fine.","concerns":null}', 3)).concerns, []);
    assert.equal(readable(parseReview('{"verdict":" Reject ","concerns":[]}', 3)).verdict, 'reject');
  });

  it('tolerates a ```json fence around the object', () => {
    const review = readable(parseReview('```json\n' + JSON.stringify(VALID, null, 2) + '\n```', 10));
    assert.equal(review.verdict, 'concerns');
    assert.equal(review.concerns.length, 1);
  });

  it('finds the object in prose around it, and skips a <think> block', () => {
    const text = `Sure! Here is my review: ${JSON.stringify(VALID)} Let me know if {you} need more.`;
    assert.equal(readable(parseReview(text, 10)).verdict, 'concerns');
    const thinking = `<think>Maybe {"verdict":"approve"}? No: it divides by zero.</think>\n${JSON.stringify(VALID)}`;
    assert.equal(readable(parseReview(thinking, 10)).verdict, 'concerns');
  });

  it('braces inside strings do not confuse the search', () => {
    const text = `Review: {"verdict":"reject","summary":"Unbalanced } in a string {","concerns":[]}`;
    const review = readable(parseReview(text, 5));
    assert.equal(review.verdict, 'reject');
    assert.equal(review.summary, 'Unbalanced } in a string {');
  });

  it('invalid JSON, prose only, or an answer cut off mid-object is unreadable, never an approval', () => {
    assert.match(unreadable(parseReview('{"verdict": "approve", "summary": ', 5)), /no JSON object/);
    assert.match(unreadable(parseReview('Looks good to me, approve!', 5)), /no JSON object/);
    assert.match(unreadable(parseReview("{verdict: 'approve'}", 5)), /no JSON object/);
    assert.match(unreadable(parseReview('["approve"]', 5)), /no JSON object/);
    // The inner concern parses, but it is no verdict: the outer object never closed.
    assert.match(unreadable(parseReview('{"verdict":"approve","concerns":[{"line":1,"message":"x"}', 5)), /no verdict/);
  });

  it('an empty answer is unreadable', () => {
    assert.match(unreadable(parseReview('', 5)), /empty/);
    assert.match(unreadable(parseReview('  \n ', 5)), /empty/);
  });

  it('a missing, non-text or unknown verdict is unreadable', () => {
    assert.match(unreadable(parseReview('{"summary":"ok","concerns":[]}', 5)), /no verdict/);
    assert.match(unreadable(parseReview('{"verdict":true}', 5)), /not a word/);
    assert.match(unreadable(parseReview('{"verdict":"approved"}', 5)), /"approved" is not approve, concerns or reject/);
    assert.match(unreadable(parseReview('{"verdict":"lgtm"}', 5)), /not approve, concerns or reject/);
  });

  it('concerns that are not a list make the answer unreadable', () => {
    assert.match(unreadable(parseReview('{"verdict":"approve","concerns":"none"}', 5)), /not a list/);
    assert.match(unreadable(parseReview('{"verdict":"concerns","concerns":{"line":1,"message":"x"}}', 5)), /not a list/);
  });

  it('maps severity synonyms, and an unknown or missing severity to warning', () => {
    const concerns = readable(parseReview(JSON.stringify({ verdict: 'concerns', concerns: [
      { line: 1, severity: 'critical', message: 'a' },
      { line: 1, severity: 'Note', message: 'b' },
      { line: 1, severity: 'purple', message: 'c' },
      { line: 1, message: 'd' },
      { line: 1, severity: 3, message: 'e' },
    ] }), 5)).concerns;
    assert.deepEqual(concerns.map((c) => c.severity), ['error', 'info', 'warning', 'warning', 'warning']);
  });

  it('clamps out-of-range lines to the text and says so; no line means the change as a whole', () => {
    const review = readable(parseReview(JSON.stringify({ verdict: 'concerns', concerns: [
      { line: 120, severity: 'error', message: 'past the end' },
      { line: 0, severity: 'info', message: 'before the start' },
      { line: '3', severity: 'warning', message: 'numeric string' },
      { line: 2.7, severity: 'warning', message: 'fraction' },
      { severity: 'warning', message: 'no line' },
      { line: 'top', severity: 'warning', message: 'not a number' },
    ] }), 10));
    assert.deepEqual(review.concerns.map((c) => [c.line, c.reportedLine]), [[10, 120], [1, 0], [3, undefined], [2, undefined], [undefined, undefined], [undefined, undefined]]);
    assert.equal(review.notes.length, 2);
    assert.match(review.notes[0], /line 120.*shown on line 10/);
  });

  it('leaves out concerns without a message and says how many', () => {
    const review = readable(parseReview('{"verdict":"reject","summary":"no","concerns":[{"line":1},"text",null,{"line":2,"message":"  "},{"line":2,"message":"kept"}]}', 5));
    assert.deepEqual(review.concerns, [{ line: 2, severity: 'warning', message: 'kept' }]);
    assert.deepEqual(review.notes, ['4 concerns were left out: not an object with a message.']);
  });

  it('keeps the summary to one short line', () => {
    const review = readable(parseReview(JSON.stringify({ verdict: 'approve', summary: `first line\nsecond ${'x'.repeat(10)}`, concerns: [] }), 5));
    assert.equal(review.summary, 'first line');
    assert.equal(readable(parseReview(JSON.stringify({ verdict: 'approve', summary: 'y'.repeat(500) }), 5)).summary.length, 200);
    assert.equal(readable(parseReview('{"verdict":"approve","summary":42}', 5)).summary, '');
  });

  it('keeps at most 20 concerns', () => {
    const concerns = Array.from({ length: 25 }, (_, i) => ({ line: 1, severity: 'info', message: `c${i}` }));
    const review = readable(parseReview(JSON.stringify({ verdict: 'concerns', concerns }), 5));
    assert.equal(review.concerns.length, 20);
    assert.match(review.notes.at(-1) ?? '', /first 20 of 25/);
  });
});
