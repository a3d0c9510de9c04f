import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { FakeModelsLab } from '../fake-server/server';
import { connectToFakeServer, disconnect, extensionApi, waitFor } from './harness';

const ESC = '\u001b';
/** The shell computes 42, so the text can only come from the output, not from the typed command. */
const ECHO = 'echo modelslab-terminal-test-$((40+2))';
const ECHOED = 'modelslab-terminal-test-42';

/** bash where there is one: it has VS Code's shell integration (sh, often the default, has not). */
function newTerminal(name: string): vscode.Terminal {
  const terminal = vscode.window.createTerminal({ name, shellPath: fs.existsSync('/bin/bash') ? '/bin/bash' : undefined });
  terminal.show(false);
  return terminal;
}

/** Whether text written to the clipboard reads back: a headless browser may refuse clipboard reads. */
async function clipboardWorks(): Promise<boolean> {
  const probe = `modelslab-clipboard-probe-${Date.now().toString(36)}`;
  await vscode.env.clipboard.writeText(probe);
  return (await vscode.env.clipboard.readText()) === probe;
}

/** Everything the terminal shows, through select all and copy (the only way the stable API allows). */
async function terminalScreen(): Promise<string> {
  await vscode.commands.executeCommand('workbench.action.terminal.selectAll');
  await vscode.commands.executeCommand('workbench.action.terminal.copySelection');
  return vscode.env.clipboard.readText();
}

function lastUserMessage(server: FakeModelsLab): string {
  const requests = server.requests.filter((r) => r.path.endsWith('/chat/completions'));
  assert.ok(requests.length > 0, 'no chat request reached the server');
  const messages = requests[requests.length - 1].body.messages as { role: string; content: string }[];
  return messages[messages.length - 1].content;
}

describe('Explain terminal output in the real host', function () {
  this.timeout(60_000);
  let server: FakeModelsLab;
  const terminals: vscode.Terminal[] = [];

  before(async () => {
    // Active before any command runs: its shell integration listener must see the command start.
    await extensionApi();
    server = await connectToFakeServer();
  });

  after(async () => {
    for (const terminal of terminals) terminal.dispose();
    await disconnect(server);
  });

  it('explains the selected terminal text, ANSI-free, and puts the previous clipboard text back', async function () {
    // The runner's page may read the clipboard (as a user's browser must, for this command).
    assert.ok(await clipboardWorks(), 'the clipboard reads back in this host');
    const terminal = newTerminal('ModelsLab selection test');
    terminals.push(terminal);
    await waitFor(() => vscode.window.activeTerminal === terminal, 'the test terminal to be active');
    terminal.sendText(ECHO);
    await waitFor(async () => (await terminalScreen()).includes(ECHOED) || undefined, 'the echoed text on the terminal', 20_000);
    await vscode.commands.executeCommand('workbench.action.terminal.selectAll');

    const before = `the user's clipboard ${Date.now()}`;
    await vscode.env.clipboard.writeText(before);
    server.enqueue({ text: 'It prints a line.' });
    const outcome = await vscode.commands.executeCommand('modelslab.explainTerminal');
    assert.equal(outcome, 'selection');

    const content = lastUserMessage(server);
    assert.ok(content.includes(ECHOED), 'the echoed text is in the request');
    assert.ok(!content.includes(ESC), 'no escape sequences in the request');
    assert.match(content, /Text selected in the terminal "ModelsLab selection test"/);
    assert.match(content, /Explain this terminal output; if it shows an error, say what caused it and how to fix it\./);
    assert.equal(await vscode.env.clipboard.readText(), before, 'the previous clipboard text is back');
  });

  it('with nothing selected, explains the last command and its output from shell integration, ANSI-free with its exit code', async function () {
    const terminal = newTerminal('ModelsLab last command test');
    terminals.push(terminal);
    // bash with VS Code's shell integration: the host this suite runs in provides it.
    await waitFor(() => terminal.shellIntegration, 'shell integration', 20_000);
    await waitFor(() => vscode.window.activeTerminal === terminal, 'the test terminal to be active');
    const ended = new Promise<vscode.TerminalShellExecutionEndEvent>((resolve) => {
      const listener = vscode.window.onDidEndTerminalShellExecution((event) => {
        if (event.terminal !== terminal) return;
        listener.dispose();
        resolve(event);
      });
    });
    // Red text (escape sequences in the raw output) and a failing exit code.
    // The output starts a moment after the command: VS Code's read() stream can miss output
    // printed in the very first milliseconds of a command (noted in the closing note).
    terminal.sendText(`sleep 0.5; printf '\\033[31m%s\\033[0m\\n' modelslab-red-$((6*7)); (exit 3)`);
    const end = await ended;
    assert.equal(end.exitCode, 3);
    // The command waits (bounded) for output still arriving after the end: no sleep here.
    await vscode.commands.executeCommand('workbench.action.terminal.clearSelection');

    server.enqueue({ text: 'The subshell exited with 3.' });
    const outcome = await vscode.commands.executeCommand('modelslab.explainTerminal');
    assert.equal(outcome, 'lastCommand');
    const content = lastUserMessage(server);
    assert.ok(content.includes('modelslab-red-42'), 'the command output is in the request');
    assert.ok(!content.includes(ESC), 'no escape sequences in the request');
    assert.match(content, /The last command in the terminal "ModelsLab last command test" and its output \(exit code 3\):/);
    assert.match(content, /\$ sleep 0\.5; printf .*modelslab-red-\$\(\(6\*7\)\); \(exit 3\)/);
  });
});
