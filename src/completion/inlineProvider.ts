import * as vscode from 'vscode';
import { WorkspaceBoundary } from '../agent/workspaceBoundary';
import type { Logger } from '../llm/logger';
import type { Connection } from '../platform/connection';
import { completionBlocked, type GateSettings } from './completionGate';
import type { CompletionEngine } from './completionEngine';
import { fastestCoderModel } from './completionModel';
import type { CompletionStatus } from './completionStatus';
import type { EditorContext } from './editorContext';

/** How much of the project rules goes into a ghost-text prompt. */
const RULES_CHARS = 1_200;

export interface InlineProviderDeps {
  engine: CompletionEngine;
  context: EditorContext;
  status: CompletionStatus;
  connection: Connection;
  hasKey(): Promise<boolean>;
  log: Logger;
  /** The project rules in effect ('' when none): ghost text follows them too. */
  rules?: () => string;
}

/**
 * Ghost text for every language: VS Code asks on each keystroke; the engine debounces, serves
 * what it can from its cache, and sends at most one request per editor. Nothing is asked for
 * where the gate says no (secrets, size, languages, snooze…), nor without a key.
 */
export class GhostTextProvider implements vscode.InlineCompletionItemProvider {
  /** Why the last request was not made, for the tests and the log. */
  lastBlocked: string | undefined;
  /** The last suggestion shown, for the tests. */
  lastSuggestion: string | undefined;

  constructor(private readonly deps: InlineProviderDeps) {}

  async provideInlineCompletionItems(document: vscode.TextDocument, position: vscode.Position, _context: vscode.InlineCompletionContext, token: vscode.CancellationToken): Promise<vscode.InlineCompletionItem[] | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    const relativePath = folder ? vscode.workspace.asRelativePath(document.uri, false) : undefined;
    const settings = readGateSettings(document);
    const blocked = completionBlocked({
      languageId: document.languageId,
      scheme: document.uri.scheme,
      relativePath,
      fileName: document.uri.path.split('/').pop() ?? '',
      // The end's offset, not getText().length: no copy of the whole file per keystroke.
      length: document.offsetAt(document.lineAt(document.lineCount - 1).range.end),
      settings,
      snoozedUntil: this.deps.status.snoozedUntil,
      now: Date.now(),
      isSensitive: (path) => sensitiveMatcher().isSensitive(path),
    });
    this.lastBlocked = blocked;
    if (blocked || token.isCancellationRequested || !(await this.deps.hasKey())) return undefined;
    const hole = await this.deps.context.hole(document, position, relativePath ?? document.uri.path.split('/').pop() ?? 'untitled');
    const rules = this.deps.rules?.() ?? '';
    // Short: a suggestion's prompt is small, and style rules are what matter at the cursor.
    if (rules) hole.related.unshift({ path: 'project rules', text: rules.slice(0, RULES_CHARS), why: 'the workspace’s rules' });
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    try {
      const text = await this.deps.engine.complete(document.uri.toString(), hole, { model: await this.model(), token: controller.signal });
      if (!text || token.isCancellationRequested) return undefined;
      this.lastSuggestion = text;
      return [new vscode.InlineCompletionItem(text, new vscode.Range(position, position))];
    } finally {
      cancel.dispose();
    }
  }

  /** modelslab.completions.model, else the fastest Qwen-Coder model the catalogue offers. */
  private async model(): Promise<string> {
    const configured = vscode.workspace.getConfiguration('modelslab.completions').get<string>('model', '').trim();
    if (configured) return configured;
    return fastestCoderModel((await this.deps.connection.models()).map((m) => m.id));
  }
}

function readGateSettings(document: vscode.TextDocument): GateSettings {
  const config = vscode.workspace.getConfiguration('modelslab.completions', document);
  return {
    enabled: config.get<boolean>('enabled', true),
    languages: config.get<Record<string, boolean>>('languages', { '*': true }),
    maxFileKB: config.get<number>('maxFileKB', 512),
    outsideWorkspace: config.get<boolean>('outsideWorkspace', false),
    inlineSuggestEnabled: vscode.workspace.getConfiguration('editor', document).get<boolean>('inlineSuggest.enabled', true),
  };
}

let matcher: { key: string; boundary: WorkspaceBoundary } | undefined;

/**
 * The agent's secret-file list (built-ins and modelslab.agent.sensitiveFiles): the same files are
 * never sent here either. Built once per list, not on every keystroke (it compiles the globs).
 */
function sensitiveMatcher(): WorkspaceBoundary {
  const patterns = vscode.workspace.getConfiguration('modelslab.agent').get<string[]>('sensitiveFiles', []);
  const key = JSON.stringify(patterns);
  if (matcher?.key !== key) matcher = { key, boundary: new WorkspaceBoundary({ roots: [], sensitivePatterns: patterns }) };
  return matcher.boundary;
}
