import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeModelsLab } from '../fake-server/server';
import type { ModelsLabTestApi } from '../../src/extension';
import { modelLabel } from '../../src/llm/catalogue';
import { familyOf } from '../../src/llm/modelCapabilities';
import { plainMarkdown } from '../../src/review/plainMarkdown';
import type { SecondOpinion, SecondOpinionResult } from '../../src/workspace/secondOpinion';
import { connectToFakeServer, disconnect, extensionApi, restoreWorkspaceFile, setSetting, waitFor, workspaceFile } from './harness';

const REWRITE = 'export function average(values: number[]): number {\n  return values.reduce((sum, v) => sum + v, 0) / values.length;\n}';
const AVERAGE_RANGE = new vscode.Range(0, 0, 6, 1);
const REVIEW = 'modelslab.reviewWithAnotherModel';
const CONCERNS = {
  verdict: 'concerns',
  summary: 'Divides by zero on an empty list',
  concerns: [{ line: 2, severity: 'error', message: 'values.length may be 0, and the average is then NaN' }],
};

function completions(server: FakeModelsLab) {
  return server.requests.filter((r) => r.path.endsWith('/chat/completions'));
}

function lastCompletion(server: FakeModelsLab) {
  const requests = completions(server);
  assert.ok(requests.length > 0, 'no completion request reached the server');
  return requests[requests.length - 1];
}

function secondOpinionOf(api: ModelsLabTestApi): SecondOpinion {
  assert.ok(api.secondOpinion, 'activate() hands the SecondOpinion to the test API');
  return api.secondOpinion;
}

/** The threads on screen as [line, label, body]; each is read-only, expanded, by the reviewer and plain text. */
function threadsOf(opinion: SecondOpinion, reviewer: string): [number, string, string][] {
  const threads = opinion.threads();
  for (const t of threads) {
    assert.equal(t.author, reviewer, `the comment on line ${t.line} is by the reviewer`);
    assert.equal(t.expanded, true, `the thread on line ${t.line} is open`);
    assert.equal(t.canReply, false, `the thread on line ${t.line} takes no replies`);
    assert.equal(t.plain, true, `the comment on line ${t.line} is untrusted Markdown, without HTML or theme icons`);
  }
  return threads.map((t) => [t.line, t.label, t.body]);
}

function proposalDiffOpen(): boolean {
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'modelslab-proposal'));
}

/** Refactors the average function and waits for its diff; returns the outcome and the model that wrote it. */
async function proposeRefactor(api: ModelsLabTestApi, server: FakeModelsLab): Promise<{ outcome: Thenable<unknown>; author: string }> {
  const uri = workspaceFile('math.ts');
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  editor.selection = new vscode.Selection(AVERAGE_RANGE.start, AVERAGE_RANGE.end);
  server.enqueue({ text: '```ts\n' + REWRITE + '\n```' });
  const outcome = vscode.commands.executeCommand('modelslab.refactorSelection', uri, AVERAGE_RANGE, 'use reduce');
  await waitFor(() => api.proposals.pending && proposalDiffOpen(), 'the diff editor showing the proposal');
  return { outcome, author: lastCompletion(server).body.model as string };
}

describe('Review with Another Model in the real host', () => {
  let server: FakeModelsLab;
  let original: string;
  before(async () => {
    server = await connectToFakeServer();
    await setSetting('review.model', undefined);
    original = (await vscode.workspace.openTextDocument(workspaceFile('math.ts'))).getText();
  });
  afterEach(async () => {
    await setSetting('review.model', undefined);
    await restoreWorkspaceFile('math.ts', original, server);
  });
  after(() => disconnect(server));

  it('sends the instruction, the original and the numbered proposal to a model of another family as JSON, and shows its concerns on the proposal', async () => {
    const api = await extensionApi();
    const opinion = secondOpinionOf(api);
    const { outcome, author } = await proposeRefactor(api, server);
    const proposedUri = api.proposals.activeProposal?.proposedUri.toString();
    assert.ok(proposedUri, 'the proposal is readable');

    server.enqueue({ text: JSON.stringify(CONCERNS) });
    const result = await vscode.commands.executeCommand<SecondOpinionResult>(REVIEW);

    const request = lastCompletion(server);
    assert.equal(completions(server).length, 2, 'one refactor and one review request');
    assert.deepEqual(request.body.response_format, { type: 'json_object' });
    assert.equal(typeof request.body.max_tokens, 'number');
    assert.notEqual(familyOf(request.body.model), familyOf(author), `${request.body.model} reviews the change of ${author}`);
    const system = request.body.messages[0].content as string;
    assert.match(system, /untrusted data/);
    assert.match(system, /"verdict": "approve" \| "concerns" \| "reject"/);
    const user = request.body.messages.at(-1).content as string;
    assert.match(user, /use reduce/, 'the instruction');
    assert.match(user, /math\.ts \(language: typescript\)/);
    assert.ok(user.includes('    total = total + values[i];'), 'the original text');
    assert.ok(user.includes('2|   return values.reduce((sum, v) => sum + v, 0) / values.length;'), 'the proposed text, numbered');

    assert.equal(result.status, 'reviewed');
    assert.equal(result.reviewer, request.body.model);
    assert.equal(result.authorModel, author);
    assert.equal(result.target?.kind, 'proposal');
    assert.equal(result.target?.proposedUri, proposedUri);
    assert.equal(result.review?.verdict, 'concerns');
    assert.match(result.headline ?? '', /has concerns about this change \(1 concern\): Divides by zero on an empty list/);
    const concern = result.marks.find((m) => m.kind === 'error');
    assert.equal(concern?.line, 2);
    assert.match(concern?.hover ?? '', /values\.length may be 0, and the average is then NaN/);
    assert.equal(result.marks.find((m) => m.kind === 'summary')?.line, 2, 'the verdict sits on the first changed line');

    assert.deepEqual(opinion.current, result, 'the review stays on screen');
    await waitFor(() => opinion.shownIn().includes(proposedUri), 'the marks on the proposed side of the diff');

    // The words are in comment threads on the proposed side: the verdict, then the concern, both on line 2.
    assert.equal(result.answeredBy, result.reviewer, 'no fallback here');
    const reviewer = modelLabel(request.body.model);
    assert.deepEqual(threadsOf(opinion, reviewer), [
      [2, `${reviewer} · has concerns`, `${plainMarkdown(reviewer)} has concerns about this change \\(1 concern\\)\\: Divides by zero on an empty list`],
      [2, `${reviewer} · error`, '✖ error\\: values\\.length may be 0\\, and the average is then NaN'],
    ]);

    await vscode.commands.executeCommand('modelslab.rejectProposal');
    assert.equal(await outcome, 'rejected');
    await waitFor(() => opinion.current === undefined, 'the review to go with the proposal');
    assert.deepEqual(opinion.shownIn(), []);
    assert.deepEqual(opinion.threads(), [], 'the threads go with the proposal');
  });

  it('an answer that is not a verdict is “could not be read”, never an approval', async () => {
    const api = await extensionApi();
    const opinion = secondOpinionOf(api);
    await proposeRefactor(api, server);

    server.enqueue({ text: 'Looks great to me. Approved!' });
    const prose = await vscode.commands.executeCommand<SecondOpinionResult>(REVIEW);
    assert.equal(prose.status, 'unreadable');
    assert.equal(prose.review, undefined);
    assert.match(prose.headline ?? '', /^The reviewer's answer could not be read \(the answer holds no JSON object\)\. Nothing was approved\.$/);
    assert.deepEqual(prose.marks.map((m) => m.kind), ['summary']);
    assert.equal(opinion.current?.status, 'unreadable');
    const reviewer = modelLabel(lastCompletion(server).body.model);
    assert.deepEqual(threadsOf(opinion, reviewer), [
      [2, `${reviewer} · unreadable`, "The reviewer\\'s answer could not be read \\(the answer holds no JSON object\\)\\. Nothing was approved\\."],
    ], 'one thread, on the first changed line, that says so');

    server.enqueue({ text: '```json\n{"verdict": "looks fine", "concerns": []}\n```' });
    const unknownVerdict = await vscode.commands.executeCommand<SecondOpinionResult>(REVIEW);
    assert.equal(unknownVerdict.status, 'unreadable');
    assert.match(unknownVerdict.reason ?? '', /not approve, concerns or reject/);

    server.enqueue({ text: '{"verdict": "approve", "concerns": "none"}' });
    const badConcerns = await vscode.commands.executeCommand<SecondOpinionResult>(REVIEW);
    assert.equal(badConcerns.status, 'unreadable');
    assert.doesNotMatch(badConcerns.headline ?? '', /approves/);
    const [only, ...others] = threadsOf(opinion, modelLabel(lastCompletion(server).body.model));
    assert.deepEqual(others, [], 'each review replaces the threads of the one before');
    assert.match(only[1], / · unreadable$/);
    assert.match(only[2], /could not be read.*Nothing was approved/);
    assert.doesNotMatch(only[2], /approves/);
    assert.equal(api.proposals.pending, true, 'a review decides nothing: the proposal still waits for the user');
  });

  it('uses the modelslab.review.model setting when it is set', async () => {
    const api = await extensionApi();
    await setSetting('review.model', 'mistralai-Mistral-Small-24B-Instruct-2501');
    await proposeRefactor(api, server);
    server.enqueue({ text: '{"verdict":"approve","summary":"Same behaviour, shorter.","concerns":[]}' });
    const result = await vscode.commands.executeCommand<SecondOpinionResult>(REVIEW);
    assert.equal(lastCompletion(server).body.model, 'mistralai-Mistral-Small-24B-Instruct-2501');
    assert.equal(result.status, 'reviewed');
    assert.equal(result.review?.verdict, 'approve');
    assert.match(result.headline ?? '', /approves this change: Same behaviour, shorter\./);
    const reviewer = modelLabel('mistralai-Mistral-Small-24B-Instruct-2501');
    assert.deepEqual(threadsOf(secondOpinionOf(api), reviewer).map(([line, label]) => [line, label]), [[2, `${reviewer} · approves`]]);
  });

  it('Stop aborts a review in flight: the request is closed and nothing is shown', async () => {
    const api = await extensionApi();
    const opinion = secondOpinionOf(api);
    await proposeRefactor(api, server);
    // A piece of the answer, then the server holds the connection open.
    server.enqueue({ text: JSON.stringify(CONCERNS), stallAfterChunks: 2 });
    const reviewing = vscode.commands.executeCommand<SecondOpinionResult>(REVIEW);
    const request = await waitFor(() => completions(server)[1], 'the review request');
    assert.equal(await vscode.commands.executeCommand('modelslab.stop'), true);
    const result = await reviewing;
    assert.equal(result.status, 'cancelled');
    await request.closed;
    assert.equal(request.closedByClient, true, 'the server saw the socket close');
    assert.equal(opinion.current, undefined);
    assert.deepEqual(opinion.threads(), []);
  });

  it('a server error takes the usual error path, not a verdict', async () => {
    const api = await extensionApi();
    const opinion = secondOpinionOf(api);
    await proposeRefactor(api, server);
    server.enqueue({ status: 404, errorMessage: 'The model does not exist' });
    const result = await vscode.commands.executeCommand<SecondOpinionResult>(REVIEW);
    assert.equal(result.status, 'failed');
    assert.ok(result.reason, 'the error message');
    assert.equal(result.review, undefined);
    assert.equal(opinion.current, undefined);
    assert.deepEqual(opinion.threads(), []);
  });
});
