// A local, ModelsLab-compatible HTTP server: the one test double of the project.
// It speaks the OpenAI-compatible chat API over real sockets so the client, the SDK and
// undici are exercised exactly as in production. Each chat request consumes one ReplyScript.
//
// Choices worth knowing:
// - The usage chunk is sent only when the request asks for it (`stream_options.include_usage`),
//   as OpenAI does. Non-stream replies always carry `usage` (unless the script says `usage: null`).
// - GET /models and GET /v1/models (ModelsLab's documented path, which also takes the key as
//   x-api-key) serve DEFAULT_MODEL_IDS until `setModels()` changes it; `reset()` restores it.
// - POST …/v1/messages is ModelsLab's Anthropic-compatible chat (key as x-api-key or bearer): the
//   same scripts, queue, per-model queues and queue cap as /chat/completions, answered with
//   Anthropic's bodies and events by anthropicReply.ts; HTTP errors are {type:'error', error:{type, message}}.
// - POST …/v1/messages/count_tokens (Anthropic-shaped, key as x-api-key or bearer) answers
//   {input_tokens} by the crude word count of countTokens.ts; `setCountTokens(false)` makes it 404.
// - Keys: any non-empty bearer token works unless `setValidKeys()` names the good ones.
// - `setQueueCap(n)` mimics ModelsLab's per-account queue cap (5/10/15 by plan): 429 with
//   `retry_after` in the body, never in a header.
// - `errorMessage` may contain `{key}`: it is replaced by the request's bearer token, so tests
//   can check that a server echoing the key never leaks it.
import * as http from 'node:http';
import { replyPieces, computeUsage, completionMessage, finishReasonOf, toolCallDeltas, hasField, defaultErrorMessage, errorBody, queueCapBody, bearerToken, headerText, readBody, parseJson, nowSeconds, delay, type Usage } from './replyParts';
import { countTokensOf, type CountTokensScript } from './countTokens';
import { anthropicDefaultMessage, anthropicErrorBody, answerAnthropic } from './anthropicReply';
import type { AddressInfo, Socket } from 'node:net';

export interface ReplyScript {
  /** Reply text; default 'Hello from the local ModelsLab server.' */
  text?: string;
  /** Characters per SSE chunk, default 4. */
  chunkSize?: number;
  /** Pacing between chunks (one chunk = one "token"); 0/undefined = as fast as possible. */
  tokensPerSecond?: number;
  /** Alternative to text: stream exactly N chunks of `chunkSize` filler characters. */
  chunks?: number;
  /** Respond with this HTTP error status (401, 403, 404, 429, 500, 503…). */
  status?: number;
  /** Error body: {error:{message,type,code}} (default) or {status:'error',message}. */
  errorShape?: 'openai' | 'legacy';
  /** Error message; `{key}` is replaced by the request's bearer token. */
  errorMessage?: string;
  /** Retry-After header value (seconds or HTTP date). */
  retryAfter?: string;
  /** `retry_after` (seconds) in the error body, as ModelsLab sends it: top level (legacy) or inside `error`. */
  retryAfterInBody?: number;
  /** The legacy body's message field; legacy endpoints spell it `messege`. Default 'message'. */
  legacyMessageField?: 'message' | 'messege';
  /** HTTP 200 with body {status:'error',message} as non-stream JSON. */
  legacyErrorWith200?: boolean;
  /** HTTP 200 text/event-stream whose first data line is {status:'error',message}. */
  legacyErrorAsSse?: boolean;
  /** Destroy the socket after N content chunks (connection dropped mid-stream). */
  dropAfterChunks?: number;
  /**
   * After N content chunks, wait `resetAfterMs` (default 0) with the socket open, then reset it
   * (TCP RST, not a clean close): what a proxy or load balancer that kills a connection does.
   * Unlike `dropAfterChunks`, the client has long read the chunks by the time the socket fails.
   */
  resetAfterChunks?: number;
  /** The pause before `resetAfterChunks` resets the socket. */
  resetAfterMs?: number;
  /** Send N content chunks, then stay silent with the socket open until the client closes. */
  stallAfterChunks?: number;
  /** Accept the request and never answer. */
  stallBeforeHeaders?: boolean;
  /** After N content chunks send `data: {not json`, then keep going to the end. */
  malformedAfterChunks?: number;
  /** null = no usage at all; default computed from the request and the reply. */
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens?: number } | null;
  /** Default 'stop', or 'tool_calls' with `toolCalls`. */
  finishReason?: string;
  /**
   * Tool calls, streamed as OpenAI-style `tool_calls` deltas after any text: per call one delta
   * with index, id, type and name (arguments ''), then the arguments in ~8-character pieces.
   * Without `text` or `chunks` the reply has no text.
   */
  toolCalls?: ScriptedToolCall[];
  /** Wait this long before sending headers. */
  delayMs?: number;
  /** …/v1/messages only: after N content chunks send an `event: error` and end the stream. */
  anthropicErrorAfterChunks?: number;
  /** The mid-stream error's `error.type`; default 'overloaded_error'. */
  anthropicErrorType?: string;
}

export type ModelsPath = '/models' | '/v1/models';

export interface ScriptedToolCall {
  id: string;
  name: string;
  /** JSON text, sent as is. */
  arguments: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or undefined. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  rawBody: string;
  /** Whether the JSON body had a `max_tokens` field (ModelsLab defaults it to 1000 when absent). */
  hasMaxTokens: boolean;
  /** True if the client closed the connection before the response was complete. */
  closedByClient: boolean;
  /** Resolves when this exchange is over: the response was fully sent, or the connection closed (either side). */
  closed: Promise<void>;
}

export interface FakeModelsLab {
  /** e.g. http://127.0.0.1:54321 — any path prefix works (url or url + '/api/v7/llm'). */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Consumed one per chat request, FIFO. */
  enqueue(...scripts: ReplyScript[]): void;
  /** Used when the queue is empty. */
  setDefault(script: ReplyScript): void;
  /**
   * Per-model failure (or reply) scripts: a chat request naming `model` consumes these first, FIFO,
   * before the shared queue. `reset()` clears them.
   */
  enqueueFor(model: string, ...scripts: ReplyScript[]): void;
  /** The most chat requests that were ever open at once since the last reset (for queue-cap tests). */
  readonly peakChatsInFlight: number;
  /** GET /models and /v1/models → {object:'list', data:[…]}; null → 404. */
  setModels(ids: string[] | null): void;
  /** Which model-list paths exist (default both); any other one is 404, key or not. */
  setModelsPaths(paths: readonly ModelsPath[]): void;
  /** false: the model list answers without any key, as some gateways do. Default true. */
  setModelsNeedKey(needed: boolean): void;
  /** Only these keys work (chat, and the model list when it needs a key); others get 401. null (default) = any non-empty key. */
  setValidKeys(keys: readonly string[] | null): void;
  /** Make GET /models answer by a script (status, errorShape, delayMs, stallBeforeHeaders…); null = normal. */
  setModelsScript(script: ReplyScript | null): void;
  /**
   * ModelsLab's per-account queue cap: while `limit` chat requests are in flight, another one gets
   * 429 `{"status":"error","message":"Rate limit exceeded. Maximum <limit> queued requests allowed.","retry_after":<s>}`
   * without consuming a script. null = no cap (the default).
   */
  setQueueCap(limit: number | null, retryAfterSeconds?: number): void;
  /** Does POST …/v1/messages/count_tokens exist? false → 404, key or not. Default true. */
  setCountTokens(available: boolean): void;
  /** Make count_tokens answer by a script (status, errorShape, delayMs, stallBeforeHeaders…, or a 200 `body`); null = the word count. */
  setCountTokensScript(script: CountTokensScript | null): void;
  waitForRequests(n: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Clear queue, default script, models and count_tokens scripts and records; restore the default model list and count_tokens. */
  reset(): void;
  /** Closes all sockets too. */
  close(): Promise<void>;
}

export { DEFAULT_REPLY_TEXT } from './replyParts';

/** The model IDs documented by ModelsLab; served by GET /models until setModels() is called. */
export const DEFAULT_MODEL_IDS: readonly string[] = [
  'Qwen-Qwen2.5-Coder-32B-Instruct',
  'Qwen-Qwen2.5-72B-Instruct-Turbo',
  'deepseek-ai-DeepSeek-V3',
  'deepseek-ai-DeepSeek-R1-Distill-Llama-70B',
  'meta-llama-Llama-3.3-70B-Instruct-Turbo',
  'meta-llama-3-8B-instruct',
  'gemini-2.0-flash-001',
  'gemini-2.5-pro',
  'mistralai-Mistral-Small-24B-Instruct-2501',
  'mistralai-Mixtral-8x7B-Instruct-v0.1',
  'Qwen/Qwen2.5-VL-72B-Instruct-together',
];


interface MutableRecord extends RecordedRequest {
  closedByClient: boolean;
}

/** State of one exchange that the reply code needs: is the connection still there? */
interface Exchange {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  record: MutableRecord;
  /** The bearer token, for `{key}` in error messages. */
  token: string;
  /** Set when we destroyed the socket on purpose (drop), so it does not count as a client close. */
  destroyedByServer: boolean;
  gone: boolean;
  /** Resolves when the connection goes away. */
  goneSignal: Promise<void>;
  /** Sent as x-request-id, like a real API gateway. */
  requestId: string;
  /** POST …/v1/messages: errors go out in the Anthropic shape. */
  anthropic: boolean;
}

export async function startFakeModelsLab(options: { port?: number; host?: string } = {}): Promise<FakeModelsLab> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const requests: MutableRecord[] = [];
  const waiters = new Set<() => void>();
  let queue: ReplyScript[] = [];
  let modelQueues = new Map<string, ReplyScript[]>();
  let peakChatsInFlight = 0;
  let defaultScript: ReplyScript = {};
  let models: string[] | null = [...DEFAULT_MODEL_IDS];
  let modelsScript: ReplyScript | null = null;
  let modelsPaths = new Set<ModelsPath>(['/models', '/v1/models']);
  let modelsNeedKey = true;
  let validKeys: Set<string> | null = null;
  let queueCap: { limit: number; retryAfterSeconds: number } | null = null;
  let countTokensAvailable = true;
  let countTokensScript: CountTokensScript | null = null;
  /** Chat requests being answered now (for the queue cap). */
  let chatsInFlight = 0;
  let requestCounter = 0;

  const server = http.createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed) {
        res.statusCode = 500;
        res.end();
      } else {
        res.destroy();
      }
    });
  });
  // Responses can legitimately stay open for a long time (stall scripts, slow pacing).
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const body = parseJson(rawBody);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const modelsPath: ModelsPath | undefined = req.method !== 'GET' ? undefined : path.endsWith('/v1/models') ? '/v1/models' : path.endsWith('/models') ? '/models' : undefined;
    const isCount = req.method === 'POST' && path.endsWith('/v1/messages/count_tokens');
    const isMessages = req.method === 'POST' && path.endsWith('/v1/messages');
    let closedResolve!: () => void;
    const record: MutableRecord = {
      method: req.method ?? 'GET',
      path,
      headers: { ...req.headers },
      body,
      rawBody,
      hasMaxTokens: hasField(body, 'max_tokens'),
      closedByClient: false,
      closed: new Promise<void>((resolve) => (closedResolve = resolve)),
    };
    let goneResolve!: () => void;
    const exchange: Exchange = {
      req,
      res,
      record,
      // ModelsLab's /v1/models, /v1/messages and count_tokens read the key from x-api-key too.
      token: bearerToken(req.headers.authorization) || (modelsPath === '/v1/models' || isCount || isMessages ? headerText(req.headers['x-api-key']) : ''),
      destroyedByServer: false,
      gone: false,
      goneSignal: new Promise<void>((resolve) => (goneResolve = resolve)),
      requestId: `req_fake_${++requestCounter}`,
      anthropic: isMessages,
    };
    res.on('close', () => {
      if (!res.writableFinished && !exchange.destroyedByServer) record.closedByClient = true;
      exchange.gone = true;
      goneResolve();
      closedResolve();
    });
    requests.push(record);
    for (const wake of [...waiters]) wake();

    // Both chat routes share the scripts, the per-model queues and the queue cap.
    const isChat = (record.method === 'POST' && path.endsWith('/chat/completions')) || isMessages;
    const isModels = modelsPath !== undefined;
    if ((!isChat && !isModels && !isCount) || (modelsPath && !modelsPaths.has(modelsPath)) || (isCount && !countTokensAvailable)) {
      sendError(exchange, { status: 404, errorMessage: `No route for ${record.method} ${path}` });
      return;
    }
    const chatModel = typeof record.body?.model === 'string' ? (record.body.model as string) : '';
    const nextScript = isChat ? (modelQueues.get(chatModel)?.[0] ?? queue[0] ?? defaultScript) : ((isCount ? countTokensScript : modelsScript) ?? {});
    const needsKey = isChat || isCount || modelsNeedKey;
    if (needsKey && !exchange.token) {
      // Like a real server: no key, no work (and no script consumed).
      sendError(exchange, {
        status: 401,
        errorShape: nextScript.errorShape,
        errorMessage: isMessages
          ? 'No API key provided. Pass it in the x-api-key header or as a Bearer token.'
          : 'No API key provided. Pass it as a Bearer token in the Authorization header.',
      });
      return;
    }
    if (needsKey && validKeys && !validKeys.has(exchange.token)) {
      sendError(exchange, { status: 401, errorShape: nextScript.errorShape });
      return;
    }
    if (isModels) {
      await answerModels(exchange);
      return;
    }
    if (isCount) {
      await answerCountTokens(exchange);
      return;
    }
    if (queueCap && chatsInFlight >= queueCap.limit) {
      sendJson(exchange, 429, queueCapBody(queueCap.limit, queueCap.retryAfterSeconds));
      return;
    }
    chatsInFlight++;
    peakChatsInFlight = Math.max(peakChatsInFlight, chatsInFlight);
    res.once('close', () => chatsInFlight--);
    const script = modelQueues.get(chatModel)?.shift() ?? queue.shift() ?? defaultScript;
    await (isMessages ? answerMessages(exchange, script) : answerChat(exchange, script));
  }

  async function answerModels(exchange: Exchange): Promise<void> {
    if (await answeredByScript(exchange, modelsScript ?? {})) return;
    if (models === null) {
      sendError(exchange, { status: 404, errorMessage: 'Not found' });
      return;
    }
    sendJson(exchange, 200, {
      object: 'list',
      data: models.map((id) => ({ id, object: 'model', created: 1712345678, owned_by: 'modelslab' })),
    });
  }

  async function answerCountTokens(exchange: Exchange): Promise<void> {
    const script = countTokensScript ?? {};
    if (await answeredByScript(exchange, script)) return;
    if (script.body !== undefined) {
      sendJson(exchange, 200, script.body);
      return;
    }
    const count = countTokensOf(exchange.record.body);
    if ('error' in count) sendError(exchange, { ...script, status: 400, errorMessage: count.error });
    else sendJson(exchange, 200, { input_tokens: count.inputTokens });
  }

  async function answerChat(exchange: Exchange, script: ReplyScript): Promise<void> {
    if (await answeredByScript(exchange, script)) return;
    const body = exchange.record.body;
    const model = typeof body?.model === 'string' ? body.model : typeof body?.model_id === 'string' ? body.model_id : '';
    if (!model) {
      sendError(exchange, { ...script, status: 400, errorMessage: 'The "model" field is required.' });
      return;
    }
    if (!Array.isArray(body?.messages) || body.messages.length === 0) {
      sendError(exchange, { ...script, status: 400, errorMessage: 'The "messages" field must be a non-empty array.' });
      return;
    }
    const id = `chatcmpl-${exchange.requestId}`;
    const pieces = replyPieces(script);
    const usage = computeUsage(script, body.messages, pieces);
    const stream = body.stream === true || body.streaming === true;
    if (!stream) {
      sendJson(exchange, 200, {
        id,
        object: 'chat.completion',
        created: nowSeconds(),
        model,
        choices: [
          { index: 0, message: completionMessage(script, pieces), finish_reason: finishReasonOf(script) },
        ],
        ...(usage ? { usage } : {}),
      });
      return;
    }
    await streamReply(exchange, script, { id, model, pieces, usage, includeUsage: body.stream_options?.include_usage === true });
  }

  async function answerMessages(exchange: Exchange, script: ReplyScript): Promise<void> {
    if (await answeredByScript(exchange, script)) return;
    const { res } = exchange;
    await answerAnthropic(
      {
        body: exchange.record.body,
        requestId: exchange.requestId,
        get gone() {
          return exchange.gone;
        },
        goneSignal: exchange.goneSignal,
        write: (text) => writeRaw(exchange, text),
        startStream: () => {
          res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': exchange.requestId });
          res.flushHeaders();
        },
        end: () => void res.end(),
        drop: () => drop(exchange),
        reset: (pauseMs) => reset(exchange, pauseMs),
        sendJson: (status, body) => sendJson(exchange, status, body),
        sendError: (errorScript) => sendError(exchange, errorScript),
      },
      script,
    );
  }

  /** The script's delay or stall, then its error if it has one. True when nothing more is to be sent. */
  async function answeredByScript(exchange: Exchange, script: ReplyScript): Promise<boolean> {
    if (!(await beforeHeaders(exchange, script))) return true;
    if (script.status === undefined && !script.legacyErrorWith200) return false;
    sendError(exchange, script);
    return true;
  }

  /** Handles delayMs and stallBeforeHeaders. Returns false if no answer should be sent. */
  async function beforeHeaders(exchange: Exchange, script: ReplyScript): Promise<boolean> {
    if (script.stallBeforeHeaders) {
      await exchange.goneSignal;
      return false;
    }
    if (script.delayMs) await Promise.race([delay(script.delayMs), exchange.goneSignal]);
    return !exchange.gone;
  }

  async function streamReply(
    exchange: Exchange,
    script: ReplyScript,
    reply: { id: string; model: string; pieces: string[]; usage: Usage | null; includeUsage: boolean },
  ): Promise<void> {
    const { res } = exchange;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-request-id': exchange.requestId,
    });
    res.flushHeaders();
    const created = nowSeconds();
    const chunk = (delta: object, finishReason: string | null) => ({
      id: reply.id,
      object: 'chat.completion.chunk',
      created,
      model: reply.model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    });
    if (script.legacyErrorAsSse) {
      await writeEvent(exchange, errorBody({ ...script, errorShape: 'legacy' }, 200, errorText(exchange, script, 'Request failed.')));
      res.end();
      return;
    }
    if (!(await writeEvent(exchange, chunk({ role: 'assistant', content: '' }, null)))) return;

    const intervalMs = script.tokensPerSecond ? 1000 / script.tokensPerSecond : 0;
    const start = performance.now();
    for (let i = 0; i < reply.pieces.length; i++) {
      if (i === script.dropAfterChunks) return drop(exchange);
      if (i === script.resetAfterChunks) return reset(exchange, script.resetAfterMs ?? 0);
      if (i === script.stallAfterChunks) return exchange.goneSignal;
      if (i === script.malformedAfterChunks && !(await writeRaw(exchange, 'data: {not json\n\n'))) return;
      // Pace against the start time, so rates above 1000 tokens/s still average out right.
      const wait = start + i * intervalMs - performance.now();
      if (wait >= 1) await Promise.race([delay(wait), exchange.goneSignal]);
      // Unpaced, still let the event loop breathe: the server may share a process with the code under test.
      else if (i % 64 === 63) await new Promise((resolve) => setImmediate(resolve));
      if (!(await writeEvent(exchange, chunk({ content: reply.pieces[i] }, null)))) return;
    }
    const n = reply.pieces.length;
    if (n === script.dropAfterChunks) return drop(exchange);
    if (n === script.resetAfterChunks) return reset(exchange, script.resetAfterMs ?? 0);
    if (n === script.stallAfterChunks) return exchange.goneSignal;
    if (n === script.malformedAfterChunks && !(await writeRaw(exchange, 'data: {not json\n\n'))) return;
    for (const delta of toolCallDeltas(script.toolCalls ?? [])) {
      if (!(await writeEvent(exchange, chunk(delta, null)))) return;
    }
    if (!(await writeEvent(exchange, chunk({}, finishReasonOf(script))))) return;
    if (reply.includeUsage && reply.usage) {
      const usageChunk = { id: reply.id, object: 'chat.completion.chunk', created, model: reply.model, choices: [], usage: reply.usage };
      if (!(await writeEvent(exchange, usageChunk))) return;
    }
    if (!(await writeRaw(exchange, 'data: [DONE]\n\n'))) return;
    res.end();
  }

  function drop(exchange: Exchange): void {
    exchange.destroyedByServer = true;
    // end() rather than destroy(): chunks already written reach the client first, then the
    // connection closes in the middle of the chunked body, which is what a real drop looks like.
    exchange.req.socket.end();
  }

  /** Waits `pauseMs` (unless the client leaves first), then resets the connection: the client sees ECONNRESET. */
  async function reset(exchange: Exchange, pauseMs: number): Promise<void> {
    if (pauseMs > 0) await Promise.race([delay(pauseMs), exchange.goneSignal]);
    if (exchange.gone) return;
    exchange.destroyedByServer = true;
    // An RST rather than a FIN: the kernel sends it at once and discards anything unsent.
    exchange.req.socket.resetAndDestroy();
  }

  function writeEvent(exchange: Exchange, data: object): Promise<boolean> {
    return writeRaw(exchange, `data: ${JSON.stringify(data)}\n\n`);
  }

  /** One res.write per event; waits for 'drain' under backpressure. False if the client is gone. */
  async function writeRaw(exchange: Exchange, text: string): Promise<boolean> {
    if (exchange.gone) return false;
    if (!exchange.res.write(text)) {
      await Promise.race([new Promise((resolve) => exchange.res.once('drain', resolve)), exchange.goneSignal]);
    }
    return !exchange.gone;
  }

  function sendError(exchange: Exchange, script: ReplyScript): void {
    const status = script.legacyErrorWith200 ? 200 : (script.status ?? 500);
    const message = errorText(exchange, script, (exchange.anthropic ? anthropicDefaultMessage(status) : undefined) ?? defaultErrorMessage(status));
    const headers: Record<string, string> = {};
    if (script.retryAfter !== undefined) headers['retry-after'] = script.retryAfter;
    const shape = script.legacyErrorWith200 ? 'legacy' : script.errorShape;
    // The Anthropic route answers in its own shape unless the script asks for ModelsLab's legacy body.
    const body = exchange.anthropic && shape !== 'legacy' ? anthropicErrorBody(script, status, message) : errorBody({ ...script, errorShape: shape }, status, message);
    sendJson(exchange, status, body, headers);
  }

  function sendJson(exchange: Exchange, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (exchange.gone) return;
    const text = JSON.stringify(body);
    exchange.res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'x-request-id': exchange.requestId,
      ...headers,
    });
    exchange.res.end(text);
  }

  function errorText(exchange: Exchange, script: ReplyScript, fallback: string): string {
    return (script.errorMessage ?? fallback).split('{key}').join(exchange.token);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  return {
    url,
    requests,
    enqueue: (...scripts) => void queue.push(...scripts),
    setDefault: (script) => void (defaultScript = script),
    enqueueFor(model, ...scripts) {
      modelQueues.set(model, [...(modelQueues.get(model) ?? []), ...scripts]);
    },
    get peakChatsInFlight() {
      return peakChatsInFlight;
    },
    setModels: (ids) => void (models = ids === null ? null : [...ids]),
    setModelsPaths: (paths) => void (modelsPaths = new Set(paths)),
    setModelsNeedKey: (needed) => void (modelsNeedKey = needed),
    setValidKeys: (keys) => void (validKeys = keys === null ? null : new Set(keys)),
    setModelsScript: (script) => void (modelsScript = script),
    setQueueCap: (limit, retryAfterSeconds = 30) => void (queueCap = limit === null ? null : { limit, retryAfterSeconds }),
    setCountTokens: (available) => void (countTokensAvailable = available),
    setCountTokensScript: (script) => void (countTokensScript = script),
    waitForRequests(n, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (requests.length < n) return;
          cleanup();
          resolve(requests.slice(0, n));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`Expected ${n} request(s) within ${timeoutMs} ms, got ${requests.length}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    reset() {
      queue = [];
      modelQueues = new Map();
      peakChatsInFlight = chatsInFlight;
      defaultScript = {};
      models = [...DEFAULT_MODEL_IDS];
      modelsScript = null;
      modelsPaths = new Set(['/models', '/v1/models']);
      modelsNeedKey = true;
      validKeys = null;
      queueCap = null;
      countTokensAvailable = true;
      countTokensScript = null;
      requests.length = 0;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
    },
  };
}

