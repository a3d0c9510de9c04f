// Renders saved message bodies only when they come near the viewport, so opening a long
// conversation costs about as much as opening a short one. Without IntersectionObserver
// (e.g. jsdom) everything is rendered at once.
import type { ScrollPin } from './scrollPin';

export interface LazyItem {
  readonly element: HTMLElement;
  readonly isRendered: boolean;
  renderBody(): void;
}

/** Generous, so bodies are usually ready before they scroll into view. */
const ROOT_MARGIN = '1500px 0px 1500px 0px';
/** Off-screen bodies are rendered within this much time per frame, so fast scrolling stays smooth. */
const FRAME_BUDGET_MS = 10;

export class LazyBodies {
  private readonly observer: IntersectionObserver | undefined;
  private readonly items = new Map<Element, LazyItem>();
  /** Bodies that came near the viewport but did not fit in the last frame's budget. */
  private queue: LazyItem[] = [];
  private drainScheduled = false;

  constructor(
    private readonly scroller: HTMLElement,
    private readonly content: HTMLElement,
    private readonly pin: ScrollPin,
    Observer: typeof IntersectionObserver | undefined,
    /** Called with the elements whose bodies were just rendered (after the view is steadied). */
    private readonly onRendered: (elements: HTMLElement[]) => void,
  ) {
    if (Observer) this.observer = new Observer((entries) => this.onIntersect(entries), { root: scroller, rootMargin: ROOT_MARGIN });
  }

  add(item: LazyItem): void {
    if (item.isRendered) return;
    if (!this.observer) return item.renderBody();
    this.items.set(item.element, item);
    this.observer.observe(item.element);
  }

  remove(item: LazyItem): void {
    if (!this.items.delete(item.element)) return;
    this.observer?.unobserve(item.element);
  }

  clear(): void {
    for (const element of this.items.keys()) this.observer?.unobserve(element);
    this.items.clear();
    this.queue = [];
  }

  get pendingCount(): number {
    return this.items.size;
  }

  private onIntersect(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      const item = entry.isIntersecting ? this.items.get(entry.target) : undefined;
      if (!item) continue;
      this.remove(item);
      this.queue.push(item);
    }
    this.drain();
  }

  /**
   * Renders queued bodies, nearest first: those on screen at once, the others while the frame
   * budget lasts; the rest continue next frame.
   */
  private drain(): void {
    this.drainScheduled = false;
    if (this.queue.length === 0) return;
    const view = this.scroller.getBoundingClientRect();
    const distance = (item: LazyItem) => {
      const box = item.element.getBoundingClientRect();
      return box.bottom < view.top ? view.top - box.bottom : box.top > view.bottom ? box.top - view.bottom : 0;
    };
    const ordered = this.queue.map((item) => ({ item, distance: distance(item) })).sort((a, b) => a.distance - b.distance);
    const started = performance.now();
    const now: LazyItem[] = [];
    while (ordered.length > 0 && (ordered[0].distance === 0 || performance.now() - started < FRAME_BUDGET_MS)) {
      const { item } = ordered.shift()!;
      now.push(item);
      this.renderKeepingView([item]);
    }
    this.queue = ordered.map((entry) => entry.item);
    if (now.length > 0) this.onRendered(now.map((item) => item.element));
    if (this.queue.length > 0 && !this.drainScheduled) {
      this.drainScheduled = true;
      requestAnimationFrame(() => this.drain());
    }
  }

  /**
   * Rendering changes heights above what the user is reading; keep the first visible
   * message where it was on screen (or stay at the bottom when pinned there).
   */
  private renderKeepingView(due: LazyItem[]): void {
    if (this.pin.pinned) {
      for (const item of due) renderIsolated(item);
      this.pin.toBottom();
      return;
    }
    const anchor = this.firstVisibleMessage();
    const before = anchor?.getBoundingClientRect().top ?? 0;
    for (const item of due) renderIsolated(item);
    if (!anchor) return;
    // Idempotent with the browser's own scroll anchoring: if it already compensated, delta is 0.
    const delta = anchor.getBoundingClientRect().top - before;
    if (delta !== 0) this.scroller.scrollTop += delta;
  }

  /** Binary search: messages are stacked in order, so the first one ending below the top. */
  private firstVisibleMessage(): Element | undefined {
    const children = this.content.children;
    const top = this.scroller.getBoundingClientRect().top;
    let low = 0;
    let high = children.length - 1;
    let found: Element | undefined;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (children[mid].getBoundingClientRect().bottom > top) {
        found = children[mid];
        high = mid - 1;
      } else {
        low = mid + 1;
      }
    }
    return found;
  }
}

/** One body that fails to render must not stop the others (the views fall back to plain text). */
function renderIsolated(item: LazyItem): void {
  try {
    item.renderBody();
  } catch {
    // Left as it is; the rest of the queue still renders.
  }
}
