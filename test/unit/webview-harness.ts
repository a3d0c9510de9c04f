// Builds the chat panel on a jsdom document with a fake host bridge (the protocol boundary:
// it records what the panel posts and delivers what the host would send) and a fake clock.
import { JSDOM } from 'jsdom';
import type { ConversationView, HostToWebview, MessageView, ModelOption, WebviewToHost } from '../../src/shared/protocol';
import { App } from '../../webview-ui/src/app';
import type { Clock } from '../../webview-ui/src/clock';
import type { UiState } from '../../webview-ui/src/uiState';

export class FakeClock implements Clock {
  private timers: { id: number; at: number; every?: number; cb: () => void }[] = [];
  private nextId = 1;
  constructor(public time = 1_700_000_000_000) {}
  now = (): number => this.time;
  setInterval = (cb: () => void, ms: number): unknown => this.add(cb, ms, ms);
  setTimeout = (cb: () => void, ms: number): unknown => this.add(cb, ms);
  clearInterval = (handle: unknown): void => this.clear(handle);
  clearTimeout = (handle: unknown): void => this.clear(handle);

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.time = next.at;
      if (next.every) next.at += next.every;
      else this.clear(next.id);
      next.cb();
    }
    this.time = end;
  }

  private add(cb: () => void, ms: number, every?: number): number {
    const id = this.nextId++;
    this.timers.push({ id, at: this.time + ms, every, cb });
    return id;
  }

  private clear(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
}

export const MODELS: ModelOption[] = [
  { id: 'Qwen-Qwen2.5-Coder-32B-Instruct', label: 'Qwen2.5-Coder-32B' },
  { id: 'deepseek-ai-DeepSeek-V3', label: 'DeepSeek V3' },
];

export interface HarnessOptions {
  state?: UiState;
  IntersectionObserver?: typeof IntersectionObserver;
}

export function createPanel(options: HarnessOptions = {}) {
  const dom = new JSDOM('<!DOCTYPE html><html><body><div id="app"></div></body></html>');
  const doc = dom.window.document;
  const posted: WebviewToHost[] = [];
  let listener: ((message: HostToWebview) => void) | undefined;
  let state = options.state;
  const clock = new FakeClock();
  const frames: Array<() => void> = [];
  const app = new App({
    root: doc.getElementById('app') as HTMLElement,
    host: {
      post: (message) => posted.push(message),
      onMessage: (l) => (listener = l),
      getState: () => state,
      setState: (s) => (state = s),
    },
    clock,
    scheduleFrame: (cb) => void frames.push(cb),
    IntersectionObserver: options.IntersectionObserver,
  });
  app.start();

  const panel = {
    dom,
    doc,
    window: dom.window,
    posted,
    clock,
    get state() {
      return state;
    },
    deliver(message: HostToWebview) {
      if (!listener) throw new Error('the app did not subscribe');
      listener(message);
    },
    /** Runs queued animation frames (the renderer writes the DOM there). */
    runFrames() {
      while (frames.length) frames.splice(0).forEach((cb) => cb());
    },
    last<T extends WebviewToHost['type']>(type: T): Extract<WebviewToHost, { type: T }> | undefined {
      return [...posted].reverse().find((m) => m.type === type) as Extract<WebviewToHost, { type: T }> | undefined;
    },
    $<E extends Element = HTMLElement>(selector: string): E {
      const found = doc.querySelector<E>(selector);
      if (!found) throw new Error(`no element matches ${selector}`);
      return found;
    },
    $$<E extends Element = HTMLElement>(selector: string): E[] {
      return Array.from(doc.querySelectorAll<E>(selector));
    },
    button(label: string): HTMLButtonElement {
      return panel.$<HTMLButtonElement>(`button[aria-label="${label}"]`);
    },
    composer(): HTMLTextAreaElement {
      return panel.$<HTMLTextAreaElement>('textarea[aria-label="Ask ModelsLab"]');
    },
    key(target: Element, key: string, init: KeyboardEventInit = {}) {
      const event = new dom.window.KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
      target.dispatchEvent(event);
      return event;
    },
    type(text: string) {
      const box = panel.composer();
      box.value = text;
      box.setSelectionRange(text.length, text.length);
      box.dispatchEvent(new dom.window.InputEvent('input', { bubbles: true, data: text.slice(-1), inputType: 'insertText' }));
    },
    click(target: Element) {
      target.dispatchEvent(new dom.window.MouseEvent('click', { bubbles: true, cancelable: true }));
    },
    init(overrides: Partial<Extract<HostToWebview, { type: 'init' }>> = {}) {
      panel.deliver({ type: 'init', hasKey: true, models: MODELS, model: MODELS[0].id, conversation: conversation([]), ...overrides });
    },
  };
  return panel;
}

export type Panel = ReturnType<typeof createPanel>;

export function conversation(messages: MessageView[], id = 'c1', title = 'Test'): ConversationView {
  return { id, title, messages };
}

export function user(id: string, text: string, extra: Partial<MessageView> = {}): MessageView {
  return { id, role: 'user', text, ...extra };
}

export function assistant(id: string, text: string, extra: Partial<MessageView> = {}): MessageView {
  return { id, role: 'assistant', text, model: MODELS[0].id, status: 'done', ...extra };
}

/** Sends a prompt through the composer and returns its request id. */
export function sendPrompt(panel: Panel, text: string): string {
  panel.type(text);
  panel.key(panel.composer(), 'Enter');
  const sent = panel.last('send');
  if (!sent) throw new Error('nothing was sent');
  return sent.requestId;
}

/** Host side of a full answer start. */
export function startAnswer(panel: Panel, requestId: string, text: string, replaceFromIndex: number, userId = `u-${requestId}`, assistantId = `a-${requestId}`) {
  panel.deliver({ type: 'answerStart', requestId, userMessage: user(userId, text), assistantId, model: MODELS[0].id, replaceFromIndex });
}

/** Records what is observed; the test decides what "comes near the viewport". */
export class FakeIntersectionObserver {
  static instances: FakeIntersectionObserver[] = [];
  readonly observed = new Set<Element>();
  constructor(
    private readonly callback: IntersectionObserverCallback,
    readonly options?: IntersectionObserverInit,
  ) {
    FakeIntersectionObserver.instances.push(this);
  }
  observe(target: Element): void {
    this.observed.add(target);
  }
  unobserve(target: Element): void {
    this.observed.delete(target);
  }
  disconnect(): void {
    this.observed.clear();
  }
  takeRecords(): IntersectionObserverEntry[] {
    return [];
  }
  intersect(targets: Element[]): void {
    const entries = targets.map((target) => ({ target, isIntersecting: true }) as unknown as IntersectionObserverEntry);
    this.callback(entries, this as unknown as IntersectionObserver);
  }
}

/** A panel whose older answers render only when the test brings them "into view" (`observers[0].intersect`). */
export function createLazyPanel(): { panel: Panel; observers: FakeIntersectionObserver[] } {
  const observers: FakeIntersectionObserver[] = [];
  const panel = createPanel({
    IntersectionObserver: class extends FakeIntersectionObserver {
      constructor(callback: IntersectionObserverCallback, options?: IntersectionObserverInit) {
        super(callback, options);
        observers.push(this);
      }
    } as unknown as typeof IntersectionObserver,
  });
  return { panel, observers };
}
