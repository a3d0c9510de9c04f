import * as vscode from 'vscode';
import { readModel, saveModel } from './settings';

/**
 * The one place that knows which model is in use and changes it. Every surface (picker, chat
 * view, status bar, requests) reads `current()` and listens to `onDidChange`, so they cannot
 * disagree, whichever of them (or the Settings editor) changed the model.
 */
export class ModelSelection implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<string>();
  /** Fires with the new model ID whenever the effective model changes, by any route. */
  readonly onDidChange = this.changeEmitter.event;
  private last: string;
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.last = this.current();
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('modelslab.model')) return;
      const model = this.current();
      if (model === this.last) return;
      this.last = model;
      this.changeEmitter.fire(model);
    });
  }

  /** The model ID requests use now. */
  current(): string {
    return readModel(settingsScope());
  }

  /** Makes `id` the model in use, writing it where the setting is actually set. */
  async choose(id: string): Promise<void> {
    await saveModel(id, settingsScope());
    const now = this.current();
    // Only a scope we cannot write (e.g. a policy) can override the write; say so, not nothing.
    if (now !== id) {
      void vscode.window.showWarningMessage(`ModelsLab: ${id} could not be selected: another setting keeps the model at ${now}.`);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}

/** The folder whose settings apply: the active file's, else the first one. */
function settingsScope(): vscode.Uri | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  return (active && vscode.workspace.getWorkspaceFolder(active)?.uri) ?? vscode.workspace.workspaceFolders?.[0]?.uri;
}
