// The demo server's "model" for code: small, deterministic readings and rewrites of the code a
// request carries, so Explain, Refactor, Fix, Document and Generate Tests answer about the
// user's own selection. Heuristics for TypeScript/JavaScript and Python (the sample workspace);
// other languages get doc comments and a plain answer.

export type Family = 'js' | 'python' | 'other';

export function familyOf(languageId: string | undefined): Family {
  const id = (languageId ?? '').toLowerCase();
  if (/^(typescript|javascript)(react)?$|^(ts|tsx|js|jsx|mjs|cjs)$/.test(id)) return 'js';
  if (id === 'python' || id === 'py') return 'python';
  return 'other';
}

export interface Param {
  name: string;
  type?: string;
}

export interface FunctionInfo {
  name: string;
  params: Param[];
  returnType?: string;
  /** Index of the header line among the code's lines. */
  line: number;
  indent: string;
  /** Index of the body's last line (inclusive); equals `line` for one-line functions. */
  end: number;
  /** The lines after the header up to `end`. */
  body: string[];
}

/** A rewrite and what it changed, in words the answer can list. */
export interface Rewrite {
  code: string;
  changes: string[];
}

const JS_FUNCTION = /^([ \t]*)(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\(([^)]*)\)\s*(?::\s*([^{]+?))?\s*\{?\s*$/;
const JS_ARROW = /^([ \t]*)(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?\(([^)]*)\)\s*(?::\s*([^=]+?))?\s*=>/;
const JS_METHOD = /^([ \t]*)(?:(?:public|private|protected|static|async|override|readonly)\s+)*([A-Za-z_$][\w$]*)\s*\(([^)]*)\)\s*(?::\s*([^{]+?))?\s*\{\s*$/;
const JS_KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return', 'with', 'do', 'else']);
const PY_FUNCTION = /^([ \t]*)(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(([^)]*)\)\s*(?:->\s*([^:]+?))?\s*:\s*(?:#.*)?$/;
const OTHER_FUNCTION = /^([ \t]*)(?:[\w<>[\],*&:]+\s+)*?(?:func|fn|fun|def|sub|function)\s+([A-Za-z_]\w*)\s*\(([^)]*)\)/;

/** Splits a parameter list at the commas that are not inside brackets or generics. */
export function splitParams(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of list) {
    if ('([{<'.includes(ch)) depth++;
    else if (')]}>'.includes(ch)) depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function parseParam(text: string, family: Family, languageId: string): Param | undefined {
  if (family === 'other') {
    // `a: i32` (Rust, Kotlin, Swift), `a int` (Go), `int a` (C, Java, C#).
    const colon = /^(?:mut\s+)?([A-Za-z_]\w*)\s*:/.exec(text);
    if (colon) return { name: colon[1] };
    const tokens = text.replace(/=.*$/, '').match(/[A-Za-z_]\w*/g) ?? [];
    const name = languageId === 'go' ? tokens[0] : tokens[tokens.length - 1];
    return name ? { name } : undefined;
  }
  if (family === 'python') {
    const cleaned = text.replace(/^\*{1,2}/, '');
    if (cleaned === '' || cleaned === '/' || cleaned === 'self' || cleaned === 'cls') return undefined;
    const match = /^([A-Za-z_]\w*)\s*(?::\s*([^=]+?))?\s*(?:=.*)?$/.exec(cleaned);
    return match ? { name: match[1], type: match[2]?.trim() } : undefined;
  }
  const cleaned = text.replace(/^\.\.\./, '').replace(/^(?:public|private|protected|readonly)\s+/, '');
  if (cleaned.startsWith('{') || cleaned.startsWith('[')) return { name: 'options' };
  const match = /^([A-Za-z_$][\w$]*)\??\s*(?::\s*([^=]+?))?\s*(?:=.*)?$/.exec(cleaned);
  return match ? { name: match[1], type: match[2]?.trim() } : undefined;
}

function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

/** Braces opened minus closed on a line, ignoring those in strings and line comments. */
function braceDelta(line: string): number {
  const code = line.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""').replace(/\/\/.*$/, '');
  let delta = 0;
  for (const ch of code) {
    if (ch === '{') delta++;
    else if (ch === '}') delta--;
  }
  return delta;
}

function blockEnd(lines: string[], start: number, family: Family): number {
  if (family === 'python') {
    const header = indentOf(lines[start]).length;
    let end = start;
    for (let i = start + 1; i < lines.length; i++) {
      if (lines[i].trim() === '') continue;
      if (indentOf(lines[i]).length <= header) break;
      end = i;
    }
    return end;
  }
  // A header without a brace is a one-line function (an arrow with an expression body).
  if (!lines[start].includes('{')) return start;
  let depth = 0;
  for (let i = start; i < lines.length; i++) {
    depth += braceDelta(lines[i]);
    if (depth <= 0) return i;
  }
  return lines.length - 1;
}

/** The functions declared in the code, in order, with their bodies. */
export function findFunctions(code: string, family: Family, languageId = ''): FunctionInfo[] {
  const lines = code.split('\n');
  const found: FunctionInfo[] = [];
  for (let i = 0; i < lines.length; i++) {
    let match: RegExpExecArray | null = null;
    if (family === 'python') match = PY_FUNCTION.exec(lines[i]);
    else if (family === 'js') {
      match = JS_FUNCTION.exec(lines[i]) ?? JS_ARROW.exec(lines[i]);
      if (!match) {
        const method = JS_METHOD.exec(lines[i]);
        if (method && !JS_KEYWORDS.has(method[2])) match = method;
      }
    } else match = OTHER_FUNCTION.exec(lines[i]);
    if (!match) continue;
    const end = blockEnd(lines, i, family);
    const params = splitParams(match[3])
      .map((p) => parseParam(p, family, languageId))
      .filter((p): p is Param => p !== undefined);
    found.push({ name: match[2], params, returnType: match[4]?.trim(), line: i, indent: match[1], end, body: lines.slice(i + 1, end + 1) });
    if (family === 'python') continue; // nested defs are found on their own lines
    i = Math.max(i, end);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Words: what a function, a parameter and a return value are, from their names.

/** `parseConfigFile` → ['parse', 'config', 'file']. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

const VERBS: Record<string, string> = {
  get: 'Gets', set: 'Sets', create: 'Creates', build: 'Builds', make: 'Makes', parse: 'Parses', format: 'Formats',
  load: 'Loads', save: 'Saves', read: 'Reads', write: 'Writes', compute: 'Computes', calculate: 'Calculates',
  find: 'Finds', update: 'Updates', handle: 'Handles', validate: 'Validates', render: 'Renders', fetch: 'Fetches',
  convert: 'Converts', normalize: 'Normalizes', add: 'Adds', remove: 'Removes', delete: 'Deletes', check: 'Checks',
  init: 'Initializes', initialize: 'Initializes', reset: 'Resets', sort: 'Sorts', filter: 'Filters', send: 'Sends',
  open: 'Opens', close: 'Closes', start: 'Starts', stop: 'Stops', count: 'Counts', merge: 'Merges', split: 'Splits',
  push: 'Pushes', pop: 'Pops', clear: 'Clears', apply: 'Applies', run: 'Runs', process: 'Processes', emit: 'Emits',
  register: 'Registers', insert: 'Inserts', append: 'Appends', print: 'Prints', log: 'Logs', show: 'Shows',
  hide: 'Hides', toggle: 'Toggles', generate: 'Generates', resolve: 'Resolves', transform: 'Transforms',
};

/** One sentence on what a function does, in the present tense ("Returns …"). */
export function summaryOf(fn: FunctionInfo): string {
  const [p0 = 'the input', p1 = 'min', p2 = 'max'] = fn.params.map((p) => `\`${p.name}\``);
  const w = words(fn.name);
  const rest = w.slice(1).join(' ');
  switch (fn.name.toLowerCase()) {
    case 'average':
    case 'mean':
    case 'avg':
      return `Returns the arithmetic mean of ${p0}.`;
    case 'sum':
    case 'total':
      return `Returns the sum of ${p0}.`;
    case 'clamp':
      return `Restricts ${p0} to the range [${p1}, ${p2}].`;
    case 'greet':
      return `Builds a greeting for ${p0}.`;
    case 'shout':
      return `Returns the greeting for ${p0} in capitals.`;
    case 'debounce':
      return `Wraps ${p0} so that it runs only once calls have stopped for a while.`;
  }
  const verb = VERBS[w[0]];
  const subject = fn.params.length ? p0 : 'it';
  if (verb) return `${verb} ${rest ? `the ${rest}` : fn.params.length ? p0 : 'it'}.`;
  if (['is', 'has', 'can', 'should'].includes(w[0]) && rest) return `Returns \`true\` when ${subject} ${w[0]} ${rest}.`;
  if (w[0] === 'to' && rest) return `Converts ${subject} to ${rest}.`;
  if (w.length === 1) return fn.params.length ? `Returns the ${w[0]} for ${p0}.` : `Returns the ${w[0]}.`;
  return `Computes the ${w.join(' ')}.`;
}

/** The same sentence in the imperative, as Python docstrings write it ("Return …"). */
function imperative(sentence: string): string {
  return sentence.replace(/^(\w+?)(e?s)\b/, (all, stem: string, ending: string) => {
    if (all === 'Does') return 'Do';
    if (ending === 'es' && /(ss|sh|ch|x|z)$/.test(stem)) return stem;
    return ending === 'es' ? `${stem}e` : stem;
  });
}

const PARAM_DOCS: [RegExp, string][] = [
  [/^(values|numbers|nums|xs|items|list|arr|array)$/, 'The input values.'],
  [/^(value|x|n|num|number)$/, 'The input value.'],
  [/^(min|lo|low|lower)$/, 'The lower bound.'],
  [/^(max|hi|high|upper)$/, 'The upper bound.'],
  [/^(fn|func|callback|cb)$/, 'The function to call.'],
  [/^(options|opts|config)$/, 'Options; see the type for the fields.'],
  [/^(ms|waitms|wait|delay|delayms|timeout|timeoutms)$/, 'The delay, in milliseconds.'],
  [/^(path|file|filename|filepath)$/, 'The file path.'],
  [/^(url|uri)$/, 'The address.'],
  [/^(text|str|s|input)$/, 'The text.'],
  [/^(id)$/, 'The identifier.'],
  [/^(key)$/, 'The key.'],
  [/^(index|i|idx)$/, 'The position, from 0.'],
  [/^(count|limit)$/, 'How many.'],
];

export function paramDoc(fn: FunctionInfo, param: Param): string {
  if (param.name === 'name' && /greet|shout|hello/i.test(fn.name)) return 'The name to greet.';
  const lower = param.name.toLowerCase();
  for (const [pattern, doc] of PARAM_DOCS) if (pattern.test(lower)) return doc;
  return `The ${words(param.name).join(' ')}.`;
}

const NO_RESULT = /^(void|Promise<void>|None|never|undefined)$/;

/** What the function returns, or undefined when it returns nothing. */
export function returnsDoc(fn: FunctionInfo, family: Family): string | undefined {
  if (fn.returnType && NO_RESULT.test(fn.returnType)) return undefined;
  if (!fn.body.some((l) => /\breturn\b\s*[^;\s]/.test(l))) return undefined;
  const [p0 = 'the input', p1 = 'min', p2 = 'max'] = fn.params.map((p) => (family === 'python' ? `*${p.name}*` : `\`${p.name}\``));
  const q = family === 'python' ? '``' : '`';
  switch (fn.name.toLowerCase()) {
    case 'average':
    case 'mean':
    case 'avg':
      return family === 'js' && emptyDivisions(fn.body.join('\n'), family).length > 0 ? `The mean; ${q}NaN${q} when ${p0} is empty.` : 'The mean.';
    case 'clamp':
      return `${p1} if ${p0} is below it, ${p2} if above it, otherwise ${p0}.`;
    case 'greet':
      return `The greeting, e.g. ${q}"Hello, Ada!"${q}.`;
    case 'shout':
      return `The greeting in capitals, e.g. ${q}"HELLO, ADA!"${q}.`;
  }
  const w = words(fn.name);
  if (['is', 'has', 'can', 'should'].includes(w[0])) return `Whether ${fn.params.length ? p0 : 'it'} ${w[0]} ${w.slice(1).join(' ')}.`;
  if (VERBS[w[0]] && w.length > 1) return `The ${w.slice(1).join(' ')}.`;
  return 'The result.';
}

/** What the function throws: the error type and when, read from its guards. */
function throwsDocs(fn: FunctionInfo, family: Family): { type: string; when: string }[] {
  const body = fn.body.join('\n');
  const docs: { type: string; when: string }[] = [];
  const pattern = family === 'python' ? /if not (\w+):\s*\n\s*raise (\w+)/g : /if \((\w+)\.length === 0\) \{?\s*\n?\s*throw new (\w+)/g;
  for (const match of body.matchAll(pattern)) docs.push({ type: match[2], when: `If \`${match[1]}\` is empty.` });
  for (const match of body.matchAll(/if \((\w+) > (\w+)\) \{?\s*\n?\s*throw new (\w+)/g)) docs.push({ type: match[3], when: `If \`${match[1]}\` is greater than \`${match[2]}\`.` });
  if (family === 'python') {
    for (const name of emptyDivisions(body, family)) docs.push({ type: 'ZeroDivisionError', when: `If \`${name}\` is empty.` });
  }
  return docs;
}

// ---------------------------------------------------------------------------------------------
// Findings: the problems the heuristics can see, shared by Explain and Fix.

/** Names divided by their own length with no emptiness check before: `0 / 0` or ZeroDivisionError. */
export function emptyDivisions(code: string, family: Family): string[] {
  const names = new Set<string>();
  const division = family === 'python' ? /\/\s*len\((\w+)\)/g : /\/\s*([\w$]+)\.length\b/g;
  for (const match of code.matchAll(division)) {
    const name = match[1];
    const guarded =
      family === 'python'
        ? new RegExp(`if not ${name}\\b|len\\(${name}\\)\\s*(==|<|>|!=)|if ${name}\\s*:`).test(code)
        : new RegExp(`${name.replace(/\$/g, '\\$')}\\.length\\s*(===?|!==?|<|>|<=|>=)\\s*\\d|!${name.replace(/\$/g, '\\$')}\\.length`).test(code);
    if (!guarded) names.add(name);
  }
  return [...names];
}

const BOUNDS: [string, string][] = [['min', 'max'], ['lo', 'hi'], ['low', 'high'], ['lower', 'upper']];

/** A function's lower and upper bound parameters that are never compared with each other. */
export function uncheckedBounds(fn: FunctionInfo): [string, string] | undefined {
  const names = fn.params.map((p) => p.name);
  const pair = BOUNDS.find(([lo, hi]) => names.includes(lo) && names.includes(hi));
  if (!pair) return undefined;
  const [lo, hi] = pair;
  const body = fn.body.join('\n');
  const compared = new RegExp(`\\b${lo}\\s*[<>]=?\\s*${hi}\\b|\\b${hi}\\s*[<>]=?\\s*${lo}\\b`).test(body);
  return compared ? undefined : pair;
}

/** Python parameters joined to a string literal with `+`: TypeError for anything but str. */
export function concatenatedParams(fn: FunctionInfo): string[] {
  const body = fn.body.join('\n');
  return fn.params
    .map((p) => p.name)
    .filter((name) => new RegExp(`(["'][^"'\\n]*["']\\s*\\+\\s*${name}\\b(?!\\s*\\()|\\b${name}\\s*\\+\\s*["'])`).test(body));
}

export interface Finding {
  /** One sentence for an explanation's "Worth knowing". */
  risk: string;
}

/** What is worth knowing about the code: empty input, unordered bounds, type errors, loose equality, off-by-one. */
export function findings(code: string, family: Family): Finding[] {
  const out: Finding[] = [];
  const functions = findFunctions(code, family);
  for (const name of emptyDivisions(code, family)) {
    out.push({
      risk:
        family === 'python'
          ? `An empty \`${name}\` raises \`ZeroDivisionError\` from the division by \`len(${name})\`, which says nothing about the real cause.`
          : `An empty \`${name}\` makes it compute \`0 / 0\` and return \`NaN\` instead of failing, and \`NaN\` then spreads silently through later arithmetic.`,
    });
  }
  for (const fn of functions) {
    const bounds = uncheckedBounds(fn);
    if (bounds) {
      out.push({ risk: `Nothing checks that \`${bounds[0]}\` ≤ \`${bounds[1]}\`: with the bounds swapped, \`${fn.name}\` can return a value outside both of them.` });
    }
    if (family === 'python') {
      for (const name of concatenatedParams(fn)) {
        out.push({ risk: `\`${fn.name}(42)\` raises \`TypeError\`: \`+\` only joins strings, so \`${name}\` must already be a \`str\`.` });
      }
    }
  }
  if (family === 'js' && /[^=!<>]\s(==|!=)\s(?!null\b|undefined\b)/.test(code)) {
    out.push({ risk: '`==` converts types before comparing (`"1" == 1` is `true`); `===` does not.' });
  }
  const offByOne = family === 'python' ? /range\(len\((\w+)\)\s*\+\s*1\)/.exec(code) : /\w+\s*<=\s*([\w$.]+)\.length\b/.exec(code);
  if (offByOne) {
    out.push({ risk: `The loop runs one step past the end of \`${offByOne[1]}\`, so its last pass reads ${family === 'python' ? 'out of range and raises `IndexError`' : '`undefined`'}.` });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rewrites.

function singular(name: string): string {
  if (/^(xs|ys)$/.test(name)) return name[0];
  if (/ies$/.test(name)) return `${name.slice(0, -3)}y`;
  if (/(ss|sh|ch|x)es$/.test(name)) return name.slice(0, -2);
  if (/[^s]s$/.test(name)) return name.slice(0, -1);
  return 'item';
}

/** `'Hello, ' + name + '!'` → `` `Hello, ${name}!` `` (or an f-string in Python). */
function concatToTemplate(line: string, family: Family): string {
  if (line.includes('`') || /^\s*(\/\/|#)/.test(line)) return line;
  const literal = family === 'python' ? `"[^"\\\\\\n+{}]*"|'[^'\\\\\\n+{}]*'` : `'[^'\\\\\\n+\`$]*'|"[^"\\\\\\n+\`$]*"`;
  const operand = `${literal}|[A-Za-z_$][\\w$.]*(?:\\(\\))?`;
  const chain = new RegExp(`(?<![\\w$.)\\]'"])(?:${operand})(?:\\s*\\+\\s*(?:${operand}))+(?![\\w$.(\\[]|\\s*[-*/%+.])`, 'g');
  return line.replace(chain, (match) => {
    const parts = match.split(/\s*\+\s*/);
    const isLiteral = (p: string) => /^["']/.test(p);
    if (!parts.some(isLiteral) || parts.every(isLiteral)) return match;
    const body = parts.map((p) => (isLiteral(p) ? p.slice(1, -1) : family === 'python' ? `{${p.replace(/^str\((.*)\)$/, '$1')}}` : `\${${p}}`)).join('');
    return family === 'python' ? `f"${body.replace(/"/g, '\\"')}"` : `\`${body}\``;
  });
}

function rule(code: string, pattern: RegExp, replace: (...groups: string[]) => string): string {
  return code.replace(pattern, (...args: unknown[]) => replace(...(args.slice(0, -2) as string[])));
}

/** A tidier version with the same behaviour: reduce/sum for running totals, for…of, template literals, compound assignment. */
export function refactorCode(code: string, languageId: string): Rewrite {
  const family = familyOf(languageId);
  const changes: string[] = [];
  let out = code;
  const apply = (next: string, change: string) => {
    if (next !== out && !changes.includes(change)) changes.push(change);
    out = next;
  };
  if (family === 'js') {
    apply(
      rule(out, /^([ \t]*)let ([\w$]+) = 0;\n\1for \((?:let|var) (\w+) = 0; \3 < ([\w$.]+)\.length; (?:\3\+\+|\+\+\3|\3 \+= 1)\) \{\n[ \t]*\2 (?:= \2 \+|\+=) \4\[\3\];?\n\1\}/m, (_all, indent, total, _i, list) => {
        const item = singular(list.split('.').pop() ?? list);
        return `${indent}const ${total} = ${list}.reduce((sum, ${item}) => sum + ${item}, 0);`;
      }),
      '`reduce` replaces the index loop and the running total, so there is no loop counter to get wrong.',
    );
    apply(
      rule(out, /^([ \t]*)for \((?:let|var) (\w+) = 0; \2 < ([\w$.]+)\.length; (?:\2\+\+|\+\+\2)\) \{\n([\s\S]*?)\n\1\}/gm, (all, indent, i, list, body) => {
        const item = singular(list.split('.').pop() ?? list);
        const element = new RegExp(`${list.replace(/[.$]/g, '\\$&')}\\[${i}\\]`, 'g');
        const replaced = body.replace(element, item);
        if (replaced === body || new RegExp(`\\b${i}\\b`).test(replaced)) return all;
        return `${indent}for (const ${item} of ${list}) {\n${replaced}\n${indent}}`;
      }),
      '`for…of` replaces the index loop: no counter, no `[i]`.',
    );
    apply(
      rule(out, /^([ \t]*)if \(([\w$]+) < ([\w$]+)\) return \3;\n\1if \(\2 > ([\w$]+)\) return \4;\n\1return \2;/m, (_all, indent, value, lo, hi) => `${indent}return Math.min(Math.max(${value}, ${lo}), ${hi});`),
      '`Math.min(Math.max(…))` replaces the two early returns.',
    );
    apply(out.replace(/\bvar(?=\s+[\w$])/g, 'let'), '`let` instead of `var`, so the variables are block-scoped.');
  }
  if (family === 'python') {
    apply(
      rule(out, /^([ \t]*)(\w+) = 0\n\1for (\w+) in range\(len\((\w+)\)\):\n[ \t]+\2 (?:\+=|= \2 \+) \4\[\3\]$/m, (_all, indent, total, _i, list) => `${indent}${total} = sum(${list})`),
      '`sum()` replaces the index loop and the running total.',
    );
    apply(
      rule(out, /^([ \t]*)for (\w+) in range\(len\((\w+)\)\):\n((?:\1[ \t]+.*(?:\n|$))+)/gm, (all, indent, i, list, body) => {
        const item = singular(list);
        const replaced = body.replace(new RegExp(`\\b${list}\\[${i}\\]`, 'g'), item);
        if (replaced === body || new RegExp(`\\b${i}\\b`).test(replaced)) return all;
        return `${indent}for ${item} in ${list}:\n${replaced}`;
      }),
      '`for item in …` replaces `range(len(…))`.',
    );
    apply(
      rule(out, /^([ \t]*)if (\w+) < (\w+):\n[ \t]+return \3\n\1if \2 > (\w+):\n[ \t]+return \4\n\1return \2$/m, (_all, indent, value, lo, hi) => `${indent}return max(${lo}, min(${value}, ${hi}))`),
      '`max(lo, min(value, hi))` replaces the two early returns.',
    );
    apply(out.replace(/ (==|!=) None\b/g, (_m, op: string) => (op === '==' ? ' is None' : ' is not None')), '`is None` instead of `== None`.');
  }
  if (family !== 'other') {
    const template = family === 'python' ? 'An f-string replaces the `+` concatenation.' : 'A template literal replaces the `+` concatenation.';
    apply(out.split('\n').map((line) => concatToTemplate(line, family)).join('\n'), template);
    apply(
      rule(out, /^([ \t]*)([\w$.]+) = \2 ([-+*/]) ([\w$.[\]'"()]+)(;?)[ \t]*$/gm, (_all, indent, target, op, operand, semi) => `${indent}${target} ${op}= ${operand}${semi}`),
      'Compound assignment (`+=`) instead of repeating the variable.',
    );
  }
  return { code: out, changes };
}

function guardLines(indent: string, unit: string, family: Family, condition: { kind: 'empty'; name: string } | { kind: 'bounds'; lo: string; hi: string }, fnName: string | undefined): string[] {
  const who = fnName ? `${fnName}() ` : '';
  const needs = fnName ? `${who}needs at least one value` : 'expected at least one value';
  if (family === 'python') {
    if (condition.kind === 'empty') return [`${indent}if not ${condition.name}:`, `${indent}${unit}raise ValueError("${needs}")`];
    return [`${indent}if ${condition.lo} > ${condition.hi}:`, `${indent}${unit}raise ValueError(f"${who}needs ${condition.lo} <= ${condition.hi}, got {${condition.lo}} > {${condition.hi}}")`];
  }
  if (condition.kind === 'empty') return [`${indent}if (${condition.name}.length === 0) {`, `${indent}${unit}throw new RangeError('${needs}');`, `${indent}}`];
  return [`${indent}if (${condition.lo} > ${condition.hi}) {`, `${indent}${unit}throw new RangeError(\`${who}needs ${condition.lo} <= ${condition.hi}, got \${${condition.lo}} > \${${condition.hi}}\`);`, `${indent}}`];
}

/** The indentation step the code uses (two spaces, four, a tab). */
function indentUnit(code: string, family: Family): string {
  const indents = code
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(indentOf)
    .filter((i) => i !== '');
  if (indents.some((i) => i.startsWith('\t'))) return '\t';
  const smallest = Math.min(...indents.map((i) => i.length));
  return Number.isFinite(smallest) && smallest > 0 ? ' '.repeat(smallest) : family === 'python' ? '    ' : '  ';
}

/** The bugs the heuristics can fix: empty input, unordered bounds, Python's str + non-str, loose equality, off-by-one. */
export function fixCode(code: string, languageId: string): Rewrite {
  const family = familyOf(languageId);
  const changes: string[] = [];
  if (family === 'other') return { code, changes };
  const unit = indentUnit(code, family);
  const lines = code.split('\n');
  const functions = findFunctions(code, family);
  // Guards go in from the bottom up, so the line numbers of earlier functions stay right.
  const insertions: { at: number; lines: string[] }[] = [];
  for (const fn of functions) {
    const body = fn.body.join('\n');
    const firstBody = fn.body.find((l) => l.trim() !== '' && !/^\s*("""|'''|\/\/|#|\/?\*)/.test(l));
    const indent = firstBody ? indentOf(firstBody) : fn.indent + unit;
    const guards: string[] = [];
    for (const name of emptyDivisions(body, family)) {
      guards.push(...guardLines(indent, unit, family, { kind: 'empty', name }, fn.name));
      changes.push(
        family === 'python'
          ? `An empty \`${name}\` raised a bare \`ZeroDivisionError\`; \`${fn.name}\` now raises \`ValueError\` saying why.`
          : `An empty \`${name}\` returned \`NaN\` (\`0 / 0\`); \`${fn.name}\` now throws a \`RangeError\`.`,
      );
    }
    const bounds = uncheckedBounds(fn);
    if (bounds) {
      guards.push(...guardLines(indent, unit, family, { kind: 'bounds', lo: bounds[0], hi: bounds[1] }, fn.name));
      changes.push(`With \`${bounds[0]} > ${bounds[1]}\`, \`${fn.name}\` returned a value outside both bounds; it now ${family === 'python' ? 'raises `ValueError`' : 'throws a `RangeError`'}.`);
    }
    if (guards.length) insertions.push({ at: fn.line + 1 + docstringLength(fn, family), lines: guards });
  }
  if (functions.length === 0) {
    // A few lines from inside a function: guard before them.
    const names = emptyDivisions(code, family);
    const first = lines.find((l) => l.trim() !== '') ?? '';
    for (const name of names) {
      insertions.push({ at: lines.indexOf(first), lines: guardLines(indentOf(first), unit, family, { kind: 'empty', name }, undefined) });
      changes.push(`An empty \`${name}\` ${family === 'python' ? 'raised `ZeroDivisionError`' : 'gave `NaN`'}; it is now rejected up front.`);
    }
  }
  for (const { at, lines: added } of insertions.sort((a, b) => b.at - a.at)) lines.splice(at, 0, ...added);
  let out = lines.join('\n');
  const apply = (next: string, change: string) => {
    if (next !== out) changes.push(change);
    out = next;
  };
  if (family === 'python') {
    for (const fn of functions) {
      for (const name of concatenatedParams(fn)) {
        apply(
          out.replace(new RegExp(`(\\+\\s*)${name}\\b(?!\\s*\\()`, 'g'), `$1str(${name})`).replace(new RegExp(`(?<![\\w.(])${name}(\\s*\\+\\s*["'])`, 'g'), `str(${name})$1`),
          `\`${fn.name}\` raised \`TypeError\` for a non-string \`${name}\`; \`str(${name})\` accepts any value.`,
        );
      }
    }
    apply(out.replace(/range\(len\((\w+)\)\s*\+\s*1\)/g, 'range(len($1))'), 'The loop ran one step past the end (`range(len(…) + 1)`).');
    apply(out.replace(/ (==|!=) None\b/g, (_m, op: string) => (op === '==' ? ' is None' : ' is not None')), '`is None` instead of `== None`, which a custom `__eq__` can fool.');
  } else {
    apply(out.replace(/(\w+\s*)<=(\s*[\w$.]+\.length\b)/g, '$1<$2'), 'The loop ran one step past the end (`<=` → `<`), reading `undefined`.');
    apply(out.replace(/([^=!<>])\s(==|!=)\s(?!null\b|undefined\b|=)/g, (_m, before: string, op: string) => `${before} ${op}= `), '`===` instead of `==`, which converts types before comparing.');
  }
  return { code: out, changes };
}

/** Lines taken by a docstring right after a Python def (guards go after it). */
function docstringLength(fn: FunctionInfo, family: Family): number {
  if (family !== 'python') return 0;
  const first = fn.body[0]?.trim() ?? '';
  const quote = /^("""|''')/.exec(first)?.[1];
  if (!quote) return 0;
  if (first.length > 3 && first.endsWith(quote)) return 1;
  const close = fn.body.findIndex((l, i) => i > 0 && l.includes(quote));
  return close === -1 ? 0 : close + 1;
}

function hasDocAbove(lines: string[], line: number): boolean {
  for (let i = line - 1; i >= 0; i--) {
    const text = lines[i].trim();
    if (text === '') continue;
    return text.endsWith('*/') || text.startsWith('///') || text.startsWith('//') || text.startsWith('#');
  }
  return false;
}

const LINE_COMMENT: Record<string, string> = { ruby: '#', shellscript: '#', perl: '#', r: '#', powershell: '#', yaml: '#', lua: '--', sql: '--', haskell: '--' };

/** Doc comments in the language's style above (or, in Python, inside) each function; the code itself is unchanged. */
export function documentCode(code: string, languageId: string): Rewrite {
  const family = familyOf(languageId);
  const lines = code.split('\n');
  const functions = findFunctions(code, family, languageId);
  const unit = indentUnit(code, family);
  const documented: string[] = [];
  for (const fn of [...functions].reverse()) {
    if (family === 'python') {
      if (docstringLength(fn, family) > 0) continue;
      const firstBody = fn.body.find((l) => l.trim() !== '');
      const indent = firstBody ? indentOf(firstBody) : fn.indent + unit;
      lines.splice(fn.line + 1, 0, ...pythonDocstring(fn, indent));
    } else {
      if (hasDocAbove(lines, fn.line)) continue;
      const comment = family === 'js' ? jsDoc(fn) : [`${LINE_COMMENT[languageId] ?? '//'} ${summaryOf(fn)}`];
      lines.splice(fn.line, 0, ...comment.map((l) => `${fn.indent}${l}`));
    }
    documented.unshift(fn.name);
  }
  if (functions.length === 0 && code.trim() !== '') {
    // Statements rather than declarations: one comment that says what they do.
    const first = lines.findIndex((l) => l.trim() !== '');
    const marker = family === 'python' ? '#' : (LINE_COMMENT[languageId] ?? '//');
    const steps = explainSteps(code, family);
    const what = steps.length ? steps.slice(0, 2).map((s) => s.replace(/`/g, '').replace(/\.$/, '')).join(', then ').toLowerCase() : 'see below';
    lines.splice(first, 0, `${indentOf(lines[first])}${marker} ${what.charAt(0).toUpperCase()}${what.slice(1)}.`);
    return { code: lines.join('\n'), changes: ['A comment saying what the lines do.'] };
  }
  const style = family === 'python' ? 'Google-style docstrings' : family === 'js' ? (/^typescript/.test(languageId) ? 'TSDoc comments' : 'JSDoc comments') : 'Doc comments';
  return { code: lines.join('\n'), changes: documented.length ? [`${style} for ${documented.map((n) => `\`${n}\``).join(', ')}.`] : [] };
}

function jsDoc(fn: FunctionInfo): string[] {
  const out = ['/**', ` * ${summaryOf(fn)}`];
  const tags: string[] = fn.params.map((p) => ` * @param ${p.name} - ${paramDoc(fn, p)}`);
  const returns = returnsDoc(fn, 'js');
  if (returns) tags.push(` * @returns ${returns}`);
  for (const t of throwsDocs(fn, 'js')) tags.push(` * @throws {@link ${t.type}} ${t.when}`);
  if (tags.length) out.push(' *', ...tags);
  out.push(' */');
  return out;
}

function pythonDocstring(fn: FunctionInfo, indent: string): string[] {
  const summary = imperative(summaryOf(fn)).replace(/`([^`]+)`/g, (_m, name: string) => (fn.params.some((p) => p.name === name) ? `*${name}*` : `\`\`${name}\`\``));
  const returns = returnsDoc(fn, 'python');
  const raises = throwsDocs(fn, 'python');
  if (fn.params.length === 0 && !returns && raises.length === 0) return [`${indent}"""${summary}"""`];
  const out = [`${indent}"""${summary}`, ''];
  if (fn.params.length) {
    out.push(`${indent}Args:`);
    for (const p of fn.params) out.push(`${indent}    ${p.name}: ${paramDoc(fn, p)}`);
    out.push('');
  }
  if (returns) out.push(`${indent}Returns:`, `${indent}    ${returns}`, '');
  if (raises.length) {
    out.push(`${indent}Raises:`);
    for (const r of raises) out.push(`${indent}    ${r.type}: ${r.when.replace(/`/g, '*')}`);
    out.push('');
  }
  if (out[out.length - 1] === '') out.pop();
  out.push(`${indent}"""`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Explanations.

function short(expression: string, max = 48): string {
  const text = expression.trim().replace(/;$/, '');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

type StepRule = [family: Family | 'any', pattern: RegExp, say: (m: RegExpExecArray, next: string) => string];

const STEP_RULES: StepRule[] = [
  ['js', /^(?:let|var|const) ([\w$]+) = 0;?$/, (m) => `Starts a running \`${m[1]}\` at 0.`],
  ['python', /^(\w+) = 0$/, (m) => `Starts a running \`${m[1]}\` at 0.`],
  ['js', /^for \((?:let|var) (\w+) = 0; \1 <=? ([\w$.]+)\.length;/, (m) => `Walks \`${m[2]}\` by index, with \`${m[1]}\` counting from 0.`],
  ['python', /^for (\w+) in range\(len\((\w+)\)/, (m) => `Walks \`${m[2]}\` by index, with \`${m[1]}\` counting from 0.`],
  ['js', /^for \((?:const|let|var) ([\w$]+) of ([\w$.]+)\)/, (m) => `Loops over each \`${m[1]}\` in \`${m[2]}\`.`],
  ['python', /^for (\w+) in (\w+):/, (m) => `Loops over each \`${m[1]}\` in \`${m[2]}\`.`],
  ['any', /^([\w$.]+) (?:\+=|= \1 \+) (.+?);?$/, (m) => `Adds \`${short(m[2])}\` to \`${m[1]}\` on each pass.`],
  ['js', /^if \((.+)\) return (.+?);$/, (m) => `If \`${short(m[1])}\`, returns \`${short(m[2])}\` straight away.`],
  ['python', /^if (.+):$/, (m, next) => {
    const returned = /^\s*return (.+)$/.exec(next)?.[1];
    return returned ? `If \`${short(m[1])}\`, returns \`${short(returned)}\` straight away.` : `Checks \`${short(m[1])}\`.`;
  }],
  ['js', /^throw new (\w+)\((.*)\);?$/, (m) => `Throws \`${m[1]}\` with ${short(m[2], 60)}.`],
  ['python', /^raise (\w+)\((.*)\)$/, (m) => `Raises \`${m[1]}\` with ${short(m[2], 60)}.`],
  ['any', /^return (.+?);?$/, (m) => `Returns \`${short(m[1], 60)}\`.`],
  ['js', /^(?:const|let|var) ([\w$]+)(?::[^=]+)? = (.+?);?$/, (m) => `Stores \`${short(m[2])}\` in \`${m[1]}\`.`],
  ['python', /^(\w+) = (.+)$/, (m) => `Stores \`${short(m[2])}\` in \`${m[1]}\`.`],
];

/** What the code does, one sentence per notable statement, in order. */
export function explainSteps(code: string, family: Family): string[] {
  const steps: string[] = [];
  const lines = code.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k].trim();
    for (const [only, pattern, say] of STEP_RULES) {
      if (only !== 'any' && only !== family) continue;
      const m = pattern.exec(line);
      if (!m) continue;
      steps.push(say(m, lines[k + 1] ?? ''));
      // A Python `if …:` whose next line returns was told as one step.
      if (family === 'python' && line.startsWith('if ') && /^\s*return /.test(lines[k + 1] ?? '')) k++;
      break;
    }
  }
  const returns = steps.filter((s) => s.startsWith('Returns')).length;
  // The last return is the function's result: "Finally returns", or "Otherwise returns" after early ones.
  const last = steps.map((s) => s.startsWith('Returns')).lastIndexOf(true);
  if (last > 0) steps[last] = steps[last].replace(/^Returns/, returns > 1 || steps.some((s) => s.includes('straight away')) ? 'Otherwise returns' : 'Finally returns');
  return steps.slice(0, 7);
}

/** A signature as the answer shows it: `average(values)`. */
export function signature(fn: FunctionInfo): string {
  return `${fn.name}(${fn.params.map((p) => p.name).join(', ')})`;
}

// ---------------------------------------------------------------------------------------------
// Tests.

interface Case {
  title: string;
  call: string;
  /** JS expected value, or 'NaN' / 'throws'. */
  js: string;
  py: string;
}

/** Known cases for the sample workspace's functions; others get a smoke test. */
function casesFor(fn: FunctionInfo): Case[] {
  const body = fn.body.join('\n');
  const guardsEmpty = /length === 0|if not /.test(body);
  switch (fn.name) {
    case 'average':
      return [
        { title: 'returns the mean of several numbers', call: 'average([2, 4, 6])', js: '4', py: '4' },
        { title: 'returns the only value of a one-element list', call: 'average([5])', js: '5', py: '5' },
        guardsEmpty
          ? { title: 'rejects an empty list', call: 'average([])', js: 'throws', py: 'raises ValueError' }
          : { title: 'gives NaN for an empty list', call: 'average([])', js: 'NaN', py: 'raises ZeroDivisionError' },
      ];
    case 'clamp':
      return [
        { title: 'keeps a value inside the range', call: 'clamp(5, 0, 10)', js: '5', py: '5' },
        { title: 'raises a value below the range to min', call: 'clamp(-3, 0, 10)', js: '0', py: '0' },
        { title: 'lowers a value above the range to max', call: 'clamp(42, 0, 10)', js: '10', py: '10' },
        { title: 'keeps the bounds themselves', call: 'clamp(10, 0, 10)', js: '10', py: '10' },
      ];
    case 'greet':
      return [
        { title: 'greets by name', call: 'greet("Ada")', js: '"Hello, Ada!"', py: '"Hello, Ada!"' },
        { title: 'keeps an empty name', call: 'greet("")', js: '"Hello, !"', py: '"Hello, !"' },
      ];
    case 'shout':
      return [{ title: 'shouts the greeting', call: 'shout("Ada")', js: '"HELLO, ADA!"', py: '"HELLO, ADA!"' }];
  }
  const sample = (p: Param) => (/\[\]|Array|list/i.test(p.type ?? '') || /s$/.test(p.name) ? '[1, 2, 3]' : /string|str/i.test(p.type ?? '') || /name|text|str/.test(p.name) ? '"abc"' : '1');
  return [{ title: 'runs on typical input', call: `${fn.name}(${fn.params.map(sample).join(', ')})`, js: 'defined', py: 'defined' }];
}

function modulePath(path: string | undefined, family: Family): string {
  const file = (path ?? (family === 'python' ? 'module.py' : 'module.ts')).replace(/\\/g, '/');
  if (family === 'python') return file.replace(/\.py$/, '').replace(/\//g, '.');
  return `./${file.replace(/\.(ts|tsx|js|jsx|mjs|cjs)$/, '')}`;
}

function jsAssertion(framework: string, c: Case): string {
  const expect = framework === 'jest' || framework === 'vitest';
  if (c.js === 'throws') return expect ? `expect(() => ${c.call}).toThrow(RangeError);` : `assert.throws(() => ${c.call}, RangeError);`;
  if (c.js === 'NaN') return expect ? `expect(${c.call}).toBeNaN();` : `assert.ok(Number.isNaN(${c.call}));`;
  if (c.js === 'defined') return expect ? `expect(${c.call}).toBeDefined();` : `assert.notEqual(${c.call}, undefined);`;
  return expect ? `expect(${c.call}).toBe(${c.js});` : `assert.equal(${c.call}, ${c.js});`;
}

/** Which framework a request names: mocha, jest, vitest, node:test, pytest, unittest. */
export function frameworkKey(text: string | undefined, family: Family): string {
  const t = (text ?? '').toLowerCase();
  if (family === 'python') return /pytest/.test(t) ? 'pytest' : /unittest/.test(t) ? 'unittest' : 'pytest';
  if (/vitest/.test(t)) return 'vitest';
  if (/mocha/.test(t)) return 'mocha';
  if (/node:test|node --test/.test(t)) return 'node:test';
  return 'jest';
}

/** A complete test file for the functions in the code, in the framework asked for. */
export function testFile(code: string, languageId: string, path: string | undefined, framework: string): { code: string; language: string; names: string[] } {
  const family = familyOf(languageId);
  const functions = findFunctions(code, family, languageId).filter((fn) => !fn.indent);
  const names = functions.map((fn) => fn.name);
  if (family === 'python') {
    const module = modulePath(path, family);
    const lines = [`from ${module} import ${names.join(', ') || '*'}`];
    if (framework === 'unittest') {
      lines.unshift('import unittest', '');
      for (const fn of functions) {
        lines.push('', '', `class Test${fn.name.charAt(0).toUpperCase()}${fn.name.slice(1)}(unittest.TestCase):`);
        for (const c of casesFor(fn)) {
          lines.push(`    def test_${c.title.replace(/\W+/g, '_')}(self):`);
          const raises = /^raises (\w+)/.exec(c.py);
          if (raises) lines.push(`        with self.assertRaises(${raises[1]}):`, `            ${c.call}`, '');
          else if (c.py === 'defined') lines.push(`        self.assertIsNotNone(${c.call})`, '');
          else lines.push(`        self.assertEqual(${c.call}, ${c.py})`, '');
        }
        lines.pop();
      }
      lines.push('', '', 'if __name__ == "__main__":', '    unittest.main()');
    } else {
      if (functions.some((fn) => casesFor(fn).some((c) => c.py.startsWith('raises')))) lines.unshift('import pytest', '');
      for (const fn of functions) {
        for (const c of casesFor(fn)) {
          lines.push('', '', `def test_${fn.name}_${c.title.replace(/\W+/g, '_')}():`);
          const raises = /^raises (\w+)/.exec(c.py);
          if (raises) lines.push(`    with pytest.raises(${raises[1]}):`, `        ${c.call}`);
          else if (c.py === 'defined') lines.push(`    assert ${c.call} is not None`);
          else lines.push(`    assert ${c.call} == ${c.py}`);
        }
      }
    }
    return { code: lines.join('\n'), language: 'python', names };
  }
  if (family === 'other') {
    const marker = LINE_COMMENT[languageId] ?? '//';
    return {
      code: `${marker} The demo server writes tests for TypeScript, JavaScript and Python only.\n${marker} With a real model this is a complete ${languageId} test file for ${names.join(', ') || 'the selection'}.`,
      language: languageId,
      names,
    };
  }
  const imports: string[] = [];
  if (framework === 'vitest') imports.push(`import { describe, it, expect } from 'vitest';`);
  if (framework === 'mocha') imports.push(`import { strict as assert } from 'node:assert';`);
  if (framework === 'node:test') imports.push(`import { describe, it } from 'node:test';`, `import assert from 'node:assert/strict';`);
  imports.push(`import { ${names.join(', ')} } from '${modulePath(path, family)}';`);
  const blocks = functions.map((fn) => {
    const its = casesFor(fn).map((c) => `  it('${c.title}', () => {\n    ${jsAssertion(framework, c)}\n  });`);
    return `describe('${fn.name}', () => {\n${its.join('\n\n')}\n});`;
  });
  return { code: `${imports.join('\n')}\n\n${blocks.join('\n\n')}`, language: languageId, names };
}
