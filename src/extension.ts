import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { ChatViewProvider } from './chat/chatViewProvider';
import { ChatSession } from './chat/chatSession';
import { ChatController } from './chat/chatController';
import { ContextAttachments } from './chat/contextAttachments';
import { HistoryStore } from './history/historyStore';
import { AnswerRunner } from './llm/answerRunner';
import { ProposedEdits } from './workspace/proposedEdits';
import { ApiKeyStore } from './platform/apiKeyStore';
import { Connection } from './platform/connection';
import { clearApiKeyCommand, setApiKeyCommand } from './platform/keyCommands';
import { createLogger } from './platform/log';
import { ModelSelection } from './platform/modelSelection';
import { showErrorWithFix } from './platform/errorNotifications';
import { registerEditorCommands } from './editor/editorCommands';
import { ModelsLabCodeActionProvider } from './editor/codeActions';
import { createModelStatusBar } from './editor/modelStatusBar';
import { exportsFor, type ModelsLabTestApi } from './testApi';
import { ModelsLabChatModelProvider, VENDOR } from './languageModels/chatModelProvider';
import { handle as handleChatRequest, registerChatParticipant } from './participant/chatParticipant';
import { PendingEdits } from './participant/pendingEdits';
import { AgentReview } from './workspace/agentReview';
import { Approvals } from './chat/approvals';
import { CompareSelection } from './chat/compareModelsPick';
import { ComparePanel } from './chat/comparePanel';
import { useComparedAnswer } from './chat/handlers/compareHandlers';
import { SecondOpinion } from './workspace/secondOpinion';
import { ProjectRules } from './rules/projectRules';
import { PromptFileStore } from './workspace/promptFileStore';
import { registerCommitMessage } from './scm/commitMessage';
import { registerTerminalExplain } from './terminal/explainTerminal';
import { RulesInEffect } from './rules/rulesInEffect';
import { CompletionStatus } from './completion/completionStatus';
import { CompletionEngine } from './completion/completionEngine';
import { buildHoleRequest, completionMode } from './completion/holePrompt';
import { cleanCompletion } from './completion/postProcess';
import { EditorContext } from './completion/editorContext';
import { GhostTextProvider } from './completion/inlineProvider';
import { agentRoot, createAgentTurn } from './workspace/agentTurn';

export type { ModelsLabTestApi } from './testApi';

/** Wiring only: build the services and register the view and commands. Nothing heavy runs here. */
export function activate(context: vscode.ExtensionContext): ModelsLabTestApi | undefined {
  const started = performance.now();
  const log = createLogger(context);
  const keys = new ApiKeyStore(context.secrets, log);
  const models = new ModelSelection();
  const connection = new Connection(keys, models, log);
  // One runner for every surface: one Stop, and `modelslab.busy` while anything is generating.
  const runner = new AnswerRunner(connection);
  const busy = runner.onCountChange((count) => void vscode.commands.executeCommand('setContext', 'modelslab.busy', count > 0));
  const attachments = new ContextAttachments();
  // Project rules (AGENTS.md, .modelslab/rules, copilot-instructions): every prompt follows the
  // ones that apply to the active and attached files.
  const rules = new ProjectRules(context, log);
  // .modelslab/prompts/*.prompt.md: the workspace's own slash commands.
  const promptFiles = new PromptFileStore({ log: (message) => log.warn(message) });
  const ruleReports = rules.onDidReport((message) => void vscode.window.showWarningMessage(`ModelsLab: ${message}`));
  const rulesInEffect = new RulesInEffect(rules, () => attachments.attachedUris(), attachments.onDidChange, (cut) => void view.post({ type: 'notice', level: 'info', text: `Project rules: ${cut}` }));
  connection.setInstructions(() => rulesInEffect.text);
  const proposals = new ProposedEdits();
  // Per workspace; windows without a folder share one global history.
  const historyDir = vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'conversations').fsPath;
  const store = new HistoryStore(historyDir, (message) => {
    log.warn(message);
    void vscode.window.showWarningMessage(`ModelsLab: ${message}`);
  });

  // Agent mode: each answer gets its own tools and edit plan; the review keeps what the user decided.
  // The agent's questions ("may I read .env?") are asked in the answer, in the panel.
  const approvals = new Approvals((message) => void view.post(message));
  const agentReview = new AgentReview((messageId, edits, undoable) => {
    void view.post({ type: 'answerEdits', messageId, edits, undoable });
    void session.updateEdits(messageId, edits);
  });
  const session: ChatSession = new ChatSession({
    post: (message) => void view.post(message),
    // Through the connection: the queue governor and the fallback models apply to every answer.
    client: async () => connection,
    nextModel: (model) => connection.nextModel(model),
    settled: () => rulesInEffect.settled(),
    runner,
    requestOptions: () => connection.requestOptions(),
    takeAttachedContext: () => attachments.take(),
    store,
    log,
    newId: () => randomUUID().replace(/-/g, '').slice(0, 20),
    // The panel shows every error with its action; a rejected key also needs a toast, but only
    // when the panel is out of sight (one place, one label).
    onAnswerError: (error) => {
      if (error.kind === 'auth' && !view.isVisible) showErrorWithFix(error);
    },
    agentTurn: (requestId) => createAgentTurn(connection, connection.settings().model, (path) => approvals.askToRead(requestId, path), () => approvals.denyAll()),
    reviewAgentEdits: (messageId, files) => {
      const root = agentRoot();
      return root ? agentReview.register(messageId, root, files) : [];
    },
  });
  // The view and the controller refer to each other; messages only flow after both exist.
  const view: ChatViewProvider = new ChatViewProvider(context.extensionUri, log, (message) => controller.handle(message));
  // Compare: one prompt, several models side by side in an editor-area view.
  const compareSelection = new CompareSelection();
  const comparePanel: ComparePanel = new ComparePanel({
    extensionUri: context.extensionUri,
    proposals,
    log,
    onUse: (messageId, column) => useComparedAnswer(controller.compareDeps(), messageId, column),
  });
  const controller: ChatController = new ChatController({ view, session, keys, connection, models, attachments, proposals, agentReview, approvals, store, log, compareSelection, comparePanel, rules, rulesInEffect, promptFiles });
  // VS Code's own Chat: our models in its picker (and for other extensions), and @modelslab.
  const hasKey = async () => (await keys.get()) !== undefined;
  const chatModels = new ModelsLabChatModelProvider(connection, hasKey);
  const pendingEdits = new PendingEdits(proposals);
  // Ghost text: its switch and snooze in the status bar, and the provider for every language.
  // Its requests go through the connection (so the queue governor counts them) but never retry
  // or fall back (the hole prompt's policy), and never mark the chat busy.
  const completionStatus = new CompletionStatus();
  const ghostEngine = new CompletionEngine({
    streamer: connection,
    buildRequest: buildHoleRequest,
    clean: cleanCompletion,
    mode: completionMode,
    debounce: { baseMs: vscode.workspace.getConfiguration('modelslab.completions').get<number>('debounceMs', 250) },
    onEvent: (event) => event.type === 'failed' && log.debug(`Ghost text: no suggestion (${event.error instanceof Error ? event.error.message : String(event.error)})`),
  });
  const editorContext = new EditorContext();
  const ghostText = new GhostTextProvider({ engine: ghostEngine, context: editorContext, status: completionStatus, connection, hasKey: async () => (await keys.get()) !== undefined, log, rules: () => rulesInEffect.text });
  // A second opinion on any proposed change, from a model of another family.
  const secondOpinion = new SecondOpinion({ runner, connection, proposals, agentReview });
  const participantDeps = { connection, hasKey, pending: pendingEdits, promptFiles };

  context.subscriptions.push(
    keys,
    models,
    connection,
    attachments,
    proposals,
    agentReview,
    view,
    controller,
    busy,
    { dispose: () => runner.cancel() },
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, view),
    compareSelection,
    comparePanel,
    secondOpinion,
    rules,
    ruleReports,
    rulesInEffect,
    promptFiles,
    // A commit message from the staged diff; "Explain with ModelsLab" on terminal output.
    registerCommitMessage({ runner, connection, log }),
    registerTerminalExplain({ askInChat: (prompt, attached) => controller.askInChat(prompt, attached), log }),
    vscode.commands.registerCommand('modelslab.openRules', async () => {
      const views = rulesInEffect.views;
      if (views.length === 0) {
        void vscode.window.showInformationMessage('ModelsLab: this workspace has no rule files. Add AGENTS.md, or .md files in .modelslab/rules/.');
        return;
      }
      const picked = await vscode.window.showQuickPick(
        views.map((rule) => ({ label: rule.path, description: !rule.enabled ? 'off' : rule.applies ? (rule.applyTo ? `applies: ${rule.applyTo}` : 'always') : `not for this file (${rule.applyTo ?? ''})`, detail: rule.problem })),
        { title: 'ModelsLab: Project Rules', placeHolder: 'Open a rule file' },
      );
      if (picked) await rules.open(picked.label);
    }),
    completionStatus,
    editorContext,
    { dispose: () => ghostEngine.dispose() },
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, ghostText),
    vscode.workspace.onDidCloseTextDocument((document) => ghostEngine.forget(document.uri.toString())),
    // The debounce setting and the model apply at once: a changed model must not serve old suggestions.
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('modelslab.completions.debounceMs')) ghostEngine.debounce.setBase(vscode.workspace.getConfiguration('modelslab.completions').get<number>('debounceMs', 250));
      if (event.affectsConfiguration('modelslab.completions.model') || event.affectsConfiguration('modelslab.model')) ghostEngine.cache.clear();
    }),
    vscode.commands.registerCommand('modelslab.openChat', () => view.reveal()),
    vscode.commands.registerCommand('modelslab.compareModels', (ids?: unknown) => controller.compareModels(Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? ids : undefined)),
    vscode.commands.registerCommand('modelslab.showHistory', () => controller.showHistory()),
    vscode.commands.registerCommand('modelslab.setApiKey', (key?: unknown) => setApiKeyCommand(keys, connection, key)),
    vscode.commands.registerCommand('modelslab.clearApiKey', () => clearApiKeyCommand(keys)),
    ...registerEditorCommands({
      connection,
      runner,
      models,
      proposals,
      askInChat: (prompt, attached) => controller.askInChat(prompt, attached),
      newChat: () => controller.newChat(),
    }),
    vscode.languages.registerCodeActionsProvider({ scheme: '*' }, new ModelsLabCodeActionProvider(), {
      providedCodeActionKinds: ModelsLabCodeActionProvider.providedCodeActionKinds,
    }),
    createModelStatusBar(models),
    chatModels,
    pendingEdits,
    vscode.lm.registerLanguageModelChatProvider(VENDOR, chatModels),
    registerChatParticipant(participantDeps, context.extensionUri),
  );
  // With VS Code's chat on, our models are in its picker from the start (it reads them in the
  // background); otherwise nothing touches the network until the user does something.
  const announceModels = () => vscode.workspace.getConfiguration('chat').get('disableAIFeatures') !== true && chatModels.announceModels();
  announceModels();
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('chat.disableAIFeatures') && announceModels()));
  const activationMs = performance.now() - started;
  return exportsFor(context.extensionMode === vscode.ExtensionMode.Test, () => ({
    activationMs,
    session,
    connection,
    proposals,
    runner,
    models,
    chatView: view,
    comparePanel,
    secondOpinion,
    ghostText: { provider: ghostText, engine: ghostEngine },
    rules,
    promptFiles,
    pendingEdits,
    chatParticipant: (request, chatContext, stream, token) =>
      handleChatRequest(participantDeps, request as vscode.ChatRequest, chatContext as vscode.ChatContext, stream as vscode.ChatResponseStream, token as vscode.CancellationToken),
  }));
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
