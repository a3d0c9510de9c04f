// Canned replies of the shapes Qwen2.5-Coder, DeepSeek and Llama give to the hole prompt,
// with the text that should end up at the cursor.
import * as assert from 'node:assert/strict';
import { cleanCompletion } from '../../src/completion/postProcess';
import type { CompletionMode } from '../../src/completion/holePrompt';

interface Case {
  name: string;
  prefix: string;
  suffix: string;
  language: string;
  raw: string;
  expected: string;
  /** Unset: the mode completionMode picks, as the engine does. */
  mode?: CompletionMode;
}

const FENCE = '```';

const typescript: Case[] = [
  {
    name: 'a body between "{" and the brace the editor closed: the brace keeps a line of its own',
    prefix: 'export function square(n: number): number {', suffix: '}\n', language: 'typescript',
    raw: `${FENCE}ts\nexport function square(n: number): number {\n  return n * n;\n}\n${FENCE}`, expected: '\n  return n * n;\n',
  },
  {
    name: 'an auto-closed brace inside an indented block goes back to the opener’s indentation',
    prefix: 'function f() {\n  if (ready) {', suffix: '}\n}\n', language: 'typescript',
    raw: '  if (ready) {\n    run();\n  }', expected: '\n    run();\n  ',
  },
  {
    name: 'a callback body before "});" the editor closed',
    prefix: 'items.forEach((item) => {', suffix: '});\n', language: 'typescript',
    raw: '\n  console.log(item);\n});', expected: '\n  console.log(item);\n',
  },
  {
    name: 'a clean reply is kept as it is',
    prefix: 'function add(a: number, b: number): number {\n  return ', suffix: '\n}\n', language: 'typescript',
    raw: 'a + b;', expected: 'a + b;',
  },
  {
    name: 'a fence with a language tag is unwrapped',
    prefix: 'function add(a: number, b: number): number {\n  return ', suffix: '\n}\n', language: 'typescript',
    raw: `${FENCE}typescript\na + b;\n${FENCE}`, expected: 'a + b;',
  },
  {
    name: 'prose before and after a fence is dropped',
    prefix: 'function add(a: number, b: number): number {\n  return ', suffix: '\n}\n', language: 'typescript',
    raw: `Here's the completion:\n\n${FENCE}ts\na + b;\n${FENCE}\n\nThis returns the sum of the two numbers.`, expected: 'a + b;',
  },
  {
    name: 'the current line written again is dropped',
    prefix: 'function add(a: number, b: number): number {\n  return ', suffix: '\n}\n', language: 'typescript',
    raw: 'return a + b;', expected: 'a + b;',
  },
  {
    name: 'the line above and the current line written again are dropped',
    prefix: 'function add(a: number, b: number): number {\n  return ', suffix: '\n}\n', language: 'typescript',
    raw: 'function add(a: number, b: number): number {\n  return a + b;', expected: 'a + b;',
  },
  {
    name: 'a closing paren and semicolon that already follow the cursor are dropped',
    prefix: 'export function report(total: number) {\n  console.log(', suffix: ');\n}\n', language: 'typescript',
    raw: '"total:", total);', expected: '"total:", total',
  },
  {
    name: 'a balanced call that ends in ) is kept whole',
    prefix: 'export function report(items: Item[]) {\n  console.log(', suffix: ');\n}\n', language: 'typescript',
    raw: 'formatTotal(items)', expected: 'formatTotal(items)',
  },
  {
    name: 'a reply that opens with its own ( after the cursor’s ( is kept',
    prefix: 'const sum = values.reduce(', suffix: ');\n', language: 'typescript',
    raw: '(acc, v) => acc + v, 0);', expected: '(acc, v) => acc + v, 0',
  },
  {
    name: 'a block after { keeps its body and drops the } that follows the cursor',
    prefix: 'export function isEven(n: number): boolean {', suffix: '\n}\n', language: 'typescript',
    raw: '\n  return n % 2 === 0;\n}', expected: '\n  return n % 2 === 0;',
  },
  {
    name: 'flush-left lines are moved to the cursor’s indentation',
    prefix: 'class Counter {\n  private count = 0;\n\n  increment(): void {\n    ', suffix: '\n  }\n}\n', language: 'typescript',
    raw: 'this.count++;\nthis.emit("change", this.count);', expected: 'this.count++;\n    this.emit("change", this.count);',
  },
  {
    name: 'a reply that closes the function and writes the next one is cut after the body',
    prefix: 'function greet(name: string): string {\n  ', suffix: '\n}\n\nexport default greet;\n', language: 'typescript',
    raw: 'return `Hello, ${name}!`;\n}\n\nfunction farewell(name: string): string {\n  return `Bye, ${name}`;\n}',
    expected: 'return `Hello, ${name}!`;',
  },
  {
    name: 'an echoed cursor marker is removed',
    prefix: 'const port = ', suffix: ';\n', language: 'typescript',
    raw: '{{FILL_HERE}}Number(process.env.PORT ?? 3000)', expected: 'Number(process.env.PORT ?? 3000)',
  },
  {
    name: 'the marker is kept when the file itself has it',
    prefix: 'const tag = "<CURSOR>";\nconst other = ', suffix: ';\n', language: 'typescript',
    raw: '<CURSOR>tag + "!"', expected: '<CURSOR>tag + "!"',
  },
  {
    name: 'a whitespace-only reply shows nothing',
    prefix: 'const a = ', suffix: ';\n', language: 'typescript',
    raw: '   \n\n  ', expected: '',
  },
  {
    name: 'a copy of the line above shows nothing',
    prefix: 'import { readFile } from "node:fs/promises";\n', suffix: '\nexport async function load() {}\n', language: 'typescript',
    raw: 'import { readFile } from "node:fs/promises";', expected: '',
  },
  {
    name: 'line mode keeps the first line only, then drops the overlap with the suffix',
    prefix: 'const names = users.map((u) => u.', suffix: ');\n', language: 'typescript',
    raw: 'name);\nconsole.log(names);', expected: 'name',
  },
  {
    name: 'the start of the word before the cursor written again is dropped',
    prefix: 'function total(items: Item[]) {\n  const total = items.red', suffix: '\n}\n', language: 'typescript',
    raw: 'reduce((sum, item) => sum + item.price, 0);', expected: 'uce((sum, item) => sum + item.price, 0);',
  },
  {
    name: 'a DeepSeek-style intro line without a fence is dropped',
    prefix: 'async function show(id: string) {\n  const user = ', suffix: '\n}\n', language: 'typescript',
    raw: 'The missing code is:\nawait fetchUser(id);', expected: 'await fetchUser(id);',
  },
  {
    name: 'a Llama-style inline code span is unwrapped',
    prefix: 'const area = (w: number, h: number) => ', suffix: ';\n', language: 'typescript',
    raw: '`w * h`', expected: 'w * h',
  },
  {
    name: 'a } that already follows the cursor on its line is dropped, with the space before it',
    prefix: 'const point = { x: 1, ', suffix: ' };\n', language: 'typescript',
    raw: 'y: 2 }', expected: 'y: 2',
  },
  {
    name: 'the whole line written again mid-line keeps only the hole',
    prefix: 'function check(user?: User) {\n  if (', suffix: ') {\n    return;\n  }\n}\n', language: 'typescript',
    raw: 'if (user == null) {', expected: 'user == null',
  },
  {
    name: 'a reply that is only the line after the cursor shows nothing',
    prefix: 'function f() {\n  const a = 1;\n  ', suffix: '\n  return a;\n}\n', language: 'typescript',
    raw: 'return a;', expected: '',
  },
  {
    name: 'CRLF line endings in the reply are normalised',
    prefix: 'function one(): number {\n  ', suffix: '\n}\n', language: 'typescript',
    raw: `${FENCE}ts\r\nreturn 1;\r\n${FENCE}\r\n`, expected: 'return 1;',
  },
  {
    name: 'Qwen’s end token is removed',
    prefix: 'const sum = ', suffix: ';\n', language: 'typescript',
    raw: 'a + b<|im_end|>', expected: 'a + b',
  },
  {
    name: 'a sentence instead of code shows nothing',
    prefix: 'function f() {\n  const x = ', suffix: '\n}\n', language: 'typescript',
    raw: 'I need more context to complete this line.', expected: '',
  },
  {
    name: 'a sentence inside a comment is kept',
    prefix: 'function add(a: number, b: number) {\n  // ', suffix: '\n  return a + b;\n}\n', language: 'typescript',
    raw: 'This adds the two numbers.', expected: 'This adds the two numbers.',
  },
  {
    name: 'a leading line break mid-line is dropped',
    prefix: 'const retries = ', suffix: ';\n', language: 'typescript',
    raw: '\n3', expected: '3',
  },
  {
    name: 'a space after a cursor that follows a space is not doubled',
    prefix: 'let total = ', suffix: '\n', language: 'typescript',
    raw: ' 0;', expected: '0;',
  },
  {
    name: 'tabs from the model become the file’s spaces, one level deeper than the opener',
    prefix: 'class A {\n    run() {\n        ', suffix: '\n    }\n}\n', language: 'typescript',
    raw: 'for (const x of this.xs) {\n\t\tthis.handle(x);\n\t}',
    expected: 'for (const x of this.xs) {\n            this.handle(x);\n        }',
  },
  {
    name: 'TSX: a reply that writes the closing tag after the cursor drops it',
    prefix: 'export function List({ items }: Props) {\n  return (\n    <ul>\n      ', suffix: '\n    </ul>\n  );\n}\n', language: 'typescriptreact',
    raw: '{items.map((item) => (\n        <li key={item.id}>{item.name}</li>\n      ))}\n    </ul>',
    expected: '{items.map((item) => (\n        <li key={item.id}>{item.name}</li>\n      ))}',
  },
  {
    name: 'a block shifted one level deeper after a finished statement is moved back',
    prefix: 'export interface Options {\n  strict?: boolean;\n  ', suffix: '\n}\n', language: 'typescript',
    raw: '  allKeys?: boolean;\n    cb?: Callback;', expected: 'allKeys?: boolean;\n  cb?: Callback;',
  },
  {
    name: 'a deeper continuation line of an unfinished expression stays deeper',
    prefix: 'function count(items: Item[]) {\n  ', suffix: '\n}\n', language: 'typescript',
    raw: 'const total = items\n    .filter((i) => i.ok)\n    .length;', expected: 'const total = items\n    .filter((i) => i.ok)\n    .length;',
  },
  {
    name: 'the end of the doc comment above, written again, is dropped',
    prefix: '/**\n * Adds two numbers.\n */\n', suffix: '\n', language: 'typescript',
    raw: ' */\nexport function add(a: number, b: number): number {', expected: 'export function add(a: number, b: number): number {',
  },
  {
    name: 'a } that closes the outer block is not taken for a copy of the inner block’s }',
    prefix: 'function f(x: boolean) {\n  if (x) {\n    y();\n  }\n', suffix: '', language: 'typescript',
    raw: '}\n\nexport default f;', expected: '}',
  },
  {
    name: 'a copy of an import a few lines up shows nothing',
    prefix: 'import a from "a";\nimport b from "b";\nimport c from "c";\n', suffix: '\n', language: 'typescript',
    raw: 'import a from "a";', expected: '',
  },
  {
    name: 'an inline code span after a word of prose',
    prefix: 'const retries = ', suffix: ';\n', language: 'typescript',
    raw: 'Sure! `3`', expected: '3',
  },
  {
    name: 'a template literal’s ${ } and closing backtick that follow the cursor are dropped',
    prefix: 'const msg = `Hello ${', suffix: '}`;\n', language: 'typescript',
    raw: 'name}`;', expected: 'name',
  },
];

const javascript: Case[] = [
  {
    name: 'an object body ends before the }; that follows the cursor',
    prefix: 'const config = {\n  port: 8080,\n  ', suffix: '\n};\n', language: 'javascript',
    raw: 'host: "localhost",\n  debug: false,\n};', expected: 'host: "localhost",\n  debug: false,',
  },
  {
    name: 'a fenced callback body without the }); that follows',
    prefix: 'app.get("/health", (req, res) => {\n  ', suffix: '\n});\n', language: 'javascript',
    raw: `${FENCE}javascript\nres.json({ status: "ok" });\n});\n${FENCE}`, expected: 'res.json({ status: "ok" });',
  },
  {
    name: 'after => the expression stays on the line',
    prefix: 'const double = (x) =>', suffix: '\n', language: 'javascript',
    raw: ' x * 2;', expected: ' x * 2;',
  },
  {
    name: 'a loop, the lines after the cursor written again, and a closing sentence',
    prefix: 'function sum(arr) {\n  let total = 0;\n  ', suffix: '\n  return total;\n}\n', language: 'javascript',
    raw: 'for (const n of arr) {\n    total += n;\n  }\n  return total;\n}\n\nThis loops over the array and adds each number.',
    expected: 'for (const n of arr) {\n    total += n;\n  }',
  },
  {
    name: 'the line above and the start of the current line written again',
    prefix: 'async function main() {\n  const res = await fetch(url);\n  const data = ', suffix: '\n}\n', language: 'javascript',
    raw: 'const res = await fetch(url);\nconst data = await res.json();', expected: 'await res.json();',
  },
  {
    name: 'the whole function written again in a fence keeps only the body',
    prefix: 'function clamp(v, lo, hi) {\n  ', suffix: '\n}\n', language: 'javascript',
    raw: `${FENCE}js\nfunction clamp(v, lo, hi) {\n  return Math.min(hi, Math.max(lo, v));\n}\n${FENCE}`,
    expected: 'return Math.min(hi, Math.max(lo, v));',
  },
  {
    name: 'a sentence right after the code, with no blank line, is dropped',
    prefix: 'function avg(xs) {\n  ', suffix: '\n}\n', language: 'javascript',
    raw: 'return xs.reduce((a, b) => a + b, 0) / xs.length;\nThis computes the average of the array.',
    expected: 'return xs.reduce((a, b) => a + b, 0) / xs.length;',
  },
  {
    name: 'the last lines before the cursor written again on a fresh line',
    prefix: 'const a = 1;\nconst b = 2;\n', suffix: '', language: 'javascript',
    raw: 'const a = 1;\nconst b = 2;\nconst c = 3;', expected: 'const c = 3;',
  },
  {
    name: 'DeepSeek’s end token is removed',
    prefix: 'const id = ', suffix: ';\n', language: 'javascript',
    raw: 'crypto.randomUUID()<｜end▁of▁sentence｜>', expected: 'crypto.randomUUID()',
  },
  {
    name: 'a stray closing fence after the code is dropped',
    prefix: 'export function last(xs) {\n  ', suffix: '\n}\n', language: 'javascript',
    raw: `return xs[xs.length - 1];\n${FENCE}`, expected: 'return xs[xs.length - 1];',
  },
  {
    name: 'the whole file written out again in a fence keeps only the hole',
    prefix: 'import { b } from "./b";\nconst c = 2;\nfunction f() {\n  ', suffix: '\n}\n\nconst z = 1;\n', language: 'javascript',
    raw: `${FENCE}javascript\nconst c = 2;\nfunction f() {\n  return b * c;\n}\n\nconst z = 1;\n${FENCE}`, expected: 'return b * c;',
  },
];

const python: Case[] = [
  {
    name: 'a body after def … : is kept',
    prefix: 'import math\n\ndef area(radius):', suffix: '\n', language: 'python',
    raw: '\n    return math.pi * radius ** 2', expected: '\n    return math.pi * radius ** 2',
  },
  {
    name: 'a body written on the def line moves to the next line, indented',
    prefix: 'import math\n\ndef area(radius):', suffix: '\n', language: 'python',
    raw: 'return math.pi * radius ** 2', expected: '\n    return math.pi * radius ** 2',
  },
  {
    name: '“Sure! Here’s the completion:” and a python fence',
    prefix: 'def is_palindrome(s: str) -> bool:\n    ', suffix: '\n', language: 'python',
    raw: `Sure! Here's the completion:\n\n${FENCE}python\ncleaned = ''.join(c.lower() for c in s if c.isalnum())\n    return cleaned == cleaned[::-1]\n${FENCE}`,
    expected: "cleaned = ''.join(c.lower() for c in s if c.isalnum())\n    return cleaned == cleaned[::-1]",
  },
  {
    name: 'a reply that dedents into the next def is cut at the dedent',
    prefix: 'def mean(xs):\n    ', suffix: '\n\n\ndef median(xs):\n    ...\n', language: 'python',
    raw: 'return sum(xs) / len(xs)\n\n\ndef variance(xs):\n    m = mean(xs)', expected: 'return sum(xs) / len(xs)',
  },
  {
    name: 'a flush-left for loop gets its body one level deeper',
    prefix: 'def total(items):\n    result = 0\n    ', suffix: '\n    return result\n', language: 'python',
    raw: 'for item in items:\n    result += item.price', expected: 'for item in items:\n        result += item.price',
  },
  {
    name: 'the return that already follows the cursor is dropped',
    prefix: 'def total(items):\n    result = 0\n    ', suffix: '\n    return result\n', language: 'python',
    raw: 'for item in items:\n        result += item.price\n    return result', expected: 'for item in items:\n        result += item.price',
  },
  {
    name: 'a cursor at column 0 of an empty body keeps the body’s indentation',
    prefix: 'def greet(name):\n', suffix: '\n\ngreet("x")\n', language: 'python',
    raw: '    print(f"Hello, {name}!")', expected: '    print(f"Hello, {name}!")',
  },
  {
    name: 'a ] that already follows the cursor is dropped',
    prefix: 'def active_names(users):\n    names = [u.name for u in ', suffix: ']\n', language: 'python',
    raw: 'users if u.active]', expected: 'users if u.active',
  },
  {
    name: 'an unterminated fence (cut at the token limit) after an intro',
    prefix: 'def add(a, b):\n    ', suffix: '', language: 'python',
    raw: `Here is the code:\n${FENCE}py\nreturn a + b\n`, expected: 'return a + b',
  },
  {
    name: 'an import that is already the line above shows nothing',
    prefix: 'import os\nimport sys\n', suffix: '\n', language: 'python',
    raw: 'import sys', expected: '',
  },
  {
    name: 'a print call mid-line drops the ) that follows',
    prefix: 'for name, score in scores.items():\n    print(', suffix: ')\n', language: 'python',
    raw: 'f"{name}: {score}")', expected: 'f"{name}: {score}"',
  },
  {
    name: 'an else: at the if’s level ends the if’s body',
    prefix: 'def sign(x):\n    if x > 0:', suffix: '\n', language: 'python',
    raw: '\n        return 1\n    else:\n        return -1', expected: '\n        return 1',
  },
  {
    name: 'a docstring’s indented paragraph is not taken for prose',
    prefix: 'def parse(text):\n    ', suffix: '\n', language: 'python',
    raw: '"""Parse the text.\n\n    This returns a dict of fields.\n    """\n    return dict(line.split("=", 1) for line in text.splitlines())',
    expected: '"""Parse the text.\n\n    This returns a dict of fields.\n    """\n    return dict(line.split("=", 1) for line in text.splitlines())',
  },
  {
    name: 'a method body two levels deeper than its def is brought to one',
    prefix: 'class Box:\n    ', suffix: '\n', language: 'python',
    raw: 'def __init__(self, value):\n            self.value = value', expected: 'def __init__(self, value):\n        self.value = value',
  },
  {
    name: 'a nested if body stops at the dedented line that already follows',
    prefix: 'def f(x):\n    if x:', suffix: '\n    return 0\n', language: 'python',
    raw: '\n        return 1\n    return 0', expected: '\n        return 1',
  },
  {
    name: 'a tuple argument keeps its own parens and drops the ) that follows',
    prefix: 'point = make_point(', suffix: ')\n', language: 'python',
    raw: '(1, 2))', expected: '(1, 2)',
  },
];

const go: Case[] = [
  {
    name: 'four spaces from the model become the file’s tabs',
    prefix: 'package mathx\n\nfunc Max(a, b int) int {\n\t', suffix: '\n}\n', language: 'go',
    raw: 'if a > b {\n    return a\n}\nreturn b', expected: 'if a > b {\n\t\treturn a\n\t}\n\treturn b',
  },
  {
    name: 'an if err != nil body without the } that follows',
    prefix: 'func load(path string) ([]byte, error) {\n\tdata, err := os.ReadFile(path)\n\tif err != nil {', suffix: '\n\t}\n\treturn data, nil\n}\n', language: 'go',
    raw: '\n\t\treturn nil, fmt.Errorf("read %s: %w", path, err)\n\t}', expected: '\n\t\treturn nil, fmt.Errorf("read %s: %w", path, err)',
  },
  {
    name: 'the call written again keeps only its arguments',
    prefix: 'func serve(addr string) {\n\tfmt.Println(', suffix: ')\n}\n', language: 'go',
    raw: 'fmt.Println("server listening on", addr)', expected: '"server listening on", addr',
  },
  {
    name: 'a struct literal’s } that follows the cursor is dropped',
    prefix: 'func newServer(addr string, mux *http.ServeMux) *http.Server {\n\treturn &http.Server{Addr: addr, ', suffix: '}\n}\n', language: 'go',
    raw: 'Handler: mux}', expected: 'Handler: mux',
  },
  {
    name: 'the next method after the closing } is cut',
    prefix: 'func (s *Stack) Push(v int) {\n\t', suffix: '\n}\n', language: 'go',
    raw: 's.items = append(s.items, v)\n}\n\nfunc (s *Stack) Pop() int {\n\tv := s.items[len(s.items)-1]',
    expected: 's.items = append(s.items, v)',
  },
  {
    name: 'a fenced go reply with a closing note',
    prefix: 'func (s *Stack) Len() int {\n\t', suffix: '\n}\n', language: 'go',
    raw: `${FENCE}go\nreturn len(s.items)\n${FENCE}\nThis returns the number of items on the stack.`, expected: 'return len(s.items)',
  },
];

const rust: Case[] = [
  {
    name: 'a match arm',
    prefix: 'fn describe(n: i32) -> &\'static str {\n    match n {\n        0 => "zero",\n        ', suffix: '\n        _ => "many",\n    }\n}\n', language: 'rust',
    raw: '1 => "one",', expected: '1 => "one",',
  },
  {
    name: 'an if/else with lifetimes in the signature, without the } that follows',
    prefix: 'fn longest<\'a>(x: &\'a str, y: &\'a str) -> &\'a str {\n    ', suffix: '\n}\n', language: 'rust',
    raw: `${FENCE}rust\nif x.len() > y.len() {\n        x\n    } else {\n        y\n    }\n}\n${FENCE}`,
    expected: 'if x.len() > y.len() {\n        x\n    } else {\n        y\n    }',
  },
  {
    name: 'the line written again with a ? added keeps only the ?;',
    prefix: 'fn read(path: &Path) -> io::Result<String> {\n    let file = File::open(path)', suffix: '\n', language: 'rust',
    raw: 'let file = File::open(path)?;', expected: '?;',
  },
  {
    name: 'a struct field without the } that follows',
    prefix: 'struct Point {\n    x: f64,\n    ', suffix: '\n}\n', language: 'rust',
    raw: 'y: f64,\n}', expected: 'y: f64,',
  },
  {
    name: 'a char literal does not throw the bracket count off',
    prefix: 'fn is_open(c: char) -> bool {\n    ', suffix: '\n}\n\nfn main() {}\n', language: 'rust',
    raw: "matches!(c, '(' | '[' | '{')\n}\n\nfn is_close(c: char) -> bool {", expected: "matches!(c, '(' | '[' | '{')",
  },
];

const css: Case[] = [
  {
    name: 'a property value without the ; that follows',
    prefix: '.button {\n  color: ', suffix: ';\n}\n', language: 'css',
    raw: '#fff;', expected: '#fff',
  },
  {
    name: 'a rule body after { at the end of the file keeps its }',
    prefix: '.card {', suffix: '', language: 'css',
    raw: '\n  padding: 16px;\n  border-radius: 8px;\n}', expected: '\n  padding: 16px;\n  border-radius: 8px;\n}',
  },
  {
    name: 'a fenced reply that goes on to the next rule is cut at the }',
    prefix: '.card {\n  ', suffix: '\n}\n', language: 'css',
    raw: `${FENCE}css\npadding: 16px;\n}\n\n.card:hover {\n  box-shadow: 0 2px 4px rgba(0, 0, 0, 0.2);\n}\n${FENCE}`, expected: 'padding: 16px;',
  },
  {
    name: 'a copy of the declaration above shows nothing',
    prefix: '.a {\n  margin: 0 auto;\n  ', suffix: '\n}\n', language: 'css',
    raw: 'margin: 0 auto;', expected: '',
  },
];

const json: Case[] = [
  {
    name: 'a value',
    prefix: '{\n  "name": "modelslab-coder",\n  "version": ', suffix: '\n}\n', language: 'json',
    raw: '"0.1.0",', expected: '"0.1.0",',
  },
  {
    name: 'a key in a nested object, without the closers that follow',
    prefix: '{\n  "scripts": {\n    "build": "esbuild src/extension.ts",\n    ', suffix: '\n  }\n}\n', language: 'json',
    raw: `${FENCE}json\n"test": "mocha"\n  }\n}\n${FENCE}`, expected: '"test": "mocha"',
  },
  {
    name: 'a string value without the quote that follows',
    prefix: '{ "main": "', suffix: '" }\n', language: 'json',
    raw: './dist/extension.js"', expected: './dist/extension.js',
  },
];

const html: Case[] = [
  {
    name: 'list items after <ul>, without the </ul> that follows',
    prefix: '<nav>\n  <ul class="menu">', suffix: '\n  </ul>\n</nav>\n', language: 'html',
    raw: '\n    <li><a href="/">Home</a></li>\n    <li><a href="/about">About</a></li>\n  </ul>',
    expected: '\n    <li><a href="/">Home</a></li>\n    <li><a href="/about">About</a></li>',
  },
  {
    name: 'an attribute value without the quote that follows',
    prefix: '<img src="logo.png" alt="', suffix: '">\n', language: 'html',
    raw: 'ModelsLab logo">', expected: 'ModelsLab logo',
  },
  {
    name: 'an intro and an html fence',
    prefix: '<form>\n  <input name="q">\n  ', suffix: '\n</form>\n', language: 'html',
    raw: `Here is the missing HTML:\n\n${FENCE}html\n<button type="submit">Send</button>\n${FENCE}`, expected: '<button type="submit">Send</button>',
  },
];

const shell: Case[] = [
  {
    name: 'a then body without the fi that follows',
    prefix: '#!/usr/bin/env bash\nif [ ! -d "$DIR" ]; then', suffix: '\nfi\n', language: 'shellscript',
    raw: '\n  mkdir -p "$DIR"\nfi', expected: '\n  mkdir -p "$DIR"',
  },
  {
    name: 'a loop body written on the do line moves down, and done is dropped',
    prefix: 'for f in *.log; do', suffix: '\ndone\n', language: 'shellscript',
    raw: 'gzip "$f"\ndone', expected: '\n    gzip "$f"',
  },
  {
    name: 'a string’s end without the quote that follows',
    prefix: 'echo "Deploying to ', suffix: '"\n', language: 'shellscript',
    raw: '$ENVIRONMENT..."', expected: '$ENVIRONMENT...',
  },
  {
    name: 'a # comment in the reply is kept',
    prefix: '# back up the database\npg_dump "$DB_URL" > ', suffix: '\n', language: 'shellscript',
    raw: '"backup-$(date +%F).sql"  # dated file', expected: '"backup-$(date +%F).sql"  # dated file',
  },
  {
    name: 'a bash fence with a closing note',
    prefix: 'set -euo pipefail\n', suffix: '\n', language: 'shellscript',
    raw: `${FENCE}bash\ncd "$(dirname "$0")"\n${FENCE}\n\nThis changes to the script's directory.`, expected: 'cd "$(dirname "$0")"',
  },
];

const yaml: Case[] = [
  {
    name: 'a list under a key, one level deeper',
    prefix: 'services:\n  web:\n    image: nginx\n    ports:', suffix: '\n', language: 'yaml',
    raw: '\n  - "80:80"', expected: '\n      - "80:80"',
  },
  {
    name: 'a list item that repeats one a few lines up is kept',
    prefix: 'matrix:\n  - name: Linux\n    node:\n      - 20.x\n  - name: MacOS\n    node:\n      ', suffix: '\n', language: 'yaml',
    raw: '- 20.x', expected: '- 20.x',
  },
];

const markdown: Case[] = [
  {
    name: 'a chatty last paragraph is dropped, even in Markdown',
    prefix: '# Setup\n\n1. Install the extension.\n2. ', suffix: '\n', language: 'markdown', mode: 'block',
    raw: 'Set your API key.\n\nLet me know if you need anything else!', expected: 'Set your API key.',
  },
  {
    name: 'alignment spaces after a space are kept (only one doubled space is dropped)',
    prefix: '| Option | Type     |\n| ------ | -------- |\n| `cwd` ', suffix: '\n', language: 'markdown',
    raw: '  | `string` |', expected: '  | `string` |',
  },
];

const ALL = { typescript, javascript, python, go, rust, css, json, html, shell, yaml, markdown };

describe('cleanCompletion: canned replies', () => {
  for (const [group, cases] of Object.entries(ALL)) {
    describe(group, () => {
      for (const c of cases) {
        it(c.name, () => {
          const hole = { prefix: c.prefix, suffix: c.suffix, languageId: c.language };
          assert.equal(cleanCompletion(c.raw, hole, c.mode), c.expected);
        });
      }
    });
  }

  it('has at least 60 cases across the languages', () => {
    assert.ok(Object.values(ALL).flat().length >= 60);
  });
});

describe('cleanCompletion: modes', () => {
  const hole = { prefix: 'function f() {\n  ', suffix: '\n}\n', languageId: 'typescript' };
  it('line mode keeps only the first line, even where block mode would keep more', () => {
    const raw = 'const a = 1;\n  const b = 2;';
    assert.equal(cleanCompletion(raw, hole, 'line'), 'const a = 1;');
    assert.equal(cleanCompletion(raw, hole, 'block'), 'const a = 1;\n  const b = 2;');
  });
  it('line mode shows nothing when the reply starts on the next line after a finished statement', () => {
    assert.equal(cleanCompletion('\nreturn 1;', { prefix: 'function f() {\n  foo();', suffix: '\n}', languageId: 'typescript' }, 'line'), '');
  });
});
