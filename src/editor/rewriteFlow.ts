import * as vscode from 'vscode';
import type { ChatMessage } from '../llm/types';
import { abortOnCancel } from '../platform/cancellation';
import type { Connection } from '../platform/connection';
import { describeError } from '../platform/errorMessages';
import { showErrorWithFix } from '../platform/errorNotifications';
import { extractCode, matchIndentation } from '../prompts/extractCode';
import type { ProposalOutcome, ProposedEdits } from '../workspace/proposedEdits';
import type { RunningOperations } from './operations';
import type { Target } from './selectionTarget';

export type RewriteOutcome = ProposalOutcome | 'cancelled' | 'failed' | 'empty' | 'unchanged' | 'changedWhileWaiting';

/**
 * Streams a model's answer with a cancellable progress notification and returns its text.
 * Undefined when cancelled or failed (the user has been told why).
 */
export async function streamWithProgress(
  title: string,
  messages: ChatMessage[],
  connection: Connection,
  operations: RunningOperations,
): Promise<{ text: string } | { failure: 'cancelled' | 'failed' }> {
  const controller = operations.start();
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const subscription = abortOnCancel(token, controller);
        let text = '';
        try {
          const client = await connection.client();
          const { options } = connection.requestOptions();
          let reported = 0;
          for await (const chunk of client.streamChat(messages, options, controller.signal)) {
            if (chunk.type === 'text') {
              text += chunk.text;
              // Progress text is throttled: the notification only needs a sense of movement.
              if (text.length - reported > 200) {
                reported = text.length;
                progress.report({ message: `${text.length.toLocaleString()} characters received…` });
              }
            } else if (chunk.type === 'retrying') {
              progress.report({ message: `${chunk.reason}; retrying in ${Math.ceil(chunk.delayMs / 1000)} s…` });
            }
          }
          return { text };
        } catch (err) {
          if (controller.signal.aborted) return { failure: 'cancelled' as const };
          showErrorWithFix(describeError(err));
          return { failure: 'failed' as const };
        } finally {
          subscription.dispose();
        }
      },
    );
  } finally {
    operations.end(controller);
  }
}

/** Refactor / fix / document: stream the rewrite, then propose it as a diff of exactly the original range. */
export async function rewriteSelection(
  target: Target,
  title: string,
  messages: ChatMessage[],
  deps: { connection: Connection; operations: RunningOperations; proposals: ProposedEdits },
): Promise<RewriteOutcome> {
  const version = target.document.version;
  const result = await streamWithProgress(`ModelsLab: ${title} ${target.label}…`, messages, deps.connection, deps.operations);
  if ('failure' in result) return result.failure;
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
  const firstLine = target.document.lineAt(target.range.start.line).text;
  const startsMidLine = target.range.start.character > (/^\s*/.exec(firstLine)?.[0].length ?? 0);
  const newText = matchIndentation(code, original, startsMidLine);
  if (newText === original) {
    void vscode.window.showInformationMessage(`ModelsLab: the model suggests no change to ${target.label}.`);
    return 'unchanged';
  }
  return deps.proposals.propose({ document: target.document, range: target.range, newText, title, expectedVersion: version });
}
