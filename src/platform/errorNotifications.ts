import * as vscode from 'vscode';
import type { ErrorView } from '../shared/protocol';

/** The button that fixes an error, where a notification can offer one. */
function fixFor(error: ErrorView): { label: string; command: string } | undefined {
  switch (error.action) {
    case 'setApiKey':
      // The same label as the panel's button: one action, one name.
      return { label: 'Set API Key', command: 'modelslab.setApiKey' };
    case 'selectModel':
      return { label: 'Select Model', command: 'modelslab.selectModel' };
    default:
      return undefined;
  }
}

/** An error notification with the one action that fixes it. */
export function showErrorWithFix(error: ErrorView): void {
  const fix = fixFor(error);
  const message = error.message.startsWith('ModelsLab') ? error.message : `ModelsLab: ${error.message}`;
  void vscode.window.showErrorMessage(message, ...(fix ? [fix.label] : [])).then((choice) => {
    if (fix && choice === fix.label) void vscode.commands.executeCommand(fix.command);
  });
}
