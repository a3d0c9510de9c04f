// The conversation log: builds message views, runs the streaming answer's lifecycle and
// decides which bodies render now and which wait until they scroll near.
import type { AnswerStatus, ChatMode, EditFileView, ErrorView, MessageView, ToolLineView, Usage } from '../../../src/shared/protocol';
import { el } from '../dom';
import { LazyBodies } from '../lazyBodies';
import { ScrollPin } from '../scrollPin';
import { AssistantMessageView, type AssistantDeps } from './assistantMessage';
import { UserMessageView } from './userMessage';

/** Bodies of the newest messages are rendered right away; older ones lazily. */
const EAGER_MESSAGES = 10;

export interface MessageListDeps extends Omit<AssistantDeps, 'doc'> {
  doc: Document;
  onResend(messageId: string, text: string): boolean;
  IntersectionObserver?: typeof IntersectionObserver;
  ResizeObserver?: typeof ResizeObserver;
  scheduleFrame: (cb: () => void) => void;
  onScroll?: () => void;
}

type Entry = UserMessageView | AssistantMessageView;

export class MessageList {
  /** The scroll container; role=log so screen readers hear new messages. */
  readonly element: HTMLElement;
  private readonly content: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly pin: ScrollPin;
  private readonly lazy: LazyBodies;
  private entries: Entry[] = [];
  private streaming: AssistantMessageView | undefined;
  private lastAssistant: AssistantMessageView | undefined;
  private busy = false;

  constructor(private readonly deps: MessageListDeps) {
    const { doc } = deps;
    this.content = el(doc, 'div', { className: 'ml-log-content' });
    this.empty = el(doc, 'div', { className: 'ml-empty' }, [
      el(doc, 'p', { text: 'Ask anything about your code.' }),
      el(doc, 'p', { className: 'ml-muted', text: 'Select code in the editor to attach it, or type @ to attach a file.' }),
    ]);
    this.element = el(doc, 'div', { className: 'ml-log', attrs: { role: 'log', 'aria-label': 'Conversation', tabindex: '0' } }, [this.empty, this.content]);
    this.pin = new ScrollPin(this.element, this.content, { ResizeObserver: deps.ResizeObserver, scheduleFrame: deps.scheduleFrame, onScroll: deps.onScroll });
    this.lazy = new LazyBodies(this.element, this.content, this.pin, deps.IntersectionObserver, (elements) => this.settleHeights(elements));
  }

  get isStreaming(): boolean {
    return this.streaming !== undefined;
  }

  get count(): number {
    return this.entries.length;
  }

  /** Distance from the bottom, saved so a re-created view opens where the user was. */
  get scrollFromBottom(): number {
    return this.pin.distanceFromBottom();
  }

  /** Replaces everything (init, open, new chat). Only the newest bodies render now. */
  setConversation(messages: readonly MessageView[], restoreFromBottom?: number): void {
    this.removeFrom(0);
    const views = messages.map((m) => this.createView(m));
    const eagerFrom = Math.max(0, views.length - EAGER_MESSAGES);
    views.slice(eagerFrom).forEach((v) => v instanceof AssistantMessageView && v.renderBody());
    const fragment = this.deps.doc.createDocumentFragment();
    for (const view of views) fragment.append(view.element);
    this.content.append(fragment);
    this.entries = views;
    this.afterChange();
    if (restoreFromBottom === undefined) this.pin.toBottom();
    else this.pin.restore(restoreFromBottom);
    this.settleHeights(views.filter((v) => v instanceof UserMessageView || (v.isRendered && !v.isStreaming)).map((v) => v.element));
    // Observed only after scrolling, so the first intersection pass sees the real viewport.
    for (const view of views.slice(0, eagerFrom)) if (view instanceof AssistantMessageView) this.lazy.add(view);
  }

  /** answerStart: drop everything from `replaceFromIndex`, add the prompt and an empty answer. */
  startAnswer(replaceFromIndex: number, userMessage: MessageView, assistantId: string, model: string, mode?: ChatMode, comparison?: string[]): void {
    this.finishStreamingView();
    this.removeFrom(Math.max(0, replaceFromIndex));
    const user = this.createView(userMessage);
    const answer = new AssistantMessageView(this.assistantDeps(), { id: assistantId, role: 'assistant', text: '', model, status: 'streaming', ...(mode === 'agent' ? { mode } : {}), ...(comparison ? { comparison: { models: comparison } } : {}) });
    this.content.append(user.element, answer.element);
    this.entries.push(user, answer);
    this.streaming = answer;
    this.afterChange();
    this.pin.toBottom(); // the user just asked: follow the answer
    this.settleHeights([user.element]);
  }

  /** answerResume: the last answer streams on from where it was cut off. */
  resumeAnswer(assistantId: string, text: string): void {
    this.finishStreamingView();
    const answer = this.lastAssistant;
    if (!answer || answer.id !== assistantId) return;
    answer.resume(text);
    this.streaming = answer;
    this.afterChange();
    this.pin.contentChanged();
  }

  append(text: string): void {
    if (!this.streaming) return;
    this.streaming.append(text);
    this.pin.contentChanged();
  }

  updateTool(tool: ToolLineView): void {
    this.streaming?.updateTool(tool);
    this.pin.contentChanged();
  }

  /** A question of the streaming (agent) answer; it takes the focus, since the answer waits for it. */
  askApproval(path: string, onAnswer: (allow: boolean) => void): void {
    const question = this.streaming?.askApproval(path, onAnswer);
    question?.querySelector<HTMLButtonElement>('.ml-approval-allow')?.focus();
    this.pin.contentChanged();
  }

  /** The review list of an answer (any answer: the user may act on an older one). */
  setEdits(messageId: string, edits: readonly EditFileView[], undoable: boolean): void {
    const answer = this.entries.find((v): v is AssistantMessageView => v instanceof AssistantMessageView && v.id === messageId);
    answer?.setEdits(edits, undoable);
    this.pin.contentChanged();
  }

  showQueued(position: number): void {
    this.streaming?.showQueued(position);
    this.pin.contentChanged();
  }

  showFallback(from: string, to: string, reason: string): void {
    this.streaming?.showFallback(from, to, reason);
    this.pin.contentChanged();
  }

  showWaiting(retryAt: number, reason: string): void {
    this.streaming?.showWaiting(retryAt, reason);
    this.pin.contentChanged();
  }

  endAnswer(status: Exclude<AnswerStatus, 'streaming'>, usage: Usage | undefined, error: ErrorView | undefined): void {
    const answer = this.streaming;
    if (!answer) return;
    this.streaming = undefined;
    try {
      answer.end(status, usage, error);
    } finally {
      // Even if ending threw, the log moves on: the caller then clears the busy state.
      this.afterChange();
      this.pin.contentChanged();
      this.settleHeights([answer.element]);
    }
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    for (const entry of this.entries) if (entry instanceof UserMessageView) entry.setBusy(busy);
    this.lastAssistant?.setLast(true, busy);
  }

  totalTokens(): number {
    let total = 0;
    for (const entry of this.entries) if (entry instanceof AssistantMessageView) total += entry.totalTokens;
    return total;
  }

  refreshModelLabels(): void {
    for (const entry of this.entries) if (entry instanceof AssistantMessageView) entry.refreshModelLabel();
  }

  /**
   * Finished, rendered messages get content-visibility with their measured height as the
   * intrinsic size: skipped off-screen, yet the same height when they come back (an estimate
   * there would make the view jump). One layout for all reads, then the writes.
   */
  private settleHeights(elements: HTMLElement[]): void {
    const heights = elements.map((element) => element.getBoundingClientRect().height);
    elements.forEach((element, i) => {
      if (heights[i] <= 0) return; // not laid out (hidden, or jsdom): left without content-visibility
      element.style.setProperty('--ml-msg-height', `${Math.ceil(heights[i])}px`);
      element.classList.add('is-settled');
    });
  }

  private createView(message: MessageView): Entry {
    if (message.role === 'user') {
      const view = new UserMessageView({ doc: this.deps.doc, onResend: this.deps.onResend }, message);
      view.setBusy(this.busy);
      return view;
    }
    const view = new AssistantMessageView(this.assistantDeps(), message);
    if (view.isStreaming) this.streaming = view;
    return view;
  }

  private assistantDeps(): AssistantDeps {
    const { doc, clock, createRenderer, labelFor, errorActions, onRegenerate, onContinue, onReview, onOpenComparison } = this.deps;
    return { doc, clock, createRenderer, labelFor, errorActions, onRegenerate, onContinue, onReview, onOpenComparison };
  }

  /** A new answer (or a reload) replaces one that never got its answerEnd. */
  private finishStreamingView(): void {
    if (this.streaming) this.streaming.end('stopped', undefined, undefined);
    this.streaming = undefined;
  }

  private removeFrom(index: number): void {
    for (const entry of this.entries.splice(index)) {
      if (entry === this.streaming) this.streaming = undefined;
      if (entry instanceof AssistantMessageView) this.lazy.remove(entry);
      entry.dispose();
      entry.element.remove();
    }
  }

  /** Regenerate (and an error's action) move to whichever answer is now the last. */
  private afterChange(): void {
    const last = this.entries[this.entries.length - 1];
    const lastAssistant = last instanceof AssistantMessageView ? last : undefined;
    if (this.lastAssistant && this.lastAssistant !== lastAssistant) this.lastAssistant.setLast(false, this.busy);
    this.lastAssistant = lastAssistant;
    lastAssistant?.setLast(true, this.busy);
    this.empty.hidden = this.entries.length > 0;
  }
}
