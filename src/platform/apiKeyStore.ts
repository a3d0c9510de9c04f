import * as vscode from 'vscode';
import type { Logger } from '../llm/logger';

const SECRET_ID = 'modelslab.apiKey';

export type KeySource = 'secretStorage' | 'environment';

/**
 * The API key lives only in VS Code's SecretStorage. If none is stored, MODELSLAB_API_KEY
 * from the environment is used. The key is never logged, shown, or written anywhere else.
 */
export class ApiKeyStore implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly subscription: vscode.Disposable;
  private announcedEnvironmentKey = false;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Logger,
    private readonly environment: NodeJS.ProcessEnv = process.env,
  ) {
    // Fires for changes made in other windows too.
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === SECRET_ID) this.changeEmitter.fire();
    });
  }

  async get(): Promise<{ key: string; source: KeySource } | undefined> {
    const stored = (await this.secrets.get(SECRET_ID))?.trim();
    if (stored) return { key: stored, source: 'secretStorage' };
    const fromEnvironment = this.environment.MODELSLAB_API_KEY?.trim();
    if (fromEnvironment) {
      if (!this.announcedEnvironmentKey) {
        this.announcedEnvironmentKey = true;
        this.log.info('Using the API key from the MODELSLAB_API_KEY environment variable (no key is stored in VS Code).');
      }
      return { key: fromEnvironment, source: 'environment' };
    }
    return undefined;
  }

  async has(): Promise<boolean> {
    return (await this.get()) !== undefined;
  }

  /** Stores a trimmed, non-empty key. */
  async set(key: string): Promise<void> {
    const trimmed = key.trim();
    if (!trimmed) throw new Error('The API key is empty.');
    await this.secrets.store(SECRET_ID, trimmed);
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_ID);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}
