// The demo's scripted "model" (test/host/demoReply.ts, demoCode.ts, demoServer.ts): requests are
// built with the extension's own prompt functions, so a change in how a prompt carries the
// selection shows up here rather than as a demo that quietly answers the wrong thing.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainRequest, rewriteMessages, testMessages, type SelectionContext } from '../../src/prompts/editorPrompts';
import { buildChatMessages, formatCodeContext } from '../../src/prompts/chatPrompt';
import { extractCode } from '../../src/prompts/extractCode';
import type { ChatMessage } from '../../src/llm/types';
import { classifyQuestion, demoReply, demoScript, readRequest, DEMO_PACE } from '../host/demoReply';
import { documentCode, findFunctions, fixCode, refactorCode } from '../host/demoCode';
import { startDemoServer } from '../host/demoServer';
import type { FakeModelsLab } from '../fake-server/server';

const fixtures = join(__dirname, '..', 'fixtures', 'workspace');
const MATH = readFileSync(join(fixtures, 'math.ts'), 'utf8');
const GREET = readFileSync(join(fixtures, 'greet.py'), 'utf8');
const AVERAGE = MATH.split('\n').slice(0, 7).join('\n');
const CLAMP = MATH.split('\n').slice(8, 13).join('\n');

function selection(code: string, path = 'math.ts', languageId = 'typescript', around: { before?: string; after?: string } = {}): SelectionContext {
  return { path, languageId, code, startLine: 1, endLine: code.split('\n').length, before: around.before ?? '', after: around.after ?? '' };
}

/** The body the extension posts for these messages. */
function body(messages: ChatMessage[], maxTokens = 4096): object {
  return { model: 'Qwen-Qwen2.5-Coder-32B-Instruct', messages, stream: true, stream_options: { include_usage: true }, max_tokens: maxTokens };
}

/** A chat turn as the panel sends it: the attached file (or selection) as context, then the question. */
function chat(question: string, attached?: { text: string; path: string; languageId: string; lines?: { start: number; end: number } }): object {
  const context = attached ? formatCodeContext({ label: attached.path, ...attached }) : undefined;
  return body(buildChatMessages([{ role: 'user', text: question, context }], ''));
}

/** Explain from the editor: the selection's description and the explain prompt, under a short visible prompt. */
function editorExplain(s: SelectionContext): object {
  const { prompt, context } = explainRequest(s);
  return body(buildChatMessages([{ role: 'user', text: 'Explain this code', context: `${context}\n\n${prompt}` }], ''));
}

function fencedBlocks(markdown: string): { language: string; code: string }[] {
  return [...markdown.matchAll(/^(`{3,}|~{3,})(\S*)\n([\s\S]*?)\n\1$/gm)].map((m) => ({ language: m[2], code: m[3] }));
}

/** True when every line of `original` appears in `rewritten`, in order (lines may be added in between). */
function keepsLinesInOrder(original: string, rewritten: string): boolean {
  const lines = rewritten.split('\n');
  let at = 0;
  for (const line of original.split('\n')) {
    const found = lines.indexOf(line, at);
    if (found === -1) return false;
    at = found + 1;
  }
  return true;
}

describe('demo reply: reading the request', () => {
  it('reads the editor actions from their prompts, with the selected code, its language and path', () => {
    const s = selection(AVERAGE, 'src/math.ts', 'typescript', { after: `\n${CLAMP}` });
    const refactor = readRequest(body(rewriteMessages('refactor', s, { instruction: '' })));
    assert.equal(refactor?.kind, 'refactor');
    assert.equal(refactor?.codeOnly, true);
    // The selection, not the code after it that the prompt also carries.
    assert.equal(refactor?.code, AVERAGE);
    assert.equal(refactor?.languageId, 'typescript');
    assert.equal(refactor?.path, 'src/math.ts');

    assert.equal(readRequest(body(rewriteMessages('fix', s, { diagnostics: [] })))?.kind, 'fix');
    assert.equal(readRequest(body(rewriteMessages('fix', s, { diagnostics: [{ line: 4, severity: 'error', message: 'Oops' }] })))?.kind, 'fix');
    assert.equal(readRequest(body(rewriteMessages('document', s, {})))?.kind, 'document');

    const tests = readRequest(body(testMessages(s, 'Mocha')));
    assert.equal(tests?.kind, 'tests');
    assert.equal(tests?.framework, 'Mocha');
    assert.equal(tests?.code, AVERAGE);
  });

  it('reads Explain from the editor as an explanation of the selection', () => {
    const request = readRequest(editorExplain(selection(AVERAGE, 'math.ts', 'typescript', { after: CLAMP })));
    assert.equal(request?.kind, 'explain');
    assert.equal(request?.codeOnly, false);
    assert.equal(request?.code, AVERAGE);
  });

  it('reads a chat turn: the attached context is the code, the words after it are the question', () => {
    const request = readRequest(chat('can you make this shorter?', { text: GREET, path: 'greet.py', languageId: 'python' }));
    assert.equal(request?.kind, 'refactor');
    assert.equal(request?.question, 'can you make this shorter?');
    assert.equal(request?.code?.trimEnd(), GREET.trimEnd());
    assert.equal(request?.languageId, 'python');
    assert.equal(request?.path, 'greet.py');
  });

  it('finds code that itself contains a fence (the prompt then fences it with ~~~~)', () => {
    const code = 'const doc = `\n```js\nx()\n```\n`;';
    const request = readRequest(body(rewriteMessages('document', selection(code, 'doc.ts'), {})));
    assert.equal(request?.code, code);
  });

  it('takes the first attached context when a file is attached with @ too', () => {
    const first = formatCodeContext({ label: 'math.ts:1-7', path: 'math.ts', languageId: 'typescript', text: AVERAGE, lines: { start: 1, end: 7 } });
    const second = formatCodeContext({ label: 'greet.py', path: 'greet.py', languageId: 'python', text: GREET });
    const request = readRequest(body(buildChatMessages([{ role: 'user', text: 'explain this', context: `${first}\n\n${second}` }], '')));
    assert.equal(request?.code, AVERAGE);
    assert.equal(request?.path, 'math.ts');
  });

  it('is not fooled by earlier turns: the last user message decides', () => {
    const messages = buildChatMessages(
      [
        { role: 'user', text: 'write tests for this', context: formatCodeContext({ label: 'math.ts', path: 'math.ts', languageId: 'typescript', text: MATH }) },
        { role: 'assistant', text: 'Here are tests…' },
        { role: 'user', text: 'now show it as a table' },
      ],
      '',
    );
    assert.equal(readRequest(body(messages))?.kind, 'table');
  });

  it('answers the key check (a one-token request) with one word', () => {
    assert.equal(demoReply(body([{ role: 'user', content: 'ping' }], 1)), 'OK');
  });

  it('ignores bodies that are not chat requests', () => {
    assert.equal(readRequest(undefined), undefined);
    assert.equal(readRequest({ model: 'x' }), undefined);
    assert.match(demoReply(undefined), /scripted server/);
  });
});

describe('demo reply: choosing by the question', () => {
  const cases: [string, ReturnType<typeof classifyQuestion>][] = [
    ['Explain what this code does, step by step', 'explain'],
    ['what does this function do?', 'explain'],
    ['Explain test.ts:1-7', 'explain'],
    ['Refactor this to be more readable', 'refactor'],
    ['can you clean this up?', 'refactor'],
    ['make it more idiomatic', 'refactor'],
    ['why does it return NaN?', 'fix'],
    ['there is a bug here', 'fix'],
    ["this doesn't work for empty input", 'fix'],
    ['add JSDoc', 'document'],
    ['write docstrings for these', 'document'],
    ['write unit tests for this', 'tests'],
    ['how would I test this with vitest?', 'tests'],
    ['compare for…of and forEach in a table', 'table'],
    ['map vs forEach?', 'table'],
    ['pros and cons of reduce', 'table'],
    ['how do I debounce a function?', 'general'],
    ['hello', 'general'],
  ];
  for (const [question, kind] of cases) {
    it(`"${question}" → ${kind}`, () => assert.equal(classifyQuestion(question), kind));
  }
});

describe('demo reply: editor actions get one code block rewritten from the selection', () => {
  /** The reply, as the extension's rewrite flow reads it. */
  function rewrite(kind: 'refactor' | 'fix' | 'document', s: SelectionContext): { reply: string; code: string } {
    const reply = demoReply(body(rewriteMessages(kind, s, {})));
    assert.equal(fencedBlocks(reply).length, 1, `one fenced block:\n${reply}`);
    assert.match(reply, /^(```|~~~~)\S*\n[\s\S]*\n\1$/, `nothing but the block:\n${reply}`);
    return { reply, code: extractCode(reply) };
  }

  it('refactor: `average` with reduce instead of the index loop, same signature', () => {
    const { reply, code } = rewrite('refactor', selection(AVERAGE));
    assert.match(reply, /^```typescript\n/);
    assert.match(code, /^export function average\(values: number\[\]\): number \{$/m);
    assert.match(code, /values\.reduce\(\(sum, value\) => sum \+ value, 0\)/);
    assert.doesNotMatch(code, /for \(let i/);
    assert.notEqual(code, AVERAGE);
  });

  it('refactor: `clamp` with Math.min/Math.max, `greet` with an f-string', () => {
    assert.match(rewrite('refactor', selection(CLAMP)).code, /return Math\.min\(Math\.max\(value, min\), max\);/);
    assert.match(rewrite('refactor', selection(GREET, 'greet.py', 'python')).code, /return f"Hello, \{name\}!"/);
  });

  it('fix: guards the empty input and keeps every original line', () => {
    const { code } = rewrite('fix', selection(AVERAGE));
    assert.match(code, /if \(values\.length === 0\) \{\n\s+throw new RangeError\(/);
    assert.ok(keepsLinesInOrder(AVERAGE, code), code);
    const python = rewrite('fix', selection('def mean(xs):\n    return sum(xs) / len(xs)', 'stats.py', 'python')).code;
    assert.equal(python, 'def mean(xs):\n    if not xs:\n        raise ValueError("mean() needs at least one value")\n    return sum(xs) / len(xs)');
  });

  it('document: a TSDoc comment above each function, the code untouched', () => {
    const { code } = rewrite('document', selection(MATH.trimEnd()));
    assert.ok(keepsLinesInOrder(MATH.trimEnd(), code), code);
    assert.match(code, /\/\*\*\n \* Returns the arithmetic mean of `values`\.\n \*\n \* @param values - .+\n \* @returns .+\n \*\/\nexport function average/);
    assert.match(code, /@param min - The lower bound\.\n \* @param max - The upper bound\.[\s\S]*\*\/\nexport function clamp/);
  });

  it('document: Python docstrings inside each def, at the body indentation', () => {
    const { code } = rewrite('document', selection(GREET, 'greet.py', 'python'));
    assert.ok(keepsLinesInOrder(GREET.trimEnd(), code), code);
    assert.match(code, /^def greet\(name\):\n {4}"""Build a greeting for \*name\*\.\n\n {4}Args:\n {8}name: The name to greet\./m);
    assert.match(code, /^def shout\(name\):\n {4}"""Return the greeting/m);
  });

  it('document: a method keeps its indentation (the selection can sit inside a class)', () => {
    const method = '  isEmpty(): boolean {\n    return this.items.length === 0;\n  }';
    const { code } = rewrite('document', selection(method, 'stack.ts'));
    assert.equal(code.split('\n')[0], '  /**');
    assert.ok(keepsLinesInOrder(method, code));
  });

  it('document: another language gets a comment in its own syntax', () => {
    assert.match(documentCode('func Add(a int, b int) int {\n\treturn a + b\n}', 'go').code, /^\/\/ Adds `a`\.\nfunc Add/);
    assert.match(documentCode('def total(items)\n  items.sum\nend', 'ruby').code, /^# /);
  });

  it('generate tests: a complete file in the framework the prompt names, importing the selection\'s file', () => {
    const mocha = extractCode(demoReply(body(testMessages(selection(MATH, 'src/math.ts'), 'Mocha'))));
    assert.match(mocha, /^import \{ strict as assert \} from 'node:assert';\nimport \{ average, clamp \} from '\.\/src\/math';/);
    assert.match(mocha, /describe\('average', \(\) => \{[\s\S]*assert\.equal\(average\(\[2, 4, 6\]\), 4\);/);
    assert.match(mocha, /describe\('clamp'/);

    const vitest = extractCode(demoReply(body(testMessages(selection(AVERAGE), 'Vitest'))));
    assert.match(vitest, /^import \{ describe, it, expect \} from 'vitest';/);
    assert.match(vitest, /expect\(average\(\[\]\)\)\.toBeNaN\(\);/);

    const unittest = extractCode(demoReply(body(testMessages(selection(GREET, 'greet.py', 'python'), 'unittest'))));
    assert.match(unittest, /^import unittest\n\nfrom greet import greet, shout\n/);
    assert.match(unittest, /self\.assertEqual\(shout\("Ada"\), "HELLO, ADA!"\)/);
  });

  it('a selection with nothing to improve comes back unchanged (the extension then says so)', () => {
    const tidy = 'export const twice = (n: number): number => n * 2;';
    assert.equal(extractCode(demoReply(body(rewriteMessages('refactor', selection(tidy), {})))), tidy);
  });
});

describe('demo reply: chat answers', () => {
  const attachedMath = { text: MATH, path: 'math.ts', languageId: 'typescript' };

  it('explains the selection step by step, with what is worth knowing and a tidier version', () => {
    const reply = demoReply(editorExplain(selection(AVERAGE)));
    assert.match(reply, /^`average\(values\)` returns the arithmetic mean of `values`\./);
    assert.match(reply, /^1\. Starts a running `total` at 0\.$/m);
    assert.match(reply, /\*\*Worth knowing\*\*\n\n- An empty `values` .*`NaN`/);
    assert.deepEqual(fencedBlocks(reply).map((b) => b.language), ['typescript']);
  });

  it('answers about the function the question names when the whole file is attached', () => {
    const reply = demoReply(chat('explain clamp', attachedMath));
    assert.match(reply, /^`clamp\(value, min, max\)`/);
    assert.doesNotMatch(reply, /average/);
  });

  it('refactor, fix and document in the chat: prose, the code block in the file\'s language, and what changed', () => {
    const refactor = demoReply(chat('refactor this', attachedMath));
    assert.match(refactor, /^Here is a tidier version of `average` and `clamp`/);
    assert.match(refactor, /\*\*What changed\*\*\n\n- `reduce`/);
    const fix = demoReply(chat('why does greet(42) crash?', { text: GREET, path: 'greet.py', languageId: 'python' }));
    assert.match(fix, /^I found one problem in `greet`:\n\n- `greet` raised `TypeError`/);
    assert.deepEqual(fencedBlocks(fix).map((b) => b.language), ['python']);
    assert.match(demoReply(chat('add doc comments', attachedMath)), /^Here are `average` and `clamp` with TSDoc comments/);
  });

  it('writes tests in the framework the question names, with the file name to save them as', () => {
    const reply = demoReply(chat('write vitest tests for this', attachedMath));
    assert.match(reply, /^Here are Vitest tests for `average` and `clamp`: 7 cases/);
    assert.match(reply, /`math\.test\.ts`/);
    assert.match(fencedBlocks(reply)[0].code, /from 'vitest'/);
  });

  it('a table request gets a markdown table', () => {
    const reply = demoReply(chat('compare the ways to loop over an array in a table', attachedMath));
    assert.match(reply, /^\| Style \| .+ \|\n\| --- \|( --- \|)+\n(\| .+ \|\n){3,}/m);
    assert.match(reply, /`average` uses the index loop/);
    assert.match(demoReply(chat('for loop vs comprehension in python?')), /`for x in xs`/);
  });

  it('general questions: a few scripted topics, else an honest note on what the demo can do', () => {
    assert.match(demoReply(chat('how do I debounce a function?')), /```typescript\nexport function debounce/);
    assert.match(demoReply(chat('how do I fetch JSON with a timeout?')), /AbortSignal\.timeout/);
    assert.match(demoReply(chat('regex for dates')), /\| Part \| Matches \|/);
    assert.match(demoReply(chat('What is the capital of France?')), /^This demo answers from a local scripted server/);
  });

  it('asks for code when a code task comes with none attached', () => {
    assert.match(demoReply(chat('refactor it')), /^Which code should I refactor\? Nothing is attached/);
  });
});

describe('demo reply: heuristics on code that is not the sample', () => {
  it('finds TypeScript functions, arrows and methods with their parameters', () => {
    const code = 'export async function load(path: string, options: { retries?: number } = {}): Promise<Buffer> {\n  return read(path);\n}\nconst add = (a: number, b: number): number => a + b;\nclass A {\n  private run(task: Task<string, number>, n = 1): void {\n    go();\n  }\n}';
    const found = findFunctions(code, 'js').map((f) => `${f.name}(${f.params.map((p) => p.name).join(',')})`);
    assert.deepEqual(found, ['load(path,options)', 'add(a,b)', 'run(task,n)']);
  });

  it('refactors var, loose concatenation and compound assignment in JavaScript', () => {
    const { code, changes } = refactorCode("function label(user) {\n  var text = 'User ' + user.name + '!';\n  count = count + 1;\n  return text;\n}", 'javascript');
    assert.equal(code, 'function label(user) {\n  let text = `User ${user.name}!`;\n  count += 1;\n  return text;\n}');
    assert.equal(changes.length, 3);
  });

  it('does not turn arithmetic into a template literal', () => {
    const code = 'const total = price + tax * 2;';
    assert.equal(refactorCode(code, 'typescript').code, code);
  });

  it('fixes an off-by-one loop and loose equality', () => {
    const { code } = fixCode('for (let i = 0; i <= xs.length; i++) {\n  if (xs[i] == target) return i;\n}', 'javascript');
    assert.equal(code, 'for (let i = 0; i < xs.length; i++) {\n  if (xs[i] === target) return i;\n}');
  });

  it('leaves `== null` alone (it is the idiomatic null-or-undefined check)', () => {
    const code = 'if (value == null) return;';
    assert.equal(fixCode(code, 'typescript').code, code);
  });
});

describe('demo reply: pace and the server', () => {
  it('streams at a hosted model\'s pace: 30-60 tokens/s after a short wait', () => {
    const script = demoScript(chat('hello'));
    assert.ok(script.tokensPerSecond! >= 30 && script.tokensPerSecond! <= 60, `${script.tokensPerSecond} tokens/s`);
    assert.ok(script.delayMs! > 0 && script.delayMs! <= 1500);
    assert.equal(script.chunkSize, DEMO_PACE.chunkSize);
  });

  describe('through the local server', () => {
    let server: FakeModelsLab;
    before(async () => {
      server = await startDemoServer({ tokensPerSecond: 0, firstTokenMs: 0 });
    });
    after(() => server.close());

    /** Posts a chat body and returns the streamed text. */
    async function ask(payload: object, key = 'demo-key'): Promise<{ status: number; text: string }> {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (key) headers.authorization = `Bearer ${key}`;
      const response = await fetch(`${server.url}/api/v7/llm/chat/completions`, { method: 'POST', headers, body: JSON.stringify(payload) });
      const raw = await response.text();
      const text = raw
        .split('\n\n')
        .filter((e) => e.startsWith('data: {'))
        .map((e) => (JSON.parse(e.slice(6)) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content ?? '')
        .join('');
      return { status: response.status, text };
    }

    it('answers each request with the reply chosen for it, also when requests overlap', async () => {
      const explain = editorExplain(selection(AVERAGE));
      const table = chat('compare loops in a table', attachedMathForServer());
      const document = body(rewriteMessages('document', selection(GREET, 'greet.py', 'python'), {}));
      const [a, b, c] = await Promise.all([ask(explain), ask(table), ask(document)]);
      assert.equal(a.text, demoReply(explain));
      assert.equal(b.text, demoReply(table));
      assert.equal(c.text, demoReply(document));
    });

    it('a refused request (no key) does not shift the replies of the next ones', async () => {
      const refused = await ask(chat('refactor this', attachedMathForServer()), '');
      assert.equal(refused.status, 401);
      const next = chat('how do I debounce a function?');
      assert.equal((await ask(next)).text, demoReply(next));
    });

    function attachedMathForServer() {
      return { text: MATH, path: 'math.ts', languageId: 'typescript' };
    }
  });
});
