// The terminal's selected text. The stable API (engine ^1.104) has no Terminal.selection, so
// it goes through the clipboard: the workbench's own Copy command, a read, and the user's
// previous clipboard text put back. Only text survives that round trip (an image would not).
// With no selection, that Copy command shows its own "no selection to copy" warning.
import * as vscode from 'vscode';

/** The active terminal's selection, or undefined when nothing is selected (or the clipboard cannot be read). */
export async function readTerminalSelection(): Promise<string | undefined> {
  const clipboard = vscode.env.clipboard;
  const previous = await clipboard.readText();
  // An empty read may mean an unreadable clipboard (a browser without the permission): then
  // nothing is overwritten before the copy, so nothing of the user's can be lost. With text on
  // it, a marker tells "nothing copied" apart from "the selection equals the clipboard".
  const marker = previous ? `modelslab-no-selection-${Date.now().toString(36)}` : '';
  if (marker) await clipboard.writeText(marker);
  try {
    await vscode.commands.executeCommand('workbench.action.terminal.copySelection');
    const copied = await clipboard.readText();
    return copied && copied !== marker ? copied : undefined;
  } finally {
    await clipboard.writeText(previous);
  }
}
