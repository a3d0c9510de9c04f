import * as vscode from 'vscode';
import type { ApiKeyStore } from './apiKeyStore';
import { abortOnCancel } from './cancellation';
import type { Connection } from './connection';
import { describeError } from './errorMessages';
import { GET_KEY_URL } from '../shared/links';

export interface SetKeyResult {
  stored: boolean;
  /** true: the key worked; false: ModelsLab rejected it or could not be reached; undefined: not checked. */
  verified?: boolean;
  problem?: string;
}

/**
 * `modelslab.setApiKey`: a password box, or the key as a string argument (automation, tests).
 * After storing it, one cheap request checks the key and the result is reported.
 */
export async function setApiKeyCommand(keys: ApiKeyStore, connection: Connection, argument?: unknown): Promise<SetKeyResult> {
  let key: string | undefined;
  if (typeof argument === 'string') {
    key = argument;
  } else {
    key = await vscode.window.showInputBox({
      title: 'ModelsLab API Key',
      prompt: 'Paste your ModelsLab API key. It is kept in VS Code’s secret storage, never in settings.',
      placeHolder: 'Your ModelsLab API key',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'The key cannot be empty.'),
    });
    if (key === undefined) return { stored: false };
  }
  if (!key.trim()) {
    void vscode.window.showErrorMessage('ModelsLab: the API key was empty, so nothing was saved.');
    return { stored: false, problem: 'empty' };
  }
  await keys.set(key);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'ModelsLab: checking the API key…', cancellable: true },
    async (_progress, token) => {
      const abort = new AbortController();
      const subscription = abortOnCancel(token, abort);
      try {
        await connection.verifyKey(abort.signal);
        void vscode.window.showInformationMessage('ModelsLab API key saved and verified.');
        return { stored: true, verified: true };
      } catch (err) {
        const problem = describeError(err);
        void vscode.window
          .showWarningMessage(`ModelsLab API key saved, but the check failed: ${problem.message}`, 'Set API Key')
          .then((choice) => choice && vscode.commands.executeCommand('modelslab.setApiKey'));
        return { stored: true, verified: false, problem: problem.kind };
      } finally {
        subscription.dispose();
      }
    },
  );
}

export async function clearApiKeyCommand(keys: ApiKeyStore): Promise<void> {
  await keys.clear();
  const stillFromEnvironment = (await keys.get())?.source === 'environment';
  void vscode.window.showInformationMessage(
    stillFromEnvironment
      ? 'ModelsLab API key removed from VS Code. The MODELSLAB_API_KEY environment variable is still used.'
      : 'ModelsLab API key removed.',
  );
}

/** First use without a key: offer to set one and where to get one, never a stack trace. */
export async function offerToSetKey(): Promise<void> {
  const choice = await vscode.window.showWarningMessage(
    'ModelsLab Coder needs a ModelsLab API key to answer.',
    'Set API Key',
    'Get a Key',
  );
  if (choice === 'Set API Key') await vscode.commands.executeCommand('modelslab.setApiKey');
  if (choice === 'Get a Key') await vscode.env.openExternal(vscode.Uri.parse(GET_KEY_URL));
}
