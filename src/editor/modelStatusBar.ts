import * as vscode from 'vscode';
import { modelLabel } from '../llm/catalogue';
import type { ModelSelection } from '../platform/modelSelection';

/** Shows the current model; clicking it opens the model picker. */
export function createModelStatusBar(selection: ModelSelection): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('modelslab.model', vscode.StatusBarAlignment.Right, 100);
  item.name = 'ModelsLab Model';
  item.command = 'modelslab.selectModel';
  const update = (model: string) => {
    const label = modelLabel(model);
    item.text = `$(sparkle) ${label}`;
    item.tooltip = `ModelsLab model: ${model}. Click to change.`;
    item.accessibilityInformation = { label: `ModelsLab model ${label}. Click to change the model.`, role: 'button' };
  };
  update(selection.current());
  item.show();
  return vscode.Disposable.from(item, selection.onDidChange(update));
}
