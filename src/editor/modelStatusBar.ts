import * as vscode from 'vscode';
import { modelLabel } from '../llm/catalogue';
import { onSettingsChanged, readSettings } from '../platform/settings';

/** Shows the current model; clicking it opens the model picker. */
export function createModelStatusBar(): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('modelslab.model', vscode.StatusBarAlignment.Right, 100);
  item.name = 'ModelsLab Model';
  item.command = 'modelslab.selectModel';
  const update = () => {
    const model = readSettings().model;
    const label = modelLabel(model);
    item.text = `$(sparkle) ${label}`;
    item.tooltip = `ModelsLab model: ${model}. Click to change.`;
    item.accessibilityInformation = { label: `ModelsLab model ${label}. Click to change the model.`, role: 'button' };
  };
  update();
  item.show();
  return vscode.Disposable.from(item, onSettingsChanged(update));
}
