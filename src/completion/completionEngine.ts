// Ghost text for one window, without VS Code: the cache first, then the debounce, then one
// request per document at a time, streamed through the ChatStreamer the host gives (so the
// request governor counts it) and cleaned into a suggestion. Every outcome but a suggestion is
// undefined: ghost text never shows an error, never retries and never marks the chat busy.
import type { ChatRequest } from '../llm/request';
import type { ChatStreamer } from '../llm/streamer';
import { AdaptiveDebounce, type AdaptiveDebounceOptions } from './adaptiveDebounce';
import { CompletionCache } from './completionCache';
import type { HoleContext, HoleShape } from './types';

export type CompletionMode = 'line' | 'block';
/** holePrompt.ts's buildHoleRequest: its policy is ghost text's (no retries, short timeouts, few tokens). */
export type BuildHoleRequest = (hole: HoleContext, options: { model: string; maxTokens?: number }) => ChatRequest;
/** postProcess.ts's cleanCompletion. */
export type CleanCompletion = (raw: string, hole: HoleShape, mode?: CompletionMode) => string;

export interface EngineTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface CompletionEngineOptions {
  streamer: ChatStreamer;
  buildRequest: BuildHoleRequest;
  clean: CleanCompletion;
  /** holePrompt.ts's completionMode. */
  mode: (hole: HoleContext) => CompletionMode;
  /** A debounce of its own, or the settings for one (its clock then defaults to `now`). */
  debounce: AdaptiveDebounce | AdaptiveDebounceOptions;
  /** Default: a CompletionCache with its default bounds. */
  cache?: CompletionCache;
  /** Passed to buildRequest; unset = the builder's own limit. */
  maxTokens?: number;
  /** Line mode: stop reading (and close the request) once the line is complete. Default true. */
  stopAtLineEnd?: boolean;
  /** The debounce's timers. Default the real ones. */
  timers?: EngineTimers;
  /** Clock for reply times and the debounce. Default Date.now. */
  now?: () => number;
  /** Told what happens, for logs, the bench and tests; a throwing listener is ignored. */
  onEvent?: (event: CompletionEvent) => void;
}

export type CompletionEvent =
  | { type: 'cacheHit'; docKey: string; text: string }
  /** The call ended while waiting (a newer call or its token), without a request. */
  | { type: 'debounced'; docKey: string }
  | { type: 'sent'; docKey: string; request: ChatRequest }
  | { type: 'firstText'; docKey: string; afterMs: number }
  | { type: 'done'; docKey: string; text: string; afterMs: number; stoppedEarly: boolean }
  | { type: 'aborted'; docKey: string; receivedTokens: number }
  | { type: 'failed'; docKey: string; error: unknown };

export interface CompletionStats {
  /** Requests handed to the streamer. */
  requests: number;
  /** Calls answered by the cache, without a request. */
  cacheHits: number;
  /** Calls that ended in the debounce, without a request. */
  debounced: number;
  /** Requests aborted (a newer call, or the caller's token), and those among them that had text. */
  aborted: number;
  abortedAfterFirstToken: number;
  /** Tokens the aborted requests had received (estimated): paid for, never shown. */
  wastedTokens: number;
  /** Every completion token received, wasted ones included: the usage chunk's count, else an estimate. */
  completionTokens: number;
  /** Requests that failed (HTTP error, timeout, dropped stream…). */
  failed: number;
  /** Line-mode requests closed once their line was complete. */
  stoppedEarly: number;
}

interface DocState {
  /** Bumped by each call: a call that finds it changed after its wait was superseded. */
  generation: number;
  /** Ends the call waiting in the debounce, if any. */
  cancelWait?: () => void;
  inFlight?: AbortController;
}

/** Code tokenises densely: three characters a token, as contextWindow.ts assumes. */
const estimateTokens = (text: string) => Math.ceil(text.length / 3);

const realTimers: EngineTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const noStats = (): CompletionStats => ({ requests: 0, cacheHits: 0, debounced: 0, aborted: 0, abortedAfterFirstToken: 0, wastedTokens: 0, completionTokens: 0, failed: 0, stoppedEarly: 0 });

export class CompletionEngine {
  readonly cache: CompletionCache;
  readonly debounce: AdaptiveDebounce;
  private readonly options: CompletionEngineOptions;
  private readonly timers: EngineTimers;
  private readonly now: () => number;
  private readonly docs = new Map<string, DocState>();
  private counts = noStats();
  private disposed = false;

  constructor(options: CompletionEngineOptions) {
    this.options = options;
    this.timers = options.timers ?? realTimers;
    this.now = options.now ?? Date.now;
    this.cache = options.cache ?? new CompletionCache();
    this.debounce = options.debounce instanceof AdaptiveDebounce ? options.debounce : new AdaptiveDebounce({ now: this.now, ...options.debounce });
  }

  get stats(): CompletionStats {
    return { ...this.counts };
  }

  resetStats(): void {
    this.counts = noStats();
  }

  /**
   * The suggestion at `hole` in document `docKey`, or undefined for nothing to show. Ends any
   * older call for the same document: one still waiting resolves undefined, one in flight is
   * aborted (its socket closed). Never rejects.
   */
  async complete(docKey: string, hole: HoleContext, options: { model: string; token?: AbortSignal }): Promise<string | undefined> {
    if (this.disposed || options.token?.aborted) return undefined;
    this.debounce.keystroke();
    const doc = this.docs.get(docKey) ?? { generation: 0 };
    this.docs.set(docKey, doc);
    const generation = ++doc.generation;
    // Whatever an older call wanted was for a place the user has left.
    doc.cancelWait?.();
    doc.inFlight?.abort();
    const cached = this.cache.lookup(docKey, hole.prefix, hole.suffix);
    if (cached !== undefined) {
      this.counts.cacheHits++;
      this.emit({ type: 'cacheHit', docKey, text: cached });
      return cached || undefined;
    }
    if (!(await this.wait(doc, options.token)) || doc.generation !== generation || this.disposed) {
      this.counts.debounced++;
      this.emit({ type: 'debounced', docKey });
      return undefined;
    }
    return this.request(docKey, doc, hole, options);
  }

  /** A document closed: end its calls and drop its suggestions. */
  forget(docKey: string): void {
    const doc = this.docs.get(docKey);
    doc?.cancelWait?.();
    doc?.inFlight?.abort();
    this.docs.delete(docKey);
    this.cache.clear(docKey);
  }

  dispose(): void {
    this.disposed = true;
    for (const docKey of [...this.docs.keys()]) this.forget(docKey);
  }

  /** Resolves true when the debounce ran out, false when the call was ended first. */
  private wait(doc: DocState, token: AbortSignal | undefined): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      let settled = false;
      const finish = (go: boolean) => {
        if (settled) return;
        settled = true;
        this.timers.clearTimeout(handle);
        token?.removeEventListener('abort', stop);
        if (doc.cancelWait === stop) doc.cancelWait = undefined;
        resolve(go);
      };
      const stop = () => finish(false);
      const handle = this.timers.setTimeout(() => finish(true), this.debounce.delayMs());
      token?.addEventListener('abort', stop, { once: true });
      doc.cancelWait = stop;
    });
  }

  private async request(docKey: string, doc: DocState, hole: HoleContext, options: { model: string; token?: AbortSignal }): Promise<string | undefined> {
    const controller = new AbortController();
    doc.inFlight = controller;
    const onCancel = () => controller.abort();
    options.token?.addEventListener('abort', onCancel, { once: true });
    const mode = this.options.mode(hole);
    const started = this.now();
    let raw = '';
    let usageTokens: number | undefined;
    let line: string | undefined;
    this.counts.requests++;
    try {
      const request = this.options.buildRequest(hole, { model: options.model, ...(this.options.maxTokens ? { maxTokens: this.options.maxTokens } : {}) });
      this.emit({ type: 'sent', docKey, request });
      for await (const chunk of this.options.streamer.stream(request, controller.signal)) {
        if (chunk.type === 'usage') usageTokens = chunk.usage.completionTokens;
        // queued, model, retrying, fallback, notice: nothing ghost text shows.
        if (chunk.type !== 'text' || !chunk.text) continue;
        if (!raw) this.emit({ type: 'firstText', docKey, afterMs: this.now() - started });
        raw += chunk.text;
        line = this.completeLine(raw, chunk.text, hole, mode);
        // Leaving the loop closes the stream, and with it the socket: the rest is not needed.
        if (line !== undefined) break;
      }
      const text = line ?? this.options.clean(raw, hole, mode);
      this.counts.completionTokens += usageTokens ?? estimateTokens(raw);
      if (line !== undefined) this.counts.stoppedEarly++;
      this.cache.store(docKey, hole.prefix, hole.suffix, text);
      this.debounce.latency(this.now() - started);
      this.emit({ type: 'done', docKey, text, afterMs: this.now() - started, stoppedEarly: line !== undefined });
      // A reply that came in as a newer call began is cached, but not shown at a place left behind.
      return controller.signal.aborted ? undefined : text || undefined;
    } catch (error) {
      const received = raw ? estimateTokens(raw) : 0;
      this.counts.completionTokens += received;
      if (controller.signal.aborted) {
        this.counts.aborted++;
        if (raw) this.counts.abortedAfterFirstToken++;
        this.counts.wastedTokens += received;
        this.emit({ type: 'aborted', docKey, receivedTokens: received });
      } else {
        this.counts.failed++;
        this.emit({ type: 'failed', docKey, error });
      }
      return undefined;
    } finally {
      options.token?.removeEventListener('abort', onCancel);
      if (doc.inFlight === controller) doc.inFlight = undefined;
    }
  }

  /**
   * In line mode, the suggestion once the text so far settles on it: the clean-up of the text up
   * to its last newline, when it is not empty and the same as after the line before. A model
   * that first repeats lines from above would otherwise be cut right after a repeat, which the
   * clean-up cannot tell from an answer until the real line follows. undefined = keep reading.
   */
  private completeLine(raw: string, latest: string, hole: HoleContext, mode: CompletionMode): string | undefined {
    if (mode !== 'line' || this.options.stopAtLineEnd === false || !latest.includes('\n')) return undefined;
    const last = raw.lastIndexOf('\n');
    const before = raw.lastIndexOf('\n', last - 1);
    if (before < 0) return undefined;
    // Both cuts are cleaned now, however the text arrived (one read may bring many lines).
    const cleaned = this.options.clean(raw.slice(0, last + 1), hole, mode) || undefined;
    const settled = cleaned !== undefined && cleaned === (this.options.clean(raw.slice(0, before + 1), hole, mode) || undefined);
    // A line that is also one of the lines just above may be the start of a longer repeat.
    return settled && !recentLines(hole.prefix).has(cleaned.trim()) ? cleaned : undefined;
  }

  private emit(event: CompletionEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A listener's bug must not cost the user a suggestion.
    }
  }
}

/** The trimmed lines just above the cursor (and the cursor's line), as a repeat would copy them. */
function recentLines(prefix: string): Set<string> {
  return new Set(prefix.split('\n').slice(-6).map((line) => line.trim()).filter((line) => line !== ''));
}
