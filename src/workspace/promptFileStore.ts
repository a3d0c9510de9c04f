// The workspace's prompt files (.modelslab/prompts/*.prompt.md in every folder) as slash
// commands: found at start, kept current by a watcher, and run on request by reading the
// active editor and asking for ${input:…} values with input boxes. The parsing and the naming
// rules are vscode-free (prompts/promptFile.ts, prompts/slashCommand.ts); this is the I/O.
import * as vscode from 'vscode';
import type { SlashCommandView } from '../shared/protocol';
import { expandPromptFile, isPromptFileName, parsePromptFile, type PromptFile, type PromptFileError, type PromptValues } from '../prompts/promptFile';
import { isBuiltinSlashCommand, promptFileCommands, slashCommandList } from '../prompts/slashCommand';

export const PROMPTS_DIR = ['.modelslab', 'prompts'] as const;

/** A list older than this is scanned again when it is asked for. */
const RESCAN_MS = 2_000;
/** Relative to a workspace folder: the files, and the folders whose deletion takes them all. */
const WATCH_GLOB = '{.modelslab,.modelslab/prompts,.modelslab/prompts/*.prompt.md}';

/** Asks for one ${input:name}; undefined = cancelled (nothing is sent). */
export type AskInput = (name: string, placeholder?: string) => Thenable<string | undefined>;

export type ResolvedPrompt = { prompt: string; model?: string } | { error: string };

interface Entry {
  uri: vscode.Uri;
  folder: string;
  parsed: PromptFile | PromptFileError;
  command: SlashCommandView;
}

export interface PromptFileStoreOptions {
  log?: (message: string) => void;
  /** How long a burst of file events (a checkout, a save) settles before one rescan. */
  debounceMs?: number;
}

export class PromptFileStore implements vscode.Disposable {
  private entries: Entry[] = [];
  /** When the folders were last scanned (ms since epoch). */
  private lastScan = 0;
  private scanned: Promise<void>;
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private watchers: vscode.Disposable[] = [];
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires when the list of commands or any prompt file's content changed. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly folderListener: vscode.Disposable;

  constructor(private readonly options: PromptFileStoreOptions = {}) {
    this.folderListener = vscode.workspace.onDidChangeWorkspaceFolders(() => {
      this.watch();
      this.rescanSoon();
    });
    this.watch();
    this.scanned = this.scan();
  }

  /** Reads the files again now (a pending rescan is folded in); resolves when the list is current. */
  async refresh(): Promise<void> {
    clearTimeout(this.timer);
    this.scanned = this.scan();
    await this.scanned;
  }

  /** Built-ins, then prompt files by name (see slashCommandList); a broken file is listed with its problem. */
  commands(): SlashCommandView[] {
    // A watcher can lag or miss an event (a busy remote host, a checkout): an old list is read
    // again in the background, and onDidChange tells the panel if it differs.
    if (Date.now() - this.lastScan > RESCAN_MS) {
      this.lastScan = Date.now();
      void this.refresh();
    }
    return slashCommandList(this.entries.map((e) => e.command));
  }

  /**
   * The prompt of /name, read afresh (an unsaved edit in an open editor counts), with the
   * active editor's selection and file filled in and each input asked once, in order.
   * undefined: the user cancelled an input. { error }: say it; nothing is to be sent.
   */
  async resolve(name: string, ask?: AskInput): Promise<ResolvedPrompt | undefined> {
    await this.scanned;
    const entry = this.entries.find((e) => e.command.name === name);
    if (!entry) {
      return { error: isBuiltinSlashCommand(name) ? `/${name} is built in, not a prompt file.` : `There is no prompt file for /${name} in .modelslab/prompts.` };
    }
    const fileName = entry.parsed.fileName;
    let text: string;
    try {
      text = await readText(entry.uri);
    } catch (error) {
      return { error: `${fileName} could not be read: ${error instanceof Error ? error.message : String(error)}` };
    }
    const file = parsePromptFile(fileName, text);
    if ('error' in file) return { error: file.error };
    const values = editorValues(file, entry.command.name);
    if ('error' in values) return values;
    const askInput = ask ?? inputBox(entry.command.name);
    for (const variable of file.variables) {
      if (variable.kind !== 'input') continue;
      const value = await askInput(variable.name, variable.placeholder);
      if (value === undefined) return undefined;
      values.inputs[variable.name] = value;
    }
    return { prompt: expandPromptFile(file, values), ...(file.model ? { model: file.model } : {}) };
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.generation++;
    for (const d of [...this.watchers, this.folderListener, this.changeEmitter]) d.dispose();
    this.watchers = [];
  }

  private watch(): void {
    for (const d of this.watchers) d.dispose();
    this.watchers = (vscode.workspace.workspaceFolders ?? []).map((folder) => {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, WATCH_GLOB));
      const onEvent = () => this.rescanSoon();
      return vscode.Disposable.from(watcher, watcher.onDidCreate(onEvent), watcher.onDidChange(onEvent), watcher.onDidDelete(onEvent));
    });
  }

  private rescanSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => (this.scanned = this.scan()), this.options.debounceMs ?? 100);
  }

  /** Reads every folder's prompt files; a newer scan that started meanwhile wins. */
  private async scan(): Promise<void> {
    this.lastScan = Date.now();
    const generation = ++this.generation;
    const folders = vscode.workspace.workspaceFolders ?? [];
    const found = (await Promise.all(folders.map((folder) => this.readFolder(folder, folders.length > 1)))).flat();
    if (generation !== this.generation) return;
    const commands = promptFileCommands(found.map(({ parsed, folder }) => ({ name: parsed.name ?? '', description: describe(parsed), folder: folder || undefined })));
    const entries = found.map((f, i) => ({ ...f, command: commands[i] }));
    const changed = JSON.stringify(entries.map(({ parsed, command }) => [parsed, command])) !== JSON.stringify(this.entries.map(({ parsed, command }) => [parsed, command]));
    this.entries = entries;
    if (changed) this.changeEmitter.fire();
  }

  /** One folder's files, by file name; a file whose name can't be a command is logged and left out. */
  private async readFolder(folder: vscode.WorkspaceFolder, named: boolean): Promise<Omit<Entry, 'command'>[]> {
    const dir = vscode.Uri.joinPath(folder.uri, ...PROMPTS_DIR);
    let children: [string, vscode.FileType][];
    try {
      children = await vscode.workspace.fs.readDirectory(dir);
    } catch {
      return []; // no prompts folder: the common case
    }
    const names = children
      .filter(([name, type]) => (type & vscode.FileType.File) !== 0 && isPromptFileName(name))
      .map(([name]) => name)
      .sort();
    const read = await Promise.all(
      names.map(async (name) => {
        const uri = vscode.Uri.joinPath(dir, name);
        let parsed: PromptFile | PromptFileError;
        try {
          parsed = parsePromptFile(name, new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
        } catch (error) {
          // Deleted between the listing and the read: the watcher's next scan settles it.
          this.options.log?.(`Prompt file ${name} could not be read: ${error instanceof Error ? error.message : String(error)}`);
          return undefined;
        }
        if ('error' in parsed && parsed.name === undefined) {
          this.options.log?.(parsed.error);
          return undefined;
        }
        return { uri, folder: named ? folder.name : '', parsed };
      }),
    );
    return read.filter((e) => e !== undefined);
  }
}

function describe(parsed: PromptFile | PromptFileError): string {
  return 'error' in parsed ? `Can't run: ${parsed.error}` : parsed.description;
}

/** The open document's text when it is open (unsaved edits count), else the file on disk. */
async function readText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/** ${selection} and ${file} from the active editor; a prompt that needs one and has none is an error. */
function editorValues(file: PromptFile, command: string): PromptValues | { error: string } {
  const editor = vscode.window.activeTextEditor;
  const values: PromptValues = { inputs: {} };
  for (const variable of file.variables) {
    if (variable.kind === 'selection') {
      const selected = (editor?.selections ?? []).filter((s) => !s.isEmpty).map((s) => editor?.document.getText(s));
      if (selected.length === 0) return { error: `${file.fileName} uses \${selection}, but no text is selected in the editor: select some and run /${command} again.` };
      values.selection = selected.join('\n');
    } else if (variable.kind === 'file') {
      if (!editor) return { error: `${file.fileName} uses \${file}, but no file is open in the editor.` };
      values.file = vscode.workspace.asRelativePath(editor.document.uri);
    }
  }
  return values;
}

function inputBox(command: string): AskInput {
  return (name, placeholder) =>
    vscode.window.showInputBox({
      title: `/${command}`,
      prompt: `Value for ${name}`,
      placeHolder: placeholder ?? name,
      // Several inputs in a row: a click elsewhere between them should not cancel the prompt.
      ignoreFocusOut: true,
    });
}
