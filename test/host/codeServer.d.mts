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
}): Promise<CodeServer>;
export const chromiumArgs: string[];
export function launchChromium(options?: { headless?: boolean }): Promise<Browser>;
