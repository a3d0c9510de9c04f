// Coalesces streamed text into few host→webview messages: the first piece goes at once (so
// time to first token is not delayed), later pieces at most once per interval.

export const DEFAULT_DELTA_INTERVAL_MS = 32;

export class DeltaBatcher {
  private pending = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sentAny = false;

  constructor(
    private readonly send: (text: string) => void,
    private readonly intervalMs = DEFAULT_DELTA_INTERVAL_MS,
  ) {}

  push(text: string): void {
    if (!text) return;
    this.pending += text;
    if (!this.sentAny) {
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    this.sentAny = true;
    this.send(text);
  }
}
