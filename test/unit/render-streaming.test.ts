import * as assert from 'node:assert/strict';
import { doc } from './render-dom';
import { IncrementalLexer } from '../../webview-ui/src/render/incrementalLexer';
import { lexMarkdown } from '../../webview-ui/src/render/markdown';
import { StreamingMarkdownRenderer, renderMarkdownToElement } from '../../webview-ui/src/render/streamingRenderer';


/** A scheduler the test drives by hand: frames run only when runFrames() is called. */
function manualFrames() {
  const queue: Array<() => void> = [];
  return {
    schedule: (cb: () => void) => void queue.push(cb),
    pending: () => queue.length,
    runFrames: () => queue.splice(0).forEach((cb) => cb()),
  };
}

function oneShotHtml(text: string): string {
  const el = doc.createElement('div');
  renderMarkdownToElement(text, el, doc);
  return el.innerHTML;
}

/** Streams `text` in the given chunk sizes, rendering after every chunk, then finishes. */
function stream(text: string, nextSize: () => number) {
  const el = doc.createElement('div');
  const frames = manualFrames();
  const renderer = new StreamingMarkdownRenderer(el, { document: doc, scheduleFrame: frames.schedule });
  for (let at = 0; at < text.length; ) {
    const size = Math.max(1, nextSize());
    renderer.append(text.slice(at, at + size));
    at += size;
    frames.runFrames();
  }
  renderer.finish();
  return { el, renderer };
}

/** Deterministic PRNG so a failing chunking can be reproduced. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const LANGS = ['ts', 'python', 'rust', 'go', 'json', 'bash', 'sql', 'java', 'cpp', 'yaml', 'diff', 'unknownlang', ''];

function codeSample(lang: string, n: number): string {
  switch (lang) {
    case 'python':
      return `def handler_${n}(event, context):\n    """Docstring with <tags> & "quotes"."""\n    if not event:\n        return None\n    return {"id": ${n}, "ok": True}\n`;
    case 'rust':
      return `fn main() {\n    let v: Vec<i32> = (0..${n}).collect();\n    println!("{:?}", v);\n}\n`;
    case 'go':
      return `func Sum${n}(xs []int) (total int) {\n\tfor _, x := range xs {\n\t\ttotal += x\n\t}\n\treturn\n}\n`;
    case 'json':
      return `{\n  "name": "pkg-${n}",\n  "version": "1.0.${n}",\n  "private": true\n}\n`;
    case 'bash':
      return `#!/usr/bin/env bash\nset -euo pipefail\nfor f in *.ts; do echo "$f" | grep -q test && echo ok; done\n`;
    case 'sql':
      return `SELECT id, name FROM users WHERE created_at > NOW() - INTERVAL '${n} days' ORDER BY id;\n`;
    case 'diff':
      return `--- a/file.ts\n+++ b/file.ts\n@@ -1,3 +1,3 @@\n-const x = ${n};\n+const x = ${n + 1};\n`;
    case 'yaml':
      return `name: build-${n}\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n`;
    default:
      return `export function compute${n}(a: number, b: number): number {\n  // a < b && b > a\n  const text = \`value: \${a + b}\`;\n  return a * b + ${n};\n}\n\n\nconsole.log(compute${n}(1, 2));\n`;
  }
}

/** A long, realistic answer: prose, lists, tables, quotes, headings, many fences, and an unterminated fence at the end. */
function buildCorpus(sections: number): string {
  const parts: string[] = ['Here is a walkthrough of the changes, with examples.\n\n'];
  for (let n = 0; n < sections; n++) {
    const lang = LANGS[n % LANGS.length];
    parts.push(
      `## Step ${n + 1}: update \`module${n}\`\n\n`,
      `The function **compute${n}** takes _two_ numbers and uses the [docs](https://example.com/docs/${n} "Docs ${n}") `,
      `and <https://example.org/${n}>; see also www.example.net/path${n} or mail dev${n}@example.com. `,
      `A \`code span with <b>html</b>\` and an escaped \\*star\\*.\nThe paragraph continues on a second line.\n\n`,
      `\`\`\`${lang}\n${codeSample(lang, n)}\`\`\`\n\n`,
    );
    switch (n % 6) {
      case 0:
        parts.push(
          `1. First install:\n   \`\`\`bash\n   npm install pkg-${n}\n   \`\`\`\n2. Then configure\n   - nested *a*\n   - nested b\n     with lazy continuation\n3. Done\n\n`,
        );
        break;
      case 1:
        parts.push(`| Option | Type | Default |\n|:-------|:----:|--------:|\n| \`debug\` | boolean | \`false\` |\n| retries | number | ${n} |\n| name | string | "x${n}" |\n\nAfter the table.\n\n`);
        break;
      case 2:
        parts.push(`> **Note** quoted advice ${n}\n> - with a list\n> - of two\n>\n> > nested quote\n\nSetext heading ${n}\n-----------\n\n`);
        break;
      case 3:
        parts.push(`- [x] done task ${n}\n- [ ] open task\n\n- loose item after blank line\n\n    indented code block ${n}\n    second line\n\n***\n\n`);
        break;
      case 4:
        parts.push(`Term ${n}\n===\n\n* star list\n+ plus list\n\n<details><summary>raw html ${n}</summary>\n\nhidden *markdown*\n\n</details>\n\n`);
        break;
      default:
        parts.push(`Use [the guide][guide] and [again][GUIDE].\n\n[guide]: https://example.com/guide "Guide"\n\n~~~${lang}\ntilde fence ${n}\n~~~\n\n`);
    }
  }
  parts.push('Finally, the last file:\n\n```ts\nexport const unterminated = true;\nfunction tail() {\n  return 42;\n');
  return parts.join('');
}

const corpus = buildCorpus(34);

describe('StreamingMarkdownRenderer: equivalence with the one-shot render', function () {
  this.timeout(120_000);
  const expected = oneShotHtml(corpus);

  it('uses a corpus long and varied enough to mean something', () => {
    assert.ok(corpus.length > 15_000, `corpus is ${corpus.length} chars`);
    assert.ok((corpus.match(/^(```|~~~)\w*$/gm) ?? []).length > 60, 'needs 30+ fenced blocks');
    const one = doc.createElement('div');
    one.innerHTML = expected;
    assert.ok(one.querySelectorAll('.ml-code').length >= 30);
    assert.ok(one.querySelector('table') && one.querySelector('blockquote blockquote') && one.querySelector('ol ul'));
  });

  for (const size of [1, 4, 7]) {
    it(`streams in ${size}-character chunks to the same DOM`, () => {
      const { el, renderer } = stream(corpus, () => size);
      assert.equal(el.innerHTML, expected);
      assert.equal(renderer.text, corpus);
      assert.equal(renderer.stats.repairs, 0);
    });
  }

  for (const seed of [1, 2, 3]) {
    it(`streams in random-sized chunks (seed ${seed}) to the same DOM`, () => {
      const random = prng(seed);
      const { el, renderer } = stream(corpus, () => 1 + Math.floor(random() * 60));
      assert.equal(el.innerHTML, expected);
      assert.equal(renderer.stats.repairs, 0);
    });
  }

  it('matches after every single chunk once finished (prefixes of the corpus)', () => {
    const random = prng(42);
    for (let i = 0; i < 15; i++) {
      const prefix = corpus.slice(0, Math.floor(random() * corpus.length));
      const { el, renderer } = stream(prefix, () => 1 + Math.floor(random() * 200));
      assert.equal(el.innerHTML, oneShotHtml(prefix), `prefix of length ${prefix.length}`);
      assert.equal(renderer.stats.repairs, 0);
    }
  });
});

describe('StreamingMarkdownRenderer: random documents', function () {
  this.timeout(60_000);
  const lines = [
    'para text www.e.com', 'see [x] and [y][z]', '- item', '  - nested', '   continued', '1. one', '', '', '```js', '```',
    '    code', '> quote', '| a | b |', '|---|---|', '| 1 | 2 |', '# h', '---', '<div>', '</div>', '[x]: http://a',
    '[z]: http://z "t"', '<!--', '-->', 'text <a href="http://x">', '</a> www.e.com', '<pre>', '</pre>', '- [ ] task',
    "'multi", "line'", '![i](http://b)', '<img src=http://c>', '[l](javascript:x)', '**bold *em* `c`**',
  ];

  it('render the same streamed (random chunks) and one-shot, with no repairs', () => {
    const random = prng(99);
    for (let n = 0; n < 100; n++) {
      const count = 3 + Math.floor(random() * 15);
      const text = Array.from({ length: count }, () => lines[Math.floor(random() * lines.length)]).join('\n');
      const { el, renderer } = stream(text, () => 1 + Math.floor(random() * 6));
      assert.equal(el.innerHTML, oneShotHtml(text), `document ${JSON.stringify(text)}`);
      assert.equal(renderer.stats.repairs, 0);
    }
  });
});

describe('IncrementalLexer: settled blocks agree with a one-shot lex', () => {
  // Constructs where a block's end depends on what follows; each is streamed char by char.
  const tricky = [
    'para\n```a`\nstill para\n\nnext',
    'para\n```\ncode\n```\nafter',
    'para\n#not heading\n# heading\ntext',
    'para\n| a | b |\n|---|---|\n| 1 | 2 |\nafter table\n\nend',
    'para\n| a | b |\n|---|\nnot a table\n',
    '- a\n\n- b\n\n  continued b\n\nout\n- new list',
    '1. one\n2. two\n\n   indented para\n3. three\n\ntext',
    '    code\n\n    more code\n\npara\n    not code',
    'Title\n=\n\nSub\n---\n\npara\n- item\n---\n',
    '> quote\nlazy\n> more\n\n> other\n\nafter',
    '<div>\nhtml\n\n*md*\n</div>\n\n<!--\ncomment\n\nstill\n-->\ntext',
    'text <a href="https://x.y">open link www.example.com\n\nnext www.example.org para\n\n</a> end www.example.com',
    '[a]: https://a.example\n\n[a] and [b]\n\n[b]: https://b.example\n\n[b] again',
    'line with trailing spaces  \nnext\\\nlast\n\n* * *\n',
    '```\nunterminated\n\n# not a heading\n',
    "[t]: /url\n'multi\nline title'\n[t]\n\ntext",
  ];

  for (const text of tricky) {
    it(`streams ${JSON.stringify(text.slice(0, 30))}… without settling too early`, () => {
      const expected = lexMarkdown(text).tokens.map((t) => t.raw);
      for (const size of [1, 2, 3]) {
        const lexer = new IncrementalLexer();
        const frozenRaws: string[] = [];
        let open: string[] = [];
        for (let at = 0; at < text.length; at += size) {
          lexer.append(text.slice(at, at + size));
          const update = lexer.update();
          frozenRaws.push(...update.frozen.map((p) => p.token.raw));
          open = update.open.map((p) => p.token.raw);
          // Whatever is frozen must already be a prefix of the final token list.
          assert.deepEqual(frozenRaws, expected.slice(0, frozenRaws.length), `chunk size ${size}, at ${at}`);
        }
        assert.deepEqual([...frozenRaws, ...open], expected);
      }
    });
  }

  it('agrees on 1500 random documents made of awkward lines', () => {
    const lines = [
      'para text', 'more *text* here', '- item', '  - nested', '   continued', '1. one', '2) two', '', '', '```js', '```',
      '~~~', '    code', '> quote', '>', '| a | b |', '|---|---|', '| 1 | 2 |', '# h', '===', '---', '***', '<div>',
      '</div>', '[x]: http://a', '[x] ref', '<!--', '-->', '* star', 'text <a href="http://x">', '</a> www.e.com',
      '<pre>', '</pre>', '- [ ] task', '\t- tab item', 'line  ', 'a\\', '  ```', '>  - q item', '<script>', '</script>',
      "'multi", "line'", '"title"', ':---|', '![i](http://b)', '10. ten', '#', '- ', '1.', '=', '- - -', '<details>',
    ];
    const random = prng(2024);
    for (let n = 0; n < 1500; n++) {
      const count = 3 + Math.floor(random() * 20);
      const text = Array.from({ length: count }, () => lines[Math.floor(random() * lines.length)]).join('\n') + (random() < 0.5 ? '\n' : '');
      const expected = lexMarkdown(text).tokens.map((t) => t.raw);
      const lexer = new IncrementalLexer();
      const frozenRaws: string[] = [];
      let open: string[] = [];
      for (let at = 0; at < text.length; ) {
        const size = 1 + Math.floor(random() * 4);
        lexer.append(text.slice(at, at + size));
        at += size;
        const update = lexer.update();
        frozenRaws.push(...update.frozen.map((p) => p.token.raw));
        open = update.open.map((p) => p.token.raw);
        assert.deepEqual(frozenRaws, expected.slice(0, frozenRaws.length), `document ${JSON.stringify(text)}, at ${at}`);
      }
      assert.deepEqual([...frozenRaws, ...open], expected, `document ${JSON.stringify(text)}`);
    }
  });

  it('normalises CRLF split across chunks', () => {
    const lexer = new IncrementalLexer();
    for (const chunk of ['a\r', '\nb\r', '\r', '\n', 'c\r']) lexer.append(chunk);
    lexer.append('\n');
    assert.equal(lexer.text, 'a\nb\n\nc\n');
  });
});

describe('StreamingMarkdownRenderer: freezing', () => {
  it('never rebuilds settled blocks: their nodes stay the same objects', () => {
    const el = doc.createElement('div');
    const renderer = new StreamingMarkdownRenderer(el, { document: doc, scheduleFrame: () => {} });
    const head = corpus.slice(0, 6000);
    renderer.append(head);
    renderer.flush();
    const before = Array.from(el.childNodes);
    const beforeHtml = before.map((n) => (n as Element).outerHTML ?? n.textContent);
    // The last couple of blocks may still be open; everything before them must survive.
    const settled = before.slice(0, -3);
    assert.ok(settled.length > 10);

    for (let at = 6000; at < corpus.length; at += 5) {
      renderer.append(corpus.slice(at, at + 5));
      renderer.flush();
    }
    renderer.finish();
    const after = Array.from(el.childNodes);
    settled.forEach((node, i) => {
      assert.equal(after[i], node, `block ${i} was replaced`);
      assert.equal((node as Element).outerHTML ?? node.textContent, beforeHtml[i], `block ${i} was modified`);
    });
    assert.equal(el.innerHTML, oneShotHtml(corpus));
  });

  it('re-renders only the open tail: work per flush does not grow with the text', () => {
    const el = doc.createElement('div');
    const renderer = new StreamingMarkdownRenderer(el, { document: doc, scheduleFrame: () => {} });
    let blocksAtHalf = 0;
    let flushesAtHalf = 0;
    let flushes = 0;
    for (let at = 0; at < corpus.length; at += 4) {
      renderer.append(corpus.slice(at, at + 4));
      renderer.flush();
      flushes++;
      if (at < corpus.length / 2) {
        blocksAtHalf = renderer.stats.blocksRendered;
        flushesAtHalf = flushes;
      }
    }
    const perFlushFirstHalf = blocksAtHalf / flushesAtHalf;
    const perFlushSecondHalf = (renderer.stats.blocksRendered - blocksAtHalf) / (flushes - flushesAtHalf);
    assert.ok(perFlushSecondHalf < 3, `blocks rendered per flush: ${perFlushSecondHalf}`);
    assert.ok(perFlushSecondHalf < perFlushFirstHalf * 2);
  });

  it('renders an unterminated fence as a code block while streaming', () => {
    const el = doc.createElement('div');
    const renderer = new StreamingMarkdownRenderer(el, { document: doc, scheduleFrame: () => {} });
    renderer.append('Intro\n\n```python\ndef f(x):\n    return x < 1');
    renderer.flush();
    const block = el.querySelector('.ml-code');
    assert.ok(block, 'code block rendered before the closing fence');
    assert.equal(block.getAttribute('data-language'), 'python');
    assert.equal(block.querySelector('pre > code')?.textContent, 'def f(x):\n    return x < 1');
    assert.ok(block.querySelector('.hljs-keyword'), 'highlighted while open');
    assert.equal(el.querySelectorAll('p').length, 1);

    renderer.append(' and x > 0\n```\n\nDone.');
    renderer.finish();
    assert.equal(el.querySelector('pre > code')?.textContent, 'def f(x):\n    return x < 1 and x > 0');
    assert.equal(el.innerHTML, oneShotHtml(renderer.text));
  });

  it('applies a reference definition that arrives after the block using it', () => {
    const text = 'See [the guide][g] here.\n\nMore text.\n\nAnd more.\n\n[g]: https://example.com/g\n';
    const { el } = stream(text, () => 3);
    assert.equal(el.innerHTML, oneShotHtml(text));
    assert.equal(el.querySelector('a')?.getAttribute('data-href'), 'https://example.com/g');
  });

  it('finish() repairs the DOM if a settled block ever disagreed with the one-shot lex', () => {
    const el = doc.createElement('div');
    const renderer = new StreamingMarkdownRenderer(el, { document: doc, scheduleFrame: () => {} });
    const text = corpus.slice(0, 4000);
    for (let at = 0; at < text.length; at += 50) {
      renderer.append(text.slice(at, at + 50));
      renderer.flush();
    }
    // White-box: simulate a wrongly settled block by corrupting one frozen record.
    const internals = renderer as unknown as { frozen: Array<{ token: { raw: string } }> };
    assert.ok(internals.frozen.length > 5);
    internals.frozen[3].token = { ...internals.frozen[3].token, raw: 'corrupted' };
    renderer.finish();
    assert.equal(renderer.stats.repairs, 1);
    assert.equal(el.innerHTML, oneShotHtml(text));
    renderer.append(corpus.slice(4000, 6000));
    renderer.finish();
    assert.equal(el.innerHTML, oneShotHtml(corpus.slice(0, 6000)));
  });

  it('setText renders like the one-shot render and streaming can continue after it', () => {
    const el = doc.createElement('div');
    const renderer = new StreamingMarkdownRenderer(el, { document: doc, scheduleFrame: () => {} });
    renderer.append('old content that must go');
    renderer.flush();
    renderer.setText(corpus.slice(0, 3000));
    assert.equal(el.innerHTML, oneShotHtml(corpus.slice(0, 3000)));
    renderer.append(corpus.slice(3000, 5000));
    renderer.finish();
    assert.equal(el.innerHTML, oneShotHtml(corpus.slice(0, 5000)));
    assert.equal(renderer.text, corpus.slice(0, 5000));
  });
});

describe('StreamingMarkdownRenderer: coalescing', () => {
  it('100 appends before a frame cause one render', () => {
    const el = doc.createElement('div');
    const frames = manualFrames();
    const renderer = new StreamingMarkdownRenderer(el, { document: doc, scheduleFrame: frames.schedule });
    for (let i = 0; i < 100; i++) renderer.append(`word${i} `);
    assert.equal(frames.pending(), 1, 'one frame requested');
    assert.equal(el.childNodes.length, 0, 'nothing written before the frame');
    assert.equal(renderer.stats.renders, 0);
    frames.runFrames();
    assert.equal(renderer.stats.renders, 1);
    assert.match(el.textContent ?? '', /word0 .*word99/);
  });

  it('flush() writes synchronously and the pending frame then does nothing', () => {
    const el = doc.createElement('div');
    const frames = manualFrames();
    const renderer = new StreamingMarkdownRenderer(el, { document: doc, scheduleFrame: frames.schedule });
    renderer.append('# Hello');
    renderer.flush();
    assert.equal(el.querySelector('h1')?.textContent, 'Hello');
    frames.runFrames();
    assert.equal(renderer.stats.renders, 1);
    renderer.append(' world');
    assert.equal(frames.pending(), 1, 'a new frame for new text');
    frames.runFrames();
    assert.equal(el.querySelector('h1')?.textContent, 'Hello world');
    assert.equal(renderer.stats.renders, 2);
  });
});

describe('StreamingMarkdownRenderer: a large open block', () => {
  /** A clock the test moves by hand. */
  const clock = () => {
    let now = 0;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it('is re-rendered at most every 100 ms while it streams, not on every frame', () => {
    const el = doc.createElement('div');
    const frames = manualFrames();
    const time = clock();
    const renderer = new StreamingMarkdownRenderer(el, { document: doc, scheduleFrame: frames.schedule, now: time.now });
    const code = 'const value = compute(input);\n'.repeat(700); // ~21 KB, one open code block
    renderer.append('```ts\n' + code);
    frames.runFrames();
    assert.equal(renderer.stats.renders, 1);
    for (let i = 0; i < 5; i++) {
      time.advance(16);
      renderer.append('more();\n');
      frames.runFrames();
    }
    assert.equal(renderer.stats.renders, 1, 'frames within 100 ms of the last render leave the open block for later');
    assert.equal(frames.pending(), 1, 'but keep asking for a frame');
    time.advance(30);
    frames.runFrames();
    assert.equal(renderer.stats.renders, 2, 'rendered once 100 ms have passed');
    assert.ok(el.textContent?.includes('more();\nmore();'));
    renderer.append('done();\n');
    renderer.finish();
    assert.equal(el.innerHTML, oneShotHtml(renderer.text), 'finish() renders at once');
  });

  it('small open blocks still render on every frame', () => {
    const el = doc.createElement('div');
    const frames = manualFrames();
    const renderer = new StreamingMarkdownRenderer(el, { document: doc, scheduleFrame: frames.schedule, now: () => 0 });
    for (let i = 0; i < 5; i++) {
      renderer.append(`word${i} `);
      frames.runFrames();
    }
    assert.equal(renderer.stats.renders, 5);
  });
});

describe('StreamingMarkdownRenderer: past 2,000,000 characters', () => {
  it('shows the rest as plain text as it arrives, never lexing it, and ends as the one-shot render', () => {
    const text = '```\n' + 'x\n'.repeat(1_100_000) + '```\n\nAfter **it**.\n';
    const el = doc.createElement('div');
    const frames = manualFrames();
    let time = 0; // a second passes between any two looks at the clock: no frame is held back
    const renderer = new StreamingMarkdownRenderer(el, { document: doc, scheduleFrame: frames.schedule, now: () => (time += 1000) });
    const size = Math.ceil(text.length / 40);
    let blocksPastLimit: number | undefined;
    for (let at = 0; at < text.length; at += size) {
      renderer.append(text.slice(at, at + size));
      frames.runFrames();
      if (at + size > 2_100_000) blocksPastLimit ??= renderer.stats.blocksRendered;
    }
    assert.equal(renderer.stats.blocksRendered, blocksPastLimit, 'text past the limit renders no block');
    assert.ok(el.querySelector('.ml-code'), 'the start is formatted');
    assert.ok(el.lastElementChild?.classList.contains('ml-plain'), 'the rest is plain text, last');
    renderer.finish();
    assert.equal(renderer.text, text);
    assert.ok(el.innerHTML === oneShotHtml(text), 'the same DOM as the one-shot render');
  });
});
