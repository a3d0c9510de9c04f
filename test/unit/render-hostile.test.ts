// Hostile model output: a model can be prompt-injected through the user's files, so its text
// is untrusted, and some of it is built to hurt the renderer (deep nesting that overflows the
// stack, inline runs that make marked backtrack, lines that drown the highlighter, tables
// with 100,000 cells). Each input runs through the real renderer, streamed and one-shot, and
// through the panel; the time bound is a ratio to rendering the same amount of plain prose
// (ordinary paragraphs, see plainProse) in the same run, never a time in ms, so a slow or
// busy machine does not change the verdict.
import * as assert from 'node:assert/strict';
import { Parser, type Token } from 'marked';
import { doc } from './render-dom';
import { StreamingMarkdownRenderer, renderMarkdownToElement } from '../../webview-ui/src/render/streamingRenderer';
import { getCodeBlockSource } from '../../webview-ui/src/render/codeBlock';
import { assistant, conversation, createLazyPanel, createPanel, sendPrompt, startAnswer, user, type Panel } from './webview-harness';

/** How much slower than the same amount of plain prose a hostile input may be. */
const RATIO_BOUND = 10;
const NOTICE = 'This part could not be formatted and is shown as plain text.';

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

function table(rows: number, columns: number): string {
  const cells = (make: (c: number) => string) => `|${Array.from({ length: columns }, (_, c) => ` ${make(c)} `).join('|')}|`;
  const lines = [cells((c) => `h${c}`), cells(() => '---')];
  for (let r = 0; r < rows; r++) lines.push(cells((c) => `${r}.${c}`));
  return lines.join('\n');
}

const nestedList = (depth: number, text = 'x') => Array.from({ length: depth }, (_, i) => `${' '.repeat(2 * i)}- ${text}`).join('\n');

/**
 * Plain prose of exactly `size` characters: one paragraph, or for a larger size consecutive
 * paragraphs of 16,000 characters. (A single paragraph over the inline budget, 32,000
 * characters, is itself shown as plain text, which would make the baseline the cheap
 * fallback rather than the cost of ordinary text.)
 */
function plainProse(size: number): string {
  const words = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ';
  const paragraph = words.repeat(Math.ceil(16_000 / words.length)).slice(0, 15_998) + '\n\n';
  return paragraph.repeat(Math.ceil(size / paragraph.length)).slice(0, size);
}

interface HostileCase {
  name: string;
  text: () => string;
  /** Chunks when streamed (one frame after each). */
  chunks: number;
  /** What the rendered body must show afterwards. */
  check(body: HTMLElement, text: string): void;
}

function assertPlainNotice(body: HTMLElement): void {
  assert.ok(body.querySelector('.ml-plain-notice'), 'the part is shown as plain text with a notice');
  assert.ok(body.textContent?.includes(NOTICE));
}

const CASES: HostileCase[] = [
  {
    name: 'a 5,000-deep blockquote',
    text: once(() => '> '.repeat(5000) + 'x'),
    chunks: 16,
    check: (body) => {
      assertPlainNotice(body);
      assert.ok(body.querySelectorAll('blockquote').length <= 64);
    },
  },
  {
    name: 'a 10,000-deep list',
    // 10,000 lines, each indented two more spaces than the last: ~100 MB.
    text: once(() => nestedList(10_000)),
    chunks: 4,
    check: (body) => {
      assertPlainNotice(body);
      assert.ok(body.querySelectorAll('li').length <= 64);
    },
  },
  {
    name: 'a 1 MB line in a ```js block',
    text: once(() => '```js\n' + 'var a=1;function f(b){return b+a}f(2);'.repeat(27_000).slice(0, 1_000_000) + '\n```\n'),
    chunks: 16,
    check: (body, text) => {
      const block = body.querySelector('.ml-code');
      assert.ok(block, 'still a code block');
      assert.equal(getCodeBlockSource(block)?.code, text.slice(6, -5), 'with its exact source');
      assert.equal(block.querySelector('.hljs-keyword'), null, 'not highlighted');
      const highlight = block.querySelector('button[data-action="highlight"]');
      assert.ok(highlight?.getAttribute('aria-label'), 'a Highlight button, with an accessible name');
    },
  },
  {
    name: '120 KB of emphasis delimiters (a*_)',
    text: once(() => 'a*_'.repeat(40_000)),
    chunks: 16,
    check: (body, text) => {
      assertPlainNotice(body);
      assert.ok(body.textContent?.includes(text.slice(0, 300)), 'the text is there, as typed');
    },
  },
  {
    name: 'a 2,000-row × 50-column table',
    text: once(() => table(2000, 50)),
    chunks: 16,
    check: (body) => {
      assertPlainNotice(body);
      assert.equal(body.querySelectorAll('td').length, 0);
    },
  },
  {
    name: 'a long mix of hostile and normal parts',
    text: once(() => {
      const parts: string[] = [];
      for (let i = 0; i < 4; i++) {
        parts.push(
          `## Part ${i}\n\nSome **normal** text with \`code\` and a [link](https://example.com/${i}).\n`,
          '> '.repeat(800) + 'deep quote\n',
          nestedList(150, 'item') + '\n',
          'a*_'.repeat(2000) + '\n', // under the size budget: the inline work budget stops it
          'a._'.repeat(3000) + '\n',
          '*a '.repeat(1500) + 'a* '.repeat(1500) + '\n', // emphasis nested 1,500 deep
          '```ts\n' + 'let a = 1; '.repeat(3000) + '\n```\n',
          table(300, 40) + '\n',
          '<div>'.repeat(3000) + 'x\n',
          '- '.repeat(100) + 'lists nested on one line\n',
        );
      }
      return parts.join('\n');
    }),
    chunks: 16,
    check: (body) => {
      assert.deepEqual(Array.from(body.querySelectorAll('h2')).map((h) => h.textContent), ['Part 0', 'Part 1', 'Part 2', 'Part 3']);
      assert.equal(body.querySelectorAll('a.ml-link, [data-href]').length, 4, 'the normal parts are formatted');
      assertPlainNotice(body);
    },
  },
];

function time(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

/** Prose renders in time linear in its size; past this, a sample of it is timed and scaled. */
const BASELINE_SAMPLE = 250_000;

/**
 * Renders `text`, then the same amount of plain prose (`render(prose)`), best of `runs` each
 * after one untimed run of each (first-use costs such as JIT or a grammar compile belong to
 * neither). Returns hostile ÷ baseline. Prose longer than BASELINE_SAMPLE (for the 100 MB
 * list, the 1 MB line) is timed on a sample of that size and scaled.
 */
function ratio(text: string, render: (text: string) => void, runs = 2): { ratio: number; hostileMs: number; baselineMs: number } {
  const prose = plainProse(Math.min(text.length, BASELINE_SAMPLE));
  const scale = Math.max(1, text.length / BASELINE_SAMPLE);
  render(prose);
  render(text);
  let baselineMs = Infinity;
  let hostileMs = Infinity;
  for (let i = 0; i < runs; i++) {
    baselineMs = Math.min(baselineMs, time(() => render(prose)) * scale);
    hostileMs = Math.min(hostileMs, time(() => render(text)));
  }
  return { ratio: hostileMs / baselineMs, hostileMs, baselineMs };
}

function renderOneShot(text: string): HTMLElement {
  const el = doc.createElement('div');
  renderMarkdownToElement(text, el, doc);
  return el;
}

function renderStreamed(text: string, chunks: number): HTMLElement {
  const el = doc.createElement('div');
  const frames: Array<() => void> = [];
  const renderer = new StreamingMarkdownRenderer(el, { document: doc, scheduleFrame: (cb) => void frames.push(cb) });
  const size = Math.ceil(text.length / chunks);
  for (let at = 0; at < text.length; at += size) {
    renderer.append(text.slice(at, at + size));
    frames.splice(0).forEach((cb) => cb());
  }
  renderer.finish();
  return el;
}

/** Streams `text` as the answer to a prompt, ending it; returns the answer's body. */
function answerWith(panel: Panel, text: string, chunks: number, index: number): HTMLElement {
  const requestId = sendPrompt(panel, `question ${index}`);
  startAnswer(panel, requestId, `question ${index}`, index * 2, `u${index}`, `a${index}`);
  const size = Math.ceil(text.length / chunks);
  for (let at = 0; at < text.length; at += size) {
    panel.deliver({ type: 'answerDelta', requestId, text: text.slice(at, at + size) });
    panel.runFrames();
  }
  panel.deliver({ type: 'answerEnd', requestId, status: 'done' });
  return panel.$(`[data-id="a${index}"] .ml-msg-body`);
}

describe('hostile model output', function () {
  this.timeout(60_000);

  for (const hostile of CASES) {
    describe(hostile.name, () => {
      it('one-shot (a saved message): no exception, within 10× the same amount of plain prose', () => {
        const text = hostile.text();
        const measured = ratio(text, renderOneShot);
        hostile.check(renderOneShot(text), text);
        assert.ok(measured.ratio <= RATIO_BOUND, `${measured.ratio.toFixed(2)}× plain prose (${measured.hostileMs.toFixed(0)} vs ${measured.baselineMs.toFixed(0)} ms)`);
      });

      it('streamed: no exception, within 10× streaming the same amount of plain prose', () => {
        const text = hostile.text();
        const measured = ratio(text, (t) => renderStreamed(t, hostile.chunks));
        const streamed = renderStreamed(text, hostile.chunks);
        hostile.check(streamed, text);
        assert.ok(streamed.innerHTML === renderOneShot(text).innerHTML, 'the same DOM as the one-shot render');
        assert.ok(measured.ratio <= RATIO_BOUND, `${measured.ratio.toFixed(2)}× plain prose (${measured.hostileMs.toFixed(0)} vs ${measured.baselineMs.toFixed(0)} ms)`);
      });

      it('in the panel: Send is back after answerEnd and the next answer renders', () => {
        const panel = createPanel();
        panel.init();
        // Few chunks: while the open block is large, frames wait out the render throttle.
        const body = answerWith(panel, hostile.text(), 4, 0);
        assert.ok(panel.button('Send'), 'not stuck on Stop');
        assert.equal(panel.$('[data-id="a0"]').hasAttribute('aria-busy'), false);
        hostile.check(body, hostile.text());
        const next = answerWith(panel, 'The next answer is **fine**.', 1, 1);
        assert.equal(next.querySelector('strong')?.textContent, 'fine');
        assert.ok(panel.button('Send'));
      });

      it('a saved conversation restores with every other message intact, eagerly and lazily', () => {
        const messages = [
          user('u0', 'first'), assistant('a0', 'The **first** answer.'),
          user('u1', 'hostile'), assistant('a1', hostile.text()),
          user('u2', 'last'), assistant('a2', 'The `last` answer.'),
        ];
        const eager = createPanel();
        eager.init({ conversation: conversation(messages) });
        assert.deepEqual(eager.$$('.ml-msg').map((m) => m.getAttribute('data-id')), ['u0', 'a0', 'u1', 'a1', 'u2', 'a2']);
        assert.equal(eager.$('[data-id="a0"] .ml-msg-body strong').textContent, 'first');
        assert.equal(eager.$('[data-id="a2"] .ml-msg-body code').textContent, 'last');
        hostile.check(eager.$('[data-id="a1"] .ml-msg-body'), hostile.text());
        assert.ok(eager.button('Send'));

        // Older than the newest ten: rendered when it comes near the viewport.
        const older = [...messages.slice(0, 4), ...Array.from({ length: 10 }, (_, i) => (i % 2 ? assistant(`n${i}`, `Answer ${i}`) : user(`n${i}`, `Question ${i}`))), ...messages.slice(4)];
        const { panel: lazy, observers } = createLazyPanel();
        lazy.init({ conversation: conversation(older) });
        assert.ok(lazy.$('[data-id="a1"] .ml-msg-body').classList.contains('is-pending'));
        observers[0].intersect([lazy.$('[data-id="a1"]'), lazy.$('[data-id="a0"]')]);
        assert.equal(lazy.$('[data-id="a0"] .ml-msg-body strong').textContent, 'first', 'the body after the hostile one renders too');
        hostile.check(lazy.$('[data-id="a1"] .ml-msg-body'), hostile.text());
        assert.ok(lazy.button('Send'));
      });
    });
  }
});

describe('hostile model output: where the limits are', () => {
  const isPlain = (body: HTMLElement) => body.querySelector('.ml-plain-notice') !== null;

  it('formats nesting up to 64 levels; a line nested deeper is plain text', () => {
    const prose = 'x'.repeat(20_000); // keeps the group's average depth low
    const at64 = renderOneShot(`${prose}\n${'> '.repeat(64)}deep`);
    assert.equal(at64.querySelectorAll('blockquote').length, 64);
    assert.equal(isPlain(at64), false);
    const at65 = renderOneShot(`${prose}\n${'> '.repeat(65)}deep\n\nAfter **it**.`);
    assert.equal(at65.querySelectorAll('blockquote').length, 0);
    assert.ok(isPlain(at65));
    assert.equal(at65.querySelector('strong')?.textContent, 'it', 'the next block is formatted');
    const list = renderOneShot(`${prose}\n\n${nestedList(65)}`);
    assert.ok(isPlain(list));
    assert.equal(list.querySelector('p')?.textContent, prose, 'the block before is formatted');
  });

  it('formats lines nested 16 deep on average, not more (marked re-lexes each level)', () => {
    assert.equal(renderOneShot(`${'> '.repeat(16)}x`).querySelectorAll('blockquote').length, 16);
    assert.ok(isPlain(renderOneShot(`${'> '.repeat(17)}x`)));
    assert.ok(isPlain(renderOneShot(`${'> '.repeat(40)}${'lorem ipsum '.repeat(10_000)}`)));
    const list = renderOneShot(nestedList(8, 'item with some words'));
    assert.equal(list.querySelectorAll('li').length, 8);
  });

  it('does not take deeply indented code in a fence for nesting', () => {
    const code = Array.from({ length: 120 }, (_, i) => `${'  '.repeat(i)}"key${i}": {`).join('\n');
    const body = renderOneShot('```yaml\n' + code + '\n```');
    assert.equal(isPlain(body), false);
    assert.equal(getCodeBlockSource(body.querySelector('.ml-code') as Element)?.code, code);
  });

  it('formats a paragraph up to 32,000 characters; a longer one is plain text', () => {
    const words = (size: number) => 'some **bold** words '.repeat(Math.ceil(size / 20)).slice(0, size);
    const ok = renderOneShot(words(32_000));
    assert.equal(ok.querySelectorAll('strong').length, 1600);
    const long = renderOneShot(words(32_020));
    assert.ok(isPlain(long));
    assert.equal(long.querySelector('strong'), null);
  });

  it('formats ordinary emphasis however much of it; a run that would make marked backtrack is plain text', () => {
    const dense = renderOneShot('**bold** and _it_ and ~~gone~~ and *em* '.repeat(700));
    assert.equal(dense.querySelectorAll('strong').length, 700);
    assert.equal(isPlain(dense), false);
    for (const run of ['a*_'.repeat(1000), 'a._'.repeat(1000), '*a '.repeat(500) + 'a* '.repeat(500), 'a~_'.repeat(1000)]) {
      assert.ok(isPlain(renderOneShot(run)), run.slice(0, 12));
    }
  });

  it('formats a table of up to 5,000 cells; a larger one is plain text', () => {
    assert.equal(renderOneShot(table(99, 50)).querySelectorAll('td').length, 99 * 50);
    const large = renderOneShot(`Before.\n\n${table(100, 50)}\n\nAfter.`);
    assert.equal(large.querySelectorAll('td, th').length, 0);
    assert.ok(isPlain(large));
    assert.deepEqual(Array.from(large.querySelectorAll(':scope > p')).map((p) => p.textContent), ['Before.', 'After.']);
  });

  it('formats HTML nested up to 256 elements deep; deeper is plain text', () => {
    assert.equal(renderOneShot('<div>'.repeat(256) + 'x').querySelectorAll('div').length, 256);
    const deep = renderOneShot('<div>'.repeat(257) + 'x');
    assert.equal(deep.querySelectorAll('div:not(.ml-plain):not(.ml-plain-text)').length, 0);
    assert.ok(isPlain(deep));
  });

  it('does not parse text past 2,000,000 characters at all: it is plain text', () => {
    const body = renderOneShot('```\n' + 'x\n'.repeat(1_000_010) + '```\n\nAfter **it**.');
    assert.ok(body.querySelector('.ml-code'), 'the start is formatted');
    assert.ok(isPlain(body));
    assert.equal(body.querySelector('strong'), null);
    assert.match(body.querySelector('.ml-plain-text')?.textContent ?? '', /After \*\*it\*\*\.$/);
  });

  it('shows at most 200,000 characters of one plain part, and says how many more there are', () => {
    const body = renderOneShot('> '.repeat(100) + 'y'.repeat(300_000));
    const text = body.querySelector('.ml-plain-text')?.textContent ?? '';
    assert.ok(text.length < 200_100);
    assert.match(text, /… 100,200 more characters not shown\.$/);
  });
});

describe('hostile model output: error boundaries', () => {
  /** Replaces `object[key]` for one test. */
  function patch<T extends object, K extends keyof T>(object: T, key: K, replacement: T[K]): () => void {
    const original = object[key];
    object[key] = replacement;
    return () => void (object[key] = original);
  }

  it('a block that throws while rendering becomes plain, escaped text with a notice; the others render', () => {
    const parse = Parser.prototype.parse;
    const restore = patch(Parser.prototype, 'parse', function (this: Parser, tokens: Token[]) {
      if (tokens.some((t) => t.raw.includes('BOOM'))) throw new RangeError('Maximum call stack size exceeded');
      return parse.call(this, tokens);
    });
    try {
      const text = '# Title\n\nBOOM <b>bold</b> & *em*\n\nAfter **this**.\n';
      for (const body of [renderOneShot(text), renderStreamed(text, 7)]) {
        assert.equal(body.querySelector('h1')?.textContent, 'Title');
        assert.equal(body.querySelector('strong')?.textContent, 'this');
        const plain = body.querySelector('.ml-plain');
        assert.ok(plain);
        assert.ok(plain.textContent?.includes(NOTICE));
        assert.equal(plain.querySelector('.ml-plain-text')?.textContent, 'BOOM <b>bold</b> & *em*');
        assert.equal(body.querySelector('b, em'), null);
      }
    } finally {
      restore();
    }
  });

  it('a saved message that cannot be rendered shows as plain text; the rest of the conversation restores', () => {
    const setText = StreamingMarkdownRenderer.prototype.setText;
    const restore = patch(StreamingMarkdownRenderer.prototype, 'setText', function (this: StreamingMarkdownRenderer, text: string) {
      if (text.includes('BOOM')) throw new RangeError('Maximum call stack size exceeded');
      setText.call(this, text);
    });
    try {
      const messages = [user('u0', 'q'), assistant('a0', 'The **first**.'), user('u1', 'q'), assistant('a1', 'BOOM **x**'), user('u2', 'q'), assistant('a2', 'The `last`.')];
      const eager = createPanel();
      eager.init({ conversation: conversation(messages) });
      assert.equal(eager.$('[data-id="a0"] strong').textContent, 'first');
      assert.equal(eager.$('[data-id="a2"] code').textContent, 'last');
      assert.ok(eager.$('[data-id="a1"] .ml-msg-body').textContent?.includes(NOTICE));
      assert.equal(eager.$('[data-id="a1"] .ml-plain-text').textContent, 'BOOM **x**');
      assert.ok(eager.button('Send'));

      const { panel: lazy, observers } = createLazyPanel();
      const padding = Array.from({ length: 10 }, (_, i) => (i % 2 ? assistant(`n${i}`, `Answer ${i}`) : user(`n${i}`, `Question ${i}`)));
      lazy.init({ conversation: conversation([...messages.slice(0, 4), ...padding, ...messages.slice(4)]) });
      observers[0].intersect([lazy.$('[data-id="a1"]'), lazy.$('[data-id="a0"]')]);
      assert.equal(lazy.$('[data-id="a0"] strong').textContent, 'first', 'the body after the failing one renders too');
      assert.equal(lazy.$('[data-id="a1"] .ml-plain-text').textContent, 'BOOM **x**');
    } finally {
      restore();
    }
  });

  it('answerEnd clears the busy state even if finishing the answer throws', () => {
    const restore = patch(StreamingMarkdownRenderer.prototype, 'finish', () => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    try {
      const panel = createPanel();
      panel.init();
      const body = answerWith(panel, 'Hello **there**', 2, 0);
      assert.ok(panel.button('Send'), 'not stuck on Stop');
      assert.equal(panel.$('[data-id="a0"]').hasAttribute('aria-busy'), false);
      assert.equal(body.querySelector('.ml-plain-text')?.textContent, 'Hello **there**', 'the answer is kept, as plain text');
      answerWith(panel, 'Next', 1, 1);
      assert.ok(panel.button('Send'));
    } finally {
      restore();
    }
  });
});
