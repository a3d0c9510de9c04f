import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatedExtension } from './extensionUnderTest';

interface MenuItem { command?: string; submenu?: string; when?: string }
interface Keybinding { command: string; key: string; when?: string }

describe('Where the editor actions are offered', () => {
  let uri: vscode.Uri;
  before(async () => {
    await activatedExtension();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    uri = vscode.Uri.joinPath(folder.uri, 'math.ts');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  });

  async function titlesAt(range: vscode.Range): Promise<Map<string, string>> {
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range)) ?? [];
    return new Map(actions.filter((a) => a.title.includes('ModelsLab')).map((a) => [a.title, a.kind?.value ?? '']));
  }

  it('offers Explain and Refactor (refactor.rewrite) on a selection', async () => {
    const titles = await titlesAt(new vscode.Range(0, 0, 6, 1));
    assert.match(titles.get('Explain with ModelsLab') ?? '', /^refactor\.rewrite/);
    assert.match(titles.get('Refactor with ModelsLab') ?? '', /^refactor\.rewrite/);
    assert.ok(!titles.has('Fix with ModelsLab'));
  });

  it('offers nothing on an empty selection without diagnostics', async () => {
    assert.equal((await titlesAt(new vscode.Range(2, 3, 2, 3))).size, 0);
  });

  it('offers Fix as a quickfix on a diagnostic', async () => {
    const diagnostics = vscode.languages.createDiagnosticCollection('modelslab-code-actions');
    diagnostics.set(uri, [new vscode.Diagnostic(new vscode.Range(3, 4, 3, 9), 'Unexpected assignment', vscode.DiagnosticSeverity.Error)]);
    try {
      const titles = await titlesAt(new vscode.Range(3, 5, 3, 5));
      assert.equal(titles.get('Fix with ModelsLab'), 'quickfix');
    } finally {
      diagnostics.dispose();
    }
  });

  it('shows the context submenu items only with a selection, and rewrites only in writable editors', async () => {
    const extension = await activatedExtension();
    const menus = (extension.packageJSON as { contributes: { menus: Record<string, MenuItem[]> } }).contributes.menus;
    const submenu = new Map(menus['modelslab.editorContext'].map((m) => [m.command, m.when ?? '']));
    for (const id of ['explainSelection', 'askAboutSelection', 'generateTests']) assert.equal(submenu.get(`modelslab.${id}`), 'editorHasSelection');
    for (const id of ['refactorSelection', 'fixSelection', 'documentSelection']) assert.equal(submenu.get(`modelslab.${id}`), 'editorHasSelection && !editorReadonly');
    assert.ok(menus['editor/context'].some((m) => m.submenu === 'modelslab.editorContext'));
  });

  it('binds Explain and Refactor to keys that no VS Code default uses in an editor', async () => {
    const extension = await activatedExtension();
    const ours = (extension.packageJSON as { contributes: { keybindings: Keybinding[] } }).contributes.keybindings.filter((k) => k.command !== 'modelslab.stop');
    const defaults = await vscode.workspace.openTextDocument(vscode.Uri.parse('vscode://defaultsettings/keybindings.json'));
    const entries = [...defaults.getText().matchAll(/\{ "key": "([^"]+)",\s*"command": "([^"]+)"(?:,\s*"when": "((?:[^"\\]|\\.)*)")?/g)].map((m) => ({ key: m[1], command: m[2], when: m[3] ?? '' }));
    assert.ok(entries.length > 500, 'the default keybindings could be read');
    // A default bound only where another part has focus (e.g. the terminal) cannot fire in the editor.
    const otherFocus = /terminalFocus|terminalFocusInAny|inChat|listFocus|inQuickOpen|notebookEditorFocused|webviewFindWidgetFocused/;
    for (const binding of ours) {
      assert.ok(binding.when?.includes('editorHasSelection'), `${binding.command} applies only with a selection`);
      const clashes = entries.filter(
        (e) => e.key === binding.key && !e.command.startsWith('modelslab.') && !e.when.split('||').every((part) => otherFocus.test(part)),
      );
      assert.deepEqual(clashes, [], `${binding.key} clashes with a VS Code default`);
    }
  });
});
