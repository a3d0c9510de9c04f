// Edits that @modelslab's /fix and /doc proposed in a chat response, waiting for the user to
// press "Review Changes", which opens our diff proposal (Accept / Reject, one undo).
import * as vscode from 'vscode';
import { replacementFor, type Target } from '../editor/selectionTarget';
import { extractCode } from '../prompts/extractCode';
import type { ProposalOutcome, ProposedEdits } from '../workspace/proposedEdits';

interface PendingEdit {
  target: Target;
  newText: string;
  title: string;
  version: number;
}

/** Old responses stay in the chat; their buttons need not work for ever. */
const KEPT = 20;

export class PendingEdits implements vscode.Disposable {
  static readonly reviewCommand = 'modelslab.reviewChatEdit';
  private readonly edits = new Map<string, PendingEdit>();
  private next = 1;
  private readonly command: vscode.Disposable;

  constructor(private readonly proposals: ProposedEdits) {
    this.command = vscode.commands.registerCommand(PendingEdits.reviewCommand, (id: unknown) => this.review(String(id)));
  }

  /** The id of the edit the answer proposes, or undefined when it holds no change. */
  add(edit: { target: Target; answer: string; title: string; version: number }): string | undefined {
    const code = extractCode(edit.answer);
    if (!code.trim()) return undefined;
    const newText = replacementFor(edit.target, code);
    if (newText === edit.target.document.getText(edit.target.range)) return undefined;
    const id = `edit-${this.next++}`;
    this.edits.set(id, { target: edit.target, newText, title: edit.title, version: edit.version });
    if (this.edits.size > KEPT) this.edits.delete(this.edits.keys().next().value as string);
    return id;
  }

  async review(id: string): Promise<ProposalOutcome | 'unknown'> {
    const edit = this.edits.get(id);
    if (!edit) {
      void vscode.window.showWarningMessage('ModelsLab: this change is no longer available. Ask @modelslab again.');
      return 'unknown';
    }
    const { document, range } = edit.target;
    return this.proposals.propose({ document, range, newText: edit.newText, title: edit.title, expectedVersion: edit.version });
  }

  dispose(): void {
    this.command.dispose();
    this.edits.clear();
  }
}
