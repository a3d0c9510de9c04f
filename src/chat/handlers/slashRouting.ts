// A prompt that starts with a slash command: the built-ins act on the attached context (or start
// a new chat, or pick models to compare); a prompt file's text, its variables filled in, is sent
// with its model. Anything else is an ordinary prompt.
import type { HostToWebview } from '../../shared/protocol';
import { parseSlashCommand } from '../../prompts/slashCommand';
import type { AskInput, PromptFileStore } from '../../workspace/promptFileStore';
import type { ChatSession } from '../chatSession';
import type { MessageOf } from './handlerMap';

/** What each built-in asks of the model about the attached code. */
export const BUILTIN_INSTRUCTIONS: Record<string, string> = {
  explain: 'Explain the attached code: what it does and how, and anything surprising in it.',
  fix: 'Find and fix the problems in the attached code. Show the corrected code in one block, then say briefly what you changed and why.',
  doc: 'Write documentation comments for the attached code in the language’s usual style. Show the documented code in one block.',
  tests: 'Write unit tests for the attached code, with the test framework the project already uses. Show them in one block.',
};

export interface SlashDeps {
  session: ChatSession;
  prompts: PromptFileStore;
  post(message: HostToWebview): Thenable<boolean>;
  /** Whether the user attached code (a selection or file chip) for the built-ins to act on. */
  hasAttachedContext(): boolean;
  newChat(): Promise<void>;
  /** Opens the models picker for a comparison; true when models were picked. */
  pickCompareModels(): Promise<boolean>;
  ask: AskInput;
}

/** Runs `m` if it is a slash command (true), else leaves it to the caller (false). */
export async function runSlashCommand(deps: SlashDeps, m: MessageOf<'send'>, send: (text: string, model?: string) => Promise<void>): Promise<boolean> {
  let command = parseSlashCommand(m.text, deps.prompts.commands());
  // "/name" that is not listed: the prompt file may be newer than the list (a missed file event).
  if (!command && /^\s*\/[^\s/]/.test(m.text)) {
    await deps.prompts.refresh();
    command = parseSlashCommand(m.text, deps.prompts.commands());
  }
  if (!command) return false;
  const refuse = (level: 'info' | 'warning' | 'error', text: string) => void deps.post({ type: 'requestRefused', requestId: m.requestId, level, text });
  const extra = command.rest ? `\n\n${command.rest}` : '';
  if (command.source === 'promptFile') {
    const resolved = await deps.prompts.resolve(command.name, deps.ask);
    if (!resolved) refuse('info', `/${command.name} was cancelled; nothing was sent.`);
    else if ('error' in resolved) refuse('error', resolved.error);
    else await send(`${resolved.prompt}${extra}`, resolved.model);
    return true;
  }
  switch (command.name) {
    case 'new':
      refuse('info', 'Started a new chat.');
      await deps.newChat();
      return true;
    case 'compare': {
      const picked = await deps.pickCompareModels();
      if (!picked) refuse('info', 'No models were picked to compare.');
      else if (command.rest) await send(command.rest);
      else refuse('info', 'Your next prompt goes to the models you picked, side by side.');
      return true;
    }
    default: {
      if (!deps.hasAttachedContext()) {
        refuse('info', `Select some code or attach a file (type @), then /${command.name} works on it.`);
        return true;
      }
      await send(`${BUILTIN_INSTRUCTIONS[command.name]}${extra}`);
      return true;
    }
  }
}
