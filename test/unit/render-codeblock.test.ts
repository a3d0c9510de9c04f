import * as assert from 'node:assert/strict';
import { doc, render, window } from './render-dom';
import { getCodeBlockSource } from '../../webview-ui/src/render/codeBlock';
import { resolveLanguage } from '../../webview-ui/src/render/highlight';
import { naiveRender } from '../../webview-ui/src/render/naiveRenderer';


describe('render code blocks: structure', () => {
  it('renders the toolbar and a highlighted <pre><code>', () => {
    const el = render('```ts\nconst x: number = 1;\n```');
    const block = el.querySelector('div.ml-code');
    assert.ok(block);
    assert.equal(block.getAttribute('data-language'), 'ts');
    assert.equal(block.getAttribute('data-code-index'), '0');
    assert.equal(block.querySelector('.ml-code-toolbar > .ml-code-lang')?.textContent, 'ts');
    const buttons = Array.from(block.querySelectorAll('.ml-code-toolbar > button.ml-code-btn'));
    assert.deepEqual(
      buttons.map((b) => [b.getAttribute('type'), b.getAttribute('data-action'), b.getAttribute('aria-label'), b.querySelector('.codicon')?.className]),
      [
        ['button', 'wrap', 'Wrap long lines', 'codicon codicon-word-wrap'],
        ['button', 'copy', 'Copy code', 'codicon codicon-copy'],
        ['button', 'insert', 'Insert at cursor', 'codicon codicon-insert'],
        ['button', 'apply', 'Apply to editor', 'codicon codicon-git-compare'],
        ['button', 'newFile', 'Open in new file', 'codicon codicon-new-file'],
      ],
    );
    assert.ok(buttons.every((b) => b.getAttribute('title')));
    assert.equal(block.querySelector(':scope > pre > code')?.className, 'hljs language-ts');
  });

  it('numbers code blocks across the message, including ones nested in lists and quotes', () => {
    const el = render('```js\na\n```\n\n- item\n  ```py\n  b\n  ```\n\n> ```\n> c\n> ```\n\n    indented d\n');
    const blocks = Array.from(el.querySelectorAll('.ml-code'));
    assert.deepEqual(blocks.map((b) => b.getAttribute('data-code-index')), ['0', '1', '2', '3']);
    assert.deepEqual(blocks.map((b) => getCodeBlockSource(b)?.code), ['a', 'b', 'c', 'indented d']);
    assert.deepEqual(blocks.map((b) => b.getAttribute('data-language')), ['js', 'py', '', '']);
    assert.equal(blocks[2].querySelector('.ml-code-lang')?.textContent, 'text');
  });

  it('uses only the first word of the info string, and ignores odd ones', () => {
    const el = render('```python title="x.py"\npass\n```\n\n```<script>\nx\n```');
    const blocks = el.querySelectorAll('.ml-code');
    assert.equal(blocks[0].getAttribute('data-language'), 'python');
    assert.equal(blocks[1].getAttribute('data-language'), '');
    assert.equal(el.querySelectorAll('script').length, 0);
  });
});

describe('render code blocks: getCodeBlockSource', () => {
  const samples: Array<[string, string]> = [
    ['ts', 'const a = 1;'],
    ['html', '<div class="x">&amp; &lt;tag&gt; "q" \'s\'</div>'],
    ['', 'trailing spaces   \n\ttabs\n\nblank line above'],
    ['python', 'def f():\n    return "\\n"  # not a newline\n'],
    ['unknownlang', 'some <b>text</b> & more'],
    ['diff', '-old\n+new\n'],
    ['', '\n\nblank lines first and last\n\n'],
    ['', ''],
  ];

  for (const [language, code] of samples) {
    it(`returns the exact source for ${JSON.stringify(code.slice(0, 20))}`, () => {
      const el = render(`Intro\n\n\`\`\`${language}\n${code}\n\`\`\`\n\nOutro`);
      const block = el.querySelector('.ml-code');
      assert.ok(block);
      assert.deepEqual(getCodeBlockSource(block), { code, language });
      // From a button inside the block too, as a click handler would call it.
      const button = block.querySelector('button[data-action="apply"]');
      assert.ok(button);
      assert.deepEqual(getCodeBlockSource(button), { code, language });
      // The rendered text is the source as well (what the user sees is what gets applied).
      assert.equal(block.querySelector('pre > code')?.textContent, code);
    });
  }

  it('falls back to the rendered text for a block that was cloned', () => {
    const el = render('```go\nfunc main() {}\n```');
    const clone = el.querySelector('.ml-code')?.cloneNode(true) as Element;
    assert.deepEqual(getCodeBlockSource(clone), { code: 'func main() {}', language: 'go' });
  });

  it('returns null outside a code block', () => {
    const el = render('just text');
    assert.equal(getCodeBlockSource(el.querySelector('p') as Element), null);
  });
});

describe('render code blocks: highlighting', () => {
  it('highlights TypeScript and Python', () => {
    const ts = render('```ts\ninterface A { b: string }\nconst c = "d";\n```');
    assert.ok(ts.querySelector('code .hljs-keyword'));
    assert.equal(ts.querySelector('code .hljs-string')?.textContent, '"d"');
    const py = render('```py\ndef f(x):\n    return None\n```');
    assert.deepEqual(Array.from(py.querySelectorAll('code .hljs-keyword')).map((e) => e.textContent), ['def', 'return']);
  });

  it('knows the usual aliases', () => {
    for (const [alias, name] of [['ts', 'typescript'], ['js', 'javascript'], ['py', 'python'], ['sh', 'bash'], ['yml', 'yaml'], ['html', 'xml'], ['c++', 'cpp'], ['cs', 'csharp'], ['golang', 'go'], ['rs', 'rust'], ['kt', 'kotlin'], ['jsonc', 'json'], ['docker', 'dockerfile'], ['patch', 'diff']]) {
      assert.equal(resolveLanguage(alias), name, alias);
    }
    assert.equal(resolveLanguage('brainfuck'), null);
    assert.equal(resolveLanguage(''), null);
  });

  it('shows an unknown language as escaped plain text, without guessing', () => {
    const el = render('```cobol\n<script>alert(1)</script> IF A > B\n```');
    const code = el.querySelector('pre > code');
    assert.ok(code);
    assert.equal(code.children.length, 0, 'no highlight spans');
    assert.equal(code.textContent, '<script>alert(1)</script> IF A > B');
    assert.equal(el.querySelectorAll('script').length, 0);
    const plain = render('```\nconst x = 1;\n```');
    assert.equal(plain.querySelector('pre > code')?.children.length, 0, 'no auto-detection');
  });

  it('builds highlighted output as spans and text only', () => {
    const el = render('```html\n<img src=x onerror="alert(1)"><a href="javascript:x">y</a>\n```');
    const code = el.querySelector('pre > code');
    assert.ok(code);
    assert.ok(code.querySelectorAll('span').length > 0);
    assert.equal(code.querySelectorAll(':not(span)').length, 0);
    assert.equal(code.textContent, '<img src=x onerror="alert(1)"><a href="javascript:x">y</a>');
  });
});

describe('render code blocks: too large to highlight', () => {
  const click = (el: Element) => el.dispatchEvent(new window.MouseEvent('click', { bubbles: true, cancelable: true }));

  it('shows a block with a line over 2,000 characters as plain text, with a Highlight button', () => {
    const longLine = `const data = [${'1, '.repeat(1000)}];`;
    const code = `function f() {\n  return 1;\n}\n${longLine}`;
    const el = render('```ts\n' + code + '\n```');
    const block = el.querySelector('.ml-code');
    assert.ok(block);
    const codeEl = block.querySelector('pre > code');
    // (querySelector, not .children: a live jsdom collection makes every later insertion slow)
    assert.equal(codeEl?.querySelector('*'), null, 'not highlighted');
    assert.equal(codeEl?.textContent, code);
    const button = block.querySelector<HTMLButtonElement>('.ml-code-toolbar > button[data-action="highlight"]');
    assert.ok(button, 'a Highlight button');
    assert.equal(button.type, 'button');
    assert.equal(button.getAttribute('aria-label'), 'Highlight syntax');
    assert.ok(button.title);
    assert.equal(button.textContent, 'Highlight');
    assert.equal(button.querySelector('.codicon')?.getAttribute('aria-hidden'), 'true');
    // The usual actions are all still there, and copy gets the exact source.
    assert.deepEqual(Array.from(block.querySelectorAll('button[data-action]')).map((b) => b.getAttribute('data-action')), ['highlight', 'wrap', 'copy', 'insert', 'apply', 'newFile']);
    assert.deepEqual(getCodeBlockSource(button), { code, language: 'ts' });

    click(button);
    assert.ok(codeEl?.querySelector('.hljs-keyword'), 'highlighted on request');
    assert.equal(codeEl?.textContent, code, 'the text is unchanged');
    assert.equal(block.querySelector('button[data-action="highlight"]'), null, 'the button has done its job');
  });

  it('shows a block over 100 KB as plain text until asked', () => {
    const code = 'const a = 1;\n'.repeat(8_000);
    const el = render('```js\n' + code + '```');
    assert.equal(el.querySelector('pre > code *'), null);
    click(el.querySelector('button[data-action="highlight"]') as Element);
    assert.ok(el.querySelectorAll('pre > code .hljs-keyword').length >= 8_000);
    assert.equal(el.querySelector('pre > code')?.textContent, code.slice(0, -1));
  });

  it('on request, highlights long lines up to 2,000 characters and keeps the rest as plain text', () => {
    const line = `let s = "${'x'.repeat(50_000)}";`;
    const code = `let a = 1;\n${line}\nlet b = 2;`;
    const el = render('```js\n' + code + '\n```');
    click(el.querySelector('button[data-action="highlight"]') as Element);
    const codeEl = el.querySelector('pre > code');
    assert.equal(codeEl?.textContent, code);
    assert.deepEqual(Array.from(codeEl?.querySelectorAll('.hljs-keyword') ?? []).map((k) => k.textContent), ['let', 'let', 'let']);
  });

  it('highlights blocks within the limits as before, and never offers the button for unknown languages', () => {
    assert.equal(render('```ts\nconst a = 1;\n```').querySelector('button[data-action="highlight"]'), null);
    const unknown = render('```cobol\n' + 'X'.repeat(5_000) + '\n```');
    assert.equal(unknown.querySelector('button[data-action="highlight"]'), null);
  });
});

describe('naiveRender (benchmark baseline)', () => {
  it('renders the whole text with the same safety and code blocks', () => {
    const el = doc.createElement('div');
    naiveRender(el, '# T\n\n![x](http://127.0.0.1:9/e)\n\n```ts\nconst a = 1;\n```\n\n[bad](javascript:alert(1))');
    assert.equal(el.querySelector('h1')?.textContent, 'T');
    assert.equal(el.querySelectorAll('img, script').length, 0);
    assert.equal(el.querySelector('a.ml-image-link')?.getAttribute('data-href'), 'http://127.0.0.1:9/e');
    assert.equal(getCodeBlockSource(el.querySelector('.ml-code') as Element)?.code, 'const a = 1;');
    naiveRender(el, 'replaced');
    assert.equal(el.innerHTML, '<p>replaced</p>\n');
  });
});
