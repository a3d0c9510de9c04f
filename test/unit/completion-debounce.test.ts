import * as assert from 'node:assert/strict';
import { AdaptiveDebounce } from '../../src/completion/adaptiveDebounce';

/** A debounce on a clock the test moves; `type(gaps)` presses one key, then one after each gap. */
function debounce(options: { baseMs: number; minMs?: number; maxMs?: number }) {
  let time = 1_000_000;
  const d = new AdaptiveDebounce({ ...options, now: () => time });
  const type = (...gaps: number[]) => {
    d.keystroke();
    for (const gap of gaps) {
      time += gap;
      d.keystroke();
    }
  };
  return { d, type, wait: (ms: number) => void (time += ms) };
}

describe('AdaptiveDebounce', () => {
  it('waits the configured debounce until it knows a rhythm', () => {
    const { d, type } = debounce({ baseMs: 120 });
    assert.equal(d.delayMs(), 120);
    type(200, 200);
    assert.equal(d.delayMs(), 120, 'two gaps are no rhythm yet');
  });

  it('waits a bit longer than the usual gap between keys, so a typist mid-word sends nothing', () => {
    const { d, type } = debounce({ baseMs: 100 });
    type(180, 200, 220, 190, 210);
    // Median gap 200 ms → 300 ms: longer than any gap this typist makes inside a word.
    assert.equal(d.delayMs(), 300);
  });

  it('never waits less than the configured debounce, however fast the keys come', () => {
    const { d, type } = debounce({ baseMs: 100 });
    type(40, 50, 45, 55);
    assert.equal(d.delayMs(), 100);
  });

  it('an explicit minimum lets a fast typist wait less than the base', () => {
    const { d, type } = debounce({ baseMs: 100, minMs: 30 });
    type(40, 40, 40, 40);
    assert.equal(d.delayMs(), 60);
  });

  it('is bounded by the maximum for a slow typist', () => {
    const { d, type } = debounce({ baseMs: 100, maxMs: 450 });
    type(700, 800, 900);
    assert.equal(d.delayMs(), 450);
  });

  it('the default maximum is three times the base, at least base + 300', () => {
    assert.equal(new AdaptiveDebounce({ baseMs: 100 }).maxMs, 400);
    assert.equal(new AdaptiveDebounce({ baseMs: 300 }).maxMs, 900);
  });

  it('a pause (reading, thinking) is not part of the rhythm', () => {
    const { d, type, wait } = debounce({ baseMs: 100 });
    type(100, 100, 100);
    wait(5_000);
    type(100);
    assert.equal(d.delayMs(), 150, 'the 5 s pause is left out of the median');
  });

  it('follows a change of pace: only the recent gaps count', () => {
    const { d, type } = debounce({ baseMs: 50 });
    type(300, 300, 300, 300, 300, 300, 300, 300);
    assert.equal(d.delayMs(), 350, 'capped at the default max, 50 + 300');
    type(80, 80, 80, 80, 80, 80, 80, 80);
    assert.equal(d.delayMs(), 120);
  });

  it('slow replies lengthen the wait by a small share of their median time', () => {
    const { d, type } = debounce({ baseMs: 100, maxMs: 1000 });
    type(100, 100, 100);
    d.latency(800);
    d.latency(1200);
    d.latency(1000);
    // 1.5 × 100 + 0.15 × 1000
    assert.equal(d.delayMs(), 300);
  });
});
