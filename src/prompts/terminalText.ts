// Terminal text for a prompt: escape sequences out, carriage-return redraws (progress bars)
// settled, and the request to explain it. A command's output is cut from the front, since
// errors come last; a selection is cut like any attached text.
import type { AttachedContext } from './chatPrompt';
import { cutToBudget, formatSize, type BudgetedText } from './contextBudget';
import { fenceFor } from './text';

/* eslint-disable no-control-regex -- matching control characters is the point here */
/** CSI (colours, cursor moves), 7- or 8-bit. */
const CSI = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]/g;
/** OSC, DCS, SOS, PM and APC strings (titles, links, shell integration marks), to BEL or ST; an unterminated one runs to the end. */
const STRINGS = /(?:\u001b[\]PX^_]|[\u0090\u009d\u0098\u009e\u009f])[\s\S]*?(?:\u0007|\u001b\\|\u009c|$)/g;
/** Any other escape: charset selection, keypad modes, save/restore cursor. */
const OTHER_ESCAPES = /\u001b[ -/]*[0-~]?/g;
/** Control characters other than newline and tab. */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;
/* eslint-enable no-control-regex */

export function stripAnsi(text: string): string {
  const plain = text.replace(STRINGS, '').replace(CSI, '').replace(OTHER_ESCAPES, '');
  return plain
    .replace(/\r+\n/g, '\n')
    .split('\n')
    .map((line) => settleLine(line).replace(CONTROLS, ''))
    .join('\n');
}

/**
 * What a line shows: a carriage return moves the cursor to the start and a backspace one
 * place left, and what is written next overwrites (progress bars, line editing's "\b \b").
 */
function settleLine(line: string): string {
  if (!/[\r\b]/.test(line)) return line;
  const cells: string[] = [];
  let cursor = 0;
  for (const char of line) {
    if (char === '\r') cursor = 0;
    else if (char === '\b') cursor = Math.max(0, cursor - 1);
    else cells[cursor++] = char;
  }
  return cells.join('').replace(/[ \t]+$/, '');
}

/** Keeps the end of `text` within the budget, from a line start, with a notice when cut. */
export function keepTail(text: string, budgetChars: number, label: string): BudgetedText {
  if (text.length <= budgetChars) return { text, truncated: false, originalLength: text.length };
  const tail = text.slice(text.length - budgetChars);
  const firstNewline = tail.indexOf('\n');
  const kept = firstNewline >= 0 && firstNewline < budgetChars * 0.5 ? tail.slice(firstNewline + 1) : tail;
  return {
    text: kept,
    truncated: true,
    originalLength: text.length,
    notice: `${label} was cut to its last ${formatSize(kept.length)} of ${formatSize(text.length)} to fit the context budget.`,
  };
}

export interface TerminalCapture {
  terminalName: string;
  /** The selected text, or the last command's output (raw: escapes are stripped here). */
  text: string;
  /** Set for a command's output: the command as the shell reported it. */
  command?: { line: string; exitCode?: number; running: boolean; outputCut?: boolean };
}

export const EXPLAIN_TERMINAL_PROMPT = 'Explain this terminal output; if it shows an error, say what caused it and how to fix it.';

/** The chat prompt and the context attached to it (fenced, labelled with the command, within budget). */
export function terminalRequest(capture: TerminalCapture, budgetChars: number): { prompt: string; context: AttachedContext } {
  const clean = stripAnsi(capture.text).replace(/\s+$/, '');
  const { command } = capture;
  if (!command) {
    const cut = cutToBudget(clean, budgetChars, 'The selection');
    return {
      prompt: EXPLAIN_TERMINAL_PROMPT,
      context: { text: block(`Text selected in the terminal "${capture.terminalName}":`, cut, 'text', cut.text), labels: [`Terminal selection (${capture.terminalName})`] },
    };
  }
  const cut = keepTail(clean, budgetChars, 'The output');
  const state = command.running ? 'still running' : command.exitCode === undefined ? 'exit code unknown' : `exit code ${command.exitCode}`;
  const earlier = command.outputCut && !cut.truncated ? { ...cut, notice: 'Only the end of a long output was kept.' } : cut;
  const body = `$ ${command.line}\n${cut.text || '(no output)'}`;
  return {
    prompt: EXPLAIN_TERMINAL_PROMPT,
    context: { text: block(`The last command in the terminal "${capture.terminalName}" and its output (${state}):`, earlier, 'console', body), labels: [`Terminal: ${shorten(command.line, 40)}`] },
  };
}

function block(heading: string, cut: BudgetedText, language: string, body: string): string {
  const fence = fenceFor(body);
  const note = cut.notice ? `\n(Note: ${cut.notice})` : '';
  return `${heading}${note}\n${fence}${language}\n${body}\n${fence}`;
}

function shorten(text: string, most: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= most ? line : `${line.slice(0, most - 1)}…`;
}
