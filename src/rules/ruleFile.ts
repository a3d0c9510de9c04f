// One rule file's text → its body and the front matter we understand (applyTo, description).
// The front matter is YAML-ish, as in Copilot's *.instructions.md: we read flat `key: value`
// lines only. Anything else is reported, and the whole file is then used as plain text, so a
// typo never silently drops a rule.

export interface ParsedRule {
  /** The text for the model: after the front matter, or the whole file when there is none (or it is malformed). */
  body: string;
  /** The globs of `applyTo`, split at top-level commas; undefined when the rule always applies. */
  applyTo?: string[];
  description?: string;
  /** Why the front matter was not used, e.g. 'malformed front matter (no closing "---"): used as plain text'. */
  problem?: string;
}

const FENCE = /^---[ \t]*$/;
const KEY_VALUE = /^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*))?$/;

export function parseRuleFile(raw: string): ParsedRule {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  if (!FENCE.test(lines[0] ?? '')) return { body: text.trim() };
  const close = lines.findIndex((line, i) => i > 0 && FENCE.test(line));
  if (close < 0) return plain(text, 'no closing "---"');

  const fields = new Map<string, Value>();
  for (let i = 1; i < close; i++) {
    const line = lines[i];
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const match = KEY_VALUE.exec(line);
    if (!match) return plain(text, `line ${i + 1} is not "key: value"`);
    const value = readValue(match[2] ?? '');
    if (value.kind === 'bad') return plain(text, `line ${i + 1}: ${value.reason}`);
    fields.set(match[1], value);
  }

  const body = lines.slice(close + 1).join('\n').trim();
  const parsed: ParsedRule = { body };
  const applyTo = fields.get('applyTo');
  if (applyTo) {
    if (applyTo.kind !== 'string') return plain(text, 'applyTo is not a string');
    const globs = splitGlobs(applyTo.text);
    if (globs.length === 0) return plain(text, 'applyTo is empty');
    parsed.applyTo = globs;
  }
  const description = fields.get('description');
  if (description?.kind === 'string' && description.text.trim() !== '') parsed.description = description.text.trim();
  return parsed;
}

/** Commas inside braces belong to the glob: "{src,test}/**, docs/*.md" is two globs. */
export function splitGlobs(list: string): string[] {
  const globs: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= list.length; i++) {
    const char = list[i];
    if (char === '{') depth++;
    else if (char === '}') depth = Math.max(0, depth - 1);
    else if ((char === ',' && depth === 0) || i === list.length) {
      const glob = list.slice(start, i).trim();
      if (glob !== '') globs.push(glob);
      start = i + 1;
    }
  }
  return globs;
}

type Value = { kind: 'string'; text: string } | { kind: 'other' } | { kind: 'bad'; reason: string };

/**
 * A scalar as YAML would read it, but lenient where Copilot's users are: an unquoted glob such
 * as **\/*.ts is a string (strict YAML would call it an alias).
 */
function readValue(raw: string): Value {
  const value = raw.trim();
  const quote = value[0];
  if (quote === '"' || quote === "'") return readQuoted(value, quote);
  const text = value.replace(/[ \t]+#.*$/, '');
  // Nothing, null, a list, a map, a number or a boolean: a value, but not a string.
  if (text === '' || text === '~' || /^(null|true|false)$/i.test(text) || /^[-+]?\d+(\.\d+)?$/.test(text)) return { kind: 'other' };
  if (text.startsWith('[') || text.startsWith('- ') || text === '-' || (text.startsWith('{') && /:\s/.test(text))) return { kind: 'other' };
  return { kind: 'string', text };
}

function readQuoted(value: string, quote: string): Value {
  let text = '';
  for (let i = 1; i < value.length; i++) {
    const char = value[i];
    if (quote === "'" && char === "'" && value[i + 1] === "'") {
      text += "'";
      i++;
    } else if (quote === '"' && char === '\\' && i + 1 < value.length) {
      text += value[++i];
    } else if (char === quote) {
      // Only a comment may follow the closing quote.
      const rest = value.slice(i + 1).trim();
      return rest === '' || rest.startsWith('#') ? { kind: 'string', text } : { kind: 'bad', reason: `text after the closing ${quote}` };
    } else {
      text += char;
    }
  }
  return { kind: 'bad', reason: `no closing ${quote}` };
}

function plain(text: string, reason: string): ParsedRule {
  return { body: text.trim(), problem: `malformed front matter (${reason}): used as plain text` };
}
