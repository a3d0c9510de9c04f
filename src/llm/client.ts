// The ModelsLab client: streaming chat through a transport, the model list, a key check and
// token counts, over the openai SDK.
import type OpenAI from 'openai';
import { cancelledError, ModelsLabError, noKeyError, toModelsLabError } from './errors';
import { guardedStream, type HttpSender, type Timers } from './guardedStream';
import { StreamScrubber } from './streamScrubber';
import { noopLogger, redactingLogger, type Logger } from './logger';
import { fetchModelList, isMissingPath, refusesWithoutKey, type ModelList } from './modelList';
import { anthropicTransport } from './anthropicTransport';
import { openAiTransport } from './openaiTransport';
import type { RequestGovernor } from './requestGovernor';
import { validateChatRequest } from './params';
import { chatRequest, DEFAULT_POLICY, type ChatRequest, type RequestPolicy } from './request';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, type Sleep } from './retry';
import { DEFAULT_BASE_URL, DEFAULT_MODEL } from './defaults';
import { createSdk, sdkSender } from './sdk';
import { COUNT_TOKENS_PATH, COUNT_TOKENS_TIMEOUT_CAP_MS, countTokensRemote, estimateRequestTokens, isMissingCountEndpoint } from './tokenCount';
import type { ChatStreamer } from './streamer';
import type { ChatTransport } from './transport';
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
  /** Which of ModelsLab's chat APIs to speak: 'openai' (POST /chat/completions, the default) or 'anthropic' (POST /v1/messages). */
  protocol?: 'openai' | 'anthropic';
  /** The wire protocol itself; when set it wins over `protocol`. */
  transport?: ChatTransport;
  fetch?: typeof fetch;
  logger?: Logger;
  /** For tests: the jitter source. */
  random?: () => number;
  /** For tests: the wait between retries (must reject when the signal aborts). */
  sleep?: Sleep;
  /** For tests: the clock used for `retryAt` and Retry-After dates. */
  now?: () => number;
  /** For tests: the timers behind the connect and idle timeouts. */
  timers?: Timers;
  /**
   * Limits the requests open at once. The host makes one per window and gives it to every client,
   * since ModelsLab's queue cap counts per account, whichever model or surface asks.
   */
  governor?: RequestGovernor;
}

/** A request's size in tokens, and whether the server counted it or we estimated it. */
export interface TokenCount {
  tokens: number;
  source: 'server' | 'estimate';
}

export class ModelsLabClient implements ChatStreamer {
  private readonly sdk: OpenAI | undefined;
  private readonly send: HttpSender | undefined;
  private readonly apiKey: string;
  private readonly connectTimeoutMs: number;
  /** What a request gets unless it asks for something else. */
  private readonly requestPolicy: RequestPolicy;
  private readonly policy: RetryPolicy;
  private readonly transport: ChatTransport;
  private readonly timers: Timers | undefined;
  private readonly governor: RequestGovernor | undefined;
  private readonly logger: Logger;
  /** Set once count_tokens answered 404/405/501: later counts go straight to the estimate. */
  private countEndpointMissing = false;
  /** Why counts fell back to the estimate, each logged once (token counts come in bursts). */
  private readonly countFallbacksLogged = new Set<string>();

  constructor(config: ModelsLabClientConfig) {
    this.apiKey = (config.apiKey ?? '').trim();
    this.connectTimeoutMs = config.connectTimeoutMs ?? DEFAULT_POLICY.connectTimeoutMs;
    this.requestPolicy = {
      ...DEFAULT_POLICY,
      connectTimeoutMs: this.connectTimeoutMs,
      idleTimeoutMs: config.idleTimeoutMs ?? DEFAULT_POLICY.idleTimeoutMs,
      maxRetries: config.maxRetries ?? DEFAULT_POLICY.maxRetries,
    };
    this.policy = {
      ...DEFAULT_RETRY_POLICY,
      maxRetries: this.requestPolicy.maxRetries,
      retryAfterCapMs: config.retryAfterCapMs ?? DEFAULT_RETRY_POLICY.retryAfterCapMs,
      random: config.random ?? DEFAULT_RETRY_POLICY.random,
      sleep: config.sleep ?? DEFAULT_RETRY_POLICY.sleep,
      now: config.now ?? DEFAULT_RETRY_POLICY.now,
    };
    this.transport = config.transport ?? (config.protocol === 'anthropic' ? anthropicTransport(this.apiKey) : openAiTransport);
    this.timers = config.timers;
    this.governor = config.governor;
    // Every log line passes through redaction, whatever the caller's logger does.
    this.logger = redactingLogger(config.logger ?? noopLogger, () => [this.apiKey]);
    // Without a key there is nothing to send; each call then fails with 'no_key'.
    this.sdk = this.apiKey ? createSdk({ baseUrl: config.baseUrl || DEFAULT_BASE_URL, apiKey: this.apiKey, fetch: config.fetch }) : undefined;
    this.send = this.sdk ? sdkSender(this.sdk) : undefined;
  }

  /** See ChatStreamer. Parameters are validated before any request is made. */
  stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<ChatChunk> {
    // A generator: nothing (not even validation) happens until the caller starts iterating.
    return this.run(request, signal);
  }

  /** Plain text messages with the settings' options: a convenience over stream(). */
  streamChat(messages: ChatMessage[], options: ChatOptions, signal?: AbortSignal): AsyncIterable<ChatChunk> {
    return this.stream(chatRequest(messages, options), signal);
  }

  private async *run(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatChunk> {
    this.requireSdk();
    validateChatRequest(request);
    const requestId = newRequestId();
    this.logger.info(`[${requestId}] chat: model ${request.model}, ${request.messages.length} message(s), max ${request.maxTokens} tokens, ${this.transport.name}`);
    this.logger.trace(`[${requestId}] prompt`, JSON.stringify(request.messages));
    const started = this.policy.now();
    const scrubber = new StreamScrubber([this.apiKey]);
    try {
      for await (const chunk of guardedStream({
        send: this.send as HttpSender,
        transport: this.transport,
        request,
        policy: { ...this.requestPolicy, ...request.policy },
        // guardedStream takes the retry count from `policy`, so a request's own maxRetries applies.
        retry: this.policy,
        signal,
        logger: this.logger,
        requestId,
        secrets: [this.apiKey],
        timers: this.timers,
        governor: this.governor,
      })) {
        if (chunk.type === 'usage') {
          const { promptTokens, completionTokens, totalTokens } = chunk.usage;
          this.logger.info(`[${requestId}] usage: ${promptTokens} prompt + ${completionTokens} completion = ${totalTokens} tokens`);
        }
        if (chunk.type === 'text') {
          const text = scrubber.push(chunk.text);
          if (text) yield { type: 'text', text };
          continue;
        }
        if (chunk.type === 'finish') {
          const rest = scrubber.flush();
          if (rest) yield { type: 'text', text: rest };
        }
        yield chunk.type === 'toolCall' ? { type: 'toolCall', call: { ...chunk.call, arguments: scrubber.redact(chunk.call.arguments) } } : chunk;
      }
    } catch (err) {
      // The text held back is still part of the partial answer; the key never is.
      const rest = scrubber.flush();
      if (rest) yield { type: 'text', text: rest };
      const raw = toModelsLabError(err, { secrets: [this.apiKey], requestId });
      const partialText = raw.partialText === undefined ? undefined : scrubber.redact(raw.partialText);
      const error = partialText === raw.partialText ? raw : new ModelsLabError({ ...raw, message: raw.message, partialText });
      const line = `[${requestId}] ${error.kind} after ${this.policy.now() - started} ms: ${error.message}${error.detail ? ` (${error.detail})` : ''}`;
      if (error.kind === 'cancelled') this.logger.info(line);
      else this.logger.error(line);
      throw error;
    }
  }

  /** GET {baseUrl}/models, else {baseUrl}/v1/models → model IDs (see modelList.ts). Not retried: callers fall back to the built-in list. */
  async listModels(signal?: AbortSignal): Promise<string[]> {
    const call = { sdk: this.requireSdk(), apiKey: this.apiKey, timeoutMs: this.connectTimeoutMs, logger: this.logger, now: this.policy.now, requestId: newRequestId(), signal };
    return (await fetchModelList(call)).ids;
  }

  /**
   * Checks the key and resolves when it works. The model list proves it only if the list
   * refuses a request without a key (some gateways serve it to anyone); otherwise, or where
   * there is no list, a completion of at most one token decides.
   */
  async verifyKey(signal?: AbortSignal, model = DEFAULT_MODEL): Promise<void> {
    const call = { sdk: this.requireSdk(), apiKey: this.apiKey, timeoutMs: this.connectTimeoutMs, logger: this.logger, now: this.policy.now, requestId: newRequestId(), signal };
    let list: ModelList | undefined;
    try {
      list = await fetchModelList(call);
    } catch (err) {
      if (!isMissingPath(err)) throw err;
    }
    if (list && (await refusesWithoutKey(call, list.path))) return;
    for await (const chunk of this.streamChat([{ role: 'user', content: 'ping' }], { model, maxTokens: 1 }, signal)) {
      if (chunk.type === 'finish') return;
    }
  }

  /**
   * The request's input tokens: POST {baseUrl}/v1/messages/count_tokens first (see tokenCount.ts),
   * the local estimate when the endpoint is missing or fails in any way (not retried). Only a
   * cancellation rejects, with kind 'cancelled'. Without a key it is the estimate.
   */
  async countTokens(request: Pick<ChatRequest, 'model' | 'messages'>, signal?: AbortSignal): Promise<TokenCount> {
    if (signal?.aborted) throw cancelledError();
    const estimate = (): TokenCount => ({ tokens: estimateRequestTokens(request.messages), source: 'estimate' });
    if (!this.sdk || this.countEndpointMissing) return estimate();
    const requestId = newRequestId();
    const timeoutMs = Math.min(this.connectTimeoutMs, COUNT_TOKENS_TIMEOUT_CAP_MS);
    try {
      const tokens = await countTokensRemote({ sdk: this.sdk, apiKey: this.apiKey, model: request.model, messages: request.messages, timeoutMs, requestId, signal });
      return { tokens, source: 'server' };
    } catch (err) {
      const error = toModelsLabError(err, { secrets: [this.apiKey], requestId });
      if (error.kind === 'cancelled') throw error;
      if (isMissingCountEndpoint(error)) this.countEndpointMissing = true;
      const reason = this.countEndpointMissing ? `not offered (${error.status})` : `${error.kind}${error.status ? ` ${error.status}` : ''}`;
      if (!this.countFallbacksLogged.has(reason)) {
        this.countFallbacksLogged.add(reason);
        const why = this.countEndpointMissing ? 'from now on' : `(${error.detail ?? error.message})`;
        this.logger.info(`[${requestId}] token count: ${COUNT_TOKENS_PATH} ${reason}; using the local estimate ${why}`);
      }
      return estimate();
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
