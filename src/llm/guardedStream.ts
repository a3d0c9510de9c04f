// What every transport shares: the request goes out, the clock is watched, the answer ends with
// exactly one `finish` chunk or throws a ModelsLabError carrying the text so far, and retryable
// failures before any text are retried by the one policy (retry.ts).
//
// Queue: with a governor, each attempt holds one slot from before the request is sent until its
// body is finished or aborted (what ModelsLab counts against the account's queue cap), and never
// during the backoff between attempts. While it waits it yields `queued` chunks.
//
// Timers: `connectTimeoutMs` runs until the response headers arrive; after that `idleTimeoutMs`
// is the longest silence allowed before the first chunk and between chunks. The idle clock is
// paused while our caller holds a chunk, so a slow consumer never looks like a silent server.
import {
  cancelledError,
  legacyBodyError,
  malformedResponseError,
  ModelsLabError,
  timeoutError,
  toModelsLabError,
  type ErrorContext,
} from './errors';
import type { Logger } from './logger';
import { queueForSlot, type Release, type RequestGovernor } from './requestGovernor';
import type { ChatRequest, RequestPolicy } from './request';
import { withRetries, type RetryPolicy } from './retry';
import { sseEventBatches } from './sseEvents';
import { WireErrorBody, type ChatTransport, type WireRequest } from './transport';
import type { ChatChunk } from './types';

/** Sends one wire request; resolves with the response once its headers are in, rejects with the SDK's errors. */
export type HttpSender = (wire: WireRequest, signal: AbortSignal) => Promise<Response>;

/** The monotonic clock and timers the idle and connect checks use; tests may pass their own. */
export interface Timers {
  monotonicNow(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  monotonicNow: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface GuardedStreamOptions {
  send: HttpSender;
  transport: ChatTransport;
  request: ChatRequest;
  policy: RequestPolicy;
  retry: RetryPolicy;
  signal?: AbortSignal;
  logger: Logger;
  requestId: string;
  /** Redacted from every message (the API key). */
  secrets: readonly string[];
  timers?: Timers;
  /** Shared by every client of a window: limits the requests open at once. */
  governor?: RequestGovernor;
}

export function guardedStream(options: GuardedStreamOptions): AsyncGenerator<ChatChunk> {
  const built = options.transport.build(options.request);
  // Our id for the request travels with it, so a server log line can be matched to ours.
  const wire = { ...built, headers: { ...built.headers, 'X-Client-Request-Id': options.requestId } };
  const errorContext: ErrorContext = { secrets: options.secrets, model: options.request.model, operation: 'chat', requestId: options.requestId };
  return withRetries(
    (attempt) => attemptOnce(options, wire, errorContext, attempt === 0 ? options.requestId : `${options.requestId}#${attempt + 1}`),
    { ...options.retry, maxRetries: options.policy.maxRetries, maxRetryWaitMs: options.policy.maxRetryWaitMs },
    { signal: options.signal, logger: options.logger, requestId: options.requestId },
  );
}

type StopReason = 'cancelled' | 'connect' | 'idle';

async function* attemptOnce(options: GuardedStreamOptions, wire: WireRequest, errorContext: ErrorContext, logId: string): AsyncGenerator<ChatChunk> {
  const { signal, logger, transport, policy } = options;
  const timers = options.timers ?? realTimers;
  const now = options.retry.now;
  const controller = new AbortController();
  let stopReason: StopReason | undefined;
  const stop = (reason: StopReason) => {
    stopReason ??= reason;
    controller.abort();
  };
  const onCancel = () => stop('cancelled');
  // One timer per phase rather than one per chunk: re-arming a timer for each of thousands of
  // chunks was a measurable share of the streaming cost. The idle check looks at when the last
  // chunk arrived and sleeps again for the remainder.
  let timer: unknown;
  let idleSince = timers.monotonicNow();
  let holding = false;
  const checkIdle = () => {
    const quiet = timers.monotonicNow() - idleSince;
    if (holding || quiet < policy.idleTimeoutMs) timer = timers.setTimeout(checkIdle, holding ? policy.idleTimeoutMs : policy.idleTimeoutMs - quiet);
    else stop('idle');
  };
  const arm = (phase: 'connect' | 'idle') => {
    timers.clearTimeout(timer);
    idleSince = timers.monotonicNow();
    timer = phase === 'connect' ? timers.setTimeout(() => stop('connect'), policy.connectTimeoutMs) : timers.setTimeout(checkIdle, policy.idleTimeoutMs);
  };

  /** What the caller has been given: the partial answer if we stop early. */
  let text = '';
  /** The model chunk waits for the first real content, so a failure before any text can still be retried. */
  let pendingModel: ChatChunk | undefined;
  const started = now();
  let firstTokenAt: number | undefined;
  /** The one way out for failures: why we stopped beats what the failure looked like. */
  const failure = (err: unknown): ModelsLabError => {
    const ctx = { ...errorContext, partialText: text, now: now() };
    if (stopReason === 'cancelled') return cancelledError(ctx);
    if (stopReason === 'connect') return timeoutError('connect', policy.connectTimeoutMs, ctx);
    if (stopReason === 'idle') return timeoutError('idle', policy.idleTimeoutMs, ctx);
    if (err instanceof WireErrorBody) return legacyBodyError(err.body, ctx);
    if (err instanceof SyntaxError) return malformedResponseError(ctx, err.message);
    return toModelsLabError(err, ctx);
  };
  /** The chunks of one read, with the held model chunk released before the first content. */
  function* release(out: ChatChunk[]): Generator<ChatChunk> {
    for (const chunk of out) {
      if (chunk.type === 'model') {
        pendingModel = chunk;
        continue;
      }
      if (pendingModel && chunk.type !== 'usage') {
        yield pendingModel;
        pendingModel = undefined;
      }
      if (chunk.type === 'text') {
        if (firstTokenAt === undefined) {
          firstTokenAt = now();
          logger.debug(`[${logId}] first token after ${firstTokenAt - started} ms`);
        }
        text += chunk.text;
      }
      yield chunk;
    }
  }

  if (signal?.aborted) throw cancelledError(errorContext);
  // The slot is taken before anything is sent, and the connect clock starts only once we have it.
  let releaseSlot: Release | undefined;
  if (options.governor) {
    try {
      releaseSlot = yield* queueForSlot(options.governor, signal);
    } catch (err) {
      throw signal?.aborted ? cancelledError(errorContext) : err;
    }
    if (now() - started >= 1) logger.debug(`[${logId}] waited ${now() - started} ms for a free slot`);
  }
  signal?.addEventListener('abort', onCancel, { once: true });
  try {
    arm('connect');
    let response: Response;
    try {
      response = await options.send(wire, controller.signal);
    } catch (err) {
      throw failure(err);
    }
    arm('idle');
    const serverRequestId = response.headers.get('x-request-id');
    logger.debug(`[${logId}] headers after ${now() - started} ms, status ${response.status}${serverRequestId ? `, server id ${serverRequestId}` : ''}`);

    if (/json/i.test(response.headers.get('content-type') ?? '')) {
      // Not a stream: the legacy error with HTTP 200, or a server that ignored stream:true.
      let out: ChatChunk[];
      try {
        out = transport.decodeBody(JSON.parse(await response.text()));
      } catch (err) {
        throw failure(err);
      }
      timers.clearTimeout(timer);
      yield* release(out);
      return;
    }

    const decoder = transport.createDecoder();
    try {
      for await (const batch of sseEventBatches(response)) {
        // The idle clock is paused while the caller holds a chunk (a slow consumer is not a silent server).
        holding = true;
        // After a cancel or timeout, nothing more is shown.
        if (stopReason) break;
        const out: ChatChunk[] = [];
        try {
          for (const event of batch) decoder.decode(event, out);
        } finally {
          // What came before an error event is still part of the answer.
          yield* release(out);
        }
        holding = false;
        idleSince = timers.monotonicNow();
      }
    } catch (err) {
      const error = failure(err);
      // The answer was complete (finish_reason seen) and only the tail (usage, [DONE]) was lost.
      if (!(decoder.finishReason && (error.kind === 'stream_dropped' || error.kind === 'network'))) throw error;
      logger.warn(`[${logId}] connection closed after finish_reason; answer kept as complete`);
    }
    // Reading ends quietly when the request is aborted, so check why we stopped.
    if (stopReason) throw failure(undefined);
    const tail: ChatChunk[] = [];
    decoder.flush(tail);
    yield* release(tail);
    const reason = decoder.finishReason ?? 'stop';
    logger.info(`[${logId}] finished (${reason}) in ${now() - started} ms, ${text.length} chars`);
    yield* release([{ type: 'finish', reason }]);
  } finally {
    timers.clearTimeout(timer);
    signal?.removeEventListener('abort', onCancel);
    controller.abort(); // closes the socket when the caller stopped early or we failed
    releaseSlot?.();
  }
}
