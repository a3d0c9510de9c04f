// The agent's workspace tools, over VS Code's services. Read-only tools run without asking;
// the two edit tools only add to the turn's EditPlan, which the user reviews. Every path goes
// through the WorkspaceBoundary; results are cut to a budget, and the cut is stated.
import * as vscode from 'vscode';
import type { AgentTool, ToolOutcome } from '../agent/agentTool';
import type { EditPlan } from '../agent/editPlan';
import { readDocumentText } from './documentText';
import { ignoredBy } from '../agent/ignoreRules';
import { findRipgrep, searchText } from '../agent/textSearch';
import { BUILT_IN_SENSITIVE_PATTERNS, type WorkspaceBoundary } from '../agent/workspaceBoundary';

export interface WorkspaceToolsDeps {
  boundary: WorkspaceBoundary;
  plan: EditPlan;
  /** Asks the user before a secret file (.env, keys…) is read; true = allowed once. */
  approveSensitiveRead: (relativePath: string) => Promise<boolean>;
  /** Extra globs of secret files (the setting). */
  sensitivePatterns?: readonly string[];
  /** Globs of what the user hides (files.exclude) and the workspace ignores (.gitignore). */
  ignoredGlobs?: readonly string[];
}

const MAX_READ_LINES = 400;
const MAX_READ_CHARS = 40_000;
const MAX_LIST_ENTRIES = 300;
const MAX_FOUND_FILES = 200;
const MAX_SEARCH_MATCHES = 100;
const MAX_SEARCH_FILE_BYTES = 1024 * 1024;

const string = (description: string) => ({ type: 'string', description });
const integer = (description: string) => ({ type: 'integer', description });
const schema = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', properties, required });

const error = (content: string, summary: string): ToolOutcome => ({ content, isError: true, summary });

/** The first `max` lines, and what was left out, said to the model. */
function withCut(lines: readonly string[], max: number, what: string): string {
  const shown = lines.slice(0, max).join('\n');
  return lines.length > max ? `${shown}\n[${lines.length - max} more ${what} not shown.]` : shown;
}

export function workspaceTools(deps: WorkspaceToolsDeps): AgentTool[] {
  const { boundary, plan } = deps;
  const isIgnored = ignoredBy(deps.ignoredGlobs ?? []);

  /** What the model should see: this turn's proposal for the file if there is one. */
  async function currentText(absolute: string, relative: string): Promise<string | undefined> {
    return plan.proposed(relative) ?? (await readDocumentText(vscode.Uri.file(absolute)));
  }

  const readFileTool: AgentTool = {
    readOnly: true,
    describe: (args) => `Reading ${String(args.path ?? '')}`,
    spec: {
      name: 'read_file',
      description: `Reads a workspace file, or a range of its lines (1-based, inclusive). At most ${MAX_READ_LINES} lines at a time.`,
      parameters: schema({ path: string('Path relative to the workspace'), startLine: integer('First line (default 1)'), endLine: integer('Last line') }, ['path']),
    },
    async run(args) {
      const path = String(args.path ?? '');
      const resolved = await boundary.resolve(path);
      if (!resolved.ok) return error(resolved.reason, `Refused to read ${path}`);
      if (resolved.sensitive && !(await deps.approveSensitiveRead(resolved.relative))) {
        return error(`The user did not allow reading ${resolved.relative}: it may hold secrets. Do not ask again; work without it.`, `Not allowed to read ${resolved.relative}`);
      }
      if (isIgnored(resolved.relative)) {
        return error(`${resolved.relative} is excluded by files.exclude or .gitignore, so the agent does not read it.`, `Skipped ${resolved.relative}: ignored`);
      }
      const readable = await boundary.checkReadable(resolved.absolute);
      if (!readable.ok) return error(readable.reason, `Could not read ${resolved.relative}`);
      const text = await currentText(resolved.absolute, resolved.relative);
      if (text === undefined) return error(`${resolved.relative} does not exist.`, `${resolved.relative} not found`);
      const lines = text.split(/\r?\n/);
      const start = Math.max(1, Number(args.startLine) || 1);
      let end = Math.min(lines.length, Number(args.endLine) || lines.length, start + MAX_READ_LINES - 1);
      let body = lines.slice(start - 1, end).join('\n');
      if (body.length > MAX_READ_CHARS) {
        body = body.slice(0, MAX_READ_CHARS);
        end = start + body.split('\n').length - 1;
      }
      const cut = end < lines.length ? `\n[Lines ${start}–${end} of ${lines.length}. Call read_file with startLine ${end + 1} for more.]` : '';
      return { content: `${resolved.relative}, lines ${start}–${end}:\n${body}${cut}`, summary: `Read ${resolved.relative}, lines ${start}–${end}` };
    },
  };

  const listDirTool: AgentTool = {
    readOnly: true,
    describe: (args) => `Listing ${String(args.path ?? '.')}`,
    spec: { name: 'list_dir', description: 'Lists a workspace folder: files, and folders ending in /.', parameters: schema({ path: string('Folder relative to the workspace; "." for the top') }, ['path']) },
    async run(args) {
      const path = String(args.path ?? '.');
      const resolved = await boundary.resolve(path);
      if (!resolved.ok) return error(resolved.reason, `Refused to list ${path}`);
      let entries: [string, vscode.FileType][];
      try {
        entries = await vscode.workspace.fs.readDirectory(vscode.Uri.file(resolved.absolute));
      } catch {
        return error(`${resolved.relative} is not a folder.`, `${resolved.relative}: no such folder`);
      }
      const names = entries.map(([name, type]) => (type & vscode.FileType.Directory ? `${name}/` : name)).sort();
      const shown = names.slice(0, MAX_LIST_ENTRIES);
      const cut = names.length > shown.length ? `\n[${names.length - shown.length} more entries not shown.]` : '';
      return { content: `${resolved.relative}:\n${shown.join('\n')}${cut}`, summary: `Listed ${resolved.relative}: ${names.length} entries` };
    },
  };

  const findFilesTool: AgentTool = {
    readOnly: true,
    describe: (args) => `Finding ${String(args.glob ?? '')}`,
    spec: { name: 'find_files', description: 'Finds workspace files by glob, e.g. "**/*.test.ts". Ignored files (files.exclude) are left out.', parameters: schema({ glob: string('Glob pattern') }, ['glob']) },
    async run(args, signal) {
      const glob = String(args.glob ?? '');
      if (!glob) return error('find_files needs a glob.', 'find_files: no glob');
      const source = new vscode.CancellationTokenSource();
      signal.addEventListener('abort', () => source.cancel(), { once: true });
      const found = await vscode.workspace.findFiles(glob, undefined, MAX_FOUND_FILES + 1, source.token);
      const paths = found.map((uri) => vscode.workspace.asRelativePath(uri)).sort();
      const shown = paths.slice(0, MAX_FOUND_FILES);
      const cut = paths.length > MAX_FOUND_FILES ? `\n[Only the first ${MAX_FOUND_FILES} are shown; narrow the glob.]` : '';
      return { content: shown.length ? `${shown.join('\n')}${cut}` : `No file matches ${glob}.`, summary: `Found ${shown.length}${cut ? '+' : ''} files for ${glob}` };
    },
  };

  const searchTool: AgentTool = {
    readOnly: true,
    describe: (args) => `Searching '${String(args.query ?? '')}'`,
    spec: {
      name: 'search_text',
      description: `Searches the text of workspace files (literal, or a regular expression), optionally only in files matching a glob. At most ${MAX_SEARCH_MATCHES} matches.`,
      parameters: schema({ query: string('Text or regular expression'), isRegex: { type: 'boolean' }, include: string('Glob of files to search, e.g. "src/**/*.ts"') }, ['query']),
    },
    async run(args, signal) {
      const query = String(args.query ?? '');
      if (!query) return error('search_text needs a query.', 'search_text: no query');
      const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
      try {
        const result = await searchText(
          {
            roots,
            pattern: query,
            isRegex: args.isRegex === true,
            include: typeof args.include === 'string' && args.include ? args.include : undefined,
            exclude: [...BUILT_IN_SENSITIVE_PATTERNS, ...(deps.sensitivePatterns ?? []), ...(deps.ignoredGlobs ?? [])],
            maxResults: MAX_SEARCH_MATCHES,
            maxFileBytes: MAX_SEARCH_FILE_BYTES,
            signal,
          },
          findRipgrep(vscode.env.appRoot),
        );
        const files = new Set(result.matches.map((m) => m.path)).size;
        const lines = result.matches.map((m) => `${m.path}:${m.line}: ${m.text.trim()}`);
        const cut = result.limited ? `\n[Stopped at ${MAX_SEARCH_MATCHES} matches; narrow the query or the include glob.]` : '';
        return { content: lines.length ? `${lines.join('\n')}${cut}` : `No match for ${query}.`, summary: `Searched '${query}': ${files} file${files === 1 ? '' : 's'}` };
      } catch (err) {
        return error(`The search failed: ${(err as Error).message}`, `Search for '${query}' failed`);
      }
    },
  };

  const problemsTool: AgentTool = {
    readOnly: true,
    spec: { name: 'get_problems', description: 'The errors and warnings VS Code reports, for one file or the whole workspace.', parameters: schema({ path: string('A file; leave out for the workspace') }) },
    async run(args) {
      let entries: [vscode.Uri, readonly vscode.Diagnostic[]][];
      if (typeof args.path === 'string' && args.path) {
        const resolved = await boundary.resolve(args.path);
        if (!resolved.ok) return error(resolved.reason, `Refused ${args.path}`);
        const uri = vscode.Uri.file(resolved.absolute);
        entries = [[uri, vscode.languages.getDiagnostics(uri)]];
      } else {
        entries = vscode.languages.getDiagnostics();
      }
      const severity = ['error', 'warning', 'info', 'hint'];
      const lines = entries.flatMap(([uri, diagnostics]) =>
        diagnostics.map((d) => `${vscode.workspace.asRelativePath(uri)}:${d.range.start.line + 1}: ${severity[d.severity]}${d.source ? ` (${d.source})` : ''}: ${d.message}`),
      );
      return { content: lines.length ? withCut(lines, 200, 'problems') : 'No problems reported.', summary: `Problems: ${lines.length}` };
    },
  };

  const symbolsTool: AgentTool = {
    readOnly: true,
    spec: { name: 'get_symbols', description: "A file's functions, classes and other symbols, with their lines.", parameters: schema({ path: string('A workspace file') }, ['path']) },
    async run(args) {
      const path = String(args.path ?? '');
      const resolved = await boundary.resolve(path);
      if (!resolved.ok) return error(resolved.reason, `Refused ${path}`);
      const symbols = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>('vscode.executeDocumentSymbolProvider', vscode.Uri.file(resolved.absolute));
      const lines: string[] = [];
      const visit = (items: (vscode.DocumentSymbol | vscode.SymbolInformation)[], depth: number) => {
        for (const symbol of items) {
          const range = 'range' in symbol ? symbol.range : symbol.location.range;
          lines.push(`${'  '.repeat(depth)}${vscode.SymbolKind[symbol.kind]} ${symbol.name} (lines ${range.start.line + 1}–${range.end.line + 1})`);
          if ('children' in symbol) visit(symbol.children, depth + 1);
        }
      };
      visit(symbols ?? [], 0);
      return { content: lines.length ? withCut(lines, 300, 'symbols') : `No symbols known for ${resolved.relative}.`, summary: `Symbols of ${resolved.relative}: ${lines.length}` };
    },
  };

  const openEditorsTool: AgentTool = {
    readOnly: true,
    spec: { name: 'get_open_editors', description: 'The files open in editors, and the selection in the active one.', parameters: schema({}) },
    async run() {
      const open = vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((tab) => (tab.input instanceof vscode.TabInputText ? vscode.workspace.asRelativePath(tab.input.uri) : undefined))).filter(Boolean);
      const editor = vscode.window.activeTextEditor;
      const selection = editor && !editor.selection.isEmpty ? `\nSelection in ${vscode.workspace.asRelativePath(editor.document.uri)}: lines ${editor.selection.start.line + 1}–${editor.selection.end.line + 1}` : '';
      return { content: `${open.length ? open.join('\n') : 'No editors are open.'}${selection}`, summary: `Open editors: ${open.length}` };
    },
  };

  const replaceTool: AgentTool = {
    readOnly: false,
    describe: (args) => `Editing ${String(args.path ?? '')}`,
    spec: {
      name: 'replace_in_file',
      description: 'Proposes replacing one exact, unique piece of a file (old_string, with enough lines around it to be unique) by new_string. Nothing is written until the user accepts.',
      parameters: schema({ path: string('A workspace file'), old_string: string('The exact text to replace, once in the file'), new_string: string('The replacement') }, ['path', 'old_string', 'new_string']),
    },
    async run(args) {
      const path = String(args.path ?? '');
      const resolved = await boundary.resolve(path);
      if (!resolved.ok) return error(resolved.reason, `Refused to edit ${path}`);
      if (resolved.sensitive) return error(`${resolved.relative} may hold secrets; the agent does not edit it.`, `Refused to edit ${resolved.relative}`);
      const onDisk = await readDocumentText(vscode.Uri.file(resolved.absolute));
      if (onDisk === undefined && plan.proposed(resolved.relative) === undefined) return error(`${resolved.relative} does not exist. Use create_file for a new file.`, `${resolved.relative} not found`);
      const replaced = plan.replace(resolved.relative, onDisk, String(args.old_string ?? ''), String(args.new_string ?? ''));
      if (!replaced.ok) return error(`${resolved.relative}: ${replaced.reason}`, `Edit of ${resolved.relative} failed`);
      return { content: `Proposed the change to ${resolved.relative}. The user reviews it after your answer.`, summary: `Proposed an edit to ${resolved.relative}` };
    },
  };

  const createTool: AgentTool = {
    readOnly: false,
    describe: (args) => `Creating ${String(args.path ?? '')}`,
    spec: {
      name: 'create_file',
      description: 'Proposes a new file with the given content. Nothing is written until the user accepts.',
      parameters: schema({ path: string('The new file, relative to the workspace'), content: string('Its whole content') }, ['path', 'content']),
    },
    async run(args) {
      const path = String(args.path ?? '');
      const resolved = await boundary.resolve(path);
      if (!resolved.ok) return error(resolved.reason, `Refused to create ${path}`);
      if (resolved.sensitive) return error(`${resolved.relative} is a secret file name; the agent does not create it.`, `Refused to create ${resolved.relative}`);
      const existing = await currentText(resolved.absolute, resolved.relative);
      if (existing !== undefined) return error(`${resolved.relative} already exists. Use replace_in_file to change it.`, `${resolved.relative} exists`);
      plan.propose(resolved.relative, undefined, String(args.content ?? ''));
      return { content: `Proposed the new file ${resolved.relative}. The user reviews it after your answer.`, summary: `Proposed a new file ${resolved.relative}` };
    },
  };

  return [readFileTool, listDirTool, findFilesTool, searchTool, problemsTool, symbolsTool, openEditorsTool, replaceTool, createTool];
}
