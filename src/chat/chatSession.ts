// The chat session: owns the active conversation, runs one answer at a time, streams its
// deltas to the webview and saves the result. No vscode import: the host injects what it needs.
import type { ChatChunk, ChatMessage, ChatOptions } from '../llm/types';
import type { Logger } from '../llm/logger';
import { ModelsLabError } from '../llm/errors';
import type { AnswerStatus, ConversationView, ErrorView, HostToWebview, Usage } from '../shared/protocol';
import { describeError } from '../platform/errorMessages';
import { buildChatMessages, type AttachedContext } from '../prompts/chatPrompt';
import { newConversation, titleFromPrompt, toConversationView, toMessageView, UNTITLED, type StoredConversation, type StoredMessage } from '../history/conversation';
import type { HistoryStore } from '../history/historyStore';
import { DeltaBatcher } from './deltaBatcher';

export interface ChatStreamer {
  streamChat(messages: ChatMessage[], options: ChatOptions, signal?: AbortSignal): AsyncIterable<ChatChunk>;
}

export interface SessionEnvironment {
  post(message: HostToWebview): void;
  /** Rejects with a ModelsLabError (e.g. no_key) when no client can be made. */
  client(): Promise<ChatStreamer>;
  requestOptions(): { options: ChatOptions; systemPrompt: string };
  /** Takes the context the user attached in the panel (it is consumed by the send). */
  takeAttachedContext(): Promise<AttachedContext>;
  store: HistoryStore;
  log: Logger;
  newId(): string;
  /** Lets the host add a notification for errors that need one (e.g. a rejected key). */
  onAnswerError?(error: ErrorView): void;
  deltaIntervalMs?: number;
  /** Told when an answer starts and ends (the host mirrors it in a context key). */
  onStreamingChange?(streaming: boolean): void;
}

interface ActiveAnswer {
  requestId: string;
  controller: AbortController;
  done: Promise<void>;
}

export class ChatSession {
  private conversation: StoredConversation | undefined;
  private active: ActiveAnswer | undefined;

  constructor(private readonly env: SessionEnvironment) {}

  get isStreaming(): boolean {
    return this.active !== undefined;
  }

  /** Loads the last active conversation on first use (never at activation). */
  async current(): Promise<StoredConversation> {
    if (this.conversation) return this.conversation;
    const activeId = await this.env.store.activeId();
    const saved = activeId ? await this.env.store.load(activeId) : undefined;
    this.conversation = saved ?? newConversation(this.env.newId());
    return this.conversation;
  }

  async view(): Promise<ConversationView> {
    return toConversationView(await this.current());
  }

  /** Sends a prompt; resolves when the answer has ended (done, stopped, or failed). */
  async send(requestId: string, text: string, context?: AttachedContext): Promise<void> {
    if (this.rejectIfBusy()) return;
    const conversation = await this.current();
    const attached = context ?? (await this.env.takeAttachedContext());
    const user: StoredMessage = {
      id: this.env.newId(),
      role: 'user',
      text,
      createdAt: Date.now(),
      ...(attached.labels.length ? { contextLabels: attached.labels } : {}),
      ...(attached.text ? { context: attached.text } : {}),
    };
    if (conversation.title === UNTITLED) conversation.title = titleFromPrompt(text);
    await this.answer(requestId, conversation.messages.length, user);
  }

  /** Answers the last prompt again (also what "Retry" does after a failure). */
  async regenerate(requestId: string): Promise<void> {
    if (this.rejectIfBusy()) return;
    const conversation = await this.current();
    const index = findLastIndex(conversation.messages, (m) => m.role === 'user');
    if (index < 0) return this.notice('info', 'There is no prompt to answer again yet.');
    await this.answer(requestId, index, conversation.messages[index]);
  }

  /** Replaces an earlier prompt and answers from there; later turns are dropped. */
  async editAndResend(requestId: string, messageId: string, text: string): Promise<void> {
    if (this.rejectIfBusy()) return;
    const conversation = await this.current();
    const index = conversation.messages.findIndex((m) => m.id === messageId && m.role === 'user');
    if (index < 0) return this.notice('warning', 'That prompt is no longer in this conversation.');
    const edited: StoredMessage = { ...conversation.messages[index], text, createdAt: Date.now() };
    if (index === 0) conversation.title = titleFromPrompt(text);
    await this.answer(requestId, index, edited);
  }

  cancel(requestId?: string): boolean {
    if (!this.active || (requestId !== undefined && this.active.requestId !== requestId)) return false;
    this.active.controller.abort();
    return true;
  }

  /** Waits for the answer in progress, if any, to end. */
  async idle(): Promise<void> {
    await this.active?.done;
  }

  async newChat(): Promise<ConversationView> {
    this.cancel();
    await this.idle();
    const current = await this.current();
    if (current.messages.length > 0) {
      this.conversation = newConversation(this.env.newId());
      await this.env.store.setActive(undefined);
    }
    return this.view();
  }

  async open(id: string): Promise<ConversationView | undefined> {
    const conversation = await this.env.store.load(id);
    if (!conversation) return undefined;
    this.cancel();
    await this.idle();
    this.conversation = conversation;
    await this.env.store.setActive(id);
    return this.view();
  }

  async delete(id: string): Promise<void> {
    if (this.conversation?.id === id) {
      this.cancel();
      await this.idle();
      this.conversation = newConversation(this.env.newId());
    }
    await this.env.store.delete(id);
  }

  async rename(id: string, title: string): Promise<void> {
    const conversation = this.conversation?.id === id ? this.conversation : await this.env.store.load(id);
    if (!conversation) return;
    conversation.title = title.trim() || conversation.title;
    await this.env.store.save(conversation, conversation === this.conversation);
  }

  private rejectIfBusy(): boolean {
    if (!this.active) return false;
    this.notice('info', 'An answer is still streaming. Stop it first, or wait for it to finish.');
    return true;
  }

  private notice(level: 'info' | 'warning' | 'error', text: string): void {
    this.env.post({ type: 'notice', level, text });
  }

  private async answer(requestId: string, fromIndex: number, user: StoredMessage): Promise<void> {
    const conversation = await this.current();
    const { options, systemPrompt } = this.env.requestOptions();
    conversation.messages.splice(fromIndex);
    conversation.messages.push(user);
    const assistant: StoredMessage = { id: this.env.newId(), role: 'assistant', text: '', createdAt: Date.now(), model: options.model, status: 'streaming' };
    conversation.messages.push(assistant);
    conversation.updatedAt = Date.now();

    const controller = new AbortController();
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    this.active = { requestId, controller, done };
    this.env.onStreamingChange?.(true);
    this.env.post({ type: 'answerStart', requestId, userMessage: toMessageView(user), assistantId: assistant.id, model: options.model, replaceFromIndex: fromIndex });

    const batcher = new DeltaBatcher((text) => this.env.post({ type: 'answerDelta', requestId, text }), this.env.deltaIntervalMs);
    let status: Exclude<AnswerStatus, 'streaming'> = 'done';
    let usage: Usage | undefined;
    let error: ErrorView | undefined;
    try {
      const client = await this.env.client();
      const prompt = buildChatMessages(
        conversation.messages.slice(0, -1).map((m) => ({ role: m.role, text: m.text, context: m.context, failed: m.status === 'error' })),
        systemPrompt,
      );
      for await (const chunk of client.streamChat(prompt, options, controller.signal)) {
        if (chunk.type === 'text') {
          assistant.text += chunk.text;
          batcher.push(chunk.text);
        } else if (chunk.type === 'usage') {
          usage = chunk.usage;
        } else if (chunk.type === 'retrying') {
          this.env.post({ type: 'answerWaiting', requestId, retryAt: chunk.retryAt, reason: chunk.reason });
        }
      }
    } catch (err) {
      ({ status, error } = this.classify(err, assistant.text));
    } finally {
      batcher.flush();
      assistant.status = status;
      if (usage) assistant.usage = usage;
      if (error) assistant.error = error;
      conversation.updatedAt = Date.now();
      this.active = undefined;
      this.env.onStreamingChange?.(false);
      this.env.post({ type: 'answerEnd', requestId, status, ...(usage ? { usage } : {}), ...(error ? { error } : {}) });
      if (error) this.env.onAnswerError?.(error);
      await this.persist(conversation);
      finish();
    }
  }

  private classify(err: unknown, partialText: string): { status: Exclude<AnswerStatus, 'streaming'>; error?: ErrorView } {
    if (err instanceof ModelsLabError && err.kind === 'cancelled') return { status: 'stopped' };
    const error = describeError(err);
    this.env.log.warn(`Answer failed (${error.kind}): ${error.message}`);
    // A partial answer is kept and marked incomplete, never presented as finished.
    return { status: partialText ? 'incomplete' : 'error', error };
  }

  private async persist(conversation: StoredConversation): Promise<void> {
    try {
      await this.env.store.save(conversation, conversation === this.conversation);
    } catch (err) {
      this.env.log.error(`Could not save the conversation: ${err instanceof Error ? err.message : String(err)}`);
      this.notice('warning', 'This conversation could not be saved to disk. It stays open here; see the “ModelsLab” output for details.');
    }
  }
}

function findLastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i])) return i;
  return -1;
}
