// Whether ghost text may ask for a suggestion in this document now, and if not, why. Nothing is
// sent for secret files, huge files, files outside the workspace (unless allowed) or documents
// that are not the user's code (output, git inputs, our own diff proposals).

export interface GateSettings {
  enabled: boolean;
  /** Per language id; "*" for the rest. */
  languages: Record<string, boolean>;
  maxFileKB: number;
  outsideWorkspace: boolean;
  /** VS Code's own editor.inlineSuggest.enabled. */
  inlineSuggestEnabled: boolean;
}

export interface GateInput {
  languageId: string;
  /** The document's URI scheme: file, untitled, vscode-remote… */
  scheme: string;
  /** Relative to a workspace folder; undefined when the file is outside every folder. */
  relativePath: string | undefined;
  /** The file's name, for the secret-file check of a file outside the workspace. */
  fileName: string;
  /** The document's length in UTF-16 units (close enough to bytes for a size limit). */
  length: number;
  settings: GateSettings;
  /** Snoozed until this time (ms since epoch), if snoozed. */
  snoozedUntil?: number;
  now: number;
  isSensitive(path: string): boolean;
}

/** Schemes of documents that are the user's own text; the others (output, git, diffs) get no ghost text. */
const CODE_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-userdata', 'vscode-notebook-cell']);

/** Why no suggestion may be asked for, or undefined when one may. */
export function completionBlocked(input: GateInput): string | undefined {
  const { settings } = input;
  if (!settings.enabled) return 'turned off (modelslab.completions.enabled)';
  if (!settings.inlineSuggestEnabled) return 'editor.inlineSuggest.enabled is off';
  if (input.snoozedUntil !== undefined && input.now < input.snoozedUntil) return 'snoozed';
  if (!CODE_SCHEMES.has(input.scheme)) return `not a code document (${input.scheme})`;
  if (!languageEnabled(settings.languages, input.languageId)) return `off for ${input.languageId} (modelslab.completions.languages)`;
  if (input.length > settings.maxFileKB * 1024) return `the file is over ${settings.maxFileKB} KB (modelslab.completions.maxFileKB)`;
  if (input.scheme !== 'untitled' && input.relativePath === undefined && !settings.outsideWorkspace) return 'the file is outside the workspace (modelslab.completions.outsideWorkspace)';
  if (input.isSensitive(input.relativePath ?? input.fileName)) return 'a file that may hold secrets';
  return undefined;
}

export function languageEnabled(languages: Record<string, boolean>, languageId: string): boolean {
  if (typeof languages[languageId] === 'boolean') return languages[languageId];
  return languages['*'] !== false;
}
