import * as assert from 'node:assert/strict';
import { presentReview, UNREADABLE } from '../../src/review/reviewMarks';
import { parseReview } from '../../src/review/reviewVerdict';

describe('review marks', () => {
  it('an unreadable answer shows as such on the summary line, never as an approval', () => {
    const shown = presentReview(parseReview('Approved, looks great!', 10), { reviewer: 'DeepSeek V3', summaryLine: 4 });
    assert.match(shown.headline, new RegExp(`^${UNREADABLE} \\(the answer holds no JSON object\\)\\. Nothing was approved\\.$`));
    assert.doesNotMatch(shown.headline, /approves/);
    assert.equal(shown.tone, 'warning');
    assert.deepEqual(shown.marks.map((m) => [m.line, m.kind]), [[4, 'summary']]);
  });

  it('the verdict sits on the summary line; concerns on their lines, grouped, most severe first', () => {
    const answer = JSON.stringify({ verdict: 'concerns', summary: 'Two problems', concerns: [
      { line: 7, severity: 'info', message: 'could be shorter' },
      { line: 3, severity: 'warning', message: 'unused variable' },
      { line: 3, severity: 'error', message: 'divides by zero' },
      { severity: 'warning', message: 'no tests' },
    ] });
    const shown = presentReview(parseReview(answer, 10), { reviewer: 'Gemini 2.5 Pro', summaryLine: 2 });
    assert.equal(shown.headline, 'Gemini 2.5 Pro has concerns about this change (4 concerns): Two problems');
    assert.equal(shown.tone, 'warning');
    assert.deepEqual(shown.marks.map((m) => [m.line, m.kind]), [[2, 'summary'], [3, 'error'], [7, 'info']]);
    assert.equal(shown.marks[1].text, '✖ divides by zero (+1 more)');
    assert.match(shown.marks[1].hover, /^Gemini 2\.5 Pro on line 3:\n\n✖ error: divides by zero\n\n⚠ warning: unused variable$/);
    assert.match(shown.marks[0].hover, /about the change as a whole\): no tests/);
  });

  it('tones: approve is information, reject an error; long text is cut after the line', () => {
    assert.equal(presentReview(parseReview('{"verdict":"approve","summary":"Correct."}', 3), { reviewer: 'R', summaryLine: 1 }).tone, 'info');
    const reject = presentReview(parseReview(JSON.stringify({ verdict: 'reject', summary: 'x'.repeat(150), concerns: [{ line: 1, severity: 'error', message: 'y'.repeat(300) }] }), 3), { reviewer: 'R', summaryLine: 1 });
    assert.equal(reject.tone, 'error');
    assert.ok(reject.marks.every((m) => m.text.length <= 100));
    assert.ok(reject.marks[1].hover.includes('y'.repeat(300)), 'the hover has the whole message');
  });
});
