import * as vscode from 'vscode';
import * as assert from 'node:assert/strict';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import type { ModelsLabTestApi } from '../../src/extension';
import { EXTENSION_ID } from './extensionUnderTest';

export const SUITE_KEY = 'ml-suite-key-5f1e0c9a7b3d';

/** The extension's API (what activate() returned), activated in this real host. */
export async function extensionApi(): Promise<ModelsLabTestApi> {
  const extension = vscode.extensions.getExtension<ModelsLabTestApi | undefined>(EXTENSION_ID);
  assert.ok(extension, 'the extension is not loaded');
  const api = await extension.activate();
  assert.ok(api, 'the extension hands its test API only to a test run');
  return api;
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('modelslab').update(key, value, vscode.ConfigurationTarget.Global);
}

/** A local ModelsLab-compatible server, with the extension pointed at it and a key stored. */
export async function connectToFakeServer(options: { key?: string | null } = {}): Promise<FakeModelsLab> {
  const server = await startFakeModelsLab();
  await setSetting('baseUrl', server.url);
  const key = options.key === undefined ? SUITE_KEY : options.key;
  if (key === null) await vscode.commands.executeCommand('modelslab.clearApiKey');
  else await vscode.commands.executeCommand('modelslab.setApiKey', key);
  server.reset();
  return server;
}

export async function disconnect(server: FakeModelsLab | undefined): Promise<void> {
  await server?.close();
  await setSetting('baseUrl', undefined);
}

export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Closes every editor, discarding unsaved untitled documents first: closing a dirty editor
 * would ask whether to save it, and the next test could then act on a leftover editor.
 */
export async function closeAllEditorsDiscardingUntitled(): Promise<void> {
  for (const document of vscode.workspace.textDocuments.filter((d) => d.isUntitled && d.isDirty)) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  // Closing settles asynchronously; the next test must not find an old editor coming back active.
  await waitFor(() => vscode.window.visibleTextEditors.length === 0 && vscode.window.activeTextEditor === undefined, 'every editor to close');
}

/** A file of the fixture workspace. */
export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite needs the fixture workspace open');
  return vscode.Uri.joinPath(folder.uri, name);
}

/**
 * After a test that may have changed `name`: rejects an open proposal, puts the file's text
 * back and saves it, closes every editor and resets the server.
 */
export async function restoreWorkspaceFile(name: string, original: string, server: FakeModelsLab): Promise<void> {
  await vscode.commands.executeCommand('modelslab.rejectProposal');
  const document = await vscode.workspace.openTextDocument(workspaceFile(name));
  if (document.getText() !== original) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), original);
    await vscode.workspace.applyEdit(edit);
    await document.save();
  }
  await closeAllEditorsDiscardingUntitled();
  server.reset();
}
