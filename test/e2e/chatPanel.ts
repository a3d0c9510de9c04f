import { Workbench, type WorkbenchOptions } from './workbench';
// A page object for the chat webview: what a person does in the panel, in Playwright terms.
import type { Frame, Locator } from 'playwright-core';

/** What the panel showed at one moment; see ChatPanel.recordStates. */
export interface PanelState {
  /** The composer's button reads Stop: an answer is streaming. */
  stop: boolean;
  /** The text of the last answer's body. */
  answerText: string;
  /** The last answer's "retrying in…" indicator, if it shows one. */
  waiting: string | null;
}

export class ChatPanel {
  /** The last answer's id when an answer was last expected (null: none); waitForAnswerEnd waits for a newer one. */
  private answerBefore: string | null = null;

  constructor(readonly frame: Frame) {}

  get composer(): Locator {
    return this.frame.locator('textarea[aria-label="Ask ModelsLab"]');
  }
  get answers(): Locator {
    return this.frame.locator('article.ml-msg-assistant');
  }
  get prompts(): Locator {
    return this.frame.locator('article.ml-msg-user');
  }
  button(name: string): Locator {
    return this.frame.locator(`button[aria-label="${name}"]`);
  }
  lastAnswer(): Locator {
    return this.answers.last();
  }

  async ready(): Promise<void> {
    await this.composer.waitFor({ state: 'visible', timeout: 30_000 });
  }

  /** Types a prompt and presses Enter, as a person would. */
  async send(text: string): Promise<void> {
    await this.expectNewAnswer();
    await this.composer.click();
    await this.composer.fill(text);
    await this.composer.press('Enter');
  }

  /**
   * Call before a click that starts an answer (send() does it): waitForAnswerEnd then waits for
   * that new answer, not the one already on screen, which has ended long ago.
   */
  async expectNewAnswer(): Promise<void> {
    this.answerBefore = await this.frame.evaluate(() => Array.from(document.querySelectorAll('article.ml-msg-assistant')).at(-1)?.getAttribute('data-id') ?? null);
  }

  /** Waits until the expected answer has ended (no longer busy, and the Send button is back). */
  async waitForAnswerEnd(): Promise<void> {
    await this.frame.waitForFunction(
      (previous) => {
        const last = Array.from(document.querySelectorAll('article.ml-msg-assistant')).at(-1);
        return !!last && last.getAttribute('data-id') !== previous && !last.hasAttribute('aria-busy');
      },
      this.answerBefore,
      { timeout: 30_000 },
    );
    this.answerBefore = null;
    await this.button('Send').waitFor({ timeout: 30_000 });
  }

  /**
   * From now on the page itself notes what it shows after every DOM change. A state that lasts
   * a moment (Stop during a short answer, a countdown) is then seen however slow the test's
   * own round trips to the page are; read the notes with recordedStates().
   */
  async recordStates(): Promise<void> {
    // No named functions inside: the test runner's transpiler would wrap them in a helper the page lacks.
    await this.frame.evaluate(() => {
      const page = window as unknown as { __mlStates?: PanelState[]; __mlObserver?: MutationObserver };
      page.__mlObserver?.disconnect();
      const states: PanelState[] = (page.__mlStates = []);
      page.__mlObserver = new MutationObserver(() => {
        const answer = Array.from(document.querySelectorAll('article.ml-msg-assistant')).at(-1);
        states.push({
          stop: document.querySelector('button[aria-label="Stop"]') !== null,
          answerText: answer?.querySelector('.ml-msg-body')?.textContent ?? '',
          waiting: answer?.querySelector('.ml-waiting')?.textContent ?? null,
        });
      });
      page.__mlObserver.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
  }

  /** The states noted since recordStates(), one per batch of DOM changes, oldest first. */
  async recordedStates(): Promise<PanelState[]> {
    return this.frame.evaluate(() => (window as unknown as { __mlStates?: PanelState[] }).__mlStates ?? []);
  }

  /**
   * The last answer's text, from the DOM rather than from layout: innerText of an answer that has
   * just settled (content-visibility: auto) can read '' until the page has painted it again.
   */
  async lastAnswerText(): Promise<string> {
    return ((await this.lastAnswer().locator('.ml-msg-body').textContent()) ?? '').trim();
  }

  /** Waits until the last answer's error box says something matching `pattern`, and returns it. */
  async lastErrorMatching(pattern: RegExp): Promise<string> {
    const error = this.lastAnswer().locator('.ml-error[role="alert"]');
    await error.waitFor();
    await this.frame.waitForFunction(
      ([source, flags]) => new RegExp(source, flags).test(document.querySelector('article.ml-msg-assistant:last-of-type .ml-error')?.textContent ?? ''),
      [pattern.source, pattern.flags] as const,
    );
    return (await error.textContent()) ?? '';
  }

  /**
   * The accessible name of the element focused in the panel: its aria-label, else its text
   * (a history row's title); null when the panel's document does not have focus, or nothing in it does.
   */
  async focusedName(): Promise<string | null> {
    return this.frame.evaluate(() => {
      const active = document.activeElement;
      if (!document.hasFocus() || !active || active === document.body) return null;
      return active.getAttribute('aria-label') ?? active.textContent?.trim() ?? '';
    });
  }

  /** Waits until the focused element's accessible name is `name` (see focusedName). */
  async waitForFocus(name: string, timeoutMs = 10_000): Promise<void> {
    await this.frame
      .waitForFunction(
        (expected) => {
          const active = document.activeElement;
          return document.hasFocus() && !!active && active !== document.body && (active.getAttribute('aria-label') ?? active.textContent?.trim()) === expected;
        },
        name,
        { timeout: timeoutMs },
      )
      .catch(async () => {
        throw new Error(`Focus never reached “${name}”; ${await this.whereIsFocus()}.`);
      });
  }

  /** Where the keyboard focus is, in words: in the panel (which element), or elsewhere in the workbench. */
  async whereIsFocus(): Promise<string> {
    const inPanel = await this.frame.evaluate(() => {
      const active = document.activeElement;
      const what = !active || active === document.body ? 'on the <body> (no control)' : `on <${active.tagName.toLowerCase()} class="${active.className}"> “${active.getAttribute('aria-label') ?? active.textContent?.trim().slice(0, 60)}”`;
      return { hasFocus: document.hasFocus(), what };
    });
    if (inPanel.hasFocus) return `the panel has the focus, ${inPanel.what}`;
    const outside = await this.frame.page().evaluate(() => {
      const active = document.activeElement as HTMLElement | null;
      return active ? `<${active.tagName.toLowerCase()} class="${active.className}"> “${active.getAttribute('aria-label') ?? ''}”` : 'nothing';
    });
    return `the panel does not have the focus (the workbench's ${outside} has it; inside the panel it would be ${inPanel.what})`;
  }

  /** New Chat, from the view's title bar (where VS Code's own chat has it). */
  async newChat(): Promise<void> {
    await this.viewAction('New Chat').click();
    await this.frame.waitForFunction(() => document.querySelectorAll('article.ml-msg').length === 0);
  }

  /** History, from the view's title bar. */
  async showHistory(): Promise<void> {
    await this.viewAction('Show Chat History').click();
    await this.frame.locator('.ml-history').waitFor();
  }

  /** An action in the chat view's title bar, on the workbench page. */
  viewAction(title: string): Locator {
    return this.frame.page().locator(`.part.sidebar .title-actions a.action-label[aria-label^="${title}"], .part.sidebar .pane-header .actions a.action-label[aria-label^="${title}"]`).first();
  }

  /** Opens VS Code's model Quick Pick from the composer and picks the model with this label. */
  async pickModel(label: string): Promise<void> {
    await this.frame.locator('.ml-model-button').click();
    const page = this.frame.page();
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
    await row.waitFor();
    await row.click();
  }
}

export interface ChatSuite {
  readonly workbench: Workbench;
  readonly chat: ChatPanel;
}

/**
 * Registers the hooks every chat e2e suite needs: one workbench with the chat open, a
 * screenshot of any failure, a fresh conversation and server script per test, and cleanup.
 */
export function useChatWorkbench(options: WorkbenchOptions = {}, { openChat = true } = {}): ChatSuite {
  const suite = {} as { workbench: Workbench; chat: ChatPanel };
  before(async () => {
    suite.workbench = await Workbench.open(options);
    if (!openChat) return;
    suite.chat = new ChatPanel(await suite.workbench.openChat());
    await suite.chat.ready();
  });
  beforeEach(async () => {
    suite.workbench.server.reset();
    if (suite.chat && (await suite.chat.answers.count()) > 0) await suite.chat.newChat();
  });
  afterEach(async function () {
    await suite.workbench?.screenshotIfFailed(this.currentTest);
  });
  after(() => suite.workbench?.close());
  return suite;
}
