// The panel's frame: the main area (chat or history) and the docked footer (context chips and
// the composer). Without an API key, one centred welcome takes the place of both. New Chat and
// History live in the view's title bar, as in VS Code's own Chat view.
import { el } from './dom';

export type Screen = 'loading' | 'chat' | 'history';

export interface LayoutParts {
  notices: HTMLElement;
  log: HTMLElement;
  history: HTMLElement;
  chips: HTMLElement;
  composer: HTMLElement;
  welcome: HTMLElement;
}

export class Layout {
  private readonly loading: HTMLElement;
  private readonly chat: HTMLElement;
  private readonly footer: HTMLElement;
  private hasKey = true;
  private screen: Screen = 'loading';

  constructor(
    doc: Document,
    root: HTMLElement,
    private readonly parts: LayoutParts,
  ) {
    this.loading = el(doc, 'div', { className: 'ml-loading', text: 'Loading…', attrs: { role: 'status' } });
    this.chat = el(doc, 'div', { className: 'ml-chat' }, [parts.log]);
    this.footer = el(doc, 'footer', { className: 'ml-footer' }, [parts.chips, parts.composer]);
    // Notices sit above every screen: an error can arrive before init, or while History is open.
    const main = el(doc, 'main', { className: 'ml-main' }, [parts.notices, this.loading, this.chat, parts.history, parts.welcome]);
    root.classList.add('ml-app');
    root.replaceChildren(main, this.footer);
    this.apply();
  }

  get current(): Screen {
    return this.screen;
  }

  show(screen: Screen): void {
    this.screen = screen;
    this.apply();
  }

  /** Without a key the welcome takes the chat's place. */
  setHasKey(hasKey: boolean): void {
    this.hasKey = hasKey;
    this.apply();
  }

  private apply(): void {
    const { screen, hasKey, parts } = this;
    const welcome = screen === 'chat' && !hasKey;
    this.loading.hidden = screen !== 'loading';
    this.chat.hidden = screen !== 'chat' || welcome;
    parts.history.hidden = screen !== 'history';
    this.footer.hidden = screen !== 'chat' || welcome;
    parts.welcome.hidden = !welcome;
  }
}
