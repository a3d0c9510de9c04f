// Paints a second opinion on the proposed side of a diff: each concern's line gets a coloured
// bar, the whole text in the hover and a mark in the overview ruler; the verdict's line gets
// the hover. The words themselves are in the comment threads (reviewComments.ts), which unlike
// text after the code stay readable on a long line or a narrow diff. Editors that open later
// (the diff re-shown, a tab switched back) are painted too, until clear().
import * as vscode from 'vscode';
import { plainMarkdown } from '../review/plainMarkdown';
import type { MarkKind, ReviewMark, ReviewPresentation } from '../review/reviewMarks';

const COLOURS: Record<Exclude<MarkKind, 'summary'>, { bar: string; ruler: string }> = {
  error: { bar: 'editorError.foreground', ruler: 'editorOverviewRuler.errorForeground' },
  warning: { bar: 'editorWarning.foreground', ruler: 'editorOverviewRuler.warningForeground' },
  info: { bar: 'editorInfo.foreground', ruler: 'editorOverviewRuler.infoForeground' },
};

export class ReviewDecorations implements vscode.Disposable {
  private readonly types: Record<MarkKind, vscode.TextEditorDecorationType>;
  private shown: { uri: string; presentation: ReviewPresentation } | undefined;
  private readonly subscription: vscode.Disposable;

  constructor() {
    const concern = (kind: Exclude<MarkKind, 'summary'>) =>
      vscode.window.createTextEditorDecorationType({
        isWholeLine: true,
        borderWidth: '0 0 0 2px',
        borderStyle: 'solid',
        borderColor: new vscode.ThemeColor(COLOURS[kind].bar),
        overviewRulerColor: new vscode.ThemeColor(COLOURS[kind].ruler),
        overviewRulerLane: vscode.OverviewRulerLane.Right,
      });
    this.types = {
      error: concern('error'),
      warning: concern('warning'),
      info: concern('info'),
      // Only a hover: the verdict's thread shows it. Whole line, so the hover shows anywhere on it.
      summary: vscode.window.createTextEditorDecorationType({ isWholeLine: true }),
    };
    this.subscription = vscode.window.onDidChangeVisibleTextEditors(() => this.paint());
  }

  /** Shows `presentation` on every editor of `uri`, now and when one opens later. */
  show(uri: vscode.Uri, presentation: ReviewPresentation): void {
    this.clear();
    this.shown = { uri: uri.toString(), presentation };
    this.paint();
  }

  clear(): void {
    const uri = this.shown?.uri;
    this.shown = undefined;
    for (const editor of vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === uri)) {
      for (const type of Object.values(this.types)) editor.setDecorations(type, []);
    }
  }

  /** The documents whose visible editors show the marks now. */
  shownIn(): string[] {
    const uri = this.shown?.uri;
    return uri ? vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === uri).map((e) => e.document.uri.toString()) : [];
  }

  private paint(): void {
    const shown = this.shown;
    if (!shown) return;
    for (const editor of vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === shown.uri)) {
      for (const [kind, type] of Object.entries(this.types) as [MarkKind, vscode.TextEditorDecorationType][]) {
        const marks = shown.presentation.marks.filter((m) => m.kind === kind);
        editor.setDecorations(type, marks.map((m) => optionsFor(editor.document, m)));
      }
    }
  }

  dispose(): void {
    this.clear();
    this.subscription.dispose();
    for (const type of Object.values(this.types)) type.dispose();
  }
}

function optionsFor(document: vscode.TextDocument, mark: ReviewMark): vscode.DecorationOptions {
  // A line the text no longer has goes last.
  const line = document.lineAt(Math.min(mark.line, document.lineCount) - 1);
  // The reviewer's words are model output: escaped to plain text, in an untrusted MarkdownString.
  const hoverMessage = new vscode.MarkdownString(plainMarkdown(mark.hover));
  return { range: new vscode.Range(line.range.end, line.range.end), hoverMessage };
}
