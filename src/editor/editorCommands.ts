import * as vscode from 'vscode';
import type { Connection } from '../platform/connection';
import { DEFAULT_REFACTOR_INSTRUCTION, explainRequest, rewriteMessages, testMessages, type DiagnosticInfo, type RewriteKind } from '../prompts/editorPrompts';
import { extractCode } from '../prompts/extractCode';
import type { AnswerRunner } from '../llm/answerRunner';
import type { ModelSelection } from '../platform/modelSelection';
import type { AttachedContext } from '../prompts/chatPrompt';
import { languageIdFromFence } from '../prompts/languages';
import type { ProposedEdits } from '../workspace/proposedEdits';
import { nextLimit, offerLargerLimit, rewriteSelection, streamWithProgress, type RewriteOutcome } from './rewriteFlow';
import { diagnosticsIn, resolveTarget, type Purpose, type Target } from './selectionTarget';
import { detectTestFramework } from './testFramework';

export interface EditorCommandDeps {
  connection: Connection;
  /** Shared with the chat: Stop stops every answer, wherever it shows. */
  runner: AnswerRunner;
  models: ModelSelection;
  proposals: ProposedEdits;
  askInChat(prompt: string, context: AttachedContext): Promise<void>;
  newChat(): Promise<void>;
}

const REWRITE_TITLES: Record<RewriteKind, string> = { refactor: 'Refactor', fix: 'Fix', document: 'Document' };

/** Commands on the selection, and the palette commands that go with them. */
export function registerEditorCommands(deps: EditorCommandDeps): vscode.Disposable[] {
  const register = (id: string, run: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(id, run);
  return [
    register('modelslab.explainSelection', (uri, range) => explain(deps, uri, range)),
    register('modelslab.askAboutSelection', (question) => askAbout(deps, question)),
    register('modelslab.ask', (question) => ask(deps, question)),
    register('modelslab.refactorSelection', (uri, range, instruction) => rewrite(deps, 'refactor', uri, range, instruction)),
    register('modelslab.fixSelection', (uri, range) => rewrite(deps, 'fix', uri, range)),
    register('modelslab.documentSelection', (uri, range) => rewrite(deps, 'document', uri, range)),
    register('modelslab.generateTests', (uri, range) => generateTests(deps, uri, range)),
    register('modelslab.newChat', () => deps.newChat()),
    register('modelslab.selectModel', () => selectModel(deps.connection, deps.models)),
    register('modelslab.stop', () => stop(deps)),
  ];
}

/** The editor and range a command acts on: the code action's arguments, else the active editor. */
async function targetFor(purpose: Purpose, uri: unknown, range: unknown): Promise<Target | undefined> {
  if (uri instanceof vscode.Uri && range instanceof vscode.Range) {
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === document) ?? (await vscode.window.showTextDocument(document));
    return resolveTarget(editor, purpose, range);
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showWarningMessage('ModelsLab: open a file and select some code first.');
    return undefined;
  }
  return resolveTarget(editor, purpose);
}

async function explain(deps: EditorCommandDeps, uri: unknown, range: unknown): Promise<void> {
  const target = await targetFor('explain', uri, range);
  if (!target) return;
  const { prompt, context } = explainRequest(target.context);
  // The chip names the code; the prompt does not repeat it.
  await deps.askInChat('Explain this code', { text: `${context}\n\n${prompt}`, labels: [target.label] });
}

async function askAbout(deps: EditorCommandDeps, question: unknown): Promise<void> {
  const target = await targetFor('explain', undefined, undefined);
  if (!target) return;
  const text = typeof question === 'string' ? question : await vscode.window.showInputBox({ title: `Ask ModelsLab about ${target.label}`, prompt: 'Your question about the selected code', ignoreFocusOut: true });
  if (!text?.trim()) return;
  const { context } = explainRequest(target.context, text);
  await deps.askInChat(text.trim(), { text: context, labels: [target.label] });
}

async function ask(deps: EditorCommandDeps, question: unknown): Promise<void> {
  const text = typeof question === 'string' ? question : await vscode.window.showInputBox({ title: 'Ask ModelsLab', prompt: 'Ask anything; the answer appears in the chat panel', ignoreFocusOut: true });
  if (!text?.trim()) return;
  await deps.askInChat(text.trim(), { labels: [] });
}

async function rewrite(deps: EditorCommandDeps, kind: RewriteKind, uri: unknown, range: unknown, instructionArg?: unknown): Promise<RewriteOutcome | undefined> {
  const target = await targetFor('rewrite', uri, range);
  if (!target) return undefined;
  let instruction: string | undefined;
  if (kind === 'refactor') {
    instruction = typeof instructionArg === 'string' ? instructionArg : await vscode.window.showInputBox({
      title: `Refactor ${target.label}`,
      prompt: 'What should change? Leave empty to improve readability and keep the behaviour.',
      placeHolder: 'e.g. use async/await, extract a helper, rename for clarity',
      ignoreFocusOut: true,
    });
    if (instruction === undefined) return 'cancelled';
  }
  const diagnostics = kind === 'fix' ? diagnosticsIn(target) : undefined;
  const { systemPrompt } = deps.connection.requestOptions();
  const messages = rewriteMessages(kind, target.context, { instruction, diagnostics, userInstructions: systemPrompt });
  return rewriteSelection(target, REWRITE_TITLES[kind], messages, deps, { instruction: reviewInstruction(kind, instruction, diagnostics) });
}

/** What the user asked for, in words a reviewing model can hold the change to. */
function reviewInstruction(kind: RewriteKind, instruction: string | undefined, diagnostics: DiagnosticInfo[] | undefined): string {
  switch (kind) {
    case 'refactor':
      return `Refactor the selected code: ${instruction?.trim() || DEFAULT_REFACTOR_INSTRUCTION}`;
    case 'fix':
      return diagnostics?.length
        ? `Fix these problems in the selected code, changing nothing else:\n${diagnostics.map((d) => `- line ${d.line} ${d.severity}: ${d.message}`).join('\n')}`
        : 'Find and fix the bugs in the selected code, changing nothing else.';
    case 'document':
      return 'Add documentation comments to the selected code without changing the code itself.';
  }
}

async function generateTests(deps: EditorCommandDeps, uri: unknown, range: unknown, maxTokens?: number): Promise<vscode.TextDocument | undefined> {
  const target = await targetFor('rewrite', uri, range);
  if (!target) return undefined;
  const framework = await detectTestFramework(target.document.languageId);
  const messages = testMessages(target.context, framework, deps.connection.requestOptions().systemPrompt);
  const result = await streamWithProgress(`ModelsLab: writing tests for ${target.label}…`, messages, deps, maxTokens);
  if ('failure' in result) return undefined;
  if (result.truncated) {
    // Tests cut off mid-function would not even compile: say so instead of opening them.
    const larger = nextLimit(deps.connection, result.maxTokens);
    offerLargerLimit('Tests', target.label, result.maxTokens, larger, () => void generateTests(deps, target.document.uri, target.range, larger));
    return undefined;
  }
  const code = extractCode(result.text);
  if (!code.trim()) {
    void vscode.window.showWarningMessage('ModelsLab: the model returned no tests. Try again.');
    return undefined;
  }
  const fenceLanguage = /```(\S+)/.exec(result.text)?.[1];
  const language = fenceLanguage ? languageIdFromFence(fenceLanguage) : target.document.languageId;
  const document = await vscode.workspace.openTextDocument({ content: `${code}\n`, language });
  await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  return document;
}

async function selectModel(connection: Connection, selection: ModelSelection): Promise<string | undefined> {
  const current = selection.current();
  const models = await connection.models();
  const picked = await vscode.window.showQuickPick(
    models.map((m) => ({ label: m.label, description: m.id === current ? `${m.id} (current)` : m.id, detail: m.note, id: m.id, picked: m.id === current })),
    { title: 'ModelsLab: Select Model', placeHolder: `Current: ${current}`, matchOnDescription: true },
  );
  if (!picked) return undefined;
  await selection.choose(picked.id);
  return picked.id;
}

function stop(deps: EditorCommandDeps): boolean {
  const stopped = deps.runner.cancel();
  if (!stopped) void vscode.window.setStatusBarMessage('ModelsLab: nothing to stop', 2000);
  return stopped;
}
