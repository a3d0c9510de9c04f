// The ModelsLab client: streaming chat, the model list and a key check, over the openai SDK.
import type OpenAI from 'openai';
import { isLegacyErrorBody, legacyBodyError, malformedResponseError, ModelsLabError, noKeyError, toModelsLabError } from './errors';
import { noopLogger, redactingLogger, type Logger } from './logger';
import { toRequestFields, validateChatRequest } from './params';
import { DEFAULT_RETRY_POLICY, withRetries, type RetryPolicy, type Sleep } from './retry';
import { DEFAULT_BASE_URL, DEFAULT_MODEL } from './defaults';
import { createSdk } from './sdk';
import { streamOnce } from './stream';
import type { ChatChunk, ChatMessage, ChatOptions } from './types';

export interface ModelsLabClientConfig {
  baseUrl: string;
  apiKey: string;
  /** Longest wait for the response headers. Default 30 000. */
  connectTimeoutMs?: number;
  /** Longest silence between chunks once the response has started. Default 60 000. */
  idleTimeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** Retry-After is honoured up to this. Default 60 000. */
  retryAfterCapMs?: number;
  fetch?: typeof fetch;
  logger?: Logger;
  /** For tests: the jitter source. */
  random?: () => number;
  /** For tests: the wait between retries (must reject when the signal aborts). */
  sleep?: Sleep;
  /** For tests: the clock used for `retryAt` and Retry-After dates. */
  now?: () => number;
}

export class ModelsLabClient {
  private readonly sdk: OpenAI | undefined;
  private readonly apiKey: string;
  private readonly connectTimeoutMs: number;
  private readonly idleTimeoutMs: number;
  private readonly policy: RetryPolicy;
  private readonly logger: Logger;

  constructor(config: ModelsLabClientConfig) {
    this.apiKey = (config.apiKey ?? '').trim();
    this.connectTimeoutMs = config.connectTimeoutMs ?? 30_000;
    this.idleTimeoutMs = config.idleTimeoutMs ?? 60_000;
    this.policy = {
      ...DEFAULT_RETRY_POLICY,
      maxRetries: config.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries,
      retryAfterCapMs: config.retryAfterCapMs ?? DEFAULT_RETRY_POLICY.retryAfterCapMs,
      random: config.random ?? DEFAULT_RETRY_POLICY.random,
      sleep: config.sleep ?? DEFAULT_RETRY_POLICY.sleep,
      now: config.now ?? DEFAULT_RETRY_POLICY.now,
    };
    // Every log line passes through redaction, whatever the caller's logger does.
    this.logger = redactingLogger(config.logger ?? noopLogger, () => [this.apiKey]);
    // Without a key there is nothing to send; each call then fails with 'no_key'.
    this.sdk = this.apiKey ? createSdk({ baseUrl: config.baseUrl || DEFAULT_BASE_URL, apiKey: this.apiKey, fetch: config.fetch }) : undefined;
  }

  /**
   * Streams an answer. A complete answer ends with one `finish` chunk; anything else ends by
   * throwing a ModelsLabError (kind 'cancelled' when `signal` aborts), with the text received
   * so far in `partialText`. Parameters are validated before any request is made.
   */
  streamChat(messages: ChatMessage[], options: ChatOptions, signal?: AbortSignal): AsyncIterable<ChatChunk> {
    // A generator: nothing (not even validation) happens until the caller starts iterating.
    return this.runChat(messages, options, signal);
  }

  private async *runChat(messages: ChatMessage[], options: ChatOptions, signal?: AbortSignal): AsyncGenerator<ChatChunk> {
    const sdk = this.requireSdk();
    validateChatRequest(messages, options);
    const fields = toRequestFields(messages, options);
    const requestId = newRequestId();
    const errorContext = { secrets: [this.apiKey], model: fields.model, operation: 'chat' as const, requestId };
    this.logger.info(`[${requestId}] chat: model ${fields.model}, ${messages.length} message(s)`);
    this.logger.trace(`[${requestId}] prompt`, JSON.stringify(fields.messages));
    const started = this.policy.now();
    try {
      for await (const chunk of withRetries(
        (attempt) =>
          streamOnce({
            sdk,
            fields,
            signal,
            connectTimeoutMs: this.connectTimeoutMs,
            idleTimeoutMs: this.idleTimeoutMs,
            errorContext,
            logger: this.logger,
            logId: attempt === 0 ? requestId : `${requestId}#${attempt + 1}`,
            headers: { 'X-Client-Request-Id': requestId },
            now: this.policy.now,
          }),
        this.policy,
        { signal, logger: this.logger, requestId },
      )) {
        if (chunk.type === 'usage') {
          const { promptTokens, completionTokens, totalTokens } = chunk.usage;
          this.logger.info(`[${requestId}] usage: ${promptTokens} prompt + ${completionTokens} completion = ${totalTokens} tokens`);
        }
        yield chunk;
      }
    } catch (err) {
      const error = toModelsLabError(err, { secrets: [this.apiKey], requestId });
      const line = `[${requestId}] ${error.kind} after ${this.policy.now() - started} ms: ${error.message}${error.detail ? ` (${error.detail})` : ''}`;
      if (error.kind === 'cancelled') this.logger.info(line);
      else this.logger.error(line);
      throw error;
    }
  }

  /** GET {baseUrl}/models → model IDs. Not retried: callers fall back to the built-in list. */
  async listModels(signal?: AbortSignal): Promise<string[]> {
    const sdk = this.requireSdk();
    const requestId = newRequestId();
    const ctx = { secrets: [this.apiKey], operation: 'models' as const, requestId };
    const started = this.policy.now();
    let body: unknown;
    try {
      body = await sdk.get('/models', {
        signal: signal ?? null,
        timeout: this.connectTimeoutMs,
        headers: { 'X-Client-Request-Id': requestId },
      });
    } catch (err) {
      const error = toModelsLabError(err, ctx);
      this.logger.warn(`[${requestId}] model list failed: ${error.message}`);
      throw error;
    }
    if (isLegacyErrorBody(body)) throw legacyBodyError(body, ctx);
    const data = (body as { data?: unknown } | null)?.data;
    if (!Array.isArray(data)) throw malformedResponseError(ctx, 'model list without a data array');
    const ids = data
      .map((entry) => (typeof entry === 'string' ? entry : (entry as { id?: unknown } | null)?.id))
      .filter((id): id is string => typeof id === 'string' && id.trim() !== '');
    this.logger.info(`[${requestId}] model list: ${ids.length} model(s) in ${this.policy.now() - started} ms`);
    return ids;
  }

  /**
   * Checks the key with one cheap request: the model list, or, where there is no /models
   * (404), a completion of at most one token. Resolves when the key works.
   */
  async verifyKey(signal?: AbortSignal, model = DEFAULT_MODEL): Promise<void> {
    try {
      await this.listModels(signal);
      return;
    } catch (err) {
      if (!(err instanceof ModelsLabError && err.kind === 'bad_request' && err.status === 404)) throw err;
    }
    for await (const chunk of this.streamChat([{ role: 'user', content: 'ping' }], { model, maxTokens: 1 }, signal)) {
      if (chunk.type === 'finish') return;
    }
  }

  private requireSdk(): OpenAI {
    if (!this.sdk) throw noKeyError();
    return this.sdk;
  }
}

function newRequestId(): string {
  // globalThis.crypto works in Node 20 and in the web extension host alike.
  return globalThis.crypto.randomUUID().slice(0, 8);
}
