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
