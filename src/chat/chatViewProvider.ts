import * as vscode from 'vscode';
import type { HostToWebview, WebviewToHost } from '../shared/protocol';
import { validateWebviewMessage } from '../shared/validate';
import { renderChatHtml } from './webviewHtml';
import type { Logger } from '../llm/logger';

export type WebviewMessageHandler = (message: WebviewToHost) => void | Promise<void>;

/**
 * Hosts the `modelslab.chatView` webview: renders its HTML, validates what it posts and
 * routes valid messages to the handler. It holds no conversation state of its own.
 */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'modelslab.chatView';
  private view: vscode.WebviewView | undefined;
  /** Listeners on the current view only: a view can be disposed and resolved again many times. */
  private viewSubscriptions: vscode.Disposable[] = [];
  private readonly visibilityEmitter = new vscode.EventEmitter<boolean>();
  readonly onDidChangeVisibility = this.visibilityEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Logger,
    private readonly handle: WebviewMessageHandler,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    // A new view replaces the old one; the old one's late events must not touch the new.
    this.releaseView();
    this.view = view;
    view.webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    view.webview.html = renderChatHtml(view.webview, this.extensionUri);
    this.viewSubscriptions = [
      view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      view.onDidChangeVisibility(() => this.visibilityEmitter.fire(view.visible)),
      view.onDidDispose(() => {
        this.releaseView();
        this.visibilityEmitter.fire(false);
      }),
    ];
  }

  /** Listeners held for the current view; read by the integration tests to catch leaks. */
  get liveSubscriptions(): number {
    return this.viewSubscriptions.length;
  }

  get isResolved(): boolean {
    return this.view !== undefined;
  }

  /** Whether the user can see the panel now (resolved, and not collapsed or hidden). */
  get isVisible(): boolean {
    return this.view?.visible ?? false;
  }

  /** Posts to the webview if it exists; messages to a closed view are dropped (it re-syncs on `ready`). */
  post(message: HostToWebview): Thenable<boolean> {
    return this.view ? this.view.webview.postMessage(message) : Promise.resolve(false);
  }

  async reveal(preserveFocus = false): Promise<void> {
    if (this.view) {
      this.view.show(preserveFocus);
    } else {
      await vscode.commands.executeCommand(`${ChatViewProvider.viewId}.focus`);
    }
  }

  private receive(raw: unknown): void {
    const result = validateWebviewMessage(raw);
    if (!result.ok) {
      this.log.warn(`Ignored a malformed message from the chat view: ${result.reason}`);
      return;
    }
    Promise.resolve(this.handle(result.message)).catch((err: unknown) => {
      this.log.error(`Handling “${result.message.type}” failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  private releaseView(): void {
    this.view = undefined;
    for (const d of this.viewSubscriptions.splice(0)) d.dispose();
  }

  dispose(): void {
    this.releaseView();
    this.visibilityEmitter.dispose();
  }
}
