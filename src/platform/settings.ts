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
}

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration('modelslab');
  const seconds = (key: string, fallback: number) => Math.max(1, config.get<number>(key, fallback)) * 1000;
  return {
    baseUrl: (config.get<string>('baseUrl') || DEFAULT_BASE_URL).trim().replace(/\/+$/, ''),
    model: (config.get<string>('model') || DEFAULT_MODEL).trim(),
    extraModels: (config.get<string[]>('models') ?? []).filter((id) => typeof id === 'string' && id.trim() !== '').map((id) => id.trim()),
    temperature: config.get<number>('temperature', 0.2),
    maxTokens: config.get<number>('maxTokens', 4096),
    systemPrompt: config.get<string>('systemPrompt', ''),
    connectTimeoutMs: seconds('requestTimeoutSeconds', 30),
    idleTimeoutMs: seconds('idleTimeoutSeconds', 60),
  };
}

export function onSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration('modelslab')) listener();
  });
}

/** Persists the chosen model where the user would look for it: their settings. */
export async function saveModel(model: string): Promise<void> {
  await vscode.workspace.getConfiguration('modelslab').update('model', model, vscode.ConfigurationTarget.Global);
}
