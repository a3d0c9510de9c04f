import * as vscode from 'vscode';
import { progressNote } from '../llm/progressNote';
import type { AnswerRunner } from '../llm/answerRunner';
import { limitsFor } from '../llm/modelLimits';
import type { ChatMessage } from '../llm/types';
import { abortOnCancel } from '../platform/cancellation';
import type { Connection } from '../platform/connection';
import { describeError } from '../platform/errorMessages';
import { showErrorWithFix } from '../platform/errorNotifications';
import { extractCode } from '../prompts/extractCode';
import type { ProposalOutcome, ProposedEdits } from '../workspace/proposedEdits';
import { replacementFor, type Target } from './selectionTarget';

export type RewriteOutcome = ProposalOutcome | 'cancelled' | 'failed' | 'empty' | 'unchanged' | 'changedWhileWaiting' | 'truncated';

export interface EditorAnswerDeps {
  connection: Connection;
  runner: AnswerRunner;
}

/** `model`: the model that wrote the text (the fallback's when it moved the request). */
export type StreamResult = { text: string; truncated: boolean; maxTokens: number; model: string } | { failure: 'cancelled' | 'failed' };

let nextAnswer = 1;

/**
 * Runs an editor action's answer through the shared runner, with a cancellable progress
 * notification. A failure has been shown to the user when this returns one.
 */
export async function streamWithProgress(title: string, messages: ChatMessage[], deps: EditorAnswerDeps, maxTokens?: number): Promise<StreamResult> {
  const request = deps.connection.buildRequest(messages, maxTokens);
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const subscription = abortOnCancel(token, controller);
    let received = 0;
    let reported = 0;
    try {
      const outcome = await deps.runner.run(
        `edit-${nextAnswer++}`,
        request,
        (event) => {
          if (event.type === 'text') {
            received += event.text.length;
            // Progress text is throttled: the notification only needs a sense of movement.
            if (received - reported > 200) {
              reported = received;
              progress.report({ message: `${received.toLocaleString()} characters received…` });
            }
          } else if (event.type === 'retrying' || event.type === 'queued' || event.type === 'fallback') {
            progress.report({ message: progressNote(event) });
          }
        },
        controller.signal,
      );
      if (outcome.status === 'stopped') return { failure: 'cancelled' };
      if (outcome.status === 'error' || outcome.status === 'incomplete') {
        showErrorWithFix(describeError(outcome.error));
        return { failure: 'failed' };
      }
      return { text: outcome.text, truncated: outcome.status === 'truncated', maxTokens: request.maxTokens, model: outcome.fallback?.to ?? request.model };
    } finally {
      subscription.dispose();
    }
  });
}

/**
 * Refactor / fix / document: stream the rewrite, then propose it as a diff of exactly the
 * original range. `instruction` is what the user asked, kept with the proposal for a second opinion.
 */
export async function rewriteSelection(
  target: Target,
  title: string,
  messages: ChatMessage[],
  deps: EditorAnswerDeps & { proposals: ProposedEdits },
  options: { maxTokens?: number; instruction?: string } = {},
): Promise<RewriteOutcome> {
  const { maxTokens, instruction } = options;
  const version = target.document.version;
  const result = await streamWithProgress(`ModelsLab: ${title} ${target.label}…`, messages, deps, maxTokens);
  if ('failure' in result) return result.failure;
  if (result.truncated) {
    // Half a rewrite would replace the whole selection with half of it: never propose that.
    const larger = nextLimit(deps.connection, result.maxTokens);
    offerLargerLimit(title, target.label, result.maxTokens, larger, () => void rewriteSelection(target, title, messages, deps, { maxTokens: larger, instruction }));
    return 'truncated';
  }
  const original = target.document.getText(target.range);
  const code = extractCode(result.text);
  if (!code.trim()) {
    void vscode.window.showWarningMessage('ModelsLab: the model returned no code, so nothing was changed. Try again or rephrase the request.');
    return 'empty';
  }
  if (target.document.version !== version) {
    void vscode.window.showErrorMessage(`ModelsLab: ${target.label} was edited while the answer was coming in, so it was not applied. Run ${title} again.`);
    return 'changedWhileWaiting';
  }
  const newText = replacementFor(target, code);
  if (newText === original) {
    void vscode.window.showInformationMessage(`ModelsLab: the model suggests no change to ${target.label}.`);
    return 'unchanged';
  }
  return deps.proposals.propose({ document: target.document, range: target.range, newText, title, expectedVersion: version, instruction, authorModel: result.model });
}

/** Twice the limit, up to what the model can give; undefined when it already had all of it. */
export function nextLimit(connection: Connection, current: number): number | undefined {
  const most = limitsFor(connection.settings().model).maxOutputTokens;
  return current >= most ? undefined : Math.min(most, current * 2);
}

/** Says why nothing was done and offers to run again with `larger` tokens (the notification does not block). */
export function offerLargerLimit(title: string, label: string, used: number, larger: number | undefined, retry: () => void): void {
  const why = `ModelsLab: the ${title.toLowerCase()} of ${label} was cut off at the ${used.toLocaleString()}-token answer limit, so nothing was changed.`;
  if (larger === undefined) {
    void vscode.window.showWarningMessage(`${why} The model cannot write a longer answer: select a smaller part and try again.`);
    return;
  }
  const action = `Retry with ${larger.toLocaleString()} Tokens`;
  void vscode.window.showWarningMessage(why, action).then((choice) => choice === action && retry());
}
