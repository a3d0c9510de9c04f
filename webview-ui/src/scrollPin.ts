// Keeps the conversation scrolled to the bottom while an answer grows, unless the user has
// scrolled up to read: then it leaves them where they are.

/** Within this many pixels of the bottom counts as "at the bottom". */
const PIN_THRESHOLD_PX = 24;

export interface ScrollPinOptions {
  ResizeObserver?: typeof ResizeObserver;
  scheduleFrame: (cb: () => void) => void;
  onScroll?: () => void;
}

export class ScrollPin {
  private pinnedToBottom = true;
  private lastScrollTop = 0;
  private frameQueued = false;
  private readonly hasResizeObserver: boolean;

  constructor(
    private readonly scroller: HTMLElement,
    content: HTMLElement,
    private readonly options: ScrollPinOptions,
  ) {
    scroller.addEventListener('scroll', () => this.onScroll(), { passive: true });
    // Growth (streamed text, a lazily rendered body, the composer growing) is seen after
    // layout and before paint, so there is no visible jump and no per-delta work here.
    const Observer = options.ResizeObserver;
    this.hasResizeObserver = Observer !== undefined;
    if (Observer) {
      const observer = new Observer(() => {
        if (this.pinnedToBottom) this.toBottom();
      });
      observer.observe(content);
      observer.observe(scroller);
    }
  }

  get pinned(): boolean {
    return this.pinnedToBottom;
  }

  distanceFromBottom(): number {
    return Math.max(0, this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight);
  }

  toBottom(): void {
    this.pinnedToBottom = true;
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.lastScrollTop = this.scroller.scrollTop;
  }

  /** Restores a saved position, measured from the bottom so it survives lazy rendering above. */
  restore(fromBottom: number): void {
    if (fromBottom <= PIN_THRESHOLD_PX) return this.toBottom();
    this.scroller.scrollTop = Math.max(0, this.scroller.scrollHeight - this.scroller.clientHeight - fromBottom);
    this.lastScrollTop = this.scroller.scrollTop;
    this.pinnedToBottom = false;
  }

  /** Without ResizeObserver: called when content may have grown; one scroll per frame at most. */
  contentChanged(): void {
    if (this.hasResizeObserver || !this.pinnedToBottom || this.frameQueued) return;
    this.frameQueued = true;
    this.options.scheduleFrame(() => {
      this.frameQueued = false;
      if (this.pinnedToBottom) this.toBottom();
    });
  }

  private onScroll(): void {
    const top = this.scroller.scrollTop;
    const distance = this.distanceFromBottom();
    // Scrolling up even a little means "let me read"; scrolling down near the end re-pins.
    this.pinnedToBottom = top < this.lastScrollTop - 1 ? distance < 2 : distance <= PIN_THRESHOLD_PX;
    this.lastScrollTop = top;
    this.options.onScroll?.();
  }
}
