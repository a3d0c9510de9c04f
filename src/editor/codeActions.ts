import * as vscode from 'vscode';

/**
 * The lightbulb: Explain/Refactor on a selection, Fix on diagnostics. Cheap by design: it only
 * builds command objects; the network is used when the user picks one.
 */
export class ModelsLabCodeActionProvider implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.RefactorRewrite];

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const wants = (kind: vscode.CodeActionKind) => !context.only || context.only.contains(kind) || kind.contains(context.only);

    if (context.diagnostics.length > 0 && wants(vscode.CodeActionKind.QuickFix)) {
      const target = range.isEmpty ? context.diagnostics.map((d) => d.range).reduce((a, b) => a.union(b)) : range;
      const fix = new vscode.CodeAction('Fix with ModelsLab', vscode.CodeActionKind.QuickFix);
      fix.diagnostics = [...context.diagnostics];
      fix.command = { command: 'modelslab.fixSelection', title: 'Fix with ModelsLab', arguments: [document.uri, wholeLines(document, target)] };
      actions.push(fix);
    }
    if (!range.isEmpty && document.getText(range).trim() !== '' && wants(vscode.CodeActionKind.RefactorRewrite)) {
      const explain = new vscode.CodeAction('Explain with ModelsLab', vscode.CodeActionKind.RefactorRewrite.append('modelslab.explain'));
      explain.command = { command: 'modelslab.explainSelection', title: 'Explain with ModelsLab', arguments: [document.uri, range] };
      const refactor = new vscode.CodeAction('Refactor with ModelsLab', vscode.CodeActionKind.RefactorRewrite.append('modelslab.refactor'));
      refactor.command = { command: 'modelslab.refactorSelection', title: 'Refactor with ModelsLab', arguments: [document.uri, range] };
      actions.push(explain, refactor);
    }
    return actions;
  }
}

/** A fix needs the whole lines around a diagnostic, not just the squiggle. */
function wholeLines(document: vscode.TextDocument, range: vscode.Range): vscode.Range {
  return new vscode.Range(range.start.line, 0, range.end.line, document.lineAt(range.end.line).text.length);
}
