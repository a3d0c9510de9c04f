import * as vscode from 'vscode';
import type { Logger } from '../llm/logger';
import type { WebviewToHost } from '../shared/protocol';
import { conversationToMarkdown } from '../history/conversation';
import type { HistoryStore } from '../history/historyStore';
import type { ApiKeyStore } from '../platform/apiKeyStore';
import type { Connection } from '../platform/connection';
import { offerToSetKey } from '../platform/keyCommands';
import { saveModel } from '../platform/settings';
import type { ProposedEdits } from '../workspace/proposedEdits';
import type { AttachedContext } from '../prompts/chatPrompt';
import type { ChatSession } from './chatSession';
import type { ChatViewProvider } from './chatViewProvider';
import type { ContextAttachments } from './contextAttachments';
import { runCodeBlockAction } from './codeBlockActions';

export interface ChatControllerParts {
  view: ChatViewProvider;
  session: ChatSession;
  keys: ApiKeyStore;
  connection: Connection;
  attachments: ContextAttachments;
  proposals: ProposedEdits;
  store: HistoryStore;
  log: Logger;
}

/** Routes the chat view's (validated) messages to the session and the editor, and keeps the view in sync. */
export class ChatController implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];
  private contextTimer: ReturnType<typeof setTimeout> | undefined;
  /** Resolved each time the webview has (re)loaded and received its initial state. */
  private readyWaiters: (() => void)[] = [];
  private initializedView = false;

  constructor(private readonly parts: ChatControllerParts) {
    this.subscriptions = [
      parts.keys.onDidChange(() => void this.postKeyState()),
      parts.connection.onDidChange(() => void this.postModels()),
      // Selection changes come in bursts while the user drags; the chip updates once they settle.
      parts.attachments.onDidChange(() => this.scheduleContextUpdate()),
    ];
  }

  async handle(message: WebviewToHost): Promise<void> {
    const { session, view, attachments } = this.parts;
    switch (message.type) {
      case 'ready':
        await this.postInit();
        this.initializedView = true;
        for (const resolve of this.readyWaiters.splice(0)) resolve();
        return;
      case 'send':
        if (!(await this.ensureKey())) return;
        return session.send(message.requestId, message.text);
      case 'regenerate':
      case 'retry':
        if (!(await this.ensureKey())) return;
        return session.regenerate(message.requestId);
      case 'editAndResend':
        if (!(await this.ensureKey())) return;
        return session.editAndResend(message.requestId, message.messageId, message.text);
      case 'cancel':
        session.cancel(message.requestId);
        return;
      case 'selectModel':
        return saveModel(message.model);
      case 'newChat':
        await view.post({ type: 'conversation', conversation: await session.newChat() });
        return;
      case 'setApiKey':
        await vscode.commands.executeCommand('modelslab.setApiKey');
        return;
      case 'openLink':
        return openExternalLink(message.href, this.parts.log);
      case 'codeBlock':
        await runCodeBlockAction(message.action, message.code, message.language, this.parts.proposals);
        return;
      case 'removeContext':
        attachments.remove(message.id);
        return;
      case 'attachFile':
        return attachments.pickFile();
      case 'showHistory':
        return this.postHistory();
      case 'openConversation': {
        const conversation = await session.open(message.id);
        if (conversation) await view.post({ type: 'conversation', conversation });
        else await view.post({ type: 'notice', level: 'warning', text: 'That conversation could not be opened; it may have been deleted.' });
        return;
      }
      case 'renameConversation':
        return this.rename(message.id);
      case 'deleteConversation':
        return this.delete(message.id);
      case 'exportConversation':
        return this.export(message.id);
    }
  }

  /**
   * Shows the panel and sends a prompt from an editor command, once the webview is there to
   * watch the answer stream in. Resolves when the answer has ended.
   */
  async askInChat(prompt: string, context: AttachedContext): Promise<void> {
    if (!(await this.ensureKey())) return;
    const { view, session } = this.parts;
    if (session.isStreaming) {
      session.cancel();
      await session.idle();
    }
    const shown = new Promise<void>((resolve) => this.readyWaiters.push(resolve));
    await view.reveal(true);
    if (!this.initializedView || !view.isResolved) {
      await Promise.race([shown, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    }
    await session.send(`cmd-${Date.now().toString(36)}`, prompt, context);
  }

  async postInit(): Promise<void> {
    const { view, session, keys, connection } = this.parts;
    const [hasKey, models, conversation] = await Promise.all([keys.has(), connection.models(), session.view()]);
    await view.post({ type: 'init', hasKey, models, model: connection.settings().model, conversation });
    await view.post({ type: 'context', chips: this.parts.attachments.chips() });
  }

  private async postKeyState(): Promise<void> {
    await this.parts.view.post({ type: 'keyState', hasKey: await this.parts.keys.has() });
    await this.postModels();
  }

  private async postModels(): Promise<void> {
    if (!this.parts.view.isResolved) return;
    const models = await this.parts.connection.models();
    await this.parts.view.post({ type: 'models', models, model: this.parts.connection.settings().model });
  }

  private scheduleContextUpdate(): void {
    if (!this.parts.view.isResolved) return;
    clearTimeout(this.contextTimer);
    this.contextTimer = setTimeout(() => void this.parts.view.post({ type: 'context', chips: this.parts.attachments.chips() }), 120);
  }

  private async ensureKey(): Promise<boolean> {
    if (await this.parts.keys.has()) return true;
    await this.parts.view.post({ type: 'keyState', hasKey: false });
    void offerToSetKey();
    return false;
  }

  private async postHistory(): Promise<void> {
    const { store, session, view } = this.parts;
    const [items, current] = await Promise.all([store.list(), session.current()]);
    await view.post({ type: 'historyList', items, activeId: current.id });
  }

  private async rename(id: string): Promise<void> {
    const conversation = await this.parts.store.load(id);
    if (!conversation) return;
    const title = await vscode.window.showInputBox({ title: 'Rename conversation', value: conversation.title, validateInput: (v) => (v.trim() ? undefined : 'The name cannot be empty.') });
    if (!title) return;
    await this.parts.session.rename(id, title);
    await this.postHistory();
  }

  private async delete(id: string): Promise<void> {
    const conversation = await this.parts.store.load(id);
    const choice = await vscode.window.showWarningMessage(`Delete the conversation “${conversation?.title ?? id}”?`, { modal: true }, 'Delete');
    if (choice !== 'Delete') return;
    const wasActive = (await this.parts.session.current()).id === id;
    await this.parts.session.delete(id);
    if (wasActive) await this.parts.view.post({ type: 'conversation', conversation: await this.parts.session.view() });
    await this.postHistory();
  }

  private async export(id: string): Promise<void> {
    const conversation = await this.parts.store.load(id);
    if (!conversation) return;
    const document = await vscode.workspace.openTextDocument({ content: conversationToMarkdown(conversation), language: 'markdown' });
    await vscode.window.showTextDocument(document, { preview: false });
  }

  dispose(): void {
    clearTimeout(this.contextTimer);
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Only http(s) links leave the editor, and only through VS Code. */
export async function openExternalLink(href: string, log: Logger): Promise<void> {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(href, true);
  } catch {
    log.warn('Refused to open a malformed link from the chat.');
    return;
  }
  if (uri.scheme !== 'http' && uri.scheme !== 'https') {
    log.warn(`Refused to open a ${uri.scheme}: link from the chat; only http and https links are opened.`);
    return;
  }
  await vscode.env.openExternal(uri);
}
