import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ModelSelection } from '../../src/platform/modelSelection';
import { extensionApi, waitFor } from './harness';

const config = () => vscode.workspace.getConfiguration('modelslab');

describe('Model selection in the real host', () => {
  // The extension's own service, the one its picker, chat view and status bar use.
  let selection: ModelSelection;
  let fired: string[];
  let listening: vscode.Disposable;
  beforeEach(async () => {
    selection = (await extensionApi()).models;
    fired = [];
    listening = selection.onDidChange((model) => fired.push(model));
  });
  afterEach(async () => {
    listening.dispose();
    await config().update('model', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('model', undefined, vscode.ConfigurationTarget.Global);
  });

  it('choosing a model while the workspace sets one changes the workspace value, which is the effective one', async () => {
    await config().update('model', 'workspace-model', vscode.ConfigurationTarget.Workspace);
    await waitFor(() => selection.current() === 'workspace-model', 'the workspace model to apply');

    await selection.choose('chosen-model');

    assert.equal(selection.current(), 'chosen-model');
    assert.equal(config().get('model'), 'chosen-model', 'the effective configuration value');
    const inspected = config().inspect<string>('model');
    assert.equal(inspected?.workspaceValue, 'chosen-model');
    assert.equal(inspected?.globalValue, undefined, 'the user settings are left alone');
    await waitFor(() => fired.at(-1) === 'chosen-model', 'onDidChange with the chosen model');
  });

  it('without a workspace value, choosing a model writes the user settings', async () => {
    await selection.choose('user-model');

    assert.equal(selection.current(), 'user-model');
    const inspected = config().inspect<string>('model');
    assert.equal(inspected?.globalValue, 'user-model');
    assert.equal(inspected?.workspaceValue, undefined, 'no workspace setting is created');
    await waitFor(() => fired.at(-1) === 'user-model', 'onDidChange with the chosen model');
  });
});
