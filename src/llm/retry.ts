// The one retry policy of the extension. The SDK's own retries are off (maxRetries: 0), so
// nothing else retries: a failure is retried here or surfaces to the user.
//
// Retried: 429, 500/502/503/504, 529 (the Anthropic-compatible endpoint's "overloaded") and
// connection failures, only while nothing has been yielded to the caller (once text is shown, a
// retry would duplicate or contradict it).
// Not retried: 400/401/403/404, timeouts (a retry would multiply a long silent wait),
// malformed responses, cancellation.
import { cancelledError, ModelsLabError, toModelsLabError } from './errors';
import { noopLogger, type Logger } from './logger';
import type { ChatChunk } from './types';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Backoff base: retry n waits a random time in [0, base * 2^n] ("full jitter"). */
  baseDelayMs: number;
  /** Upper bound of the exponential backoff. */
  maxBackoffMs: number;
  /** The server's wait (Retry-After header or ModelsLab's `retry_after` body field) is honoured, but never beyond this. */
  retryAfterCapMs: number;
  /**
   * A rate limit asking for a longer wait than this is not waited out: the 429 is thrown at once,
   * so a fallback can try another model instead (RequestPolicy.maxRetryWaitMs).
   */
  maxRetryWaitMs?: number;
  random: () => number;
  sleep: Sleep;
  now: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxBackoffMs: 8_000,
  retryAfterCapMs: 60_000,
  random: Math.random,
  sleep: abortableSleep,
  now: Date.now,
};

const RETRYABLE_SERVER_STATUSES = new Set([500, 502, 503, 504, 529]);

export function isRetryable(error: ModelsLabError): boolean {
  switch (error.kind) {
    case 'rate_limit':
      return true;
    case 'server':
      return error.status === undefined || RETRYABLE_SERVER_STATUSES.has(error.status);
    case 'network':
      return error.status === undefined; // 407 (proxy wants credentials) will not fix itself
    default:
      return false;
  }
}

/** The server asked for a longer wait than the caller will sit through. */
export function waitsTooLong(error: ModelsLabError, policy: Pick<RetryPolicy, 'maxRetryWaitMs'>): boolean {
  return error.kind === 'rate_limit' && policy.maxRetryWaitMs !== undefined && (error.retryAfterMs ?? 0) > policy.maxRetryWaitMs;
}

/** Chunks about waiting (our queue, a retry countdown) are not part of the answer: after them a retry is still clean. */
function isAnswerContent(chunk: ChatChunk): boolean {
  return chunk.type !== 'queued' && chunk.type !== 'retrying';
}

/** How long to wait before retry number `retryIndex` (0 = the first retry). */
export function retryDelayMs(error: ModelsLabError, retryIndex: number, policy: RetryPolicy): number {
  if (error.retryAfterMs !== undefined) return Math.min(error.retryAfterMs, policy.retryAfterCapMs);
  const ceiling = Math.min(policy.maxBackoffMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.floor(policy.random() * ceiling);
}

/** A short reason for the "retrying" chunk, e.g. "rate limited (429)". */
export function retryReason(error: ModelsLabError): string {
  const code = error.status === undefined ? '' : ` (${error.status})`;
  if (error.kind === 'rate_limit') return `rate limited${code}`;
  if (error.kind === 'server') return `server error${code}`;
  return 'connection failed';
}

export interface RetryRun {
  signal?: AbortSignal;
  logger?: Logger;
  requestId?: string;
}

/**
 * Runs `attempt` until it completes, retrying by the policy. Before each wait it yields a
 * `retrying` chunk so the UI can show a countdown. The wait ends early, with a `cancelled`
 * error, when the signal aborts.
 */
export async function* withRetries(
  attempt: (attemptIndex: number) => AsyncIterable<ChatChunk>,
  policy: RetryPolicy,
  run: RetryRun = {},
): AsyncGenerator<ChatChunk> {
  const logger = run.logger ?? noopLogger;
  for (let attemptIndex = 0; ; attemptIndex++) {
    let yieldedContent = false;
    try {
      for await (const chunk of attempt(attemptIndex)) {
        if (isAnswerContent(chunk)) yieldedContent = true;
        yield chunk;
      }
      return;
    } catch (err) {
      const error = toModelsLabError(err, { requestId: run.requestId });
      if (yieldedContent || attemptIndex >= policy.maxRetries || !isRetryable(error)) throw error;
      if (waitsTooLong(error, policy)) {
        logger.warn(`[${run.requestId ?? '-'}] rate limited; the server asks for ${error.retryAfterMs} ms, over the ${policy.maxRetryWaitMs} ms this request waits`);
        throw error;
      }
      const delayMs = retryDelayMs(error, attemptIndex, policy);
      const reason = retryReason(error);
      logger.warn(`[${run.requestId ?? '-'}] ${reason}; retry ${attemptIndex + 1}/${policy.maxRetries} in ${delayMs} ms`);
      yield { type: 'retrying', attempt: attemptIndex + 1, delayMs, reason, retryAt: policy.now() + delayMs };
      try {
        await policy.sleep(delayMs, run.signal);
      } catch {
        throw cancelledError({ requestId: run.requestId });
      }
      if (run.signal?.aborted) throw cancelledError({ requestId: run.requestId });
    }
  }
}

/** setTimeout that rejects as soon as the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
