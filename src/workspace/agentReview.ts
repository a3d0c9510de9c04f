// The review of an agent answer's edits: nothing is written until the user accepts a file
// (or all of them). A file changed on disk since the agent read it is not overwritten. The
// files a turn wrote can be put back as one step: the checkpoint keeps what each was before.
import * as vscode from 'vscode';
import { diffLines } from 'diff';
import type { PlannedFile } from '../agent/editPlan';
import type { EditFileView, ReviewAction } from '../shared/protocol';
import { readDocumentText, writeDocumentText } from './documentText';

interface ReviewedFile extends PlannedFile {
  state: EditFileView['state'];
  uri: vscode.Uri;
}

interface Review {
  files: ReviewedFile[];
  /** What accepted files were before they were written (undefined: the file did not exist). */
  checkpoint: Map<string, string | undefined>;
}

/** An agent file waiting for the user's decision, as a second opinion sees it; read-only. */
export interface PendingAgentFile {
  readonly messageId: string;
  readonly path: string;
  readonly original: string | undefined;
  readonly updated: string;
  readonly isNew: boolean;
  /** The right-hand side of its diff. */
  readonly proposedUri: vscode.Uri;
}

const SCHEME = 'modelslab-agent';
/** True while any agent file waits for Accept or Reject (Review with Another Model needs one). */
const CONTEXT_KEY = 'modelslab.agentReviewActive';

export class AgentReview implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly reviews = new Map<string, Review>();
  private readonly registration: vscode.Disposable;
  private readonly filesEmitter = new vscode.EventEmitter<void>();
  /** Fires when files are registered or change state (accepted, rejected, undone). */
  readonly onDidChangeFiles = this.filesEmitter.event;

  constructor(
    /** Posts the new review list, and keeps it with the answer in history. */
    private readonly changed: (messageId: string, edits: EditFileView[], undoable: boolean) => void,
  ) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, this);
  }

  /** Takes an answer's proposed files (paths relative to `root`) and returns the review list. */
  register(messageId: string, root: vscode.Uri, files: PlannedFile[]): EditFileView[] {
    if (files.length === 0) return [];
    const reviewed = files.map((file) => ({ ...file, state: 'pending' as const, uri: vscode.Uri.joinPath(root, file.path) }));
    this.reviews.set(messageId, { files: reviewed, checkpoint: new Map() });
    this.filesChanged();
    return reviewed.map(toView);
  }

  async act(messageId: string, action: ReviewAction, path?: string): Promise<void> {
    const review = this.reviews.get(messageId);
    if (!review) {
      void vscode.window.showInformationMessage('ModelsLab: these changes are from an earlier session and can no longer be applied. Ask the agent again.');
      return;
    }
    const targets = path === undefined ? review.files : review.files.filter((f) => f.path === path);
    switch (action) {
      case 'openDiff':
        if (targets[0]) await this.openDiff(messageId, targets[0]);
        return;
      case 'accept':
      case 'acceptAll':
        for (const file of targets.filter((f) => f.state === 'pending')) await this.accept(review, file);
        break;
      case 'reject':
      case 'rejectAll':
        for (const file of targets.filter((f) => f.state === 'pending')) file.state = 'rejected';
        break;
      case 'undo':
        await this.undo(review);
        break;
    }
    this.changed(messageId, review.files.map(toView), review.checkpoint.size > 0);
    this.filesChanged();
  }

  /** Every file still waiting for the user, newest answer first. */
  pendingFiles(): PendingAgentFile[] {
    return [...this.reviews.entries()].reverse().flatMap(([messageId, review]) =>
      review.files
        .filter((f) => f.state === 'pending')
        .map((f) => ({ messageId, path: f.path, original: f.original, updated: f.updated, isNew: f.isNew, proposedUri: sideUri(messageId, 'proposed', f.path) })),
    );
  }

  private filesChanged(): void {
    this.filesEmitter.fire();
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, this.pendingFiles().length > 0);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const [messageId, side, ...rest] = uri.path.replace(/^\//, '').split('/');
    const file = this.reviews.get(messageId)?.files.find((f) => f.path === rest.join('/'));
    if (!file) return '';
    return side === 'proposed' ? file.updated : (file.original ?? '');
  }

  private async accept(review: Review, file: ReviewedFile): Promise<void> {
    const now = await readDocumentText(file.uri);
    if (now !== file.original) {
      void vscode.window.showWarningMessage(`ModelsLab: ${file.path} changed after the agent read it, so its edit was not applied. Ask again to get a fresh one.`);
      return;
    }
    review.checkpoint.set(file.path, file.original);
    await writeDocumentText(file.uri, file.updated);
    file.state = 'accepted';
  }

  /** Puts back every file this answer wrote, as it was. */
  private async undo(review: Review): Promise<void> {
    for (const file of review.files) {
      if (!review.checkpoint.has(file.path)) continue;
      const before = review.checkpoint.get(file.path);
      if (before === undefined) await vscode.workspace.fs.delete(file.uri, { useTrash: false }).then(undefined, () => undefined);
      else await writeDocumentText(file.uri, before);
      file.state = 'pending';
    }
    review.checkpoint.clear();
  }

  private async openDiff(messageId: string, file: ReviewedFile): Promise<void> {
    const side = (name: string) => sideUri(messageId, name, file.path);
    await vscode.commands.executeCommand('vscode.diff', side('original'), side('proposed'), `${file.path}: agent's proposal${file.isNew ? ' (new file)' : ''}`, { preview: true });
  }

  dispose(): void {
    this.registration.dispose();
    this.filesEmitter.dispose();
    this.reviews.clear();
  }
}

function sideUri(messageId: string, side: string, path: string): vscode.Uri {
  return vscode.Uri.from({ scheme: SCHEME, path: `/${messageId}/${side}/${path}` });
}

function toView(file: ReviewedFile): EditFileView {
  let added = 0;
  let removed = 0;
  for (const part of diffLines(file.original ?? '', file.updated)) {
    if (part.added) added += part.count ?? 0;
    else if (part.removed) removed += part.count ?? 0;
  }
  return { path: file.path, isNew: file.isNew, added, removed, state: file.state };
}
