// One streaming attempt: send the request, watch the clock, turn SSE chunks into ChatChunks
// (one text chunk for all the text a network read brought).
//
// Timers: `connectTimeoutMs` runs until the response headers arrive; after that `idleTimeoutMs`
// is the longest silence allowed before the first chunk and between chunks. The idle clock is
// paused while our caller holds a chunk, so a slow consumer never looks like a silent server.
//
// Endings: a complete answer ends with one `finish` chunk. Everything else throws a
// ModelsLabError that carries the text received so far in `partialText`.
import type OpenAI from 'openai';
import { APIError } from 'openai';
import {
  cancelledError,
  isLegacyErrorBody,
  legacyBodyError,
  malformedResponseError,
  ModelsLabError,
  timeoutError,
  toModelsLabError,
  type ErrorContext,
} from './errors';
import type { Logger } from './logger';
import type { ChatRequestFields } from './params';
import { sseChunkBatches } from './sseChunks';
import type { ChatChunk, TokenUsage } from './types';

type ApiCompletion = OpenAI.Chat.Completions.ChatCompletion;

export interface AttemptOptions {
  sdk: OpenAI;
  fields: ChatRequestFields;
  /** The caller's cancel signal. */
  signal?: AbortSignal;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  /** secrets, model, requestId: used for every error. */
  errorContext: ErrorContext;
  logger: Logger;
  /** Label for log lines, e.g. "a1b2c3d4#2". */
  logId: string;
  headers?: Record<string, string>;
  now: () => number;
}

type StopReason = 'cancelled' | 'connect' | 'idle';

export async function* streamOnce(options: AttemptOptions): AsyncGenerator<ChatChunk> {
  const { sdk, signal, logger, logId, now } = options;
  const controller = new AbortController();
  let stopReason: StopReason | undefined;
  const stop = (reason: StopReason) => {
    stopReason ??= reason;
    controller.abort();
  };
  const onCancel = () => stop('cancelled');
  // One timer per phase rather than one per chunk: re-arming a timer for each of thousands of
  // chunks was a measurable share of the streaming cost. The idle check looks at when the last
  // chunk arrived and sleeps again for the remainder. It uses the monotonic clock, not `now`
  // (which tests may freeze).
  let timer: ReturnType<typeof setTimeout> | undefined;
  let idleSince = performance.now();
  let holding = false;
  const checkIdle = () => {
    const quiet = performance.now() - idleSince;
    if (holding || quiet < options.idleTimeoutMs) timer = setTimeout(checkIdle, holding ? options.idleTimeoutMs : options.idleTimeoutMs - quiet);
    else stop('idle');
  };
  const arm = (phase: 'connect' | 'idle') => {
    clearTimeout(timer);
    idleSince = performance.now();
    timer = phase === 'connect' ? setTimeout(() => stop('connect'), options.connectTimeoutMs) : setTimeout(checkIdle, options.idleTimeoutMs);
  };
  const disarm = () => clearTimeout(timer);

  /** What the caller has been given: the partial answer if we stop early. */
  let text = '';
  const textChunk = (delta: string): ChatChunk => {
    text += delta;
    return { type: 'text', text: delta };
  };
  let finishReason: string | undefined;
  const started = now();
  let firstTokenAt: number | undefined;
  /** The one way out for failures: why we stopped beats what the failure looked like. */
  const failure = (err: unknown): ModelsLabError => {
    const ctx = { ...options.errorContext, partialText: text, now: now() };
    if (stopReason === 'cancelled') return cancelledError(ctx);
    if (stopReason === 'connect') return timeoutError('connect', options.connectTimeoutMs, ctx);
    if (stopReason === 'idle') return timeoutError('idle', options.idleTimeoutMs, ctx);
    return toModelsLabError(err, ctx);
  };

  if (signal?.aborted) throw cancelledError(options.errorContext);
  signal?.addEventListener('abort', onCancel, { once: true });
  try {
    arm('connect');
    let response: Response;
    try {
      // The SDK sends the request and turns HTTP errors into APIErrors; the body is read by
      // sseChunkBatches (see there for why not by the SDK).
      response = await sdk.chat.completions
        .create(
          { ...options.fields, stream: true, stream_options: { include_usage: true } },
          { signal: controller.signal, headers: options.headers },
        )
        .asResponse();
    } catch (err) {
      throw failure(err);
    }
    arm('idle');
    const serverRequestId = response.headers.get('x-request-id');
    logger.debug(`[${logId}] headers after ${now() - started} ms, status ${response.status}${serverRequestId ? `, server id ${serverRequestId}` : ''}`);

    if (/json/i.test(response.headers.get('content-type') ?? '')) {
      // Not a stream: the legacy error with HTTP 200, or a server that ignored stream:true.
      let body: unknown;
      try {
        body = JSON.parse(await response.text());
      } catch (err) {
        throw failure(err);
      }
      disarm();
      yield* completionChunks(body, { ...options.errorContext, partialText: text }, response.headers);
      return;
    }

    try {
      for await (const batch of sseChunkBatches(response)) {
        // The idle clock is paused while the caller holds a chunk (a slow consumer is not a silent server).
        holding = true;
        // After a cancel or timeout, nothing more is shown.
        if (stopReason) break;
        // Everything that arrived in one read goes up as one text chunk.
        let batchText = '';
        for (const chunk of batch) {
          if (isLegacyErrorBody(chunk)) {
            if (batchText) yield textChunk(batchText);
            throw legacyBodyError(chunk, { ...options.errorContext, partialText: text });
          }
          const choice = chunk.choices?.[0];
          const delta = choice?.delta?.content;
          if (typeof delta === 'string' && delta !== '') {
            if (firstTokenAt === undefined) {
              firstTokenAt = now();
              logger.debug(`[${logId}] first token after ${firstTokenAt - started} ms`);
            }
            batchText += delta;
          }
          if (choice?.finish_reason) finishReason = choice.finish_reason;
          if (chunk.usage) {
            if (batchText) yield textChunk(batchText);
            batchText = '';
            yield { type: 'usage', usage: usageOf(chunk.usage) };
          }
        }
        if (batchText) yield textChunk(batchText);
        holding = false;
        idleSince = performance.now();
      }
    } catch (err) {
      const error = failure(err);
      // The answer was complete (finish_reason seen) and only the tail (usage, [DONE]) was lost.
      if (!(finishReason && (error.kind === 'stream_dropped' || error.kind === 'network'))) throw error;
      logger.warn(`[${logId}] connection closed after finish_reason; answer kept as complete`);
    }
    // Reading ends quietly when the request is aborted, so check why we stopped.
    if (stopReason) throw failure(undefined);
    logger.info(`[${logId}] finished (${finishReason ?? 'stop'}) in ${now() - started} ms, ${text.length} chars`);
    yield { type: 'finish', reason: finishReason ?? 'stop' };
  } finally {
    disarm();
    signal?.removeEventListener('abort', onCancel);
    controller.abort(); // closes the socket when the caller stopped early or we failed
  }
}

/** A non-stream JSON body: an error in either shape, or a whole chat.completion. */
function* completionChunks(body: unknown, ctx: ErrorContext, headers: Headers): Generator<ChatChunk> {
  if (isLegacyErrorBody(body)) throw legacyBodyError(body, ctx);
  const record = body as { error?: unknown } | null;
  if (record && typeof record === 'object' && record.error) {
    throw toModelsLabError(new APIError(undefined, record.error, undefined, headers), ctx);
  }
  const completion = body as Partial<ApiCompletion> | null;
  const choice = completion?.choices?.[0];
  const content = choice?.message?.content;
  if (typeof content !== 'string') throw malformedResponseError(ctx, 'JSON body without choices[0].message.content');
  if (content !== '') yield { type: 'text', text: content };
  if (completion?.usage) yield { type: 'usage', usage: usageOf(completion.usage) };
  yield { type: 'finish', reason: choice?.finish_reason ?? 'stop' };
}

function usageOf(usage: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number }): TokenUsage {
  const promptTokens = usage.prompt_tokens ?? 0;
  const completionTokens = usage.completion_tokens ?? 0;
  return { promptTokens, completionTokens, totalTokens: usage.total_tokens ?? promptTokens + completionTokens };
}
