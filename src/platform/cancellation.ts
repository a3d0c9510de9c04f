import type * as vscode from 'vscode';

/** Aborts `controller` when VS Code cancels `token`; dispose the result when the work ends. */
export function abortOnCancel(token: vscode.CancellationToken, controller: AbortController): vscode.Disposable {
  if (token.isCancellationRequested) controller.abort();
  return token.onCancellationRequested(() => controller.abort());
}
