import * as vscode from 'vscode';

export type ProposalOutcome = 'accepted' | 'rejected' | 'stale' | 'readOnly' | 'superseded';

export interface ProposalRequest {
  document: vscode.TextDocument;
  /** The exact range the new text replaces. */
  range: vscode.Range;
  newText: string;
  /** What the diff editor's title says, e.g. "Refactor". */
  title: string;
  /** The document version the new text was made for; Accept refuses if the document moved on. */
  expectedVersion?: number;
  /** What the user asked for, for a second opinion (Review with Another Model). */
  instruction?: string;
  /** The model that wrote the change; the reviewer comes from another family. */
  authorModel?: string;
}

/** What a second opinion needs to know of the proposal on screen; read-only. */
export interface ActiveProposal {
  readonly id: number;
  readonly document: vscode.TextDocument;
  readonly range: vscode.Range;
  readonly title: string;
  readonly originalText: string;
  readonly proposedText: string;
  readonly proposedUri: vscode.Uri;
  readonly instruction?: string;
  readonly authorModel?: string;
}

interface Proposal extends ProposalRequest {
  id: number;
  version: number;
  originalUri: vscode.Uri;
  proposedUri: vscode.Uri;
  originalText: string;
  proposedText: string;
  settle: (outcome: ProposalOutcome) => void;
}

const SCHEME = 'modelslab-proposal';
const CONTEXT_KEY = 'modelslab.proposalActive';

/**
 * Shows a change as a diff against the original, with Accept / Reject (notification and
 * diff-editor title buttons). Accept applies one WorkspaceEdit (a single undo step) to exactly
 * the original range, and refuses if the document changed meanwhile.
 */
export class ProposedEdits implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private active: Proposal | undefined;
  private nextId = 1;
  private readonly registrations: vscode.Disposable[];
  private readonly activeEmitter = new vscode.EventEmitter<void>();
  /** Fires when a proposal opens or settles (accepted, rejected, superseded…). */
  readonly onDidChangeActive = this.activeEmitter.event;

  constructor() {
    this.registrations = [
      vscode.workspace.registerTextDocumentContentProvider(SCHEME, this),
      vscode.commands.registerCommand('modelslab.acceptProposal', () => this.accept()),
      vscode.commands.registerCommand('modelslab.rejectProposal', () => this.reject()),
      this.activeEmitter,
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const proposal = this.active;
    if (!proposal) return '';
    if (uri.toString() === proposal.originalUri.toString()) return proposal.originalText;
    if (uri.toString() === proposal.proposedUri.toString()) return proposal.proposedText;
    return '';
  }

  get pending(): boolean {
    return this.active !== undefined;
  }

  /** The proposal on screen, if any. */
  get activeProposal(): ActiveProposal | undefined {
    return this.active;
  }

  /** Resolves when the user accepts or rejects (or the proposal could not be applied). */
  async propose(request: ProposalRequest): Promise<ProposalOutcome> {
    if (await isReadOnly(request.document)) {
      void vscode.window.showErrorMessage(`ModelsLab: ${displayName(request.document)} is read-only, so the change cannot be applied.`);
      return 'readOnly';
    }
    this.settle('superseded');
    const id = this.nextId++;
    const name = displayName(request.document);
    const originalText = request.document.getText();
    const start = request.document.offsetAt(request.range.start);
    const end = request.document.offsetAt(request.range.end);
    const proposal: Proposal = {
      ...request,
      id,
      version: request.expectedVersion ?? request.document.version,
      originalUri: vscode.Uri.from({ scheme: SCHEME, path: `/${id}/original/${name}` }),
      proposedUri: vscode.Uri.from({ scheme: SCHEME, path: `/${id}/proposed/${name}` }),
      originalText,
      proposedText: originalText.slice(0, start) + request.newText + originalText.slice(end),
      settle: () => undefined,
    };
    const outcome = new Promise<ProposalOutcome>((resolve) => (proposal.settle = resolve));
    this.active = proposal;
    this.activeEmitter.fire();
    await vscode.commands.executeCommand('setContext', CONTEXT_KEY, true);
    await vscode.commands.executeCommand('vscode.diff', proposal.originalUri, proposal.proposedUri, `${name}: ${request.title} (ModelsLab proposal)`, {
      preview: true,
      preserveFocus: false,
    });
    void vscode.window.showInformationMessage(proposalQuestion(request.title, name), 'Accept', 'Reject').then((choice) => {
      if (this.active?.id !== id) return;
      if (choice === 'Accept') void this.accept();
      if (choice === 'Reject') void this.reject();
    });
    return outcome;
  }

  async accept(): Promise<ProposalOutcome | undefined> {
    const proposal = this.active;
    if (!proposal) return undefined;
    const name = displayName(proposal.document);
    if (proposal.document.isClosed || proposal.document.version !== proposal.version) {
      void vscode.window.showErrorMessage(`ModelsLab: ${name} changed after the proposal was made, so it was not applied. Run the action again on the current code.`);
      await this.finish(proposal, 'stale');
      return 'stale';
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(proposal.document.uri, proposal.range, proposal.newText);
    const applied = await vscode.workspace.applyEdit(edit);
    if (!applied) {
      void vscode.window.showErrorMessage(`ModelsLab: VS Code refused the edit to ${name} (is it read-only?). Nothing was changed.`);
      await this.finish(proposal, 'readOnly');
      return 'readOnly';
    }
    await this.finish(proposal, 'accepted');
    await vscode.window.showTextDocument(proposal.document, { preview: false });
    return 'accepted';
  }

  async reject(): Promise<ProposalOutcome | undefined> {
    const proposal = this.active;
    if (!proposal) return undefined;
    await this.finish(proposal, 'rejected');
    return 'rejected';
  }

  private settle(outcome: ProposalOutcome): void {
    if (this.active) void this.finish(this.active, outcome);
  }

  private async finish(proposal: Proposal, outcome: ProposalOutcome): Promise<void> {
    if (this.active?.id === proposal.id) {
      this.active = undefined;
      this.activeEmitter.fire();
      await vscode.commands.executeCommand('setContext', CONTEXT_KEY, false);
    }
    await closeDiffTabs(proposal.proposedUri);
    proposal.settle(outcome);
  }

  dispose(): void {
    this.settle('rejected');
    for (const r of this.registrations) r.dispose();
  }
}

async function closeDiffTabs(proposedUri: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === proposedUri.toString());
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}

/** What the Accept/Reject toast asks, in words that fit the action ("Apply ModelsLab's apply…" did not). */
export function proposalQuestion(title: string, name: string): string {
  switch (title) {
    case 'Apply':
      return `Apply the code block to ${name}?`;
    case 'Refactor':
      return `Accept ModelsLab’s refactoring of ${name}?`;
    case 'Fix':
      return `Accept ModelsLab’s fix for ${name}?`;
    case 'Document':
      return `Accept ModelsLab’s doc comments for ${name}?`;
    default:
      return `Accept ModelsLab’s change to ${name}?`;
  }
}

export function displayName(document: vscode.TextDocument): string {
  return document.isUntitled ? document.uri.path : (document.uri.path.split('/').pop() ?? document.uri.path);
}

async function isReadOnly(document: vscode.TextDocument): Promise<boolean> {
  if (document.isUntitled) return false;
  if (vscode.workspace.fs.isWritableFileSystem(document.uri.scheme) === false) return true;
  try {
    const stat = await vscode.workspace.fs.stat(document.uri);
    return ((stat.permissions ?? 0) & vscode.FilePermission.Readonly) !== 0;
  } catch {
    return false;
  }
}
