// Which repository a commit message is for: the one whose button was clicked, else the one
// holding the active editor, else the only one, else the user's choice.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GitApi, GitRepository } from './gitApi';

export async function chooseRepository(api: GitApi, arg: unknown): Promise<GitRepository | undefined> {
  const fromArgument = repositoryOf(api, arg);
  if (fromArgument) return fromArgument;
  const active = vscode.window.activeTextEditor?.document.uri;
  const fromEditor = active ? api.getRepository(active) : null;
  if (fromEditor) return fromEditor;
  const all = api.repositories;
  if (all.length === 1) return all[0];
  if (all.length === 0) {
    void vscode.window.showInformationMessage('ModelsLab: no Git repository is open. Open a folder that has one, or run "Git: Open Repository".');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    all.map((repository) => ({ label: repositoryName(repository), description: repository.rootUri.fsPath, repository })),
    { placeHolder: 'Which repository is the commit message for?' },
  );
  return picked?.repository;
}

/**
 * scm/title hands the command the SourceControl whose title bar was clicked (in the extension
 * host both extensions share); a caller may pass a Git repository or a Uri. All carry a root.
 */
function repositoryOf(api: GitApi, arg: unknown): GitRepository | undefined {
  const root = arg instanceof vscode.Uri ? arg : typeof arg === 'object' && arg !== null && 'rootUri' in arg ? asUri(arg.rootUri) : undefined;
  return (root && api.getRepository(root)) || undefined;
}

/** A Uri, also one whose class is not ours (it crossed from another extension as plain data). */
function asUri(value: unknown): vscode.Uri | undefined {
  if (value instanceof vscode.Uri) return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const { scheme, authority, path: uriPath } = value as Record<string, unknown>;
  return typeof scheme === 'string' && typeof uriPath === 'string' ? vscode.Uri.from({ scheme, authority: typeof authority === 'string' ? authority : '', path: uriPath }) : undefined;
}

export function repositoryName(repository: GitRepository): string {
  return path.basename(repository.rootUri.fsPath);
}
