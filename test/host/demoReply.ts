// What the local server answers in `npm run demo`: a scripted reply chosen by the request,
// about the code the request carries. The editor actions (Refactor, Fix, Document, Generate
// Tests) get one code block rewritten from the selection, as their prompts ask; the chat gets
// markdown chosen by the question (explain, refactor, fix, document, tests, a table, or a
// general question). It reads the prompts as src/prompts/editorPrompts.ts and chatPrompt.ts
// write them; test/unit/demo-reply.test.ts builds requests with those functions.
import type { ReplyScript } from '../fake-server/server';
import { documentCode, explainSteps, familyOf, findFunctions, findings, fixCode, frameworkKey, refactorCode, signature, summaryOf, testFile, type Family } from './demoCode';

export type DemoKind = 'explain' | 'refactor' | 'fix' | 'document' | 'tests' | 'table' | 'general';

export interface DemoRequest {
  kind: DemoKind;
  /** An editor action's request: the reply must be only a code block. */
  codeOnly: boolean;
  /** The user's words in a chat turn (the task line for an editor action). */
  question: string;
  /** The selected or attached code, when there is some. */
  code?: string;
  languageId?: string;
  path?: string;
  /** Generate Tests: the framework the prompt names. */
  framework?: string;
  /** The key check's one-token request. */
  ping?: boolean;
}

/** How fast the demo "model" answers: a hosted 30B-class model, roughly. One chunk of 4 characters ≈ one token. */
export const DEMO_PACE = { tokensPerSecond: 45, firstTokenMs: 600, chunkSize: 4 } as const;

// Markers in the prompts the extension sends (src/prompts/editorPrompts.ts).
const REWRITE_MARKER = 'Reply with ONLY the replacement for the selected code';
const TESTS_MARKER = 'Reply with ONLY a complete test file';

interface CodeBlock {
  /** The line before the fence: "The selected code:", "Context from math.ts (lines 1-7), language typescript:". */
  header: string;
  language: string;
  code: string;
}

/** The fenced blocks of a prompt (``` or ~~~~, as src/prompts/text.ts fenceFor writes them) and the text after the last one. */
function blocksOf(text: string): { blocks: CodeBlock[]; after: string } {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  let lastEnd = -1;
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const close = lines.findIndex((line, j) => j > i && line.trim() === open[1]);
    if (close === -1) break;
    let h = i - 1;
    while (h >= 0 && (lines[h].trim() === '' || /^\(?Note:/.test(lines[h].trim()))) h--;
    blocks.push({ header: h >= 0 ? lines[h] : '', language: open[2], code: lines.slice(i + 1, close).join('\n') });
    lastEnd = close;
    i = close;
  }
  return { blocks, after: lines.slice(lastEnd + 1).join('\n').trim() };
}

/** The code a prompt is about: the selection for editor prompts, else the first attached context. */
function codeOf(text: string): Pick<DemoRequest, 'code' | 'languageId' | 'path'> & { after: string } {
  const { blocks, after } = blocksOf(text);
  const block = blocks.find((b) => b.header.startsWith('The selected code')) ?? blocks.find((b) => b.header.startsWith('Context from')) ?? blocks[0];
  if (!block) return { after };
  const path = /^File: (.+?) \(language: /m.exec(text)?.[1] ?? /^Context from (.+?)(?: \(lines \d+-\d+\))?, language /.exec(block.header)?.[1];
  return { code: block.code, languageId: block.language || undefined, path, after };
}

/** The kind of answer a chat question asks for, by its words. */
export function classifyQuestion(question: string): DemoKind {
  const q = question.toLowerCase();
  // A question that starts by asking for an explanation is one, whatever it names ("Explain test.ts:1-7").
  if (/^\s*(explain|what does|walk me through)\b/.test(q)) return 'explain';
  if (/\btables?\b|\bcompare\b|\bcomparison\b|\bvs\.?\s|\bversus\b|pros and cons|\bdifferences? between\b/.test(q)) return 'table';
  if (/\b(unit )?tests?\b|\btesting\b|\bspecs?\b|test cases|\bcoverage\b/.test(q)) return 'tests';
  if (/\bdocument|\bdocstrings?\b|\bjsdoc\b|\btsdoc\b|\bdoc comments?\b|\bcomments?\b/.test(q)) return 'document';
  if (/\bfix|\bbugs?\b|\bbroken\b|\bwrong\b|\berrors?\b|\bcrash|\bfails?\b|\bfailing\b|doesn'?t work|\bnan\b|\bexceptions?\b/.test(q)) return 'fix';
  if (/refactor|\bclean(?:\s+\w+)?\s+up\b|\btidy|simplif|\bimprove|readab|\brewrite|\bshorter\b|idiomatic|\bcleaner\b/.test(q)) return 'refactor';
  if (/\bexplain|what does|what is this|how does|walk me through|\bunderstand|step by step/.test(q)) return 'explain';
  return 'general';
}

function contentOf(message: unknown): string | undefined {
  const content = (message as { content?: unknown } | null)?.content;
  return typeof content === 'string' ? content : undefined;
}

/** What a chat-completions body asks for; undefined if it is not one. */
export function readRequest(body: unknown): DemoRequest | undefined {
  const record = body as { messages?: unknown; max_tokens?: unknown } | null;
  if (!record || !Array.isArray(record.messages)) return undefined;
  const messages = record.messages as unknown[];
  const system = messages.filter((m) => (m as { role?: unknown }).role === 'system').map(contentOf).join('\n');
  const lastUser = [...messages].reverse().find((m) => (m as { role?: unknown }).role === 'user');
  const text = contentOf(lastUser) ?? '';
  if (typeof record.max_tokens === 'number' && record.max_tokens <= 1) return { kind: 'general', codeOnly: false, question: text, ping: true };
  const { after, ...code } = codeOf(text);
  const task = text.split('\n')[0] ?? '';
  if (system.includes(REWRITE_MARKER)) {
    const kind: DemoKind = task.startsWith('Rewrite the selected code') ? 'refactor' : /^(Fix these problems|Find and fix the bugs)/.test(task) ? 'fix' : 'document';
    return { kind, codeOnly: true, question: task, ...code };
  }
  if (system.includes(TESTS_MARKER)) {
    const framework = /using (.+?), the test framework this workspace already uses/.exec(text)?.[1];
    return { kind: 'tests', codeOnly: true, question: task, framework, ...code };
  }
  const question = after || text;
  return { kind: classifyQuestion(question), codeOnly: false, question, ...code };
}

// ---------------------------------------------------------------------------------------------
// Replies.

function fence(text: string, language: string | undefined): string {
  const code = text.replace(/\n+$/, '');
  const marker = code.includes('```') ? '~~~~' : '```';
  return `${marker}${language ?? ''}\n${code}\n${marker}`;
}

function names(list: string[]): string {
  const quoted = list.map((n) => `\`${n}\``);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/** "Returns …" → "returns …", but "TSDoc …" stays. */
function lowerFirst(sentence: string): string {
  return /^[A-Z][A-Z]/.test(sentence) ? sentence : sentence.charAt(0).toLowerCase() + sentence.slice(1);
}

function upperFirst(sentence: string): string {
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** What the code is, for a sentence: "`average` and `clamp`", and whether that is plural. */
function what(request: DemoRequest): { subject: string; plural: boolean } {
  const family = familyOf(request.languageId);
  const fns = findFunctions(request.code ?? '', family, request.languageId).filter((f) => !f.indent);
  if (fns.length) return { subject: names(fns.map((f) => f.name)), plural: fns.length > 1 };
  return { subject: request.path ? `this part of \`${request.path}\`` : 'this code', plural: false };
}

/**
 * A chat question that names some of the attached file's functions is about those: "explain
 * clamp" with all of math.ts attached answers about `clamp` only.
 */
export function focusOnNamed(request: DemoRequest): DemoRequest {
  if (request.codeOnly || !request.code) return request;
  const family = familyOf(request.languageId);
  const lines = request.code.split('\n');
  const fns = findFunctions(request.code, family, request.languageId).filter((f) => !f.indent);
  const named = fns.filter((f) => new RegExp(`\\b${f.name.replace(/\$/g, '\\$')}\\b`).test(request.question));
  if (named.length === 0 || named.length === fns.length) return request;
  const code = named.map((f) => lines.slice(f.line, f.end + 1).join('\n')).join('\n\n');
  return { ...request, code };
}

function explainReply(request: DemoRequest): string {
  const code = request.code ?? '';
  const family = familyOf(request.languageId);
  const fns = findFunctions(code, family, request.languageId);
  const parts: string[] = [];
  if (fns.length === 1) {
    const [fn] = fns;
    parts.push(`\`${signature(fn)}\` ${lowerFirst(summaryOf(fn))} Step by step:`);
    parts.push(explainSteps(fn.body.join('\n'), family).map((s, i) => `${i + 1}. ${s}`).join('\n'));
  } else if (fns.length > 1) {
    parts.push(`${request.path ? `\`${request.path}\`` : 'This code'} defines ${fns.length} functions.`);
    for (const fn of fns) {
      const steps = explainSteps(fn.body.join('\n'), family);
      parts.push(`### \`${signature(fn)}\`\n\n${summaryOf(fn)}${steps.length > 1 ? '\n\n' + steps.map((s, i) => `${i + 1}. ${s}`).join('\n') : steps.length ? ` It ${lowerFirst(steps[0])}` : ''}`);
    }
  } else {
    const steps = explainSteps(code, family);
    parts.push(steps.length ? `These lines, in order:\n\n${steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}` : `This is ${code.split('\n').length} lines of ${request.languageId ?? 'code'} with no functions or loops in it; it runs top to bottom once.`);
  }
  const risks = findings(code, family);
  parts.push(
    risks.length
      ? `**Worth knowing**\n\n${risks.map((r) => `- ${r.risk}`).join('\n')}`
      : '**Worth knowing**\n\nNothing here looks risky: no shared state, and every path returns a value.',
  );
  const tidier = refactorCode(code, request.languageId ?? '');
  if (tidier.changes.length) {
    parts.push(`The same behaviour, written more directly:\n\n${fence(tidier.code, request.languageId)}`);
    if (risks.length) parts.push('Ask me to *fix* it if you want the edge cases handled too.');
  }
  return parts.join('\n\n');
}

function rewriteReply(request: DemoRequest, kind: 'refactor' | 'fix' | 'document'): string {
  const code = request.code ?? '';
  const languageId = request.languageId ?? '';
  const result = kind === 'refactor' ? refactorCode(code, languageId) : kind === 'fix' ? fixCode(code, languageId) : documentCode(code, languageId);
  if (request.codeOnly) return fence(result.code, request.languageId);
  const { subject, plural } = what(request);
  if (result.changes.length === 0) {
    if (kind === 'fix') return `I don't see a bug in ${subject}. If something fails, paste the error message or the input that breaks it and I'll trace it.`;
    if (kind === 'refactor') return `${upperFirst(subject)} already ${plural ? 'read' : 'reads'} well; I wouldn't change ${plural ? 'them' : 'it'}. Renaming to your codebase's conventions is about all that's left.`;
    return `${upperFirst(subject)} already ${plural ? 'have' : 'has'} doc comments.`;
  }
  const list = result.changes.map((c) => `- ${c}`).join('\n');
  const tip = '> Use **Apply** on the code block to see it as a diff against your file before anything changes.';
  switch (kind) {
    case 'refactor':
      return `Here is a tidier version of ${subject}; it behaves the same:\n\n${fence(result.code, request.languageId)}\n\n**What changed**\n\n${list}\n\n${tip}`;
    case 'fix':
      return `I found ${result.changes.length === 1 ? 'one problem' : `${result.changes.length} problems`} in ${subject}:\n\n${list}\n\nFixed:\n\n${fence(result.code, request.languageId)}\n\n${tip}`;
    case 'document':
      return `Here ${plural ? 'are' : 'is'} ${subject} with ${lowerFirst(result.changes[0]).replace(/ for .*$/, '').replace(/\.$/, '')}; the code itself is unchanged:\n\n${fence(result.code, request.languageId)}\n\n${tip}`;
  }
}

const FRAMEWORK_NAMES: Record<string, string> = { mocha: 'Mocha', jest: 'Jest', vitest: 'Vitest', 'node:test': 'the `node:test` runner', pytest: 'pytest', unittest: '`unittest`' };

function testFileName(path: string | undefined, family: Family): string {
  const base = (path ?? (family === 'python' ? 'module.py' : 'module.ts')).split('/').pop() ?? '';
  return family === 'python' ? `test_${base}` : base.replace(/\.(\w+)$/, '.test.$1');
}

function testsReply(request: DemoRequest): string {
  const family = familyOf(request.languageId);
  const framework = frameworkKey(request.framework ?? request.question, family);
  const file = testFile(request.code ?? '', request.languageId ?? '', request.path, framework);
  if (request.codeOnly) return fence(file.code, file.language);
  const cases = (file.code.match(/\bit\(|def test_/g) ?? []).length;
  return [
    `Here are ${FRAMEWORK_NAMES[framework] ?? framework} tests for ${names(file.names) || 'the selection'}: ${cases} cases covering typical input, the boundaries and the empty case where there is one. Save them as \`${testFileName(request.path, family)}\` next to the code:`,
    fence(file.code, file.language),
    family === 'python' ? `Run them with \`${framework === 'unittest' ? 'python -m unittest' : 'pytest'}\`.` : `Run them with \`${framework === 'mocha' ? 'npx mocha' : framework === 'node:test' ? 'node --test' : `npx ${framework}`}\`.`,
  ].join('\n\n');
}

function needsCodeReply(kind: DemoKind): string {
  const verb = { explain: 'explain', refactor: 'refactor', fix: 'fix', document: 'document', tests: 'write tests for', table: 'compare', general: 'look at' }[kind];
  return `Which code should I ${verb}? Nothing is attached to this message. Select it in the editor (or just open the file) and ask again: the chip above the input shows what I'll see, and \`@\` attaches another file.`;
}

function tableReply(request: DemoRequest): string {
  const family = familyOf(request.languageId ?? (/\bpython\b/i.test(request.question) ? 'python' : 'typescript'));
  const fns = findFunctions(request.code ?? '', family, request.languageId);
  const totals = fns.filter((f) => /for \(let \w+ = 0;|for \w+ in range\(len\(/.test(f.body.join('\n'))).map((f) => f.name);
  if (family === 'python') {
    return [
      'The usual ways to walk a list in Python:',
      [
        '| Style | Reads as | Gives the index | Best for |',
        '| --- | --- | --- | --- |',
        '| `for i in range(len(xs))` | "for each position" | yes | almost nothing; it is a C habit |',
        '| `for x in xs` | "for each item" | no | most loops |',
        '| `for i, x in enumerate(xs)` | "each item and its position" | yes | when you need both |',
        '| `sum(xs)`, `[f(x) for x in xs]` | one expression | no | totals and transforms |',
      ].join('\n'),
      totals.length ? `${names(totals)} ${totals.length === 1 ? 'uses' : 'use'} the first style only to read each element, so \`for x in xs\` (or \`sum()\` for a total) says the same with less to get wrong.` : 'Prefer the plainest one that works: `for x in xs`, or a built-in like `sum()` when it says exactly what you mean.',
    ].join('\n\n');
  }
  return [
    'The usual ways to loop over an array in TypeScript:',
    [
      '| Style | Reads as | `break` / early return | Index | Best for |',
      '| --- | --- | --- | --- | --- |',
      '| `for (let i = 0; i < xs.length; i++)` | "for each position" | yes | yes | skipping around, walking two arrays at once |',
      '| `for (const x of xs)` | "for each item" | yes | no (use `xs.entries()`) | most loops |',
      '| `xs.forEach((x) => …)` | a callback per item | no | yes (2nd argument) | side effects at the end of a chain |',
      '| `xs.reduce((acc, x) => …, init)` | fold into one value | no | yes (3rd argument) | totals, counts, grouping |',
    ].join('\n'),
    totals.length
      ? `${names(totals)} ${totals.length === 1 ? 'uses' : 'use'} the index loop only to read each element; for a running total, \`reduce\` states the intent in one line, and \`for…of\` is the choice when the loop needs \`break\`.`
      : 'None is faster in a way you would notice; pick the one that says what the loop means, and `for…of` when it needs `break`.',
  ].join('\n\n');
}

const DEBOUNCE_REPLY = `Here is a small, typed \`debounce\`. It delays calling \`fn\` until \`waitMs\` have passed without another call, which suits search boxes and resize handlers:

\`\`\`typescript
export function debounce<A extends unknown[]>(fn: (...args: A) => void, waitMs: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A): void => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), waitMs);
  };
}
\`\`\`

**How it works**

1. Each call clears the pending timer, so only the last call in a burst runs.
2. The generic \`A\` keeps \`fn\`'s argument types, so callers are type-checked.

Use it like \`const onInput = debounce((query: string) => search(query), 300);\`. If the first call of a burst should run at once instead, that is *throttling*, a different helper.`;

const FETCH_REPLY = `With \`fetch\`, a timeout and an HTTP error are both your job: \`fetch\` only rejects on network failures. A small wrapper handles both:

\`\`\`typescript
export async function getJson<T>(url: string, timeoutMs = 10_000): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) {
    throw new Error(\`GET \${url} failed: \${response.status} \${response.statusText}\`);
  }
  return (await response.json()) as T;
}
\`\`\`

- \`AbortSignal.timeout\` aborts the request with a \`TimeoutError\` after \`timeoutMs\`.
- A 404 or 500 resolves normally, so \`response.ok\` must be checked.
- \`as T\` trusts the server; validate the shape (e.g. with zod) if the data comes from outside your control.

Call it with \`const user = await getJson<User>('/api/users/1');\` inside a \`try\`/\`catch\`.`;

const REGEX_REPLY = `For ISO dates like \`2024-05-31\`, named groups keep the parts readable:

\`\`\`typescript
const ISO_DATE = /^(?<year>\\d{4})-(?<month>0[1-9]|1[0-2])-(?<day>0[1-9]|[12]\\d|3[01])$/;

const match = ISO_DATE.exec('2024-05-31');
if (match?.groups) {
  const { year, month, day } = match.groups; // '2024', '05', '31'
}
\`\`\`

| Part | Matches |
| --- | --- |
| \`\\d{4}\` | any four-digit year |
| \`0[1-9]\\|1[0-2]\` | months 01–12 |
| \`0[1-9]\\|[12]\\d\\|3[01]\` | days 01–31 |

The pattern checks the format, not the calendar: \`2024-02-31\` passes. To reject it, build a \`Date\` and compare its parts back.`;

const HELLO_REPLY = `Hi! I can help with the code in this workspace. For example:

- **Explain** a function: select it and press \`Ctrl+Alt+E\`, or ask here.
- **Refactor**, **fix** or **document** a selection: right-click → **ModelsLab**; you get a diff to accept or reject.
- **Generate tests** in the framework your project already uses.
- Answer questions like *"compare the ways to loop over an array in a table"*.

The file or selection you have open is attached to your message automatically; type \`@\` to attach another file.`;

const DEMO_NOTE = `This demo answers from a local scripted server rather than a model, so I can't answer that one properly. These show what the extension does:

- Select a function in \`math.ts\` or \`greet.py\`, right-click → **ModelsLab** → **Explain**, **Refactor**, **Fix**, **Document** or **Generate Tests**.
- Ask here to *explain*, *refactor*, *fix*, *document* or *write tests for* the attached code, or for *a table comparing* loop styles.
- Ask how to *debounce* a function, *fetch JSON with a timeout*, or for *a regex for dates*.

With your own API key, the same panel talks to ModelsLab's models.`;

function generalReply(question: string): string {
  const q = question.toLowerCase();
  if (/debounce|throttle/.test(q)) return DEBOUNCE_REPLY;
  if (/\bfetch\b|\basync\b|\bawait\b|\bpromises?\b|http request|timeout/.test(q)) return FETCH_REPLY;
  if (/\bregex|regular expression|\bdates?\b/.test(q)) return REGEX_REPLY;
  if (/^\s*(hi|hello|hey)\b|what can you do|who are you|\bhelp\b/.test(q)) return HELLO_REPLY;
  return DEMO_NOTE;
}

/** The reply text for a request body. */
export function demoReply(body: unknown): string {
  const read = readRequest(body);
  if (!read) return DEMO_NOTE;
  const request = focusOnNamed(read);
  if (request.ping) return 'OK';
  const hasCode = (request.code ?? '').trim() !== '';
  switch (request.kind) {
    case 'table':
      return tableReply(request);
    case 'general':
      return generalReply(request.question);
    case 'explain':
      return hasCode ? explainReply(request) : generalReply(request.question);
    case 'tests':
      return hasCode ? testsReply(request) : needsCodeReply(request.kind);
    default:
      return hasCode ? rewriteReply(request, request.kind) : needsCodeReply(request.kind);
  }
}

/** The fake server's script for a request: the reply, paced like a hosted model. */
export function demoScript(body: unknown, pace: { tokensPerSecond: number; firstTokenMs: number } = DEMO_PACE): ReplyScript {
  return { text: demoReply(body), tokensPerSecond: pace.tokensPerSecond, delayMs: pace.firstTokenMs, chunkSize: DEMO_PACE.chunkSize };
}
