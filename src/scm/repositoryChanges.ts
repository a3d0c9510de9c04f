// What a commit message describes: the staged diff, or the working tree's when nothing is
// staged, plus the repository's recent subjects for its style.
import * as path from 'node:path';
import type { GitChange, GitRepository } from './gitApi';
import { parseDiff } from './diffBudget';

export interface RepositoryChanges {
  staged: boolean;
  diff: string;
  /** Untracked files (working tree only): `git diff` does not show them, so they are named. */
  newFiles: string[];
  /** The last commits' subjects, newest first. */
  recentSubjects: string[];
}

const RECENT_COMMITS = 10;

/** The changes to describe, or undefined when there are none. */
export async function readChanges(repository: GitRepository): Promise<RepositoryChanges | undefined> {
  // The state follows file events; a change made a moment ago may not be in it yet.
  await repository.status().catch(() => undefined);
  const { indexChanges, workingTreeChanges, untrackedChanges = [] } = repository.state;
  const staged = indexChanges.length > 0;
  if (!staged && workingTreeChanges.length === 0 && untrackedChanges.length === 0) return undefined;
  const diff = await repository.diff(staged);
  const newFiles = staged ? [] : notInDiff(repository, diff, [...workingTreeChanges, ...untrackedChanges]);
  if (!diff.trim() && newFiles.length === 0) return undefined;
  // A repository without commits has no log: then there is no style to follow.
  const commits = await repository.log({ maxEntries: RECENT_COMMITS }).catch(() => []);
  const recentSubjects = commits.map((c) => c.message.split('\n')[0].trim()).filter(Boolean);
  return { staged, diff, newFiles, recentSubjects };
}

/** The changed files `git diff` left out: untracked ones. */
function notInDiff(repository: GitRepository, diff: string, changes: readonly GitChange[]): string[] {
  const inDiff = new Set(parseDiff(diff).map((f) => f.path));
  const root = repository.rootUri.fsPath;
  const paths = changes.map((c) => path.relative(root, c.uri.fsPath).split(path.sep).join('/'));
  return [...new Set(paths)].filter((p) => !inDiff.has(p));
}
