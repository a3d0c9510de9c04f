// The parts of the built-in Git extension's API (vscode.git, getAPI(1)) that we use, typed by
// hand as VS Code's docs suggest (its full git.d.ts is not published as a package).
import * as vscode from 'vscode';

export interface GitChange {
  readonly uri: vscode.Uri;
}

export interface GitRepositoryState {
  readonly indexChanges: readonly GitChange[];
  readonly workingTreeChanges: readonly GitChange[];
  /** Only when `git.untrackedChanges` is "separate"; otherwise untracked files are working-tree changes. */
  readonly untrackedChanges?: readonly GitChange[];
}

export interface GitCommit {
  readonly hash: string;
  readonly message: string;
}

export interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: GitRepositoryState;
  readonly inputBox: { value: string };
  /** `git diff` (cached: `git diff --cached`), the whole repository. */
  diff(cached?: boolean): Promise<string>;
  log(options?: { maxEntries?: number }): Promise<GitCommit[]>;
  /** Re-reads `git status`, so the state is current. */
  status(): Promise<void>;
}

export interface GitApi {
  /** "uninitialized" until the first scan for repositories is done. */
  readonly state: 'uninitialized' | 'initialized';
  readonly onDidChangeState: vscode.Event<'uninitialized' | 'initialized'>;
  readonly repositories: readonly GitRepository[];
  getRepository(uri: vscode.Uri): GitRepository | null;
  readonly onDidOpenRepository: vscode.Event<GitRepository>;
}

interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

/** The Git API, or why there is none (a message for the user). */
export async function gitApi(): Promise<GitApi | { problem: string }> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!extension) return { problem: 'the built-in Git extension is not available (it may be disabled in the Extensions view).' };
  const exports = extension.isActive ? extension.exports : await extension.activate();
  if (!exports.enabled) return { problem: 'Git is turned off (the "git.enabled" setting).' };
  const api = exports.getAPI(1);
  if (api.state === 'uninitialized') await initialized(api);
  return api;
}

/** Just after start the repositories are still being found: wait for that (a while at most). */
function initialized(api: GitApi, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    const listener = api.onDidChangeState((state) => state === 'initialized' && done());
  });
}
