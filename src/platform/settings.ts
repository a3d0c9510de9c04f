import * as vscode from 'vscode';
import { DEFAULT_BASE_URL, DEFAULT_MODEL } from '../llm/defaults';

/** The `modelslab.*` settings, read fresh each time so changes apply without a reload. */
export interface Settings {
  baseUrl: string;
  model: string;
  extraModels: string[];
  temperature: number;
  maxTokens: number;
  systemPrompt: string;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  /** Which of ModelsLab's chat APIs requests use. */
  protocol: 'openai' | 'anthropic';
  /** Requests this window sends at once (ModelsLab queues 5/10/15 per account by plan). */
  maxConcurrentRequests: number;
  /** Models tried in order when the chosen one fails before any text. */
  fallbackModels: string[];
  /** A rate-limit wait longer than this moves to the next fallback model. */
  fallbackRateLimitWaitMs: number;
  /** No first token within this moves to the next fallback model. */
  fallbackFirstTokenTimeoutMs: number;
}

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration('modelslab');
  const seconds = (key: string, fallback: number) => Math.max(1, config.get<number>(key, fallback)) * 1000;
  return {
    baseUrl: (config.get<string>('baseUrl') || DEFAULT_BASE_URL).trim().replace(/\/+$/, ''),
    model: readModel(),
    extraModels: (config.get<string[]>('models') ?? []).filter((id) => typeof id === 'string' && id.trim() !== '').map((id) => id.trim()),
    temperature: config.get<number>('temperature', 0.2),
    maxTokens: config.get<number>('maxTokens', 4096),
    systemPrompt: config.get<string>('systemPrompt', ''),
    connectTimeoutMs: seconds('requestTimeoutSeconds', 30),
    idleTimeoutMs: seconds('idleTimeoutSeconds', 60),
    protocol: config.get<string>('protocol') === 'anthropic' ? 'anthropic' : 'openai',
    maxConcurrentRequests: Math.min(15, Math.max(1, Math.floor(config.get<number>('maxConcurrentRequests', 5)) || 5)),
    fallbackModels: (config.get<string[]>('fallbackModels') ?? []).filter((id) => typeof id === 'string' && id.trim() !== '').map((id) => id.trim()),
    fallbackRateLimitWaitMs: Math.max(0, config.get<number>('fallback.rateLimitWaitSeconds', 10)) * 1000,
    fallbackFirstTokenTimeoutMs: seconds('fallback.firstTokenTimeoutSeconds', 20),
  };
}

export function onSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration('modelslab')) listener();
  });
}

/** The configured model ID, or the default when it is unset or blank. */
export function readModel(scope?: vscode.ConfigurationScope): string {
  return (vscode.workspace.getConfiguration('modelslab', scope).get<string>('model') || DEFAULT_MODEL).trim();
}

/**
 * Persists the chosen model in the most specific scope that sets it now (folder, workspace,
 * else the user's settings): a write below that scope would be shadowed and change nothing.
 */
export async function saveModel(model: string, scope?: vscode.ConfigurationScope): Promise<void> {
  const config = vscode.workspace.getConfiguration('modelslab', scope);
  await config.update('model', model, modelTarget(config.inspect<string>('model')));
}

function modelTarget(inspected: { workspaceFolderValue?: unknown; workspaceValue?: unknown } | undefined): vscode.ConfigurationTarget {
  // With one folder open, its settings are the workspace's; only a multi-root workspace has
  // separate folder settings (the setting is resource-scoped so each folder may name a model).
  const multiRoot = vscode.workspace.workspaceFile !== undefined;
  if (multiRoot && inspected?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
  if (inspected?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
  return vscode.ConfigurationTarget.Global;
}
