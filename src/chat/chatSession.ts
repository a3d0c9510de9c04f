// The chat session: owns the active conversation, starts one answer at a time through the
// answer runner, shows it through a presenter and saves the result. No vscode import: the host
// injects what it needs.
import { AnswerRunner, type AnswerOutcome } from '../llm/answerRunner';
import type { Logger } from '../llm/logger';
import { limitsFor, outputTokensFor } from '../llm/modelLimits';
import { chatRequest, type ChatRequest } from '../llm/request';
import type { ChatStreamer } from '../llm/streamer';
import type { ChatOptions } from '../llm/types';
import type { ChatMode, ConversationView, EditFileView, ErrorView, HostToWebview, ModelOption } from '../shared/protocol';
import type { AgentTurn } from '../agent/agentStreamer';
import type { PlannedFile } from '../agent/editPlan';
import { buildChatMessages, CONTINUE_INSTRUCTION, type AttachedContext } from '../prompts/chatPrompt';
import { fitToContext } from '../prompts/contextWindow';
import { newConversation, NEWER_VERSION_NOTICE, titleFromPrompt, toConversationView, toMessageView, UNTITLED, type StoredConversation, type StoredMessage } from '../history/conversation';
import type { HistoryStore } from '../history/historyStore';
import { AnswerPresenter, errorOf } from './answerPresenter';
import type { ComparisonRun } from './comparisonRun';
import { chooseAlternative, comparisonRecord, type ComparisonSurface } from './comparisonRecord';

export interface SessionEnvironment {
  post(message: HostToWebview): void;
  /** Rejects with a ModelsLabError (e.g. no_key) when no client can be made. */
  client(): Promise<ChatStreamer>;
  /** The runner shared with other surfaces (one Stop, one busy state); the session makes its own if absent. */
  runner?: AnswerRunner;
  requestOptions(): { options: ChatOptions; systemPrompt: string };
  /** Takes the context the user attached in the panel (it is consumed by the send). */
  takeAttachedContext(): Promise<AttachedContext>;
  store: HistoryStore;
  log: Logger;
  newId(): string;
  /** Lets the host add a notification for errors that need one (e.g. a rejected key). */
  onAnswerError?(error: ErrorView): void;
  deltaIntervalMs?: number;
  /** The model to offer as "Retry with …" after `model` broke off mid-answer (the next fallback model). */
  nextModel?(model: string): ModelOption | undefined;
  /** Waits for standing instructions (the project rules) to catch up with a change just made. */
  settled?(): Promise<void>;
  /** Told when an answer starts and ends (the host mirrors it in a context key). */
  onStreamingChange?(streaming: boolean): void;
  /** A new Agent-mode turn (its tools and edit plan); without it, Agent mode answers as Ask. */
  agentTurn?(requestId: string): AgentTurn;
  /** Takes an agent answer's proposed files for review; returns the review list's first state. */
  reviewAgentEdits?(messageId: string, files: PlannedFile[]): EditFileView[];
}

/** What an answer replaces and adds, decided once the conversation is loaded. */
interface AnswerPlan {
  /** A new prompt and answer from this index on, or an existing answer to continue. */
  kind: 'new' | 'continue';
  fromIndex: number;
  user: StoredMessage;
  assistant?: StoredMessage;
  mode?: ChatMode;
  /** Answer with this model instead of the selected one (Retry with another model). */
  model?: string;
}

const BUSY_TEXT = 'An answer is still streaming. Stop it first, or wait for it to finish.';

export class ChatSession {
  private conversation: StoredConversation | undefined;
  /** The request id of the answer in progress; set before the first await of a request. */
  private activeId: string | undefined;
  private activeDone: Promise<unknown> | undefined;
  /** The presenter of the answer in progress. */
  private activePresenter: AnswerPresenter | undefined;
  /** The comparison in progress, if the active request is one. */
  private comparison: ComparisonRun | undefined;
  private readonly runner: AnswerRunner;
  /** The usual streamer: the current client, whatever the key or settings are now. */
  private readonly streamer: ChatStreamer;

  constructor(private readonly env: SessionEnvironment) {
    this.streamer = lazyStreamer(env.client);
    this.runner = env.runner ?? new AnswerRunner(this.streamer);
  }

  /** The review list of an agent answer changed (the user accepted or rejected files): keep it. */
  async updateEdits(messageId: string, edits: EditFileView[]): Promise<void> {
    const conversation = await this.current();
    const message = conversation.messages.find((m) => m.id === messageId);
    if (!message) return;
    message.edits = edits;
    await this.persist(conversation);
  }

  get isStreaming(): boolean {
    return this.activeId !== undefined;
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
    const conversation = await this.current();
    // A view (re)built mid-answer gets the text so far; the text still in the batcher goes out
    // first, so it is in the view and never comes again as the next delta.
    this.activePresenter?.flush();
    return toConversationView(conversation);
  }

  /** Sends a prompt; resolves when the answer has ended (done, stopped, refused or failed). */
  send(requestId: string, text: string, context?: AttachedContext, mode: ChatMode = 'ask', model?: string): Promise<void> {
    return this.start(requestId, async (conversation) => {
      const user = this.newPrompt(conversation, text, context ?? (await this.env.takeAttachedContext()));
      return { kind: 'new', fromIndex: conversation.messages.length, user, mode, ...(model ? { model } : {}) };
    });
  }

  /** A new prompt with its attached context; the first one names the conversation. */
  private newPrompt(conversation: StoredConversation, text: string, attached: AttachedContext): StoredMessage {
    if (conversation.title === UNTITLED) conversation.title = titleFromPrompt(text);
    return {
      id: this.env.newId(),
      role: 'user',
      text,
      createdAt: Date.now(),
      ...(attached.labels.length ? { contextLabels: attached.labels } : {}),
      ...(attached.text ? { context: attached.text } : {}),
    };
  }

  /** Answers the last prompt again (also what "Retry" does after a failure). */
  regenerate(requestId: string): Promise<void> {
    return this.start(requestId, async (conversation) => {
      const index = findLastIndex(conversation.messages, (m) => m.role === 'user');
      if (index < 0) throw new Refusal('info', 'There is no prompt to answer again yet.');
      // Answered again the way it was answered the first time.
      return { kind: 'new', fromIndex: index, user: conversation.messages[index], mode: conversation.messages[index + 1]?.mode };
    });
  }

  /** Answers the last prompt again with `model` (the "Retry with …" of a failed answer). */
  retryWithModel(requestId: string, model: string): Promise<void> {
    return this.start(requestId, async (conversation) => {
      const index = findLastIndex(conversation.messages, (m) => m.role === 'user');
      if (index < 0) throw new Refusal('info', 'There is no prompt to answer again yet.');
      return { kind: 'new', fromIndex: index, user: conversation.messages[index], mode: conversation.messages[index + 1]?.mode, model };
    });
  }

  /**
   * Sends a prompt to several models at once. Each column streams into `surface` (the
   * comparison view); the chat keeps the prompt and one answer that holds all of them until
   * the user picks one with `choose`. Resolves when every column has ended.
   */
  compare(requestId: string, text: string, models: readonly string[], surface: ComparisonSurface): Promise<void> {
    const presenter = new AnswerPresenter((m) => this.env.post(m), requestId, this.env.deltaIntervalMs);
    if (!this.claim(requestId, presenter)) return Promise.resolve();
    return this.track(
      this.runComparison(requestId, text, models, surface, presenter).catch((err: unknown) =>
        presenter.refuse(err instanceof Refusal ? err.level : 'error', err instanceof Error ? err.message : String(err)),
      ),
    );
  }

  /**
   * Takes the one answer slot for `requestId`, before any await, so two requests can never both
   * pass the busy check; false (the request refused) when an answer is already running.
   */
  private claim(requestId: string, presenter: AnswerPresenter): boolean {
    if (this.activeId !== undefined) {
      presenter.refuse('info', BUSY_TEXT);
      return false;
    }
    this.activeId = requestId;
    this.activePresenter = presenter;
    this.env.onStreamingChange?.(true);
    return true;
  }

  /** The claimed slot's work: idle() waits for it, and the slot is freed when it ends. */
  private track(work: Promise<void>): Promise<void> {
    const done = work.finally(() => {
      this.activeId = undefined;
      this.activePresenter = undefined;
      this.comparison = undefined;
      this.activeDone = undefined;
      this.env.onStreamingChange?.(false);
    });
    this.activeDone = done;
    return done;
  }

  /** The user picked column `column` of a comparison: that answer and its model continue the conversation. */
  async choose(messageId: string, column: number): Promise<ConversationView | undefined> {
    const conversation = await this.current();
    const message = conversation.messages.find((m) => m.id === messageId);
    if (!message?.comparison || !chooseAlternative(message, column)) return undefined;
    conversation.updatedAt = Date.now();
    await this.persist(conversation);
    return this.view();
  }

  /** A comparison saved in the active conversation, with whether it may still be chosen (it is the last answer). */
  async savedComparison(messageId: string): Promise<{ prompt: string; message: StoredMessage; canChoose: boolean } | undefined> {
    const conversation = await this.current();
    const index = conversation.messages.findIndex((m) => m.id === messageId);
    const message = conversation.messages[index];
    if (!message?.comparison) return undefined;
    const prompt = conversation.messages[index - 1]?.text ?? '';
    return { prompt, message, canChoose: index === conversation.messages.length - 1 && !conversation.readOnly };
  }

  private async runComparison(requestId: string, text: string, models: readonly string[], surface: ComparisonSurface, presenter: AnswerPresenter): Promise<void> {
    const conversation = await this.current();
    if (conversation.readOnly) throw new Refusal('info', NEWER_VERSION_NOTICE);
    const user = this.newPrompt(conversation, text, await this.env.takeAttachedContext());
    const planned: AnswerPlan = { kind: 'new', fromIndex: conversation.messages.length, user };
    await this.env.settled?.();
    const { options, systemPrompt } = this.env.requestOptions();
    const assistant = this.apply(conversation, planned, models[0]);
    assistant.comparison = { answers: models.map((model) => ({ model, status: 'waiting', text: '' })) };
    const requests = models.map((model) => this.prompt(conversation, planned, systemPrompt, { ...options, model }).request);
    presenter.show({ type: 'answerStart', requestId, userMessage: toMessageView(user), assistantId: assistant.id, model: models[0], replaceFromIndex: planned.fromIndex, comparison: [...models] });
    const run = surface.start({ messageId: assistant.id, prompt: text, requestId, requests, runner: this.runner });
    this.comparison = run;
    const outcomes = await run.done;
    assistant.comparison = comparisonRecord(run.columns);
    assistant.status = outcomes.every((o) => o.status === 'stopped') ? 'stopped' : 'done';
    conversation.updatedAt = Date.now();
    await this.persist(conversation);
    presenter.present({ type: 'end', answerId: requestId, outcome: { answerId: requestId, status: assistant.status, text: '', toolCalls: [], tools: [] } });
  }

  /** Replaces an earlier prompt and answers from there; later turns are dropped. */
  editAndResend(requestId: string, messageId: string, text: string): Promise<void> {
    return this.start(requestId, async (conversation) => {
      const index = conversation.messages.findIndex((m) => m.id === messageId && m.role === 'user');
      if (index < 0) throw new Refusal('warning', 'That prompt is no longer in this conversation.');
      if (index === 0) conversation.title = titleFromPrompt(text);
      return { kind: 'new', fromIndex: index, user: { ...conversation.messages[index], text, createdAt: Date.now() }, mode: conversation.messages[index + 1]?.mode };
    });
  }

  /** Asks the model to go on where a cut-off answer stopped; the new text joins the same answer. */
  continueAnswer(requestId: string, messageId: string): Promise<void> {
    return this.start(requestId, async (conversation) => {
      const last = conversation.messages.length - 1;
      const assistant = conversation.messages[last];
      if (!assistant || assistant.id !== messageId || assistant.role !== 'assistant' || !assistant.text) {
        throw new Refusal('warning', 'Only the last answer can be continued.');
      }
      return { kind: 'continue', fromIndex: last, user: conversation.messages[last - 1], assistant };
    });
  }

  cancel(requestId?: string): boolean {
    if (!this.activeId || (requestId !== undefined && this.activeId !== requestId)) return false;
    if (this.comparison) {
      const running = this.comparison.running;
      this.comparison.stop();
      return running;
    }
    return this.runner.cancel(this.activeId);
  }

  /** Waits for the answer in progress, if any, to end. */
  async idle(): Promise<void> {
    await this.activeDone;
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
    if (conversation.readOnly) this.env.post({ type: 'notice', level: 'info', text: NEWER_VERSION_NOTICE });
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
    if (conversation.readOnly) {
      this.env.post({ type: 'notice', level: 'warning', text: NEWER_VERSION_NOTICE });
      return;
    }
    conversation.title = title.trim() || conversation.title;
    await this.env.store.save(conversation, conversation === this.conversation);
  }

  /**
   * The one way an answer starts. The slot is claimed before the first await, so two requests
   * can never both pass the busy check; whatever happens next (a file that cannot be read, a
   * refusal, a failure), the presenter ends the request with one terminal message.
   */
  private start(requestId: string, plan: (conversation: StoredConversation) => Promise<AnswerPlan>): Promise<void> {
    let assistant: StoredMessage | undefined;
    const presenter = new AnswerPresenter((m) => this.env.post(m), requestId, this.env.deltaIntervalMs, (outcome) => this.errorView(outcome, assistant?.model));
    if (!this.claim(requestId, presenter)) return Promise.resolve();
    let conversation: StoredConversation | undefined;
    let agent: AgentTurn | undefined;
    const prepare = async (): Promise<ChatRequest> => {
      conversation = await this.current();
      if (conversation.readOnly) throw new Refusal('info', NEWER_VERSION_NOTICE);
      const planned = await plan(conversation);
      await this.env.settled?.();
      const settings = this.env.requestOptions();
      const options = planned.model ? { ...settings.options, model: planned.model } : settings.options;
      const systemPrompt = settings.systemPrompt;
      assistant = this.apply(conversation, planned, options.model);
      if (planned.mode === 'agent' && this.env.agentTurn) {
        agent = this.env.agentTurn(requestId);
        assistant.mode = 'agent';
        assistant.tools = [];
      }
      const prompt = this.prompt(conversation, planned, systemPrompt, options);
      if (planned.kind === 'continue') presenter.show({ type: 'answerResume', requestId, assistantId: assistant.id, text: assistant.text });
      else presenter.show({ type: 'answerStart', requestId, userMessage: toMessageView(planned.user), assistantId: assistant.id, model: options.model, replaceFromIndex: planned.fromIndex, ...(agent ? { mode: 'agent' as const } : {}) });
      if (prompt.omittedTurns > 0) {
        const turns = prompt.omittedTurns === 1 ? '1 earlier turn was' : `${prompt.omittedTurns} earlier turns were`;
        this.env.post({ type: 'notice', level: 'info', text: `${turns} left out to fit the model’s context window. Start a New Chat to begin afresh.` });
      }
      return prompt.request;
    };
    // The agent's streamer is chosen once the request is prepared; until then, the usual one.
    const via: ChatStreamer = { stream: (request, signal) => (agent ? agent.streamer : this.streamer).stream(request, signal) };
    const done = this.runner
      .run(
        requestId,
        prepare,
        (event) => {
          if (event.type === 'text' && assistant) assistant.text += event.text;
          if (event.type === 'fallback' && assistant) {
            // History records the model that actually answered, and why the others did not.
            assistant.model = event.to;
            assistant.fallbackFrom = [...(assistant.fallbackFrom ?? []), { model: event.from, reason: event.reason }];
          }
          if (event.type === 'notice') this.env.post({ type: 'notice', level: 'info', text: event.text });
          if (event.type === 'end' && event.outcome.error instanceof Refusal) presenter.refuse(event.outcome.error.level, event.outcome.error.message);
          // The end is shown once the answer is saved: a window closed the moment it looks done keeps it.
          else if (event.type !== 'end') presenter.present(event);
        },
        undefined,
        via,
      )
      .then(async (outcome) => {
        agent?.end?.();
        const edits = agent && assistant && outcome.status !== 'error' ? this.env.reviewAgentEdits?.(assistant.id, agent.proposedFiles()) : undefined;
        if (assistant && edits?.length) assistant.edits = edits;
        await this.finish(outcome, conversation, assistant);
        presenter.present({ type: 'end', answerId: requestId, outcome });
        if (assistant && edits?.length) this.env.post({ type: 'answerEdits', messageId: assistant.id, edits, undoable: false });
      });
    return this.track(done);
  }

  /** Puts the prompt and the (empty or continued) answer into the conversation. */
  private apply(conversation: StoredConversation, plan: AnswerPlan, model: string): StoredMessage {
    conversation.updatedAt = Date.now();
    if (plan.kind === 'continue' && plan.assistant) {
      plan.assistant.status = 'streaming';
      delete plan.assistant.error;
      return plan.assistant;
    }
    conversation.messages.splice(plan.fromIndex);
    conversation.messages.push(plan.user);
    const assistant: StoredMessage = { id: this.env.newId(), role: 'assistant', text: '', createdAt: Date.now(), model, status: 'streaming' };
    conversation.messages.push(assistant);
    return assistant;
  }

  private prompt(conversation: StoredConversation, plan: AnswerPlan, systemPrompt: string, options: ChatOptions): { request: ChatRequest; omittedTurns: number } {
    // A continued answer is replayed as it stands, followed by the request to go on.
    const earlier = plan.kind === 'continue' ? conversation.messages : conversation.messages.slice(0, -1);
    // A comparison nobody picked from yet has no answer of its own to send.
    const turns = earlier.map((m) => ({ role: m.role, text: m.text, context: m.context, failed: m.status === 'error' || (m.comparison !== undefined && m.comparison.chosen === undefined) }));
    if (plan.kind === 'continue') turns.push({ role: 'user', text: CONTINUE_INSTRUCTION, context: undefined, failed: false });
    const maxTokens = outputTokensFor(options.model, options.maxTokens ?? limitsFor(options.model).maxOutputTokens);
    const fitted = fitToContext(buildChatMessages(turns, systemPrompt), limitsFor(options.model).contextTokens - maxTokens);
    return { request: chatRequest(fitted.messages, { ...options, maxTokens }), omittedTurns: fitted.omittedTurns };
  }

  /** The error as the panel shows it; an answer cut off after text also offers the next fallback model. */
  private errorView(outcome: AnswerOutcome, model: string | undefined): ErrorView | undefined {
    const error = errorOf(outcome);
    const next = error && outcome.status === 'incomplete' && model ? this.env.nextModel?.(model) : undefined;
    return error && next ? { ...error, retryModel: next } : error;
  }

  private async finish(outcome: AnswerOutcome, conversation: StoredConversation | undefined, assistant: StoredMessage | undefined): Promise<void> {
    if (outcome.error instanceof Refusal) return;
    const error = this.errorView(outcome, assistant?.model);
    if (error) {
      this.env.log.warn(`Answer failed (${error.kind}): ${error.message}`);
      this.env.onAnswerError?.(error);
    }
    if (!conversation || !assistant) return;
    assistant.status = outcome.status;
    if (outcome.usage) assistant.usage = outcome.usage;
    if (assistant.mode === 'agent') assistant.tools = outcome.tools.map((tool) => ({ ...tool }));
    if (error) assistant.error = error;
    conversation.updatedAt = Date.now();
    await this.persist(conversation);
  }

  private async persist(conversation: StoredConversation): Promise<void> {
    try {
      await this.env.store.save(conversation, conversation === this.conversation);
    } catch (err) {
      this.env.log.error(`Could not save the conversation: ${err instanceof Error ? err.message : String(err)}`);
      this.env.post({ type: 'notice', level: 'warning', text: 'This conversation could not be saved to disk. It stays open here; see the “ModelsLab” output for details.' });
    }
  }
}

/** A request turned down before it started, with what to tell the user. */
class Refusal extends Error {
  constructor(
    readonly level: 'info' | 'warning',
    message: string,
  ) {
    super(message);
  }
}

/** A streamer that gets the current client for each request (the key or settings may have changed). */
function lazyStreamer(client: () => Promise<ChatStreamer>): ChatStreamer {
  return {
    async *stream(request, signal) {
      yield* (await client()).stream(request, signal);
    },
  };
}

function findLastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i])) return i;
  return -1;
}
