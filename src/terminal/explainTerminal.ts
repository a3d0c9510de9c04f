// "Explain with ModelsLab" in the terminal: the selected text, or else the last command and
// its output (shell integration), asked about in the chat panel.
import * as vscode from 'vscode';
import type { Logger } from '../llm/logger';
import type { AttachedContext } from '../prompts/chatPrompt';
import { DEFAULT_CONTEXT_BUDGET_CHARS } from '../prompts/contextBudget';
import { terminalRequest, type TerminalCapture } from '../prompts/terminalText';
import { ShellHistory } from './shellHistory';
import { readTerminalSelection } from './terminalSelection';

export interface TerminalExplainDeps {
  /** Sends a prompt with context to the chat panel; resolves when the answer has ended. */
  askInChat: (prompt: string, context: AttachedContext) => Promise<void>;
  log: Logger;
}

/** What the command did; returned to its caller (the tests). */
export type TerminalExplainOutcome = 'selection' | 'lastCommand' | 'noTerminal' | 'nothing';

export function registerTerminalExplain(deps: TerminalExplainDeps): vscode.Disposable {
  // Listens from activation on: a command's output can only be read while it runs.
  const history = new ShellHistory();
  return vscode.Disposable.from(
    history,
    vscode.commands.registerCommand('modelslab.explainTerminal', () => explainTerminal(deps, history, true)),
    // The last command only, without touching the clipboard (for a menu entry shown when nothing is selected).
    vscode.commands.registerCommand('modelslab.explainTerminalCommand', () => explainTerminal(deps, history, false)),
  );
}

async function explainTerminal(deps: TerminalExplainDeps, history: ShellHistory, trySelection: boolean): Promise<TerminalExplainOutcome> {
  const terminal = vscode.window.activeTerminal;
  if (!terminal) {
    void vscode.window.showInformationMessage('ModelsLab: open a terminal and select the text to explain first.');
    return 'noTerminal';
  }
  const capture = (trySelection && (await selectionCapture(terminal))) || (await commandCapture(history, terminal));
  if (!capture) {
    void vscode.window.showInformationMessage('ModelsLab: select the text to explain in the terminal first. (Without a selection, the last command and its output are used when the shell reports them through shell integration.)');
    return 'nothing';
  }
  const { prompt, context } = terminalRequest(capture, DEFAULT_CONTEXT_BUDGET_CHARS);
  deps.log.info(`Explain terminal: ${capture.command ? 'the last command' : 'the selection'} of "${terminal.name}", ${context.text?.length ?? 0} characters.`);
  await deps.askInChat(prompt, context);
  return capture.command ? 'lastCommand' : 'selection';
}

async function selectionCapture(terminal: vscode.Terminal): Promise<TerminalCapture | undefined> {
  const text = await readTerminalSelection();
  return text?.trim() ? { terminalName: terminal.name, text } : undefined;
}

/** How long to wait for the rest of a command's output that is still arriving after it ended. */
const OUTPUT_WAIT_MS = 2_000;

async function commandCapture(history: ShellHistory, terminal: vscode.Terminal): Promise<TerminalCapture | undefined> {
  const record = history.lastCommand(terminal);
  if (!record) return undefined;
  // Explained right after the command ends, its last output may still be on its way (and the
  // end may not even be reported yet): wait for the output to be complete, but not for long,
  // since a command that is still running has no end to wait for.
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([record.outputDone, new Promise<void>((resolve) => (timer = setTimeout(resolve, OUTPUT_WAIT_MS)))]);
  clearTimeout(timer);
  return {
    terminalName: terminal.name,
    text: record.output,
    command: { line: record.commandLine.trim() || '(command not reported)', exitCode: record.exitCode, running: record.running, outputCut: record.outputCut },
  };
}
