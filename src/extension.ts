import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { ChatViewProvider } from './chat/chatViewProvider';
import { ChatSession } from './chat/chatSession';
import { ChatController } from './chat/chatController';
import { ContextAttachments } from './chat/contextAttachments';
import { HistoryStore } from './history/historyStore';
import { ProposedEdits } from './workspace/proposedEdits';
import { ApiKeyStore } from './platform/apiKeyStore';
import { Connection } from './platform/connection';
import { clearApiKeyCommand, setApiKeyCommand } from './platform/keyCommands';
import { createLogger } from './platform/log';
import { showErrorWithFix } from './platform/errorNotifications';
import { registerEditorCommands } from './editor/editorCommands';
import { ModelsLabCodeActionProvider } from './editor/codeActions';
import { createModelStatusBar } from './editor/modelStatusBar';
import { RunningOperations } from './editor/operations';

/** What activate() returns: used by the integration tests and benchmarks to observe the extension. */
export interface ModelsLabApi {
  /** How long activate() itself took, in milliseconds (reported by the startup benchmark). */
  activationMs: number;
  session: ChatSession;
  connection: Connection;
  proposals: ProposedEdits;
}

/** Wiring only: build the services and register the view and commands. Nothing heavy runs here. */
export function activate(context: vscode.ExtensionContext): ModelsLabApi {
  const started = performance.now();
  const log = createLogger(context);
  const keys = new ApiKeyStore(context.secrets, log);
  const connection = new Connection(keys, log);
  const attachments = new ContextAttachments();
  const proposals = new ProposedEdits();
  // `modelslab.busy` enables Stop (palette, Escape) while anything is generating.
  let chatStreaming = false;
  let editorOperations = 0;
  const updateBusy = () => void vscode.commands.executeCommand('setContext', 'modelslab.busy', chatStreaming || editorOperations > 0);
  const operations = new RunningOperations((count) => {
    editorOperations = count;
    updateBusy();
  });
  // Per workspace; windows without a folder share one global history.
  const historyDir = vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'conversations').fsPath;
  const store = new HistoryStore(historyDir, (message) => {
    log.warn(message);
    void vscode.window.showWarningMessage(`ModelsLab: ${message}`);
  });

  const session = new ChatSession({
    post: (message) => void view.post(message),
    client: () => connection.client(),
    requestOptions: () => connection.requestOptions(),
    takeAttachedContext: () => attachments.take(),
    store,
    log,
    newId: () => randomUUID().replace(/-/g, '').slice(0, 20),
    onStreamingChange: (streaming) => {
      chatStreaming = streaming;
      updateBusy();
    },
    // A rejected key needs attention beyond the panel; other errors are shown in it.
    onAnswerError: (error) => {
      if (error.kind === 'auth') showErrorWithFix(error);
    },
  });
  // The view and the controller refer to each other; messages only flow after both exist.
  const view: ChatViewProvider = new ChatViewProvider(context.extensionUri, log, (message) => controller.handle(message));
  const controller = new ChatController({ view, session, keys, connection, attachments, proposals, store, log });

  context.subscriptions.push(
    keys,
    connection,
    attachments,
    proposals,
    view,
    controller,
    { dispose: () => session.cancel() },
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, view),
    vscode.commands.registerCommand('modelslab.openChat', () => view.reveal()),
    vscode.commands.registerCommand('modelslab.setApiKey', (key?: unknown) => setApiKeyCommand(keys, connection, key)),
    vscode.commands.registerCommand('modelslab.clearApiKey', () => clearApiKeyCommand(keys)),
    ...registerEditorCommands({
      connection,
      session,
      proposals,
      operations,
      askInChat: (prompt, attached) => controller.askInChat(prompt, attached),
      newChat: () => controller.handle({ type: 'newChat' }).then(() => view.reveal()),
    }),
    vscode.languages.registerCodeActionsProvider({ scheme: '*' }, new ModelsLabCodeActionProvider(), {
      providedCodeActionKinds: ModelsLabCodeActionProvider.providedCodeActionKinds,
    }),
    createModelStatusBar(),
  );
  return { activationMs: performance.now() - started, session, connection, proposals };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
