// Slash commands: the built-in ones, and reading "/name rest" off the start of a prompt. Both
// the chat panel and @modelslab parse with this, so a command means the same in both places.
import type { SlashCommandView } from '../shared/protocol';

/** The panel's own commands, in the order the menu lists them. Prompt files can't take these names. */
export const BUILTIN_SLASH_COMMANDS: readonly SlashCommandView[] = [
  { name: 'explain', description: 'Explain the selected code or attached file', source: 'builtin' },
  { name: 'fix', description: 'Fix problems in the selected code or attached file', source: 'builtin' },
  { name: 'doc', description: 'Write documentation comments for the selected code or attached file', source: 'builtin' },
  { name: 'tests', description: 'Write unit tests for the selected code or attached file', source: 'builtin' },
  { name: 'new', description: 'Start a new chat', source: 'builtin' },
  { name: 'compare', description: 'Pick models to compare side by side', source: 'builtin' },
];

export function isBuiltinSlashCommand(name: string): boolean {
  return BUILTIN_SLASH_COMMANDS.some((command) => command.name === name);
}

export interface ParsedSlashCommand {
  name: string;
  source: SlashCommandView['source'];
  /** What follows the command, trimmed ('' when nothing does). */
  rest: string;
}

/**
 * "/review focus on errors" → { name: 'review', rest: 'focus on errors' } when /review is one of
 * `known`. Anything else (no slash, a path such as "/usr/bin", an unknown name) is plain text:
 * undefined. Names match exactly, as VS Code's own slash commands do.
 */
export function parseSlashCommand(text: string, known: readonly SlashCommandView[]): ParsedSlashCommand | undefined {
  const match = /^\s*\/([^\s/]+)(?:\s+([\s\S]*))?$/.exec(text);
  if (!match) return undefined;
  const command = known.find((c) => c.name === match[1]);
  return command ? { name: command.name, source: command.source, rest: (match[2] ?? '').trim() } : undefined;
}

/** A prompt file as the menu will list it; `folder` is set when several workspace folders are open. */
export interface PromptCommandSource {
  name: string;
  description: string;
  folder?: string;
}

/**
 * The prompt files' commands, in the order given. A name that is built in, or that an earlier
 * file (an earlier folder) already has, gets the first free "-2", "-3", …, and its description
 * says why: a built-in always keeps its name, so /explain means the same in the panel and in
 * @modelslab, and no prompt file silently hides another.
 */
export function promptFileCommands(files: readonly PromptCommandSource[]): SlashCommandView[] {
  const taken = new Set(BUILTIN_SLASH_COMMANDS.map((c) => c.name));
  const wanted = new Set(files.map((f) => f.name));
  return files.map((file) => {
    let name = file.name;
    let description = file.description;
    if (taken.has(name)) {
      let n = 2;
      // Skip names another file asks for itself, so a rename never takes a real file's name.
      while (taken.has(`${file.name}-${n}`) || wanted.has(`${file.name}-${n}`)) n++;
      name = `${file.name}-${n}`;
      const why = isBuiltinSlashCommand(file.name) ? 'is built in' : 'is taken by another prompt file';
      description = `${description} (${file.folder ? `${file.folder}: ` : ''}renamed, /${file.name} ${why})`;
    }
    taken.add(name);
    return { name, description, source: 'promptFile' as const };
  });
}

/** What the menu lists: the built-ins in their own order, then the prompt files by name. */
export function slashCommandList(promptCommands: readonly SlashCommandView[]): SlashCommandView[] {
  const sorted = [...promptCommands].sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || (a.name < b.name ? -1 : 1));
  return [...BUILTIN_SLASH_COMMANDS, ...sorted];
}
