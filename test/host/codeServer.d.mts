import type { Browser } from 'playwright-core';

export const repoRoot: string;
export const chromiumPath: string;
export const quietSettings: Record<string, unknown>;
export function ensureCodeServer(): void;
export function freePort(): Promise<number>;
export interface CodeServer {
  port: number;
  base: string;
  home: string;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  readonly output: string;
  workbenchUrl(folder?: string, testsPath?: string): string;
  stop(options?: { keepFiles?: boolean }): Promise<void>;
}
export function startCodeServer(options?: {
  workspace?: string;
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  testsPath?: string;
  userDataDir?: string;
  /** Absolute folders of further extensions, copied into the extensions dir before start (installed, not under development). */
  installExtensions?: string[];
  /** .vsix files installed with code-server's own `--install-extension` before start, as a user installs one. */
  installVsix?: string[];
  /** The extension under development; default this repository, false: none (VS Code as a user runs it). */
  extensionDevelopmentPath?: string | false;
}): Promise<CodeServer>;
export const chromiumArgs: string[];
export function launchChromium(options?: { headless?: boolean }): Promise<Browser>;
