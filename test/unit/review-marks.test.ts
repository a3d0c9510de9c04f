import * as assert from 'node:assert/strict';
import { presentReview, UNREADABLE } from '../../src/review/reviewMarks';
import { parseReview } from '../../src/review/reviewVerdict';

describe('review marks', () => {
  it('an unreadable answer shows as such on the summary line, never as an approval', () => {
    const shown = presentReview(parseReview('Approved, looks great!', 10), { reviewer: 'DeepSeek V3', summaryLine: 4 });
    assert.match(shown.headline, new RegExp(`^${UNREADABLE} \\(the answer holds no JSON object\\)\\. Nothing was approved\\.$`));
    assert.doesNotMatch(shown.headline, /approves/);
    assert.equal(shown.tone, 'warning');
    assert.deepEqual(shown.marks.map((m) => [m.line, m.kind, m.label]), [[4, 'summary', 'DeepSeek V3 · unreadable']]);
    assert.equal(shown.marks[0].body, shown.headline, 'its comment says so');
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
    assert.deepEqual(shown.marks.map((m) => m.label), ['Gemini 2.5 Pro · has concerns', 'Gemini 2.5 Pro · error', 'Gemini 2.5 Pro · info']);
    assert.equal(shown.marks[1].body, '✖ error: divides by zero\n\n⚠ warning: unused variable', 'one comment for the line, most severe first');
    assert.equal(shown.marks[1].hover, `Gemini 2.5 Pro on line 3:\n\n${shown.marks[1].body}`);
    assert.match(shown.marks[0].body, /^Gemini 2\.5 Pro has concerns about this change \(4 concerns\): Two problems\n\n⚠ warning \(about the change as a whole\): no tests$/);
    assert.equal(shown.marks[0].hover, shown.marks[0].body);
  });

  it('tones and verdict labels: approve is information, reject an error; the comment has the whole message', () => {
    const approve = presentReview(parseReview('{"verdict":"approve","summary":"Correct."}', 3), { reviewer: 'R', summaryLine: 1 });
    assert.equal(approve.tone, 'info');
    assert.equal(approve.marks[0].label, 'R · approves');
    const reject = presentReview(parseReview(JSON.stringify({ verdict: 'reject', summary: 'x'.repeat(150), concerns: [{ line: 1, severity: 'error', message: 'y'.repeat(300) }] }), 3), { reviewer: 'R', summaryLine: 1 });
    assert.equal(reject.tone, 'error');
    assert.equal(reject.marks[0].label, 'R · rejects');
    assert.equal(reject.marks[1].body, `✖ error: ${'y'.repeat(300)}`);
  });
});
