// Runs answers for every surface: one or several at once, each keyed by an answerId. It is the
// one place that consumes a stream, so every surface gets the same endings: each run ends with
// exactly one `end` event, whatever happened (built the request, streamed, failed, stopped).
import { ModelsLabError } from './errors';
import type { ChatRequest } from './request';
import type { ChatStreamer } from './streamer';
import type { TokenUsage, ToolActivity, ToolCall } from './types';

/** How an answer ended. 'truncated': complete up to the token limit, which cut it off. */
export type AnswerEndStatus = 'done' | 'truncated' | 'stopped' | 'incomplete' | 'error';

export interface AnswerOutcome {
  answerId: string;
  status: AnswerEndStatus;
  /** All the text received, also when the answer broke off. */
  text: string;
  toolCalls: ToolCall[];
  /** The agent's tools, in the order they ran, each in its last state. */
  tools: ToolActivity[];
  /** The model the server says answered, when it said. */
  model?: string;
  /** Set when a fallback moved the request: the model id that answered, and the ones that failed first. */
  fallback?: { to: string; from: { model: string; reason: string }[] };
  finishReason?: string;
  usage?: TokenUsage;
  /** Why it did not finish ('error' and 'incomplete'). */
  error?: unknown;
}

export type AnswerEvent =
  | { type: 'text'; answerId: string; text: string }
  | { type: 'toolCall'; answerId: string; call: ToolCall }
  | { type: 'tool'; answerId: string; activity: ToolActivity }
  | { type: 'notice'; answerId: string; text: string }
  | { type: 'usage'; answerId: string; usage: TokenUsage }
  | { type: 'model'; answerId: string; model: string }
  | { type: 'retrying'; answerId: string; attempt: number; delayMs: number; retryAt: number; reason: string }
  | { type: 'queued'; answerId: string; position: number }
  | { type: 'fallback'; answerId: string; from: string; to: string; reason: string }
  | { type: 'end'; answerId: string; outcome: AnswerOutcome };

export type AnswerListener = (event: AnswerEvent) => void;

/** A request, or the work that builds one (reading files, loading history): its failures end the answer too. */
export type RequestSource = ChatRequest | (() => Promise<ChatRequest>);

export class AnswerRunner {
  private readonly running = new Map<string, AbortController>();
  private readonly countListeners = new Set<(count: number) => void>();

  constructor(private readonly streamer: ChatStreamer) {}

  get count(): number {
    return this.running.size;
  }

  isRunning(answerId?: string): boolean {
    return answerId === undefined ? this.running.size > 0 : this.running.has(answerId);
  }

  /** Told whenever the number of running answers changes (e.g. for a "busy" context key). */
  onCountChange(listener: (count: number) => void): { dispose(): void } {
    this.countListeners.add(listener);
    return { dispose: () => this.countListeners.delete(listener) };
  }

  /**
   * Starts an answer. The slot is claimed before this returns (before any await), so a second
   * run with the same id is refused at once rather than racing. Resolves with the outcome after
   * the `end` event; never rejects.
   */
  /** `via`: another streamer for this answer (the agent's, which runs tools around the same client). */
  run(answerId: string, source: RequestSource, listener: AnswerListener, signal?: AbortSignal, via?: ChatStreamer): Promise<AnswerOutcome> {
    if (this.running.has(answerId)) throw new Error(`An answer with id ${answerId} is already running.`);
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) controller.abort();
    this.running.set(answerId, controller);
    this.countChanged();
    return this.consume(answerId, source, listener, controller.signal, via ?? this.streamer).finally(() => {
      signal?.removeEventListener('abort', onAbort);
      this.running.delete(answerId);
      this.countChanged();
    });
  }

  /** Stops one answer, or all of them; true if anything was running. */
  cancel(answerId?: string): boolean {
    const targets = answerId === undefined ? [...this.running.values()] : [this.running.get(answerId)].filter((c) => c !== undefined);
    for (const controller of targets) controller.abort();
    return targets.length > 0;
  }

  private async consume(answerId: string, source: RequestSource, listener: AnswerListener, signal: AbortSignal, streamer: ChatStreamer): Promise<AnswerOutcome> {
    const outcome: AnswerOutcome = { answerId, status: 'done', text: '', toolCalls: [], tools: [] };
    const emit = (event: AnswerEvent) => {
      try {
        listener(event);
      } catch {
        // A surface's presentation bug must not end the stream or skip the terminal event.
      }
    };
    try {
      const request = typeof source === 'function' ? await source() : source;
      for await (const chunk of streamer.stream(request, signal)) {
        switch (chunk.type) {
          case 'text':
            outcome.text += chunk.text;
            emit({ type: 'text', answerId, text: chunk.text });
            break;
          case 'toolCall':
            outcome.toolCalls.push(chunk.call);
            emit({ type: 'toolCall', answerId, call: chunk.call });
            break;
          case 'tool': {
            const index = outcome.tools.findIndex((t) => t.callId === chunk.activity.callId);
            if (index < 0) outcome.tools.push(chunk.activity);
            else outcome.tools[index] = chunk.activity;
            emit({ type: 'tool', answerId, activity: chunk.activity });
            break;
          }
          case 'notice':
            emit({ type: 'notice', answerId, text: chunk.text });
            break;
          case 'usage':
            outcome.usage = chunk.usage;
            emit({ type: 'usage', answerId, usage: chunk.usage });
            break;
          case 'model':
            outcome.model = chunk.model;
            emit({ type: 'model', answerId, model: chunk.model });
            break;
          case 'retrying':
            emit({ type: 'retrying', answerId, attempt: chunk.attempt, delayMs: chunk.delayMs, retryAt: chunk.retryAt, reason: chunk.reason });
            break;
          case 'queued':
            emit({ type: 'queued', answerId, position: chunk.position });
            break;
          case 'fallback':
            outcome.fallback = { to: chunk.to, from: [...(outcome.fallback?.from ?? []), { model: chunk.from, reason: chunk.reason }] };
            emit({ type: 'fallback', answerId, from: chunk.from, to: chunk.to, reason: chunk.reason });
            break;
          case 'finish':
            outcome.finishReason = chunk.reason;
            if (chunk.reason === 'length') outcome.status = 'truncated';
            break;
        }
      }
      // A stream that ends without `finish` broke its contract: never present it as complete.
      if (outcome.finishReason === undefined) throw new Error('The answer ended without a finish.');
    } catch (err) {
      if (err instanceof ModelsLabError && err.kind === 'cancelled') outcome.status = 'stopped';
      else {
        outcome.status = outcome.text ? 'incomplete' : 'error';
        outcome.error = err;
      }
    }
    emit({ type: 'end', answerId, outcome });
    return outcome;
  }

  private countChanged(): void {
    for (const listener of this.countListeners) listener(this.running.size);
  }
}
