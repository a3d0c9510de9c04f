// Review with Another Model: sends the change on screen (an editor proposal, or an agent file
// waiting for review) to a model of another family, through the same runner as every other
// answer (so the queue governor and fallback apply), and shows its verdict on the proposed side
// of the diff: comment threads with the words, decorations with the bars and hovers. An answer
// that cannot be read is said to be unreadable, never taken for approval.
import * as vscode from 'vscode';
import { progressNote } from '../llm/progressNote';
import type { AnswerOutcome, AnswerRunner } from '../llm/answerRunner';
import { modelLabel } from '../llm/catalogue';
import { abortOnCancel } from '../platform/cancellation';
import type { Connection } from '../platform/connection';
import { describeError } from '../platform/errorMessages';
import { showErrorWithFix } from '../platform/errorNotifications';
import { languageIdFromFence } from '../prompts/languages';
import { changedSpan, splitLines } from '../review/changedSpan';
import { buildReviewRequest, type ReviewSubject } from '../review/reviewPrompt';
import { presentReview, type ReviewMark } from '../review/reviewMarks';
import { pickReviewer } from '../review/reviewerModel';
import { parseReview, type ParsedReview, type Review } from '../review/reviewVerdict';
import type { AgentReview, PendingAgentFile } from './agentReview';
import type { ActiveProposal, ProposedEdits } from './proposedEdits';
import { ReviewComments, type ShownThread } from './reviewComments';
import { ReviewDecorations } from './reviewDecorations';

export const REVIEW_COMMAND = 'modelslab.reviewWithAnotherModel';

export interface SecondOpinionDeps {
  runner: AnswerRunner;
  connection: Connection;
  proposals: ProposedEdits;
  agentReview: AgentReview;
}

export type SecondOpinionStatus = 'reviewed' | 'unreadable' | 'cancelled' | 'failed' | 'nothingToReview' | 'noReviewer';

/** What the command returns, and what stays on screen (`current`) until the change settles. */
export interface SecondOpinionResult {
  status: SecondOpinionStatus;
  target?: { kind: 'proposal' | 'agent'; path: string; proposedUri: string };
  authorModel?: string;
  /** The model asked, and the one that answered (another one when a fallback moved the request). */
  reviewer?: string;
  answeredBy?: string;
  review?: Review;
  /** Why the answer could not be read, or why the review did not run. */
  reason?: string;
  headline?: string;
  marks: ReviewMark[];
}

interface Target {
  kind: 'proposal' | 'agent';
  path: string;
  proposedUri: vscode.Uri;
  subject: ReviewSubject;
  authorModel?: string;
  /** False once the user accepted or rejected the change (or a newer proposal replaced it). */
  pending(): boolean;
  /** Makes sure the diff is on screen, for the marks. */
  reveal(): Promise<void>;
}

let nextReview = 1;

export class SecondOpinion implements vscode.Disposable {
  private readonly decorations = new ReviewDecorations();
  private readonly comments = new ReviewComments();
  private readonly disposables: vscode.Disposable[];
  private shown: { target: Target; result: SecondOpinionResult } | undefined;
  private running: AbortController | undefined;

  constructor(private readonly deps: SecondOpinionDeps) {
    this.disposables = [
      this.decorations,
      this.comments,
      vscode.commands.registerCommand(REVIEW_COMMAND, () => this.review()),
      // The marks go when the change they judge is accepted, rejected or replaced.
      deps.proposals.onDidChangeActive(() => this.dropSettled()),
      deps.agentReview.onDidChangeFiles(() => this.dropSettled()),
    ];
  }

  /** The review on screen, if any. */
  get current(): SecondOpinionResult | undefined {
    return this.shown?.result;
  }

  async review(): Promise<SecondOpinionResult> {
    const target = await this.findTarget();
    if (!target) {
      void vscode.window.showInformationMessage('ModelsLab: there is no proposed change to review. Run Refactor, Fix or Document, or open an agent edit, first.');
      return { status: 'nothingToReview', marks: [] };
    }
    const authorModel = target.authorModel ?? this.deps.connection.settings().model;
    const setting = vscode.workspace.getConfiguration('modelslab').get<string>('review.model');
    const choice = pickReviewer({ setting, authorModel, models: await this.deps.connection.models() });
    const base = { target: { kind: target.kind, path: target.path, proposedUri: target.proposedUri.toString() }, authorModel, marks: [] };
    if (!choice) {
      void vscode.window.showWarningMessage('ModelsLab: there is no other model to review this change with. Add one to “modelslab.models” or set “modelslab.review.model”.');
      return { ...base, status: 'noReviewer' };
    }
    this.running?.abort();
    this.clear();
    const outcome = await this.ask(target, choice.model);
    const result = { ...base, reviewer: choice.model, answeredBy: outcome.fallback?.to ?? choice.model };
    if (!target.pending()) return { ...result, status: 'cancelled', reason: 'the change was accepted or rejected before the review came back' };
    if (outcome.status === 'stopped') {
      void vscode.window.setStatusBarMessage('ModelsLab: review cancelled', 5000);
      return { ...result, status: 'cancelled' };
    }
    if (outcome.status === 'error' || outcome.status === 'incomplete') {
      // A review broken off midway is no review: the same error path as every other answer.
      const error = describeError(outcome.error);
      showErrorWithFix(error);
      return { ...result, status: 'failed', reason: error.message };
    }
    return this.present(target, result, readAnswer(outcome, target.subject.proposed));
  }

  /** Runs the review request with a cancellable progress notification; never rejects. */
  private async ask(target: Target, model: string): Promise<AnswerOutcome> {
    const request = buildReviewRequest(target.subject, { model });
    const title = `ModelsLab: ${modelLabel(model)} is reviewing ${target.path}…`;
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      this.running = controller;
      const cancel = abortOnCancel(token, controller);
      // No point finishing a review of a change the user already decided on.
      const settled = [this.deps.proposals.onDidChangeActive, this.deps.agentReview.onDidChangeFiles].map((event) => event(() => !target.pending() && controller.abort()));
      try {
        return await this.deps.runner.run(`review-${nextReview++}`, request, (event) => {
          if (event.type === 'retrying' || event.type === 'queued' || event.type === 'fallback') progress.report({ message: progressNote(event) });
        }, controller.signal);
      } finally {
        cancel.dispose();
        for (const s of settled) s.dispose();
        if (this.running === controller) this.running = undefined;
      }
    });
  }

  private async present(target: Target, base: Omit<SecondOpinionResult, 'status'>, parsed: ParsedReview): Promise<SecondOpinionResult> {
    const asked = base.reviewer ?? '';
    const answeredBy = base.answeredBy ?? asked;
    const reviewer = answeredBy === asked ? modelLabel(asked) : `${modelLabel(answeredBy)} (standing in for ${modelLabel(asked)})`;
    const lineCount = splitLines(target.subject.proposed).length;
    const summaryLine = Math.min(changedSpan(target.subject.original, target.subject.proposed)?.proposedStart ?? 1, lineCount);
    const presentation = presentReview(parsed, { reviewer, summaryLine });
    const result: SecondOpinionResult = parsed.ok
      ? { ...base, status: 'reviewed', review: parsed.review, headline: presentation.headline, marks: presentation.marks }
      : { ...base, status: 'unreadable', reason: parsed.reason, headline: presentation.headline, marks: presentation.marks };
    this.shown = { target, result };
    await target.reveal();
    // Settled or superseded while its diff opened: threads put up now would outlive the change.
    if (this.shown?.target !== target) return result;
    this.decorations.show(target.proposedUri, presentation);
    this.comments.show(target.proposedUri, presentation, reviewer);
    const message = `ModelsLab: ${presentation.headline}`;
    void vscode.window.setStatusBarMessage(message.length > 120 ? `${message.slice(0, 119)}…` : message, 15_000);
    if (presentation.tone === 'info') void vscode.window.showInformationMessage(message);
    else if (presentation.tone === 'error') void vscode.window.showErrorMessage(message);
    else void vscode.window.showWarningMessage(message);
    return result;
  }

  /** The diff in front of the user, else the open proposal, else an agent file (asking which when there are several). */
  private async findTarget(): Promise<Target | undefined> {
    const proposal = this.deps.proposals.activeProposal;
    const files = this.deps.agentReview.pendingFiles();
    const focused = focusedProposedUri();
    if (focused) {
      if (proposal?.proposedUri.toString() === focused) return this.proposalTarget(proposal);
      const file = files.find((f) => f.proposedUri.toString() === focused);
      if (file) return this.agentTarget(file);
    }
    if (proposal) return this.proposalTarget(proposal);
    if (files.length <= 1) return files[0] && this.agentTarget(files[0]);
    const picked = await vscode.window.showQuickPick(
      files.map((file) => ({ label: file.path, description: file.isNew ? 'new file' : undefined, file })),
      { title: 'ModelsLab: Review with Another Model', placeHolder: 'Which of the agent’s changes?' },
    );
    return picked && this.agentTarget(picked.file);
  }

  private proposalTarget(proposal: ActiveProposal): Target {
    const { document } = proposal;
    const path = document.isUntitled ? document.uri.path : vscode.workspace.asRelativePath(document.uri);
    return {
      kind: 'proposal',
      path,
      proposedUri: proposal.proposedUri,
      subject: { path, languageId: document.languageId, original: proposal.originalText, proposed: proposal.proposedText, instruction: proposal.instruction },
      authorModel: proposal.authorModel,
      pending: () => this.deps.proposals.activeProposal?.id === proposal.id,
      reveal: async () => undefined, // the proposal opened its diff; if the user closed it, the marks return with it
    };
  }

  private agentTarget(file: PendingAgentFile): Target {
    const same = (f: PendingAgentFile) => f.messageId === file.messageId && f.path === file.path;
    return {
      kind: 'agent',
      path: file.path,
      proposedUri: file.proposedUri,
      // The agent's task and model are not kept with its edits: the current model stands for the author.
      subject: { path: file.path, languageId: languageIdFromFence(file.path.split('.').pop() ?? ''), original: file.original ?? '', proposed: file.updated, isNewFile: file.isNew },
      pending: () => this.deps.agentReview.pendingFiles().some(same),
      reveal: async () => {
        if (!vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === file.proposedUri.toString())) await this.deps.agentReview.act(file.messageId, 'openDiff', file.path);
      },
    };
  }

  private dropSettled(): void {
    if (this.shown && !this.shown.target.pending()) this.clear();
  }

  private clear(): void {
    this.shown = undefined;
    this.decorations.clear();
    this.comments.clear();
  }

  /** The documents whose editors show the marks now (for tests). */
  shownIn(): string[] {
    return this.decorations.shownIn();
  }

  /** The comment threads on screen now (for tests). */
  threads(): ShownThread[] {
    return this.comments.shown();
  }

  dispose(): void {
    this.running?.abort();
    for (const d of this.disposables) d.dispose();
  }
}

/** The reviewer's text as a review; a cut-off answer that does not read says why. */
function readAnswer(outcome: AnswerOutcome, proposed: string): ParsedReview {
  const parsed = parseReview(outcome.text, splitLines(proposed).length);
  if (!parsed.ok && outcome.status === 'truncated') return { ok: false, reason: 'the answer was cut off at its token limit' };
  return parsed;
}

/** The proposed (right-hand) side of the diff the user is looking at, if any. */
function focusedProposedUri(): string | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputTextDiff) return input.modified.toString();
  return vscode.window.activeTextEditor?.document.uri.toString();
}
