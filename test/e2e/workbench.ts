// One real workbench for an e2e test: code-server's VS Code with the extension under
// development, the local ModelsLab-compatible server, and Chromium driven by Playwright.
import { mkdirSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { startCodeServer, launchChromium, repoRoot, type CodeServer } from '../host/codeServer.mjs';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import { pollUntil } from './poll';

export const SCREENSHOT_DIR = join(repoRoot, 'test-results', 'screenshots');
export const TEST_KEY = 'ml-test-key-0123456789abcdef';

export interface WorkbenchOptions {
  /** The API key the extension finds in its environment; '' starts without a key. */
  apiKey?: string;
  settings?: Record<string, unknown>;
  /** Keep the same user-data dir across restarts (history, secrets). */
  userDataDir?: string;
  theme?: string;
  /** More environment for code-server and so the extension host (MODELSLAB_API_KEY comes from apiKey). */
  env?: Record<string, string>;
  /** Absolute folders of further extensions (e.g. a fixture), installed in the extensions dir before start. */
  installExtensions?: string[];
  /** Runs on the workspace folder before the window opens (rule files, a git repository…). */
  prepareWorkspace?: (folder: string) => void;
  /** .vsix files installed with code-server's own `--install-extension` before start. */
  installVsix?: string[];
  /** false: no extension under development (VS Code as a user runs it, e.g. with installVsix); default this repository. */
  extensionDevelopmentPath?: string | false;
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
      env: { ...(options.env ?? {}), MODELSLAB_API_KEY: options.apiKey ?? TEST_KEY },
      installExtensions: options.installExtensions,
      installVsix: options.installVsix,
      extensionDevelopmentPath: options.extensionDevelopmentPath,
      settings: {
        'modelslab.baseUrl': server.url,
        'workbench.colorTheme': options.theme ?? 'Default Dark Modern',
        ...(options.settings ?? {}),
      },
    });
    cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), vscode.workspace, { recursive: true });
    options.prepareWorkspace?.(vscode.workspace);
    const browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: vscode.base });
    const page = await context.newPage();
    await page.goto(vscode.workbenchUrl());
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    return new Workbench(server, vscode, browser, page);
  }

  /** Clicks the ModelsLab activity-bar entry (unless the view is already showing) and returns the chat webview's frame. */
  async openChat(): Promise<Frame> {
    const entry = this.page.locator('.activitybar a.action-label[aria-label^="ModelsLab"]');
    await entry.waitFor({ timeout: 60_000 });
    for (let attempt = 0; attempt < 3; attempt++) {
      const checked = await this.page.locator('.activitybar li.checked a.action-label[aria-label^="ModelsLab"]').count();
      if (!checked) await entry.click();
      const frame = await this.chatFrame(10_000).catch(() => undefined);
      if (frame) return frame;
    }
    return this.chatFrame();
  }

  /** The webview's inner frame: the one that holds the chat app. */
  async chatFrame(timeoutMs = 30_000): Promise<Frame> {
    return this.findFrame(async (frame) => (await frame.$('#app')) !== null, 'The chat webview did not appear.', timeoutMs);
  }

  /** The first frame `matches` accepts, looked for until `timeoutMs` (webview frames come and go as the workbench lays out). */
  async findFrame(matches: (frame: Frame) => Promise<boolean>, failure: string, timeoutMs = 30_000): Promise<Frame> {
    const firstMatch = async (): Promise<Frame | undefined> => {
      for (const frame of this.page.frames()) {
        try {
          if (await matches(frame)) return frame;
        } catch {
          // The frame detached meanwhile; the next look decides.
        }
      }
      return undefined;
    };
    return pollUntil(firstMatch, () => failure, timeoutMs);
  }

  /** Opens a workspace file through Quick Open, as a person would. */
  async openFile(name: string): Promise<void> {
    await this.page.locator('.monaco-workbench').click({ position: { x: 800, y: 400 } });
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(name);
    await this.pickQuickOpenRow(name);
    await this.page.waitForSelector(`.tabs-container .tab.active[aria-label*="${name}"]`);
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  }

  /**
   * Clicks the quick-open row for a file. Enter could fire while the list was still being
   * filtered and open whatever row was first then.
   */
  async pickQuickOpenRow(name: string): Promise<void> {
    const row = this.page.locator(`.quick-input-list .monaco-list-row[aria-label*="${name}"]`).first();
    await row.waitFor();
    await row.click();
  }

  /** Selects whole lines [first, last] (1-based) in the active editor with the keyboard. */
  async selectLines(first: number, last: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    await this.page.keyboard.type(String(first));
    await this.page.keyboard.press('Enter');
    await this.page.keyboard.press('Home');
    for (let i = first; i <= last; i++) await this.page.keyboard.press('Shift+ArrowDown');
  }

  /** The visible text of the active editor (Monaco renders lines as DOM). */
  async editorText(): Promise<string> {
    const text = await this.page.locator('.editor-instance .monaco-editor .view-lines').first().innerText();
    return text.replace(/\u00a0/g, ' ');
  }

  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    await this.page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${title}"]`);
    await this.page.keyboard.press('Enter');
  }

  /**
   * Runs a palette command with the keyboard alone: F1, type its title, Enter once the
   * highlighted row is that command (Enter on a row still being filtered could run another).
   */
  async runCommandWithKeyboard(title: string): Promise<void> {
    const row = this.page.locator(`.quick-input-list .monaco-list-row.focused[aria-label^="${title}"]`);
    // The palette lists the commands known when it opened: one opened before the extension's
    // contributions were registered lacks them, so it is closed and opened again.
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('F1');
      await this.page.locator('.quick-input-widget input').waitFor();
      await this.page.keyboard.type(title);
      const found = await row.waitFor({ timeout: 10_000 }).then(() => true, () => false);
      if (found) break;
      if (attempt === 3) throw new Error(`The palette has no command “${title}”.`);
      await this.page.keyboard.press('Escape');
    }
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /**
   * Switches the colour theme the way a user does: F1 → "Preferences: Color Theme" → the
   * theme's row. (code-server does not honour a high-contrast theme from the settings file.)
   * `name` is the picker's label, e.g. 'Dark Modern' or 'Light High Contrast'.
   */
  async pickColorTheme(name: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('>Preferences: Color Theme');
    // Not Enter: "Browse Color Themes in Marketplace" can be the first row.
    await this.page.locator('.quick-input-list .monaco-list-row[aria-label^="Preferences: Color Theme,"]').click();
    await this.page.locator('.quick-input-list .monaco-list-row[aria-label^="Dark Modern"]').waitFor();
    await input.fill(name);
    // The row's label is the name, or the name and a description ("Light High Contrast, Default High Contrast Light").
    await this.page.locator(`.quick-input-list .monaco-list-row:is([aria-label="${name}"], [aria-label^="${name},"])`).click();
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Waits until the workbench's fonts, and a frame's (the webview's codicons), have loaded and none is pending. */
  async fontsReady(frame?: Frame): Promise<void> {
    for (const target of [this.page, ...(frame ? [frame] : [])]) {
      await target.evaluate(() => Promise.all([document.fonts.load('16px codicon'), document.fonts.ready]).then(() => undefined));
    }
  }

  /** For an afterEach hook: keeps a picture of what a failed test saw. */
  async screenshotIfFailed(test: Mocha.Test | undefined): Promise<void> {
    if (test?.state === 'failed') await this.screenshot(`FAILED-${test.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}`).catch(() => undefined);
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /**
   * A picture for the README, in media/screenshots/: the window below the title bar, since
   * a test window's title says "[Extension Development Host]", which a user never sees;
   * `width` keeps only the left part (e.g. the panel's strip).
   */
  async readmeScreenshot(name: string, width?: number): Promise<string> {
    const titleBar = await this.page.locator('.part.titlebar').boundingBox();
    const viewport = this.page.viewportSize() ?? { width: 1280, height: 800 };
    const top = Math.ceil(titleBar?.height ?? 0);
    const path = join(repoRoot, 'media', 'screenshots', `${name}.png`);
    await this.page.screenshot({ path, clip: { x: 0, y: top, width: width ?? viewport.width, height: viewport.height - top } });
    return path;
  }

  async close(options: { keepServer?: boolean; keepFiles?: boolean } = {}): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.vscode.stop({ keepFiles: options.keepFiles });
    if (!options.keepServer) await this.server.close();
  }
}
