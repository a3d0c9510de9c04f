// Coalesces streamed text into few host→webview messages: the first piece goes at once (so
// time to first token is not delayed), later pieces at most once per interval.

export const DEFAULT_DELTA_INTERVAL_MS = 32;

/** The timer pair the batcher waits with; tests pass a manual one. */
export interface BatcherTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: BatcherTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class DeltaBatcher {
  private pending = '';
  private timer: unknown;
  private sentAny = false;

  constructor(
    private readonly send: (text: string) => void,
    private readonly intervalMs = DEFAULT_DELTA_INTERVAL_MS,
    private readonly timers: BatcherTimers = realTimers,
  ) {}

  push(text: string): void {
    if (!text) return;
    this.pending += text;
    if (!this.sentAny) {
      this.flush();
      return;
    }
    this.timer ??= this.timers.setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    this.sentAny = true;
    this.send(text);
  }
}
