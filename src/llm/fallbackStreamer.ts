// Automatic model fallback: when the chosen model fails before any of its answer has arrived
// (rate-limited for too long, failing, unavailable, or too slow to start), the same request goes
// to the next model of the user's list, and a `fallback` chunk says which model answers and why.
// Once any of the answer has arrived, a failure is the caller's as it is: switching then would
// stitch two models' answers together.
import { formatSeconds, ModelsLabError, toModelsLabError } from './errors';
import { realTimers, type Timers } from './guardedStream';
import { isSlotWaitError } from './requestGovernor';
import type { ChatRequest } from './request';
import type { ChatStreamer } from './streamer';
import type { ChatChunk } from './types';

export interface FallbackOptions {
  /** Models to try after the request's own, in order (modelslab.fallbackModels). */
  fallbackModels: () => readonly string[];
  /** A rate limit asking for a longer wait moves on instead of waiting (modelslab.fallback.rateLimitWaitSeconds). */
  rateLimitWaitMs: () => number;
  /** No first token within this moves on (modelslab.fallback.firstTokenTimeoutSeconds). */
  firstTokenTimeoutMs: () => number;
  /** How a model is named in messages; the id by default. */
  label?: (id: string) => string;
  timers?: Timers;
}

export class FallbackStreamer implements ChatStreamer {
  constructor(
    private readonly inner: ChatStreamer,
    private readonly options: FallbackOptions,
  ) {}

  stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<ChatChunk> {
    const chain = modelChain(request.model, this.options.fallbackModels());
    if (request.policy?.allowFallback === false || chain.length === 1) return this.inner.stream(request, signal);
    return this.run(request, chain, signal);
  }

  private async *run(request: ChatRequest, chain: string[], signal?: AbortSignal): AsyncGenerator<ChatChunk> {
    const label = this.options.label ?? ((id: string) => id);
    const failures: { model: string; reason: string }[] = [];
    for (let i = 0; i < chain.length; i++) {
      const model = chain[i] as string;
      const last = i === chain.length - 1;
      // On the last model there is nowhere to go: the normal retry waits and timeouts apply there.
      const policy = last ? request.policy : { ...request.policy, maxRetryWaitMs: this.options.rateLimitWaitMs() };
      const firstTokenMs = last ? undefined : this.options.firstTokenTimeoutMs();
      const attempt = new Attempt(this.inner, { ...request, model, ...(policy ? { policy } : {}) }, signal, firstTokenMs, this.options.timers ?? realTimers);
      try {
        yield* attempt.chunks();
        return;
      } catch (err) {
        // The user's stop wins over a clock that ran out at the same moment.
        if (signal?.aborted || attempt.started) throw err;
        const slow = attempt.timedOutAfterMs === undefined ? undefined : formatSeconds(attempt.timedOutAfterMs);
        const error = slow ? new ModelsLabError({ kind: 'timeout', message: `${label(model)} sent no first token in ${slow}.`, detail: 'first token timeout' }) : toModelsLabError(err);
        const reason = slow ? `too slow to start (no first token in ${slow})` : reasonToMoveOn(error);
        if (reason === undefined) throw error;
        failures.push({ model, reason });
        if (last) throw allFailed(error, failures, label);
        yield { type: 'fallback', from: model, to: chain[i + 1] as string, reason };
      }
    }
  }
}

/** The request's model, then the fallbacks in order, each once. */
export function modelChain(first: string, fallbacks: readonly string[]): string[] {
  const chain = [first];
  for (const raw of fallbacks) {
    const id = raw.trim();
    if (id && !chain.includes(id)) chain.push(id);
  }
  return chain;
}

/**
 * One model's try. The first-token clock runs from the start, pauses while the request waits for
 * a slot in our own queue (that wait says nothing about the model), and stops at the first piece
 * of the answer. When it runs out, the inner stream is aborted, which closes its socket.
 */
class Attempt {
  /** Some of the answer (text, a tool call, tool activity, the finish) has been passed on. */
  started = false;
  /** Set when the first-token clock ran out. */
  timedOutAfterMs: number | undefined;
  private readonly controller = new AbortController();
  private timer: unknown;
  private spentMs = 0;
  private since: number | undefined;

  constructor(
    private readonly inner: ChatStreamer,
    private readonly request: ChatRequest,
    private readonly signal: AbortSignal | undefined,
    /** Undefined: no first-token clock (the last model of the chain). */
    private readonly timeoutMs: number | undefined,
    private readonly timers: Timers,
  ) {}

  async *chunks(): AsyncGenerator<ChatChunk> {
    const forwardAbort = () => this.controller.abort();
    this.signal?.addEventListener('abort', forwardAbort, { once: true });
    if (this.signal?.aborted) this.controller.abort();
    this.resume();
    try {
      for await (const chunk of this.inner.stream(this.request, this.controller.signal)) {
        // Anything still buffered after the clock ran out belongs to an answer we gave up on.
        if (this.timedOutAfterMs !== undefined) break;
        if (!this.started) {
          if (chunk.type === 'queued') {
            if (chunk.position > 0) this.pause();
            else this.resume();
          } else if (isAnswer(chunk)) {
            this.started = true;
            this.pause();
          }
        }
        yield chunk;
      }
      // The clock ran out and what was still buffered was dropped (run() turns this into the timeout).
      if (this.timedOutAfterMs !== undefined) throw new ModelsLabError({ kind: 'cancelled', message: 'Given up for the next model.' });
    } finally {
      this.pause();
      this.signal?.removeEventListener('abort', forwardAbort);
    }
  }

  private resume(): void {
    const timeoutMs = this.timeoutMs;
    if (this.since !== undefined || timeoutMs === undefined || this.started) return;
    this.since = this.timers.monotonicNow();
    this.timer = this.timers.setTimeout(() => {
      this.timedOutAfterMs = timeoutMs;
      this.controller.abort();
    }, Math.max(0, timeoutMs - this.spentMs));
  }

  private pause(): void {
    if (this.since === undefined) return;
    this.spentMs += this.timers.monotonicNow() - this.since;
    this.since = undefined;
    this.timers.clearTimeout(this.timer);
  }
}

/** The answer itself, as opposed to news about waiting, the model's name or usage. */
function isAnswer(chunk: ChatChunk): boolean {
  return chunk.type === 'text' || chunk.type === 'toolCall' || chunk.type === 'tool' || chunk.type === 'finish';
}

/**
 * Why another model may do better, phrased for "answered by X — Y was <reason>", or undefined
 * when it would not: the key, the user's stop, our own queue, bad parameters, a broken response
 * and network trouble are the same whichever model is asked.
 */
export function reasonToMoveOn(error: ModelsLabError): string | undefined {
  switch (error.kind) {
    case 'rate_limit':
      return 'rate-limited';
    case 'server':
      if (error.status === 529 || /overloaded/i.test(error.detail ?? '')) return 'overloaded';
      return error.status === undefined ? 'failing (server error)' : `failing (server error ${error.status})`;
    case 'model_not_found':
      return 'unavailable';
    case 'bad_request':
      return saysModelUnavailable(error.detail ?? error.message) ? 'unavailable' : undefined;
    case 'timeout':
      // Our own queue's wait cap is the same for every model; a model that sends nothing is not.
      if (isSlotWaitError(error)) return undefined;
      return 'too slow to start';
    default:
      return undefined;
  }
}

/**
 * "model … not available / not supported / deprecated", said about the model itself. A model that
 * only refuses tools is left alone: the agent then writes its tool calls as text on the same model.
 */
function saysModelUnavailable(text: string): boolean {
  const head = text.slice(0, 2_048);
  if (/\b(tools?|tool_choice|function[ _-]?call)/i.test(head)) return false;
  if (/(unknown|invalid|unsupported) model/i.test(head)) return true;
  const at = head.search(/model/i);
  if (at < 0) return false;
  return /not[ _-]?(found|available|supported|enabled|allowed)|unavailable|unsupported|does not exist|no longer|deprecated|decommissioned|disabled|unknown|is invalid/i.test(head.slice(at));
}

/** The last model's error, with a message that names every model tried and why each failed. */
function allFailed(error: ModelsLabError, failures: { model: string; reason: string }[], label: (id: string) => string): ModelsLabError {
  const tried = failures.map((f) => `${label(f.model)} was ${f.reason}`).join(', ');
  const message = `No model could answer: ${tried}. ${error.message}`;
  return new ModelsLabError({ ...error, message });
}
