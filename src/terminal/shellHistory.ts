// The last commands of each terminal with their output, as shell integration reports them,
// so "Explain with ModelsLab" has something to explain when nothing is selected.
import * as vscode from 'vscode';

export interface CommandRecord {
  commandLine: string;
  /** Raw output, escapes included; only its end once it grew past the bound. */
  output: string;
  /** True when the start of the output was dropped to stay within the bound. */
  outputCut: boolean;
  exitCode?: number;
  running: boolean;
  /** Resolves when all of the command's output has arrived (it can come after the command ended). */
  outputDone: Promise<void>;
}

/** Per command, at most this much output is kept (its end: that is where errors are). */
const MAX_OUTPUT_CHARS = 200_000;
/** Per terminal, the newest few commands (empty ones are skipped when asked for the last). */
const MAX_RECORDS = 5;

export class ShellHistory implements vscode.Disposable {
  private readonly records = new Map<vscode.Terminal, CommandRecord[]>();
  private readonly byExecution = new WeakMap<vscode.TerminalShellExecution, CommandRecord>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.window.onDidStartTerminalShellExecution((event) => void this.collect(event)),
      vscode.window.onDidEndTerminalShellExecution((event) => this.ended(event)),
      vscode.window.onDidCloseTerminal((terminal) => this.records.delete(terminal)),
    ];
  }

  /** The newest command that ran or printed something, or undefined without shell integration. */
  lastCommand(terminal: vscode.Terminal): CommandRecord | undefined {
    const records = this.records.get(terminal) ?? [];
    for (let i = records.length - 1; i >= 0; i--) {
      if (records[i].commandLine.trim() || records[i].output.trim()) return records[i];
    }
    return undefined;
  }

  private async collect(event: vscode.TerminalShellExecutionStartEvent): Promise<void> {
    let done!: () => void;
    const record: CommandRecord = { commandLine: event.execution.commandLine.value, output: '', outputCut: false, running: true, outputDone: new Promise<void>((resolve) => (done = resolve)) };
    const records = this.records.get(event.terminal) ?? [];
    records.push(record);
    this.records.set(event.terminal, records.slice(-MAX_RECORDS));
    this.byExecution.set(event.execution, record);
    try {
      // read() has to start in this event's handler, or the start of the output is lost.
      for await (const data of event.execution.read()) {
        record.output += data;
        if (record.output.length > MAX_OUTPUT_CHARS * 1.25) this.trim(record);
      }
    } catch {
      // The terminal went away mid-command: keep what arrived.
    } finally {
      done();
    }
  }

  private trim(record: CommandRecord): void {
    const from = record.output.length - MAX_OUTPUT_CHARS;
    // From a line start, so no escape sequence is cut in half.
    const newline = record.output.indexOf('\n', from);
    record.output = record.output.slice(newline >= 0 ? newline + 1 : from);
    record.outputCut = true;
  }

  private ended(event: vscode.TerminalShellExecutionEndEvent): void {
    const record = this.byExecution.get(event.execution);
    if (!record) return;
    record.running = false;
    record.exitCode = event.exitCode;
    // The shell may confirm the command line only at the end.
    if (event.execution.commandLine.value) record.commandLine = event.execution.commandLine.value;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.records.clear();
  }
}
