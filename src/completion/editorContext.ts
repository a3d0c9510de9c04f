import * as vscode from 'vscode';
import type { HoleContext, RelatedSnippet } from './types';

/** How long a suggestion may wait for the symbol provider; later answers are kept for the next keystroke. */
const SYMBOLS_WAIT_MS = 60;
const MAX_TABS = 2;
const TAB_LINES = 40;
const MAX_DEFINITIONS = 3;
const DEFINITION_LINES = 15;
/** The editor's text around the cursor is cut by the prompt builder; this only bounds the copy. */
const MAX_SIDE_CHARS = 20_000;

/**
 * What the model sees besides the hole: the head of other open tabs in the same language, and
 * the definitions (from the document-symbol provider) of symbols used near the cursor.
 */
export class EditorContext implements vscode.Disposable {
  private readonly symbols = new Map<string, { version: number; symbols: Promise<vscode.DocumentSymbol[]> }>();
  private readonly subscription = vscode.workspace.onDidCloseTextDocument((d) => this.symbols.delete(d.uri.toString()));

  async hole(document: vscode.TextDocument, position: vscode.Position, relativePath: string): Promise<HoleContext> {
    // Only the text around the cursor is copied: a keystroke in a big file must not copy all of it.
    const offset = document.offsetAt(position);
    const prefix = document.getText(new vscode.Range(document.positionAt(Math.max(0, offset - MAX_SIDE_CHARS)), position));
    const suffix = document.getText(new vscode.Range(position, document.positionAt(offset + MAX_SIDE_CHARS)));
    const related = [...(await this.definitionsNear(document, position)), ...this.openTabs(document)];
    return { prefix, suffix, languageId: document.languageId, path: relativePath, related };
  }

  /** The first lines of other open editors' documents in the same language. */
  private openTabs(document: vscode.TextDocument): RelatedSnippet[] {
    const open = new Set(vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => (t.input instanceof vscode.TabInputText ? t.input.uri.toString() : '')));
    return vscode.workspace.textDocuments
      .filter((d) => d !== document && d.languageId === document.languageId && open.has(d.uri.toString()) && d.uri.scheme === 'file')
      .slice(0, MAX_TABS)
      .map((d) => ({ path: vscode.workspace.asRelativePath(d.uri), text: d.getText(new vscode.Range(0, 0, TAB_LINES, 0)), why: 'open tab' }));
  }

  /** Definitions in this file of the identifiers on the cursor's line and the few above it. */
  private async definitionsNear(document: vscode.TextDocument, position: vscode.Position): Promise<RelatedSnippet[]> {
    const symbols = await this.symbolsOf(document);
    if (symbols.length === 0) return [];
    const nearby = document.getText(new vscode.Range(Math.max(0, position.line - 3), 0, position.line, position.character));
    const words = new Set(nearby.match(/[A-Za-z_$][\w$]*/g) ?? []);
    const found: RelatedSnippet[] = [];
    for (const symbol of flatten(symbols)) {
      if (found.length >= MAX_DEFINITIONS) break;
      // The symbol the cursor is in is the hole itself, not context.
      if (!words.has(symbol.name) || symbol.range.contains(position)) continue;
      const end = Math.min(symbol.range.end.line + 1, symbol.range.start.line + DEFINITION_LINES);
      found.push({ path: vscode.workspace.asRelativePath(document.uri), text: document.getText(new vscode.Range(symbol.range.start.line, 0, end, 0)), why: `definition of ${symbol.name}` });
    }
    return found;
  }

  /** The document's symbols, at most SYMBOLS_WAIT_MS away; cached per version. */
  private async symbolsOf(document: vscode.TextDocument): Promise<vscode.DocumentSymbol[]> {
    const key = document.uri.toString();
    let entry = this.symbols.get(key);
    if (!entry || entry.version !== document.version) {
      const request = Promise.resolve(vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>('vscode.executeDocumentSymbolProvider', document.uri)).then(
        (result) => (result ?? []).filter((s): s is vscode.DocumentSymbol => 'children' in s),
        () => [],
      );
      entry = { version: document.version, symbols: request };
      this.symbols.set(key, entry);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<vscode.DocumentSymbol[]>((resolve) => (timer = setTimeout(() => resolve([]), SYMBOLS_WAIT_MS)));
    try {
      return await Promise.race([entry.symbols, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.symbols.clear();
  }
}

function flatten(symbols: readonly vscode.DocumentSymbol[]): vscode.DocumentSymbol[] {
  return symbols.flatMap((s) => [s, ...flatten(s.children)]);
}
