// The workspace's rule files → which apply to the next prompt, what the rules chip shows, and the
// system-prompt section, cut to a budget the way attached context is (never silently).
import type { RuleView } from '../shared/protocol';
import { cutToBudget, DEFAULT_CONTEXT_BUDGET_CHARS, formatSize } from '../prompts/contextBudget';
import { parseRuleFile, type ParsedRule } from './ruleFile';

export interface RuleSource {
  /** Workspace-relative with `/`, as VS Code shows it: prefixed with the folder's name when several folders are open. */
  path: string;
  text: string;
  /** The folder's name when several folders are open (the first segment of `path`): its globs match that folder's files only. */
  folder?: string;
}

export interface Rule extends ParsedRule {
  path: string;
  folder?: string;
}

export interface RuleInstructions {
  /** The system-prompt section; '' when no rule applies. */
  text: string;
  /** For the user, when the budget cut something: "…the rest of X (12.3 KB) was left out to fit the budget". */
  cut?: string;
}

export const RULES_HEADING = 'Project rules (from the workspace; follow them unless the user says otherwise)';
const RULES_END = '\n\n(End of the project rules.)';
/** Half the attached-context budget: rules ride along with every prompt, so they get less room. */
export const DEFAULT_RULES_BUDGET_CHARS = DEFAULT_CONTEXT_BUDGET_CHARS / 2;
/** Kept free for the marker that tells the model the rules were cut (plus the longest path). */
const MARKER_ROOM = 100;
/** Copilot's "every file" globs: they apply even when no file is active or attached. */
const EVERYTHING = new Set(['*', '**', '**/*']);

export class RuleSet {
  /** In prompt order: per folder, AGENTS.md, copilot-instructions, then .modelslab/rules/* by name. */
  readonly rules: readonly Rule[];
  private readonly matchers = new Map<Rule, (paths: readonly string[]) => boolean>();

  constructor(sources: readonly RuleSource[]) {
    this.rules = sources.map(toRule).sort(inPromptOrder);
    for (const rule of this.rules) this.matchers.set(rule, matcherFor(rule));
  }

  /** `activePaths`: the active and attached files, workspace-relative like the rules' paths. */
  select(options: { disabled: Iterable<string>; activePaths: readonly string[] }): RuleSelection {
    const disabled = new Set(options.disabled);
    const active = options.activePaths.map((p) => p.replace(/\\/g, '/').replace(/^\.\//, ''));
    return new RuleSelection(this.rules.map((rule) => {
      const enabled = !disabled.has(rule.path);
      return { rule, enabled, applies: enabled && this.matchers.get(rule)!(active) };
    }));
  }
}

export class RuleSelection {
  constructor(private readonly entries: readonly { rule: Rule; enabled: boolean; applies: boolean }[]) {}

  get applying(): Rule[] {
    return this.entries.filter((e) => e.applies).map((e) => e.rule);
  }

  views(): RuleView[] {
    return this.entries.map(({ rule, enabled, applies }) => ({
      path: rule.path,
      enabled,
      applies,
      ...(rule.applyTo ? { applyTo: rule.applyTo.join(', ') } : {}),
      ...(rule.problem ? { problem: rule.problem } : {}),
    }));
  }

  /** Whole files while they fit; then the start of the next one, cut at a line; the rest is named in `cut`. */
  instructions(budgetChars = DEFAULT_RULES_BUDGET_CHARS): RuleInstructions {
    const rules = this.applying.filter((rule) => rule.body !== '');
    if (rules.length === 0) return { text: '' };
    const reserve = MARKER_ROOM + Math.max(...rules.map((r) => r.path.length)) + RULES_END.length;
    let text = RULES_HEADING;
    let included = 0;
    let partial: { path: string; left: number } | undefined;
    const omitted: Rule[] = [];
    for (const rule of rules) {
      const heading = `\n\n## ${rule.path}${rule.applyTo ? ` (for files matching ${rule.applyTo.join(', ')})` : ''}\n\n`;
      const room = budgetChars - reserve - text.length - heading.length;
      if (partial || omitted.length > 0 || room <= 0) {
        omitted.push(rule);
      } else if (rule.body.length <= room) {
        text += heading + rule.body;
        included++;
      } else {
        const kept = cutToBudget(rule.body, room, rule.path).text.trimEnd();
        if (kept === '') {
          omitted.push(rule);
          continue;
        }
        text += heading + kept;
        included++;
        partial = { path: rule.path, left: rule.body.length - kept.length };
      }
    }
    const cut = describeCut(partial, omitted);
    if (included === 0) return { text: '', ...(cut ? { cut } : {}) };
    if (!cut) return { text: text + RULES_END };
    return { text: `${text}\n\n[${modelMarker(partial, omitted.length)}]${RULES_END}`, cut };
  }
}

function toRule(source: RuleSource): Rule {
  return { ...parseRuleFile(source.text), path: source.path, ...(source.folder !== undefined ? { folder: source.folder } : {}) };
}

function inPromptOrder(a: Rule, b: Rule): number {
  const key = (rule: Rule): [string, number, string] => {
    const inner = innerPath(rule);
    const rank = inner === 'AGENTS.md' ? 0 : inner === '.github/copilot-instructions.md' ? 1 : 2;
    return [rule.folder ?? '', rank, inner];
  };
  const [ka, kb] = [key(a), key(b)];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  return 0;
}

function innerPath(rule: Rule): string {
  return rule.folder !== undefined && rule.path.startsWith(`${rule.folder}/`) ? rule.path.slice(rule.folder.length + 1) : rule.path;
}

/**
 * As Copilot reads applyTo: a glob not starting with "**\/" or "/" matches at any depth
 * ("src/*.ts" also matches "app/src/a.ts"); "/" (or "./") anchors it at the folder's root.
 */
function matcherFor(rule: Rule): (paths: readonly string[]) => boolean {
  const globs = rule.applyTo;
  if (!globs || globs.some((g) => EVERYTHING.has(g))) return () => true;
  const regexps = globs.map((g) => globToRegExp(/^\.?\//.test(g) ? g.replace(/^\.?\//, '') : g.startsWith('**/') ? g : `**/${g}`));
  const prefix = rule.folder !== undefined ? `${rule.folder}/` : '';
  return (paths) => paths.some((p) => p.startsWith(prefix) && regexps.some((r) => r.test(p.slice(prefix.length))));
}

/**
 * A glob as VS Code reads one: `*` and `?` within a path segment, `**` as a whole segment spans
 * any number of them (none included), `{a,b}` alternatives (nested too), `[abc]` / `[!abc]` classes.
 */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${globSource(glob)}$`);
}

function globSource(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*') {
      let end = i;
      while (glob[end] === '*') end++;
      const wholeSegment = end - i > 1 && (i === 0 || glob[i - 1] === '/') && (end === glob.length || glob[end] === '/');
      if (wholeSegment && glob[end] === '/') {
        out += '(?:[^/]*/)*';
        i = end;
      } else {
        out += wholeSegment ? '.*' : '[^/]*';
        i = end - 1;
      }
    } else if (char === '?') {
      out += '[^/]';
    } else if (char === '{' && closingBrace(glob, i) > 0) {
      const close = closingBrace(glob, i);
      out += `(?:${alternatives(glob.slice(i + 1, close)).map(globSource).join('|')})`;
      i = close;
    } else if (char === '[' && glob.indexOf(']', i + 2) > 0) {
      const close = glob.indexOf(']', i + 2);
      out += `[${glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
      i = close;
    } else {
      out += char.replace(/[.+^$()|[\]{}\\]/g, '\\$&');
    }
  }
  return out;
}

function closingBrace(glob: string, open: number): number {
  let depth = 0;
  for (let i = open; i < glob.length; i++) {
    if (glob[i] === '{') depth++;
    else if (glob[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** The top-level comma-separated parts of a brace's content (empty parts kept: "{,x}" matches "" too). */
function alternatives(inside: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inside.length; i++) {
    if (inside[i] === '{') depth++;
    else if (inside[i] === '}') depth--;
    else if (inside[i] === ',' && depth === 0) {
      parts.push(inside.slice(start, i));
      start = i + 1;
    }
  }
  return [...parts, inside.slice(start)];
}

function describeCut(partial: { path: string; left: number } | undefined, omitted: readonly Rule[]): string | undefined {
  const parts: string[] = [];
  if (partial) parts.push(`the rest of ${partial.path} (${formatSize(partial.left)})`);
  if (omitted.length > 0) parts.push(`all of ${omitted.map((r) => `${r.path} (${formatSize(r.body.length)})`).join(', ')}`);
  if (parts.length === 0) return undefined;
  const several = parts.length > 1 || omitted.length > 1;
  return `…${parts.join(' and ')} ${several ? 'were' : 'was'} left out to fit the budget`;
}

/** Short, so its room is known in advance; the user gets the full list in `cut`. */
function modelMarker(partial: { path: string; left: number } | undefined, omitted: number): string {
  const more = omitted > 0 ? `${omitted} more rule file${omitted > 1 ? 's' : ''}` : '';
  if (!partial) return `…${more} ${omitted > 1 ? 'were' : 'was'} left out to fit the budget.`;
  return `…the rest of ${partial.path} (${formatSize(partial.left)})${more ? ` and ${more}` : ''} ${more ? 'were' : 'was'} left out to fit the budget.`;
}
