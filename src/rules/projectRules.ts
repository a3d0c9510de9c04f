// The workspace's rule files, for the chat: found in every folder, read on first use, kept
// current by file watchers (a change re-reads only that file), with the user's per-file switch
// kept per workspace. What applies and how it goes into the prompt is decided in ruleSet.ts.
import * as vscode from 'vscode';
import * as nodePath from 'node:path';
import type { Logger } from '../llm/logger';
import type { RuleView } from '../shared/protocol';
import { DEFAULT_RULES_BUDGET_CHARS, RuleSet, type RuleInstructions, type RuleSource } from './ruleSet';

/** Reads older than this are checked again when a prompt asks for the rules. */
const RECHECK_MS = 500;
const AGENTS = 'AGENTS.md';
const COPILOT = '.github/copilot-instructions.md';
const RULES_DIR = '.modelslab/rules';
const RULE_IN_DIR = /^\.modelslab\/rules\/[^/]+\.md$/i;
/** The files, and the folders whose deletion or creation takes several files at once. */
const WATCHED = `{${AGENTS},${COPILOT},${RULES_DIR}/*.md,.github,.modelslab,${RULES_DIR}}`;
const DISABLED_KEY = 'modelslab.rules.disabled';
const SETTING = 'modelslab.rules.includeOtherTools';

interface LoadedFile extends RuleSource {
  uri: vscode.Uri;
  /** The workspace folder's URI, as a string. */
  root: string;
}

export class ProjectRules implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** The files, their text or the switches changed: the chip should be refreshed. */
  readonly onDidChange = this.changed.event;
  private readonly reporter = new vscode.EventEmitter<string>();
  /** A problem with a rule file, once per version of its text, e.g. ".modelslab/rules/x.md: malformed front matter (…): used as plain text". */
  readonly onDidReport = this.reporter.event;

  /** By URI; undefined until something first asks for the rules. */
  private files: Map<string, LoadedFile> | undefined;
  private set = new RuleSet([]);
  /** Reads run one at a time, in the order the changes came. */
  private queue: Promise<void> = Promise.resolve();
  /** Path → the text whose problem was last reported. */
  private readonly reported = new Map<string, string>();
  private readonly watchers = new Map<string, vscode.Disposable>();
  /** When every rule file was last read (ms since epoch). */
  private lastFullRead = 0;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Logger,
  ) {
    this.subscriptions = [
      this.changed,
      this.reporter,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SETTING)) this.whenLoaded(() => this.reloadEach(COPILOT));
      }),
      // Every path changes when a second folder arrives (they gain the folder's name): read all again.
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.watchFolders();
        this.whenLoaded(() => this.loadAll());
      }),
    ];
    this.watchFolders();
  }

  /** Every rule file, with whether it applies given the active and attached files (workspace-relative paths, absolute paths or URIs). */
  async views(activePaths: readonly (string | vscode.Uri)[]): Promise<RuleView[]> {
    return this.select(await this.loaded(), activePaths).views();
  }

  /** The system-prompt section for these active and attached files, and what the budget cut, for the user. */
  async instructionsFor(activePaths: readonly (string | vscode.Uri)[], budgetChars = DEFAULT_RULES_BUDGET_CHARS): Promise<RuleInstructions> {
    return this.select(await this.loaded(), activePaths).instructions(budgetChars);
  }

  async setEnabled(path: string, enabled: boolean): Promise<void> {
    const disabled = new Set(this.disabled());
    if (enabled === !disabled.has(path)) return;
    if (enabled) disabled.delete(path);
    else disabled.add(path);
    await this.context.workspaceState.update(DISABLED_KEY, [...disabled].sort());
    this.changed.fire();
  }

  async open(path: string): Promise<void> {
    await this.loaded();
    const file = [...(this.files?.values() ?? [])].find((f) => f.path === path);
    if (!file) {
      void vscode.window.showWarningMessage(`ModelsLab: the rule file ${path} is no longer in the workspace.`);
      return;
    }
    await vscode.window.showTextDocument(file.uri, { preview: false });
  }

  dispose(): void {
    for (const watcher of this.watchers.values()) watcher.dispose();
    this.watchers.clear();
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private select(set: RuleSet, activePaths: readonly (string | vscode.Uri)[]) {
    const active = activePaths.map(toWorkspaceRelative).filter((p): p is string => p !== undefined);
    return set.select({ disabled: this.disabled(), activePaths: active });
  }

  private disabled(): string[] {
    return this.context.workspaceState.get<string[]>(DISABLED_KEY, []);
  }

  /**
   * The rules once every queued read is done; the first call reads them all. Later calls read
   * them again when the last full read is older than RECHECK_MS: file watchers can lag or miss
   * events (a busy remote host, a checkout), and a prompt must not follow a rule file's old
   * text. A handful of small reads; a change fires onDidChange as a watcher's event would.
   */
  private async loaded(): Promise<RuleSet> {
    const now = Date.now();
    if (!this.files || now - this.lastFullRead > RECHECK_MS) {
      this.files ??= new Map();
      this.lastFullRead = now;
      this.enqueue(() => this.loadAll());
    }
    await this.queue;
    return this.set;
  }

  /** Before the first read nothing is cached, so there is nothing to bring up to date. */
  private whenLoaded(task: () => Promise<void>): void {
    if (this.files) this.enqueue(task);
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((error: unknown) => this.log.error(`Project rules: reading failed: ${String(error)}`));
  }

  private watchFolders(): void {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const current = new Set(folders.map((f) => f.uri.toString()));
    for (const [root, watcher] of this.watchers) {
      if (current.has(root)) continue;
      watcher.dispose();
      this.watchers.delete(root);
    }
    for (const folder of folders) {
      const root = folder.uri.toString();
      if (this.watchers.has(root)) continue;
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, WATCHED));
      const onEvent = (uri: vscode.Uri) => this.whenLoaded(() => this.reloadFor(uri));
      this.watchers.set(root, vscode.Disposable.from(watcher, watcher.onDidCreate(onEvent), watcher.onDidChange(onEvent), watcher.onDidDelete(onEvent)));
    }
  }

  private async loadAll(): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const all = await Promise.all(folders.map((folder) => this.readFolder(folder)));
    this.commit(new Map(all.flat().map((file) => [file.uri.toString(), file])));
  }

  /** One file changed: read it alone; a folder of rules came or went: read that workspace folder's rules. */
  private async reloadFor(uri: vscode.Uri): Promise<void> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const relative = folder && relativeTo(folder, uri);
    if (!folder || relative === undefined) return;
    if (relative === AGENTS || relative === COPILOT || RULE_IN_DIR.test(relative)) {
      const file = await this.read(folder, relative);
      const next = new Map(this.files);
      if (file) next.set(uri.toString(), file);
      else next.delete(uri.toString());
      this.commit(next);
      return;
    }
    const root = folder.uri.toString();
    const next = new Map([...(this.files ?? [])].filter(([, file]) => file.root !== root));
    for (const file of await this.readFolder(folder)) next.set(file.uri.toString(), file);
    this.commit(next);
  }

  /** The same file in every folder (the setting that adds copilot-instructions changed). */
  private async reloadEach(relative: string): Promise<void> {
    for (const folder of vscode.workspace.workspaceFolders ?? []) await this.reloadFor(vscode.Uri.joinPath(folder.uri, relative));
  }

  private async readFolder(folder: vscode.WorkspaceFolder): Promise<LoadedFile[]> {
    const inDir = await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(folder.uri, RULES_DIR)).then(
      (entries) => entries.filter(([name, type]) => (type & vscode.FileType.File) !== 0 && RULE_IN_DIR.test(`${RULES_DIR}/${name}`)).map(([name]) => `${RULES_DIR}/${name}`),
      () => [],
    );
    const files = await Promise.all([AGENTS, COPILOT, ...inDir].map((relative) => this.read(folder, relative)));
    return files.filter((file): file is LoadedFile => file !== undefined);
  }

  /** The file's text, or undefined when it is not there (or not wanted: copilot-instructions with the setting off). */
  private async read(folder: vscode.WorkspaceFolder, relative: string): Promise<LoadedFile | undefined> {
    if (relative === COPILOT && !vscode.workspace.getConfiguration().get<boolean>(SETTING, true)) return undefined;
    const uri = vscode.Uri.joinPath(folder.uri, relative);
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch (error) {
      if (!(error instanceof vscode.FileSystemError && error.code === 'FileNotFound')) this.log.warn(`Project rules: cannot read ${uri.toString()}: ${String(error)}`);
      return undefined;
    }
    const several = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    return {
      uri,
      root: folder.uri.toString(),
      path: several ? `${folder.name}/${relative}` : relative,
      text: new TextDecoder().decode(bytes),
      ...(several ? { folder: folder.name } : {}),
    };
  }

  /** Takes the new files if anything differs; reports new problems and tells listeners. */
  private commit(next: Map<string, LoadedFile>): void {
    const previous = this.files ?? new Map<string, LoadedFile>();
    const same = previous.size === next.size && [...next].every(([key, file]) => previous.get(key)?.text === file.text && previous.get(key)?.path === file.path);
    this.files = next;
    if (same) return;
    this.set = new RuleSet([...next.values()]);
    this.reportProblems();
    this.log.debug(`Project rules: ${this.set.rules.map((r) => r.path).join(', ') || 'none'}`);
    this.changed.fire();
  }

  private reportProblems(): void {
    const texts = new Map([...(this.files?.values() ?? [])].map((f) => [f.path, f.text]));
    for (const path of [...this.reported.keys()]) if (!texts.has(path)) this.reported.delete(path);
    for (const rule of this.set.rules) {
      const text = texts.get(rule.path) ?? '';
      if (!rule.problem) {
        this.reported.delete(rule.path);
      } else if (this.reported.get(rule.path) !== text) {
        this.reported.set(rule.path, text);
        const message = `${rule.path}: ${rule.problem}`;
        this.log.warn(`Project rules: ${message}`);
        this.reporter.fire(message);
      }
    }
  }
}

/** As the rest of the extension names files (asRelativePath); undefined for a file outside every folder. */
function toWorkspaceRelative(path: string | vscode.Uri): string | undefined {
  const isUriText = (text: string) => /^[a-zA-Z][\w+.-]+:\/\//.test(text);
  if (typeof path === 'string' && !isUriText(path) && !nodePath.isAbsolute(path)) return path;
  const uri = typeof path !== 'string' ? path : isUriText(path) ? vscode.Uri.parse(path) : vscode.Uri.file(path);
  return vscode.workspace.getWorkspaceFolder(uri) ? vscode.workspace.asRelativePath(uri) : undefined;
}

function relativeTo(folder: vscode.WorkspaceFolder, uri: vscode.Uri): string | undefined {
  const root = folder.uri.path.replace(/\/$/, '');
  return uri.path.startsWith(`${root}/`) ? uri.path.slice(root.length + 1) : undefined;
}
