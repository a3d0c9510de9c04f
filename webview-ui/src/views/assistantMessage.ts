// One assistant answer: model name, markdown body (streamed or rendered lazily from a saved
// message), and a footer with usage, status and, on the last answer, Regenerate.
import type { AnswerStatus, EditFileView, ErrorView, MessageView, ReviewAction, ToolLineView, Usage } from '../../../src/shared/protocol';
import { startCountdown, type Clock } from '../clock';
import { button, codicon, el } from '../dom';
import { capitalize, formatUsage } from '../format';
import { PlainTextRenderer, estimateBodyHeight, textOf, type MarkdownRenderer, type RendererFactory } from '../markdownBody';
import { approvalQuestion, EditReview, ToolLines } from './agentParts';
import { ErrorBox, type ErrorActions } from './errorBox';
import { fallbackText, queuedText } from '../../../src/shared/answerNotes';

export interface AssistantDeps {
  doc: Document;
  clock: Clock;
  createRenderer: RendererFactory;
  labelFor(model: string): string;
  errorActions: ErrorActions;
  onRegenerate(): void;
  /** Continue an answer that was cut off at the token limit. */
  onContinue(messageId: string): void;
  /** An action on the review list of an agent answer. */
  onReview(messageId: string, action: ReviewAction, path?: string): void;
  /** Open the comparison view of an answer that compared models. */
  onOpenComparison(messageId: string): void;
}

const STATUS_TEXT: Partial<Record<AnswerStatus, string>> = {
  truncated: 'Token limit reached',
  stopped: 'Stopped',
  incomplete: 'Incomplete: the connection dropped',
  // No 'Error' badge: the error's own text and action say it once.
};

export class AssistantMessageView {
  readonly element: HTMLElement;
  readonly id: string;
  private readonly body: HTMLElement;
  private readonly footer: HTMLElement;
  private readonly modelName: HTMLElement;
  private readonly usageText: HTMLElement;
  private model: string;
  /** The note under the header: who answered instead (fallback), or what a comparison holds. */
  private readonly note: HTMLElement;
  private readonly comparison: MessageView['comparison'];
  /** Only kept while the answer streams; saved bodies are rendered once and let go. */
  private renderer: MarkdownRenderer | undefined;
  /** Saved text waiting to be rendered when the message nears the viewport. */
  private pendingText: string | undefined;
  private status: AnswerStatus;
  private usage: Usage | undefined;
  private errorBox: ErrorBox | undefined;
  private indicator: HTMLElement | undefined;
  private stopWaiting: (() => void) | undefined;
  private regenerate: HTMLButtonElement | undefined;
  private continueButton: HTMLButtonElement | undefined;
  private readonly tools: ToolLines;
  private readonly review: EditReview;

  constructor(
    private readonly deps: AssistantDeps,
    message: MessageView,
  ) {
    const { doc } = deps;
    this.id = message.id;
    this.model = message.model ?? '';
    this.status = message.status ?? 'done';
    this.usage = message.usage;
    this.modelName = el(doc, 'span', { className: 'ml-msg-model' });
    this.usageText = el(doc, 'span', { className: 'ml-usage' });
    this.comparison = message.comparison;
    this.refreshModelLabel();
    this.note = el(doc, 'div', { className: 'ml-answer-note' });
    this.note.hidden = true;
    this.body = el(doc, 'div', { className: 'ml-msg-body ml-markdown' });
    this.footer = el(doc, 'div', { className: 'ml-msg-footer' });
    this.tools = new ToolLines(doc);
    this.review = new EditReview(doc, (action, path) => deps.onReview(this.id, action, path));
    // Which mode wrote the answer: Agent answers say so next to the model.
    const mode = message.mode === 'agent' ? el(doc, 'span', { className: 'ml-mode-badge', text: 'Agent' }) : null;
    this.element = el(doc, 'article', { className: 'ml-msg ml-msg-assistant', attrs: { 'data-id': message.id, 'aria-label': message.mode === 'agent' ? 'Agent answer' : 'Answer' } }, [
      el(doc, 'div', { className: 'ml-msg-header' }, [codicon(doc, this.comparison && this.comparison.chosen === undefined ? 'split-horizontal' : 'sparkle'), this.modelName, mode, this.usageText]),
      this.note,
      this.tools.element,
      this.body,
      this.review.element,
    ]);
    for (const tool of message.tools ?? []) this.tools.update(tool);
    const fallback = message.fallbackFrom?.[message.fallbackFrom.length - 1];
    if (fallback) this.setNote('arrow-swap', fallbackText(deps.labelFor(this.model), deps.labelFor(fallback.model), fallback.reason));
    if (this.comparison) this.showComparison();
    if (message.edits?.length) this.review.set(message.edits, false);
    if (this.status === 'streaming') {
      // A reload in the middle of an answer: show what arrived, keep appending.
      this.startStreaming(message.text);
    } else {
      this.pendingText = message.text;
      const estimate = estimateBodyHeight(message.text);
      this.body.classList.add('is-pending');
      this.body.style.setProperty('--ml-body-est', `${estimate}px`);
      this.settle(message.error);
    }
    this.element.append(this.footer);
    this.renderFooter();
  }

  get isStreaming(): boolean {
    return this.status === 'streaming';
  }

  get isRendered(): boolean {
    return this.pendingText === undefined;
  }

  get totalTokens(): number {
    return this.usage?.totalTokens ?? 0;
  }

  /** Renders a saved body (lazy rendering calls this when the message nears the viewport). */
  renderBody(): void {
    if (this.pendingText === undefined) return;
    const text = this.pendingText;
    this.pendingText = undefined;
    this.body.classList.remove('is-pending');
    this.body.style.removeProperty('--ml-body-est');
    // Isolated: a body that cannot be rendered shows as plain text; the others are unaffected.
    try {
      this.deps.createRenderer(this.body).setText(text);
    } catch {
      new PlainTextRenderer(this.body, this.deps.doc, text);
    }
  }

  /** A tool of this (agent) answer started or finished. */
  updateTool(tool: ToolLineView): void {
    this.tools.update(tool);
  }

  /** The agent asks before reading a secret file: the question sits under the tools, above the text. */
  askApproval(path: string, onAnswer: (allow: boolean) => void): HTMLElement {
    const question = approvalQuestion(this.deps.doc, path, onAnswer);
    this.tools.element.after(question);
    return question;
  }

  setEdits(edits: readonly EditFileView[], undoable: boolean): void {
    this.review.set(edits, undoable);
  }

  /** Each delta goes straight to the renderer, which writes the DOM at most once a frame. */
  append(text: string): void {
    if (!this.renderer || !text) return;
    if (this.indicator) this.clearIndicator();
    const renderer = this.renderer;
    try {
      renderer.append(text);
    } catch {
      this.renderer = new PlainTextRenderer(this.body, this.deps.doc, textOf(renderer));
    }
  }

  /** The host is waiting out a rate limit before retrying: "Rate limited (429): retrying in 12 s". */
  showWaiting(retryAt: number, reason: string): void {
    const what = capitalize(reason.trim().replace(/\.$/, '')) || 'Rate limited';
    // The ticking countdown is for the eyes; a screen reader hears the wait once, not every second.
    const ticking = el(this.deps.doc, 'span', { attrs: { 'aria-hidden': 'true' } });
    const seconds = Math.max(1, Math.ceil((retryAt - this.deps.clock.now()) / 1000));
    const spoken = el(this.deps.doc, 'span', { className: 'ml-sr-only', text: `${what}: retrying in ${seconds} seconds.` });
    this.setIndicator(el(this.deps.doc, 'div', { className: 'ml-waiting', attrs: { role: 'status' } }, [codicon(this.deps.doc, 'watch'), ticking, spoken]));
    this.stopWaiting = startCountdown(
      this.deps.clock,
      retryAt,
      (left) => (ticking.textContent = `${what}: retrying in ${left} s`),
      () => (ticking.textContent = `${what}: retrying…`),
    );
  }

  /** The request waits for a free slot (the account's queue cap): "Waiting for a free slot (2nd in line)". */
  showQueued(position: number): void {
    // Position 0: admitted and sent; back to waiting for the first token.
    if (position <= 0) {
      if (this.indicator?.classList.contains('ml-waiting')) this.setIndicator(this.thinkingIndicator());
      return;
    }
    const text = queuedText(position);
    this.setIndicator(el(this.deps.doc, 'div', { className: 'ml-waiting', attrs: { role: 'status' } }, [codicon(this.deps.doc, 'clock'), el(this.deps.doc, 'span', { text })]));
  }

  /** Another model answers: the header names it and a note says why, as the history will. */
  showFallback(from: string, to: string, reason: string): void {
    this.model = to;
    this.refreshModelLabel();
    this.setNote('arrow-swap', fallbackText(this.deps.labelFor(to), this.deps.labelFor(from), reason));
  }

  /** Continue: the text so far is shown again and new text is appended to it. */
  resume(text: string): void {
    this.clearIndicator();
    this.errorBox?.dispose();
    this.errorBox?.element.remove();
    this.errorBox = undefined;
    this.pendingText = undefined;
    this.body.classList.remove('is-pending');
    this.body.style.removeProperty('--ml-body-est');
    this.body.replaceChildren();
    this.status = 'streaming';
    this.element.classList.remove('has-error');
    this.startStreaming(text);
    this.renderFooter();
  }

  end(status: Exclude<AnswerStatus, 'streaming'>, usage: Usage | undefined, error: ErrorView | undefined): void {
    const renderer = this.renderer;
    this.renderer = undefined;
    // Whatever the text did to the renderer, the answer ends (and the panel stops being busy).
    try {
      renderer?.finish();
    } catch {
      if (renderer) new PlainTextRenderer(this.body, this.deps.doc, textOf(renderer));
    }
    this.clearIndicator();
    this.status = status;
    this.usage = usage ?? this.usage;
    this.settle(error);
    this.renderFooter();
  }

  /** Regenerate and the error's action belong to the last answer only. */
  setLast(isLast: boolean, busy: boolean): void {
    const show = isLast && !this.isStreaming;
    this.errorBox?.setActive(show);
    // An error that offers Retry needs no second way to do the same thing.
    // A comparison nobody has picked from yet is answered again by comparing again, not by one model.
    const showRegenerate = show && !this.errorBox?.offersRetry && !(this.comparison && this.comparison.chosen === undefined);
    if (showRegenerate && !this.regenerate) {
      this.regenerate = button(this.deps.doc, { label: 'Regenerate', icon: 'refresh', className: 'ml-regenerate', onClick: () => this.deps.onRegenerate() });
      this.footer.append(this.regenerate);
    }
    if (this.regenerate) {
      this.regenerate.hidden = !showRegenerate;
      this.regenerate.disabled = busy;
    }
    const canContinue = show && this.status === 'truncated';
    if (canContinue && !this.continueButton) {
      // A labelled button, not a bare icon: it is the one thing to do with a cut-off answer.
      this.continueButton = button(this.deps.doc, { label: 'Continue', text: 'Continue', icon: 'debug-continue', className: 'ml-continue', onClick: () => this.deps.onContinue(this.id) });
      this.footer.insertBefore(this.continueButton, this.footer.querySelector('.ml-spacer'));
    }
    if (this.continueButton) {
      this.continueButton.hidden = !canContinue;
      this.continueButton.disabled = busy;
    }
    this.updateFooterVisibility();
  }

  refreshModelLabel(): void {
    if (this.comparison && this.comparison.chosen === undefined) this.modelName.textContent = `Comparison of ${this.comparison.models.length} models`;
    else this.modelName.textContent = this.model ? this.deps.labelFor(this.model) : 'Assistant';
  }

  /** What a comparison answer shows in the chat: who answered, and the way to the answers. */
  private showComparison(): void {
    const comparison = this.comparison;
    if (!comparison) return;
    const { doc } = this.deps;
    const names = comparison.models.map((m) => this.deps.labelFor(m));
    const text =
      comparison.chosen === undefined
        ? `${names.join(', ')} answer side by side. Pick one with “Use this answer” to continue with it.`
        : `Chosen from ${names.length} answers; the others (${names.filter((_, i) => i !== comparison.chosen).join(', ')}) are kept.`;
    const open = button(doc, { label: 'Open Comparison', text: 'Open Comparison', icon: 'split-horizontal', className: 'ml-open-comparison', onClick: () => this.deps.onOpenComparison(this.id) });
    this.note.replaceChildren(el(doc, 'span', { text }), open);
    this.note.hidden = false;
    this.note.classList.add('is-comparison');
  }

  private setNote(icon: string, text: string): void {
    this.note.replaceChildren(codicon(this.deps.doc, icon), el(this.deps.doc, 'span', { text }));
    this.note.hidden = false;
  }

  dispose(): void {
    this.stopWaiting?.();
    this.errorBox?.dispose();
    this.renderer = undefined;
  }

  private startStreaming(initialText: string): void {
    this.element.classList.add('is-streaming');
    this.element.setAttribute('aria-busy', 'true');
    try {
      this.renderer = this.deps.createRenderer(this.body);
      if (initialText) this.renderer.setText(initialText);
    } catch {
      this.renderer = new PlainTextRenderer(this.body, this.deps.doc, initialText);
    }
    // A comparison streams in its own view; the chat only says so.
    if (!initialText && !this.comparison) this.setIndicator(this.thinkingIndicator());
  }

  private thinkingIndicator(): HTMLElement {
    const { doc } = this.deps;
    return el(doc, 'div', { className: 'ml-thinking', attrs: { role: 'status' } }, [
      el(doc, 'span', { className: 'ml-thinking-text', text: 'Thinking' }),
      el(doc, 'span', { className: 'ml-thinking-dots', attrs: { 'aria-hidden': 'true' } }, [el(doc, 'span'), el(doc, 'span'), el(doc, 'span')]),
    ]);
  }

  /** Marks the answer finished (no more aria-busy) and shows its error, if any. */
  private settle(error: ErrorView | undefined): void {
    this.element.classList.remove('is-streaming');
    this.element.removeAttribute('aria-busy');
    this.element.classList.toggle('has-error', this.status === 'error' || this.status === 'incomplete');
    if (!error) return;
    this.errorBox?.dispose();
    this.errorBox?.element.remove();
    this.errorBox = new ErrorBox(this.deps.doc, error, this.deps.clock, this.deps.errorActions);
    this.body.after(this.errorBox.element);
  }

  private setIndicator(indicator: HTMLElement): void {
    this.clearIndicator();
    this.indicator = indicator;
    this.body.after(indicator);
  }

  private clearIndicator(): void {
    this.stopWaiting?.();
    this.stopWaiting = undefined;
    this.indicator?.remove();
    this.indicator = undefined;
  }

  private renderFooter(): void {
    const { doc } = this.deps;
    const parts: HTMLElement[] = [];
    // Token counts are a quiet note in the header, shown on hover or focus, not a footer line.
    this.usageText.textContent = this.usage ? formatUsage(this.usage) : '';
    const statusText = STATUS_TEXT[this.status];
    if (statusText) parts.push(el(doc, 'span', { className: `ml-badge ml-badge-${this.status}`, text: statusText }));
    // Continue belongs with the status it answers; Regenerate stays at the far end.
    if (this.continueButton) parts.push(this.continueButton);
    parts.push(el(doc, 'span', { className: 'ml-spacer' }));
    if (this.regenerate) parts.push(this.regenerate);
    this.footer.replaceChildren(...parts);
    this.updateFooterVisibility();
  }

  private updateFooterVisibility(): void {
    const visible = Array.from(this.footer.children).some((c) => !c.classList.contains('ml-spacer') && !(c as HTMLElement).hidden);
    this.footer.hidden = !visible;
  }
}

