import * as vscode from 'vscode';
import type { AnswerRunner } from '../llm/answerRunner';
import { modelLabel } from '../llm/catalogue';
import type { Logger } from '../llm/logger';
import type { ChatRequest } from '../llm/request';
import type { StoredMessage } from '../history/conversation';
import { validateCompareMessage, type ComparisonView, type HostToCompare } from '../shared/compareProtocol';
import type { ProposedEdits } from '../workspace/proposedEdits';
import { runCodeBlockAction } from './codeBlockActions';
import { ComparisonRun } from './comparisonRun';
import type { ComparisonSurface } from './comparisonRecord';
import { openExternalLink } from './handlers/workspaceHandlers';
import { renderWebviewHtml } from './webviewHtml';

export interface ComparePanelDeps {
  extensionUri: vscode.Uri;
  proposals: ProposedEdits;
  log: Logger;
  /** The user took answer `column` of the comparison on `messageId`. */
  onUse(messageId: string, column: number): Promise<void>;
}

/** What the panel shows: a comparison streaming now, or one saved in the conversation. */
interface Shown {
  view: ComparisonView;
  run?: ComparisonRun;
}

/**
 * The comparison view: an editor-area webview with one column per model. One panel at a
 * time; a new comparison takes it over. Until its webview says `ready`, nothing is posted:
 * `init` then carries everything so far, so no delta is lost to a page still loading.
 */
export class ComparePanel implements ComparisonSurface, vscode.Disposable {
  static readonly viewType = 'modelslab.compare';
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private shown: Shown | undefined;
  private panelSubscriptions: vscode.Disposable[] = [];
  /** The editor the user was in before the comparison took the focus: Insert and Apply act on it. */
  private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private readonly editorWatch = vscode.window.onDidChangeActiveTextEditor((editor) => editor && (this.lastEditor = editor));

  constructor(private readonly deps: ComparePanelDeps) {}

  /** For tests: the comparison on screen. */
  get current(): ComparisonView | undefined {
    return this.shown ? { ...this.shown.view, columns: this.shown.run?.columns.map((c) => ({ ...c })) ?? this.shown.view.columns } : undefined;
  }

  start(comparison: { messageId: string; prompt: string; requestId: string; requests: ChatRequest[]; runner: AnswerRunner }): ComparisonRun {
    this.shown?.run?.stop();
    const run = new ComparisonRun(comparison.runner, comparison.requestId, comparison.requests, (message) => this.post(message));
    this.shown = { run, view: { messageId: comparison.messageId, prompt: comparison.prompt, columns: run.columns, canChoose: true } };
    this.open(comparison.requests.length);
    return run;
  }

  /** Shows a comparison saved in the conversation. */
  reopen(message: StoredMessage, prompt: string, canChoose: boolean): void {
    const comparison = message.comparison;
    if (!comparison) return;
    // The comparison still streaming is the one on screen already.
    if (this.shown?.view.messageId === message.id && this.shown.run?.running) {
      this.panel?.reveal();
      return;
    }
    const columns = comparison.answers.map((answer) => ({ ...answer, label: modelLabel(answer.model) }));
    this.shown = { view: { messageId: message.id, prompt, columns, canChoose, ...(comparison.chosen !== undefined ? { chosen: comparison.chosen } : {}) } };
    this.open(columns.length);
    if (this.ready) this.postInit();
  }

  /** Marks the answer taken, as the chat now continues with it. */
  markChosen(messageId: string, column: number): void {
    if (this.shown?.view.messageId !== messageId) return;
    this.shown.view.chosen = column;
    this.post({ type: 'chosen', column });
  }

  private open(columnCount: number): void {
    const title = `Compare ${columnCount} Models`;
    if (this.panel) {
      this.panel.title = title;
      // A fresh page: its `ready` brings the new comparison's init.
      this.ready = false;
      this.panel.webview.html = this.html();
      this.panel.reveal(undefined, false);
      return;
    }
    const panel = vscode.window.createWebviewPanel(ComparePanel.viewType, title, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, {
      enableScripts: true,
      enableCommandUris: false,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(this.deps.extensionUri, 'dist')],
    });
    this.panel = panel;
    this.ready = false;
    panel.webview.html = this.html();
    this.panelSubscriptions = [
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      panel.onDidDispose(() => {
        // Closing the view does not stop the answers: they still land in the chat's history.
        this.panel = undefined;
        this.ready = false;
        for (const d of this.panelSubscriptions.splice(0)) d.dispose();
      }),
    ];
  }

  private html(): string {
    return renderWebviewHtml(this.panel!.webview, this.deps.extensionUri, { bundle: 'compare', title: 'ModelsLab: Compare Models', rootId: 'compare' });
  }

  private post(message: HostToCompare): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(message);
  }

  private postInit(): void {
    const shown = this.shown;
    if (!shown || !this.panel) return;
    const columns = shown.run ? shown.run.snapshot() : shown.view.columns.map((c) => ({ ...c }));
    void this.panel.webview.postMessage({ type: 'init', comparison: { ...shown.view, columns } } satisfies HostToCompare);
  }

  private async receive(raw: unknown): Promise<void> {
    const result = validateCompareMessage(raw);
    if (!result.ok) {
      this.deps.log.warn(`Ignored a malformed message from the comparison view: ${result.reason}`);
      return;
    }
    const message = result.message;
    try {
      switch (message.type) {
        case 'ready':
          this.ready = true;
          this.postInit();
          break;
        case 'stop':
          this.shown?.run?.stop(message.column);
          break;
        case 'use':
          if (this.shown?.view.canChoose) await this.deps.onUse(this.shown.view.messageId, message.column);
          break;
        case 'codeBlock':
          if (message.action === 'insert' || message.action === 'apply') await this.backToEditor();
          await runCodeBlockAction(message.action, message.code, message.language, this.deps.proposals);
          break;
        case 'openLink':
          await openExternalLink(message.href, this.deps.log);
          break;
      }
    } catch (err) {
      this.deps.log.error(`Handling “${message.type}” from the comparison view failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** A webview in the editor area has no text editor behind it: bring back the one the user left. */
  private async backToEditor(): Promise<void> {
    const editor = this.lastEditor;
    if (vscode.window.activeTextEditor || !editor || editor.document.isClosed) return;
    await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, selection: editor.selection, preserveFocus: false });
  }

  dispose(): void {
    this.editorWatch.dispose();
    this.shown?.run?.stop();
    this.panel?.dispose();
  }
}
