// Generate Commit Message: the staged diff (or the working tree's, when nothing is staged)
// and the repository's recent subjects go to the model; the answer streams into the commit
// box of the Source Control view.
import * as vscode from 'vscode';
import type { AnswerRunner } from '../llm/answerRunner';
import type { Logger } from '../llm/logger';
import { limitsFor } from '../llm/modelLimits';
import { progressNote } from '../llm/progressNote';
import { abortOnCancel } from '../platform/cancellation';
import type { Connection } from '../platform/connection';
import { describeError } from '../platform/errorMessages';
import { showErrorWithFix } from '../platform/errorNotifications';
import { buildCommitMessages, cleanCommitMessage } from '../prompts/commitPrompt';
import { DEFAULT_CONTEXT_BUDGET_CHARS } from '../prompts/contextBudget';
import { CommitBox } from './commitBox';
import { budgetDiff } from './diffBudget';
import { gitApi, type GitRepository } from './gitApi';
import { readChanges, type RepositoryChanges } from './repositoryChanges';
import { chooseRepository, repositoryName } from './repositoryPick';

export interface CommitMessageDeps {
  runner: AnswerRunner;
  connection: Connection;
  log: Logger;
}

/** What the command did; returned to its caller (the tests). */
export type CommitMessageOutcome = 'written' | 'truncated' | 'nothingToDescribe' | 'noRepository' | 'noGit' | 'busy' | 'cancelled' | 'failed' | 'empty' | 'keptUserEdit';

/** A commit message is short; reasoning models think first, so leave them room. */
const ANSWER_TOKENS = 1_000;
/** Writes to the commit box while streaming, at most this often. */
const WRITE_INTERVAL_MS = 100;

export function registerCommitMessage(deps: CommitMessageDeps): vscode.Disposable {
  return vscode.commands.registerCommand('modelslab.generateCommitMessage', (arg?: unknown) => generateCommitMessage(deps, arg));
}

/** Repositories with a message being written: a second click must not race the first into the same box. */
const writing = new Set<string>();
let nextAnswer = 1;

async function generateCommitMessage(deps: CommitMessageDeps, arg: unknown): Promise<CommitMessageOutcome> {
  const api = await gitApi();
  if ('problem' in api) {
    void vscode.window.showWarningMessage(`ModelsLab: cannot write a commit message: ${api.problem}`);
    return 'noGit';
  }
  const repository = await chooseRepository(api, arg);
  if (!repository) return 'noRepository';
  const key = repository.rootUri.toString();
  if (writing.has(key)) {
    void vscode.window.showInformationMessage(`ModelsLab: a commit message for ${repositoryName(repository)} is already being written.`);
    return 'busy';
  }
  writing.add(key);
  try {
    const changes = await readChanges(repository).catch((err: unknown) => {
      void vscode.window.showErrorMessage(`ModelsLab: could not read the changes in ${repositoryName(repository)}: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    });
    if (changes === null) return 'failed';
    if (!changes) {
      void vscode.window.showInformationMessage(`ModelsLab: there are no changes in ${repositoryName(repository)}, so there is nothing to describe.`);
      return 'nothingToDescribe';
    }
    return await writeMessage(deps, repository, changes);
  } finally {
    writing.delete(key);
  }
}

async function writeMessage(deps: CommitMessageDeps, repository: GitRepository, changes: RepositoryChanges): Promise<CommitMessageOutcome> {
  const { connection, runner, log } = deps;
  const model = connection.settings().model;
  // Three characters a token, leaving room for the answer and the instructions.
  const budget = Math.max(4_000, Math.min(DEFAULT_CONTEXT_BUDGET_CHARS, (limitsFor(model).contextTokens - ANSWER_TOKENS - 1_000) * 3));
  const diff = budgetDiff(changes.diff, budget);
  log.info(`Commit message for ${repositoryName(repository)}: ${changes.staged ? 'staged' : 'working tree'} diff of ${changes.diff.length} characters${diff.truncated ? ` cut to ${diff.text.length}` : ''}, ${changes.recentSubjects.length} recent subjects.`);
  const messages = buildCommitMessages({
    diff: diff.text,
    staged: changes.staged,
    recentSubjects: changes.recentSubjects,
    truncatedNotice: diff.notice,
    newFiles: changes.newFiles,
    userInstructions: connection.requestOptions().systemPrompt,
  });
  const request = connection.buildRequest(messages, ANSWER_TOKENS);
  const title = changes.staged ? 'ModelsLab: writing a commit message for the staged changes…' : 'ModelsLab: nothing is staged, so writing a commit message for all changes in the working tree…';
  const box = new CommitBox(repository);

  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const subscription = abortOnCancel(token, controller);
    if (diff.truncated) progress.report({ message: 'The diff is large: sending a summary of each file and part of its changes.' });
    let lastWrite = 0;
    try {
      let received = '';
      const outcome = await runner.run(
        `commit-${nextAnswer++}`,
        request,
        (event) => {
          if (event.type === 'text') {
            received += event.text;
            if (Date.now() - lastWrite >= WRITE_INTERVAL_MS) {
              lastWrite = Date.now();
              box.stream(cleanCommitMessage(received));
            }
          } else if (event.type === 'retrying' || event.type === 'queued' || event.type === 'fallback') {
            progress.report({ message: progressNote(event) });
          }
        },
        controller.signal,
      );
      if (outcome.status === 'stopped') return box.restore('cancelled');
      if (outcome.status === 'error' || outcome.status === 'incomplete') {
        showErrorWithFix(describeError(outcome.error));
        return box.restore('failed');
      }
      const message = cleanCommitMessage(outcome.text);
      if (!message) {
        void vscode.window.showWarningMessage('ModelsLab: the model returned no commit message. Try again, or another model.');
        return box.restore('empty');
      }
      if (!box.finish(message)) {
        void vscode.window.showInformationMessage('ModelsLab: you edited the commit message while it was being written, so your text was kept.');
        return 'keptUserEdit';
      }
      if (outcome.status === 'truncated') {
        void vscode.window.showWarningMessage('ModelsLab: the commit message was cut off at the answer limit: check its end before committing.');
        return 'truncated';
      }
      return 'written';
    } finally {
      subscription.dispose();
    }
  });
}
