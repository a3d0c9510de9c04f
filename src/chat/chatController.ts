import * as vscode from 'vscode';
import type { Logger } from '../llm/logger';
import type { WebviewToHost } from '../shared/protocol';
import type { HistoryStore } from '../history/historyStore';
import type { ApiKeyStore } from '../platform/apiKeyStore';
import type { Connection } from '../platform/connection';
import { offerToSetKey } from '../platform/keyCommands';
import type { ModelSelection } from '../platform/modelSelection';
import type { AttachedContext } from '../prompts/chatPrompt';
import type { ProposedEdits } from '../workspace/proposedEdits';
import type { ChatSession } from './chatSession';
import type { ChatViewProvider } from './chatViewProvider';
import type { ContextAttachments } from './contextAttachments';
import { answerHandlers } from './handlers/answerHandlers';
import { dispatch, type HandlerMap } from './handlers/handlerMap';
import { historyActions, historyHandlers } from './handlers/historyHandlers';
import { workspaceHandlers } from './handlers/workspaceHandlers';
import type { AgentReview } from '../workspace/agentReview';
import type { Approvals } from './approvals';
import type { CompareSelection } from './compareModelsPick';
import type { ProjectRules } from '../rules/projectRules';
import type { RulesInEffect } from '../rules/rulesInEffect';
import type { ComparePanel } from './comparePanel';
import { chooseCompareModels, compareHandlers, compareSetMessage, sendOrCompare, type CompareDeps } from './handlers/compareHandlers';
import { runSlashCommand } from './handlers/slashRouting';
import type { MessageOf } from './handlers/handlerMap';
import type { PromptFileStore } from '../workspace/promptFileStore';

export interface ChatControllerParts {
  view: ChatViewProvider;
  session: ChatSession;
  keys: ApiKeyStore;
  connection: Connection;
  models: ModelSelection;
  attachments: ContextAttachments;
  proposals: ProposedEdits;
  agentReview: AgentReview;
  approvals: Approvals;
  store: HistoryStore;
  log: Logger;
  compareSelection: CompareSelection;
  comparePanel: ComparePanel;
  rules: ProjectRules;
  rulesInEffect: RulesInEffect;
  promptFiles: PromptFileStore;
}

/** How long an editor command waits for the panel's webview to load before sending anyway. */
const VIEW_READY_TIMEOUT_MS = 15_000;

/**
 * Keeps the chat view in sync with the host (key, models, context chips) and routes its
 * (validated) messages to small handlers, one group per concern.
 */
export class ChatController implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];
  private readonly handlers: HandlerMap;
  private readonly history: ReturnType<typeof historyActions>;
  private contextTimer: ReturnType<typeof setTimeout> | undefined;
  /** Resolved each time the webview has (re)loaded and received its initial state. */
  private readyWaiters: (() => void)[] = [];
  private initializedView = false;

  constructor(private readonly parts: ChatControllerParts) {
    const { view, session, store, attachments, proposals, agentReview, approvals, log, models } = parts;
    const post = (message: Parameters<ChatViewProvider['post']>[0]) => view.post(message);
    this.history = historyActions({ session, store, post });
    this.handlers = {
      ready: () => this.onReady(),
      pickModel: async () => {
        await vscode.commands.executeCommand('modelslab.selectModel');
        // The Quick Pick hands the focus to the editor when it closes; give it back to the panel.
        await view.reveal(false);
      },
      setApiKey: async () => void (await vscode.commands.executeCommand('modelslab.setApiKey')),
      ...answerHandlers({ session, ensureKey: (requestId) => this.ensureKey(requestId), send: (m) => this.send(m) }),
      ...compareHandlers(this.compareDeps(), (requestId) => this.ensureKey(requestId)),
      ...historyHandlers({ session, store, post }),
      ...workspaceHandlers({ attachments, proposals, agentReview, log }),
      approve: (m) => approvals.answer(m.approvalId, m.allow),
      openRule: (m) => parts.rules.open(m.path),
      toggleRule: (m) => parts.rules.setEnabled(m.path, m.enabled),
    };
    this.subscriptions = [
      parts.keys.onDidChange(() => void this.postKeyState()),
      parts.connection.onDidChange(() => void this.postModels()),
      models.onDidChange(() => void this.postModels()),
      parts.compareSelection.onDidChange((set) => void view.post(compareSetMessage(set))),
      parts.rulesInEffect.onDidChange((rules) => void view.post({ type: 'rules', rules })),
      parts.promptFiles.onDidChange(() => void view.post({ type: 'slashCommands', commands: parts.promptFiles.commands() })),
      // Selection changes come in bursts while the user drags; the chip updates once they settle.
      attachments.onDidChange(() => this.scheduleContextUpdate()),
    ];
  }

  /** A prompt from the composer: a slash command runs as one; otherwise it is sent (or compared). */
  private async send(m: MessageOf<'send'>): Promise<void> {
    const { session, view, attachments, promptFiles } = this.parts;
    const sendText = (text: string, model?: string) => sendOrCompare(this.compareDeps())({ ...m, text }, model);
    const handled = await runSlashCommand(
      {
        session,
        prompts: promptFiles,
        post: (message) => view.post(message),
        hasAttachedContext: () => attachments.chips().length > 0,
        newChat: () => this.history.newChat(),
        pickCompareModels: () => chooseCompareModels(this.compareDeps()),
        ask: (name, placeholder) => vscode.window.showInputBox({ title: `ModelsLab: ${name}`, prompt: name, placeHolder: placeholder, ignoreFocusOut: true }),
      },
      m,
      sendText,
    );
    if (!handled) await sendOrCompare(this.compareDeps())(m);
  }

  /** What the comparison messages and commands need. */
  compareDeps(): CompareDeps {
    const { session, connection, models, compareSelection, comparePanel, view } = this.parts;
    return { session, connection, models, selection: compareSelection, panel: comparePanel, post: (m) => view.post(m) };
  }

  /** The Compare Models… command: pick the models (or take `models`), then the composer sends to all of them. */
  async compareModels(models?: readonly string[]): Promise<void> {
    await this.parts.view.reveal();
    await this.whenViewReady();
    if (await chooseCompareModels(this.compareDeps(), models)) await this.parts.view.reveal(false);
  }

  handle(message: WebviewToHost): void | Promise<void> {
    return dispatch(this.handlers, message);
  }

  /** The view's New Chat action: a fresh conversation (the old one stays in History). */
  async newChat(): Promise<void> {
    await this.parts.view.reveal();
    await this.whenViewReady();
    await this.history.newChat();
  }

  /** The view's History action: the saved conversations, in the panel. */
  async showHistory(): Promise<void> {
    await this.parts.view.reveal();
    await this.whenViewReady();
    await this.history.showHistory();
  }

  /**
   * Shows the panel and sends a prompt from an editor command, once the webview is there to
   * watch the answer stream in. Resolves when the answer has ended.
   */
  async askInChat(prompt: string, context: AttachedContext): Promise<void> {
    const requestId = `cmd-${Date.now().toString(36)}`;
    if (!(await this.ensureKey())) return;
    const { view, session } = this.parts;
    if (session.isStreaming) {
      session.cancel();
      await session.idle();
    }
    await view.reveal(true);
    await this.whenViewReady();
    await session.send(requestId, prompt, context);
  }

  /** Resolves once the webview has loaded and has its state (at most VIEW_READY_TIMEOUT_MS after a reveal). */
  private async whenViewReady(): Promise<void> {
    if (this.initializedView && this.parts.view.isResolved) return;
    const shown = new Promise<void>((resolve) => this.readyWaiters.push(resolve));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([shown, new Promise((resolve) => (timer = setTimeout(resolve, VIEW_READY_TIMEOUT_MS)))]);
    clearTimeout(timer);
  }

  async postInit(): Promise<void> {
    const { view, session, keys, connection, models } = this.parts;
    const [hasKey, list, conversation] = await Promise.all([keys.has(), connection.models(), session.view()]);
    await view.post({ type: 'init', hasKey, models: list, model: models.current(), conversation });
    await view.post({ type: 'context', chips: this.parts.attachments.chips() });
    await view.post(compareSetMessage(this.parts.compareSelection.current));
    await view.post({ type: 'rules', rules: this.parts.rulesInEffect.views });
    await view.post({ type: 'slashCommands', commands: this.parts.promptFiles.commands() });
  }

  private async onReady(): Promise<void> {
    await this.postInit();
    this.initializedView = true;
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  private async postKeyState(): Promise<void> {
    await this.parts.view.post({ type: 'keyState', hasKey: await this.parts.keys.has() });
    await this.postModels();
  }

  private async postModels(): Promise<void> {
    if (!this.parts.view.isResolved) return;
    const models = await this.parts.connection.models();
    await this.parts.view.post({ type: 'models', models, model: this.parts.models.current() });
  }

  private scheduleContextUpdate(): void {
    if (!this.parts.view.isResolved) return;
    clearTimeout(this.contextTimer);
    this.contextTimer = setTimeout(() => void this.parts.view.post({ type: 'context', chips: this.parts.attachments.chips() }), 120);
  }

  /** Without a key, the request (if any) ends at once and the user is offered to set one. */
  private async ensureKey(requestId?: string): Promise<boolean> {
    if (await this.parts.keys.has()) return true;
    if (requestId) await this.parts.view.post({ type: 'requestRefused', requestId, level: 'warning', text: 'Set your ModelsLab API key to get answers.' });
    await this.parts.view.post({ type: 'keyState', hasKey: false });
    void offerToSetKey();
    return false;
  }

  dispose(): void {
    clearTimeout(this.contextTimer);
    for (const s of this.subscriptions) s.dispose();
  }
}
