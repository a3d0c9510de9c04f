import * as vscode from 'vscode';
import { ChatViewProvider } from './chat/chatViewProvider';
import { createLogger } from './platform/log';

/** Wiring only: build the services and register the view and commands. Nothing heavy runs here. */
export function activate(context: vscode.ExtensionContext): void {
  const log = createLogger(context);
  const chatView = new ChatViewProvider(context.extensionUri, log, (message) => {
    if (message.type === 'ready') {
      void chatView.post({ type: 'hello', text: 'Hello from ModelsLab Coder.' });
    }
  });
  context.subscriptions.push(
    chatView,
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, chatView),
    vscode.commands.registerCommand('modelslab.openChat', () => chatView.reveal()),
  );
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
