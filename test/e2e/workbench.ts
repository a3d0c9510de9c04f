// One real workbench for an e2e test: code-server's VS Code with the extension under
// development, the local ModelsLab-compatible server, and Chromium driven by Playwright.
import { mkdirSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { startCodeServer, launchChromium, repoRoot, type CodeServer } from '../host/codeServer.mjs';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';

export const SCREENSHOT_DIR = join(repoRoot, 'test-results', 'screenshots');
export const TEST_KEY = 'ml-test-key-0123456789abcdef';

export interface WorkbenchOptions {
  /** The API key the extension finds in its environment; '' starts without a key. */
  apiKey?: string;
  settings?: Record<string, unknown>;
  /** Keep the same user-data dir across restarts (history, secrets). */
  userDataDir?: string;
  theme?: string;
}

export class Workbench {
  private constructor(
    readonly server: FakeModelsLab,
    readonly vscode: CodeServer,
    readonly browser: Browser,
    readonly page: Page,
  ) {}

  static async open(options: WorkbenchOptions = {}, existingServer?: FakeModelsLab): Promise<Workbench> {
    const server = existingServer ?? (await startFakeModelsLab());
    const vscode = await startCodeServer({
      userDataDir: options.userDataDir,
      env: { MODELSLAB_API_KEY: options.apiKey ?? TEST_KEY },
      settings: {
        'modelslab.baseUrl': server.url,
        'workbench.colorTheme': options.theme ?? 'Default Dark Modern',
        ...(options.settings ?? {}),
      },
    });
    cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), vscode.workspace, { recursive: true });
    const browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(vscode.workbenchUrl());
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    return new Workbench(server, vscode, browser, page);
  }

  /** Clicks the ModelsLab activity-bar entry and returns the chat webview's frame. */
  async openChat(): Promise<Frame> {
    const entry = this.page.locator('.activitybar a.action-label[aria-label^="ModelsLab"]');
    await entry.waitFor({ timeout: 60_000 });
    const alreadyOpen = (await this.page.locator('.activitybar li.checked a.action-label[aria-label^="ModelsLab"]').count()) > 0;
    if (!alreadyOpen) await entry.click();
    return this.chatFrame();
  }

  /** The webview's inner frame: the one that holds the chat app. */
  async chatFrame(timeoutMs = 30_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const frame of this.page.frames()) {
        try {
          if (await frame.$('#app')) return frame;
        } catch {
          // Frames detach while the workbench lays out; try again.
        }
      }
      await this.page.waitForTimeout(200);
    }
    throw new Error('The chat webview did not appear.');
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  async close(options: { keepServer?: boolean; keepFiles?: boolean } = {}): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.vscode.stop({ keepFiles: options.keepFiles });
    if (!options.keepServer) await this.server.close();
  }
}
