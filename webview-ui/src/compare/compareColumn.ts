// One model's answer in the comparison view: its name and status, its figures (first token,
// speed, usage), its text as it streams, and "Use this answer".
import type { ColumnStatus, ColumnView } from '../../../src/shared/compareProtocol';
import { button, codicon, el, setButtonIcon, setButtonLabel } from '../dom';
import { formatNumber } from '../format';
import { PlainTextRenderer, textOf, type MarkdownRenderer, type RendererFactory } from '../markdownBody';

const STATUS_TEXT: Record<ColumnStatus, string> = {
  waiting: 'Waiting',
  queued: 'Queued',
  streaming: 'Streaming',
  done: 'Finished',
  truncated: 'Cut off at the token limit',
  stopped: 'Stopped',
  incomplete: 'Incomplete: the connection dropped',
  error: 'Failed',
};

export interface ColumnActions {
  stop(column: number): void;
  use(column: number): void;
}

export class CompareColumn {
  readonly element: HTMLElement;
  readonly tab: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly tabStatus: HTMLElement;
  private readonly metrics: HTMLElement;
  private readonly note: HTMLElement;
  private readonly body: HTMLElement;
  private readonly error: HTMLElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly useButton: HTMLButtonElement;
  private renderer: MarkdownRenderer;
  private state: ColumnView;
  /** Whether the reader is at the end of this column's text (then new text scrolls into view). */
  private pinned = true;
  private followScheduled = false;
  private ownScroll = false;

  constructor(
    private readonly doc: Document,
    readonly index: number,
    view: ColumnView,
    private readonly createRenderer: RendererFactory,
    actions: ColumnActions,
    canChoose: boolean,
  ) {
    this.state = { ...view };
    const id = `mlc-column-${index}`;
    this.status = el(doc, 'span', { className: 'mlc-status' });
    this.stopButton = button(doc, { label: `Stop ${view.label}`, icon: 'debug-stop', className: 'mlc-stop', onClick: () => actions.stop(index) });
    this.metrics = el(doc, 'div', { className: 'mlc-metrics' });
    this.note = el(doc, 'div', { className: 'mlc-note', attrs: { role: 'status' } });
    this.body = el(doc, 'div', { className: 'mlc-body ml-markdown', attrs: { tabindex: '0', 'aria-label': `Answer from ${view.label}` } });
    this.error = el(doc, 'div', { className: 'ml-error mlc-error', attrs: { role: 'alert' } });
    this.useButton = button(doc, { label: `Use this answer from ${view.label}`, icon: 'check', text: 'Use this answer', className: 'ml-btn-primary mlc-use', onClick: () => actions.use(index) });
    this.element = el(doc, 'section', { className: 'mlc-column', attrs: { id, role: 'tabpanel', 'aria-labelledby': `${id}-tab`, 'data-model': view.model } }, [
      el(doc, 'header', { className: 'mlc-column-head' }, [codicon(doc, 'sparkle'), el(doc, 'h2', { className: 'mlc-model', text: view.label, attrs: { title: view.model } }), this.status, this.stopButton]),
      this.metrics,
      this.note,
      this.body,
      this.error,
      el(doc, 'footer', { className: 'mlc-column-foot' }, [this.useButton]),
    ]);
    this.tabStatus = el(doc, 'span', { className: 'mlc-tab-status' });
    this.tab = el(doc, 'button', { className: 'mlc-tab', attrs: { type: 'button', role: 'tab', id: `${id}-tab`, 'aria-controls': id } }, [el(doc, 'span', { text: view.label }), this.tabStatus]);
    this.renderer = this.newRenderer(view.text);
    this.body.addEventListener('scroll', () => this.onScroll(), { passive: true });
    this.render(canChoose);
  }

  append(text: string): void {
    this.state.text += text;
    try {
      this.renderer.append(text);
    } catch {
      this.renderer = new PlainTextRenderer(this.body, this.doc, textOf(this.renderer));
    }
    this.followText();
  }

  /**
   * Keeps the newest text in view while the reader is at the bottom. Once a frame, after the
   * renderer's: reading the scroll height on every delta would force a layout each time.
   */
  private followText(): void {
    if (!this.pinned || this.followScheduled) return;
    this.followScheduled = true;
    const view = this.doc.defaultView;
    const follow = () => {
      this.followScheduled = false;
      if (!this.pinned) return;
      // Our own scroll says nothing about where the reader wants to be.
      this.ownScroll = true;
      this.body.scrollTop = this.body.scrollHeight;
    };
    if (view?.requestAnimationFrame) view.requestAnimationFrame(() => view.requestAnimationFrame(follow));
    else follow();
  }

  update(change: Partial<ColumnView>, canChoose: boolean): void {
    const wasRunning = isRunning(this.state.status);
    this.state = { ...this.state, ...change };
    for (const key of Object.keys(change) as (keyof ColumnView)[]) if (change[key] === undefined) delete this.state[key];
    if (wasRunning && !isRunning(this.state.status)) {
      try {
        this.renderer.finish();
      } catch {
        this.renderer = new PlainTextRenderer(this.body, this.doc, textOf(this.renderer));
      }
    }
    this.render(canChoose);
  }

  /** Marks this column chosen (or not) in the view. */
  setChosen(chosen: boolean, canChoose: boolean): void {
    this.element.classList.toggle('is-chosen', chosen);
    this.render(canChoose, chosen);
  }

  get text(): string {
    return this.state.text;
  }

  get running(): boolean {
    return isRunning(this.state.status);
  }

  private render(canChoose: boolean, chosen = this.element.classList.contains('is-chosen')): void {
    const s = this.state;
    const running = isRunning(s.status);
    this.status.textContent = STATUS_TEXT[s.status];
    this.status.className = `mlc-status is-${s.status}`;
    this.tabStatus.textContent = running ? '' : s.status === 'done' ? '' : ` · ${STATUS_TEXT[s.status]}`;
    this.element.setAttribute('aria-busy', String(running));
    this.stopButton.hidden = !running;
    const figures: string[] = [];
    if (s.firstTokenMs !== undefined) figures.push(`First token ${formatNumber(s.firstTokenMs)} ms`);
    if (s.tokensPerSecond !== undefined) figures.push(`${formatNumber(s.tokensPerSecond)} tokens/s`);
    if (s.usage) figures.push(`${formatNumber(s.usage.totalTokens)} tokens`);
    this.metrics.textContent = figures.join(' · ');
    this.metrics.title = s.usage ? `${formatNumber(s.usage.promptTokens)} prompt + ${formatNumber(s.usage.completionTokens)} completion tokens` : '';
    this.metrics.hidden = figures.length === 0;
    this.note.replaceChildren(...(s.note ? [codicon(this.doc, s.status === 'queued' ? 'clock' : 'info'), el(this.doc, 'span', { text: s.note })] : []));
    this.note.hidden = !s.note;
    this.error.replaceChildren(...(s.error ? [codicon(this.doc, 'error'), el(this.doc, 'span', { className: 'ml-error-text', text: s.error.message })] : []));
    this.error.hidden = !s.error;
    this.useButton.hidden = !canChoose;
    this.useButton.disabled = running || !s.text || chosen;
    setButtonIcon(this.useButton, chosen ? 'pass-filled' : 'check');
    const label = this.useButton.querySelector('span:not(.codicon)');
    if (label) label.textContent = chosen ? 'Chosen' : 'Use this answer';
    // The visible words start the accessible name, so voice control finds the button by what it says.
    setButtonLabel(this.useButton, chosen ? `Chosen: the answer from ${s.label} continues the chat` : `Use this answer from ${s.label}`);
  }

  private newRenderer(text: string): MarkdownRenderer {
    try {
      const renderer = this.createRenderer(this.body);
      if (text) renderer.setText(text);
      return renderer;
    } catch {
      return new PlainTextRenderer(this.body, this.doc, text);
    }
  }

  /** Scrolling up to read stops following the text; scrolling back to the end resumes it. */
  private onScroll(): void {
    if (this.ownScroll) {
      this.ownScroll = false;
      return;
    }
    this.pinned = this.body.scrollHeight - this.body.scrollTop - this.body.clientHeight < 24;
  }
}

export function isRunning(status: ColumnStatus): boolean {
  return status === 'waiting' || status === 'queued' || status === 'streaming';
}
