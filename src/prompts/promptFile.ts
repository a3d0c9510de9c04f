// Prompt files, as Copilot's *.prompt.md: `.modelslab/prompts/<name>.prompt.md` becomes the
// slash command /<name>. Optional front matter (description, model) and then the prompt, in
// which ${selection}, ${file} and ${input:name} or ${input:name:placeholder} are filled in when
// it runs; $${ is a literal ${. Any other ${…} is an error, so a typo is never sent to a model.
// Pure text in, text out: the host reads the files and the editor.

export const PROMPT_FILE_SUFFIX = '.prompt.md';

export type Variable =
  | { kind: 'selection' }
  | { kind: 'file' }
  | { kind: 'input'; name: string; placeholder?: string };

export interface PromptFile {
  /** The command's name, without the slash: the file name less ".prompt.md". */
  name: string;
  /** E.g. "review.prompt.md": what errors name. */
  fileName: string;
  description: string;
  /** A model id the prompt should run with (as written; the caller checks it exists). */
  model?: string;
  /** The prompt, with its variables still in it; line ends are \n. */
  body: string;
  /** Each variable once, in the order of first use (inputs are asked in this order). */
  variables: Variable[];
}

export interface PromptFileError {
  /** Set when the file name itself is a valid command name, so the broken file can be listed. */
  name?: string;
  fileName: string;
  error: string;
}

export interface PromptValues {
  /** The active editor's selected text. */
  selection?: string;
  /** The active file's workspace-relative path. */
  file?: string;
  inputs: Record<string, string>;
}

/** Letters, digits, ".", "-" and "_": a name the composer and VS Code's chat can complete. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const INPUT = /^input:([A-Za-z_][A-Za-z0-9_-]*)(?::([\s\S]*))?$/;
/** `$${` (an escaped `${`) or a `${…}` reference, which may be missing its `}` on its line. */
const REFERENCE = /\$(\$?)\{([^}\n]*)(\})?/g;
const HINT = 'use ${selection}, ${file} or ${input:name}. Write $${ for a literal ${.';

export function isPromptFileName(fileName: string): boolean {
  return fileName.endsWith(PROMPT_FILE_SUFFIX) && fileName.length > PROMPT_FILE_SUFFIX.length;
}

/** "review.prompt.md" → "review"; undefined when the name can't be a slash command. */
export function promptName(fileName: string): string | undefined {
  if (!isPromptFileName(fileName)) return undefined;
  const name = fileName.slice(0, -PROMPT_FILE_SUFFIX.length);
  return NAME.test(name) ? name : undefined;
}

export function parsePromptFile(fileName: string, text: string): PromptFile | PromptFileError {
  const name = promptName(fileName);
  if (name === undefined) {
    return { fileName, error: `${fileName} can't be a slash command: name it <name>${PROMPT_FILE_SUFFIX}, using only letters, digits, ".", "-" and "_".` };
  }
  const fail = (error: string): PromptFileError => ({ name, fileName, error });
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  let meta: Record<string, string> = {};
  let bodyStart = 0;
  if (lines[0].trimEnd() === '---') {
    const close = lines.findIndex((line, i) => i > 0 && line.trimEnd() === '---');
    if (close === -1) return fail(`${fileName} opens its front matter with --- but has no closing --- line.`);
    meta = frontMatter(lines.slice(1, close));
    bodyStart = close + 1;
  }
  // Blank lines around the prompt are layout, not prompt; indentation on its first line is kept.
  const body = lines.slice(bodyStart).join('\n').replace(/^(?:[ \t]*\n)+/, '').trimEnd();
  if (body === '') return fail(`${fileName} has no prompt: write it below the front matter.`);
  const { segments, unterminated } = scan(body);
  if (unterminated !== undefined) return fail(`${fileName} has ${unterminated} with no closing } on its line: ${HINT}`);
  const unknown = unknownIn(segments);
  if (unknown.length > 0) {
    const which = unknown.length === 1 ? 'which is not a variable' : 'which are not variables';
    return fail(`${fileName} uses ${listed(unknown)}, ${which}: ${HINT}`);
  }
  const model = meta.model || undefined;
  return {
    name,
    fileName,
    description: meta.description || `Runs ${fileName}`,
    ...(model ? { model } : {}),
    body,
    variables: variablesIn(segments),
  };
}

/** The `${…}` references in a prompt that are not variables, each once, as written. */
export function unknownVariables(body: string): string[] {
  return unknownIn(scan(body).segments);
}

/** The prompt with its variables filled in (a missing value is empty). Values are not expanded again. */
export function expandPromptFile(file: Pick<PromptFile, 'body'>, values: PromptValues): string {
  return scan(file.body)
    .segments.map((segment) => {
      if ('text' in segment) return segment.text;
      if ('unknown' in segment) return segment.unknown; // parsePromptFile rejects these; kept as written
      const variable = segment.variable;
      if (variable.kind === 'input') return values.inputs[variable.name] ?? '';
      return values[variable.kind] ?? '';
    })
    .join('');
}

type Segment = { text: string } | { variable: Variable } | { unknown: string };

function scan(body: string): { segments: Segment[]; unterminated?: string } {
  const segments: Segment[] = [];
  let at = 0;
  for (const match of body.matchAll(REFERENCE)) {
    const [raw, escape, inner, close] = match;
    const index = match.index ?? 0;
    if (index > at) segments.push({ text: body.slice(at, index) });
    at = index + raw.length;
    if (escape) segments.push({ text: raw.slice(1) });
    else if (!close) return { segments, unterminated: raw.length > 24 ? `${raw.slice(0, 24)}…` : raw };
    else segments.push(variableOf(inner) ?? { unknown: raw });
  }
  if (at < body.length) segments.push({ text: body.slice(at) });
  return { segments };
}

function variableOf(inner: string): { variable: Variable } | undefined {
  if (inner === 'selection' || inner === 'file') return { variable: { kind: inner } };
  const input = INPUT.exec(inner);
  if (!input) return undefined;
  return { variable: { kind: 'input', name: input[1], ...(input[2] ? { placeholder: input[2] } : {}) } };
}

function unknownIn(segments: Segment[]): string[] {
  const unknown = segments.flatMap((s) => ('unknown' in s ? [s.unknown] : []));
  return [...new Set(unknown)];
}

/** Each variable once; an input's placeholder is the first one written for it. */
function variablesIn(segments: Segment[]): Variable[] {
  const seen = new Map<string, Variable>();
  for (const segment of segments) {
    if (!('variable' in segment)) continue;
    const v = segment.variable;
    const key = v.kind === 'input' ? `input:${v.name}` : v.kind;
    const earlier = seen.get(key);
    if (!earlier) seen.set(key, v);
    else if (earlier.kind === 'input' && v.kind === 'input' && !earlier.placeholder && v.placeholder) seen.set(key, { ...earlier, placeholder: v.placeholder });
  }
  return [...seen.values()];
}

/**
 * The little YAML prompt files use: `key: value` lines, quoted or not, a trailing # comment,
 * and values folded over indented lines (or after `>`/`|`). Keys other than ours (Copilot's
 * mode, tools, …) are read and ignored, so Copilot's files work here too.
 */
function frontMatter(lines: string[]): Record<string, string> {
  const meta: Record<string, string> = {};
  let key: string | undefined;
  for (const line of lines) {
    if (/^\s*(#|$)/.test(line)) continue;
    const pair = /^([A-Za-z][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (pair) {
      key = pair[1].toLowerCase();
      meta[key] = /^[>|][+-]?$/.test(pair[2].trim()) ? '' : scalar(pair[2]);
    } else if (key !== undefined && /^\s/.test(line)) {
      meta[key] = [meta[key], scalar(line)].filter(Boolean).join(' ');
    }
  }
  return meta;
}

function scalar(raw: string): string {
  const value = raw.trim();
  const quoted = /^(["'])(.*)\1$/.exec(value);
  if (quoted) return quoted[1] === "'" ? quoted[2].replace(/''/g, "'") : quoted[2].replace(/\\"/g, '"');
  return value.replace(/\s+#.*$/, '');
}

function listed(items: string[]): string {
  return items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
