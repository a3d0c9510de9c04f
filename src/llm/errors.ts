// Every failure of the client becomes one ModelsLabError with a kind the UI can act on and a
// message a person can act on. All server text passes through redactSecrets first.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { redactSecrets } from './redact';
import { parseRetryAfter, retryAfterFromBody } from './retry-after';

export type ModelsLabErrorKind =
  | 'no_key'
  | 'auth'
  | 'rate_limit'
  | 'model_not_found'
  | 'bad_request'
  | 'server'
  | 'network'
  | 'timeout'
  | 'stream_dropped'
  | 'malformed_response'
  | 'cancelled'
  | 'invalid_params';

export interface ModelsLabErrorInit {
  kind: ModelsLabErrorKind;
  message: string;
  status?: number;
  retryAfterMs?: number;
  /** Text already received when the answer broke off; set means "incomplete answer". */
  partialText?: string;
  /** Our id for the request (also sent as X-Client-Request-Id and written to the log). */
  requestId?: string;
  /** A short technical detail for the log (error code, host), already redacted. */
  detail?: string;
}

export class ModelsLabError extends Error {
  readonly kind: ModelsLabErrorKind;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly partialText?: string;
  readonly requestId?: string;
  readonly detail?: string;

  constructor(init: ModelsLabErrorInit) {
    super(init.message);
    this.name = 'ModelsLabError';
    this.kind = init.kind;
    if (init.status !== undefined) this.status = init.status;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.partialText) this.partialText = init.partialText;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.detail !== undefined) this.detail = init.detail;
  }
}

export interface ErrorContext {
  /** Redacted from every message (the API key). */
  secrets?: readonly string[];
  /** The model of a chat request, for "model not found". */
  model?: string;
  /** 'models' = GET /models, where a 404 means "no such endpoint", not "no such model". */
  operation?: 'chat' | 'models';
  partialText?: string;
  requestId?: string;
  now?: number;
}

const SET_KEY_HINT = 'Set a valid key with “ModelsLab: Set API Key”.';
const NO_KEY_HINT = 'Set one with “ModelsLab: Set API Key”.';

/**
 * The message without its "Set … with “ModelsLab: Set API Key”" sentence, for a place that
 * shows a Set API Key button beside it (saying it twice reads as two different things to do).
 */
export function withoutSetKeyHint(message: string): string {
  return message.replace(` ${SET_KEY_HINT}`, '').replace(` ${NO_KEY_HINT}`, '');
}
const PARTIAL_KEPT = 'The partial answer was kept.';

// ------------------------------------------------------------ errors we raise ourselves

export function noKeyError(): ModelsLabError {
  return new ModelsLabError({ kind: 'no_key', message: `No ModelsLab API key is set. ${NO_KEY_HINT}` });
}

export function invalidParamsError(message: string): ModelsLabError {
  return new ModelsLabError({ kind: 'invalid_params', message });
}

export function cancelledError(ctx: ErrorContext = {}): ModelsLabError {
  return new ModelsLabError({
    kind: 'cancelled',
    message: ctx.partialText ? `The request was cancelled. ${PARTIAL_KEPT}` : 'The request was cancelled.',
    partialText: ctx.partialText,
    requestId: ctx.requestId,
  });
}

/** `phase: 'connect'` = no response headers in time; 'idle' = the stream went silent. */
export function timeoutError(phase: 'connect' | 'idle', timeoutMs: number, ctx: ErrorContext = {}): ModelsLabError {
  const seconds = formatSeconds(timeoutMs);
  let message: string;
  if (phase === 'connect') {
    message = `ModelsLab did not respond within ${seconds}. Check your connection or the http.proxy setting, then try again.`;
  } else if (ctx.partialText) {
    message = `ModelsLab stopped sending the answer for ${seconds}; the partial answer was kept. Retry to get a full one.`;
  } else {
    message = `ModelsLab accepted the request but sent nothing for ${seconds}. Try again in a moment.`;
  }
  return new ModelsLabError({ kind: 'timeout', message, partialText: ctx.partialText, requestId: ctx.requestId, detail: `${phase} timeout` });
}

export function streamDroppedError(ctx: ErrorContext, detail?: string): ModelsLabError {
  return new ModelsLabError({
    kind: 'stream_dropped',
    message: 'The connection dropped mid-answer; the partial answer was kept. Retry to get a full one.',
    partialText: ctx.partialText,
    requestId: ctx.requestId,
    detail,
  });
}

export function malformedResponseError(ctx: ErrorContext, detail?: string): ModelsLabError {
  const base = 'ModelsLab sent a response that could not be read.';
  return new ModelsLabError({
    kind: 'malformed_response',
    message: ctx.partialText ? `${base} ${PARTIAL_KEPT} Retry to get a full one.` : `${base} Try again, or pick another model.`,
    partialText: ctx.partialText,
    requestId: ctx.requestId,
    detail: detail === undefined ? undefined : clean(detail, ctx),
  });
}

// ------------------------------------------------------------ error bodies

/** The legacy error body {status:"error", message}; it may arrive with HTTP 200. */
export function isLegacyErrorBody(body: unknown): body is { status: 'error'; message?: unknown } {
  return typeof body === 'object' && body !== null && (body as { status?: unknown }).status === 'error';
}

/** The server's own words from {error:{message}}, {status:'error',message}, {message} or a string. */
export function serverMessageOf(body: unknown): string | undefined {
  const said = rawServerMessage(body);
  // A hostile or broken server may send megabytes: only the head is ever matched or shown.
  return said === undefined ? undefined : said.slice(0, SERVER_TEXT_CAP_CHARS).trim() || undefined;
}

/** What is read of a server's error text, whatever its size. */
export const SERVER_TEXT_CAP_CHARS = 4_096;

function rawServerMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() || undefined;
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  if (record.error !== undefined && record.error !== null) return rawServerMessage(record.error);
  const message = record.message ?? record.messege ?? record.detail; // legacy endpoints spell it `messege`
  if (typeof message === 'string') return message.trim() || undefined;
  if (message !== undefined) return JSON.stringify(message);
  return undefined;
}

/** A legacy error that came with HTTP 200 (as a JSON body or as an SSE data line). */
export function legacyBodyError(body: unknown, ctx: ErrorContext = {}): ModelsLabError {
  const said = serverMessageOf(body) ?? 'no details';
  const kind = guessKindFromText(said) ?? 'bad_request';
  return fromKind(kind, { serverText: said, retryAfterMs: retryAfterFromBody(body), ctx });
}

// ------------------------------------------------------------ mapping anything to ModelsLabError

/** Maps SDK errors, fetch/socket errors, aborts and JSON parse errors to a ModelsLabError. */
export function toModelsLabError(err: unknown, ctx: ErrorContext = {}): ModelsLabError {
  if (err instanceof ModelsLabError) {
    if (err.partialText || !ctx.partialText) return err;
    return new ModelsLabError({ ...err, message: err.message, partialText: ctx.partialText });
  }
  if (err instanceof APIUserAbortError || isAbortError(err)) return cancelledError(ctx);
  if (err instanceof APIConnectionTimeoutError) {
    return new ModelsLabError({
      kind: 'timeout',
      message: 'The connection to ModelsLab timed out. Check your connection or the http.proxy setting, then try again.',
      partialText: ctx.partialText,
      requestId: ctx.requestId,
    });
  }
  if (err instanceof APIConnectionError) return networkError(err.cause ?? err, ctx);
  if (err instanceof APIError) return apiError(err, ctx);
  if (err instanceof SyntaxError) return malformedResponseError(ctx, err.message);
  return networkError(err, ctx);
}

function apiError(err: APIError, ctx: ErrorContext): ModelsLabError {
  const serverText = serverTextOf(err);
  const fromHeader =
    parseRetryAfter(err.headers?.get('retry-after-ms') ? String(Number(err.headers.get('retry-after-ms')) / 1000) : undefined) ??
    parseRetryAfter(err.headers?.get('retry-after'), ctx.now);
  // ModelsLab puts the wait in the body (`retry_after`, seconds). If a gateway adds a header too,
  // the longer wait wins: retrying early only burns a retry on another 429. retry.ts caps both.
  const fromBody = retryAfterFromBody(err.error);
  const retryAfterMs = fromHeader === undefined || fromBody === undefined ? (fromHeader ?? fromBody) : Math.max(fromHeader, fromBody);
  if (err.status !== undefined) {
    return fromKind(kindOfStatus(err.status, ctx), { status: err.status, serverText, retryAfterMs, ctx });
  }
  // An error object inside the SSE stream: no HTTP status, so go by its code, type and text.
  const body = err.error as { code?: unknown; type?: unknown } | undefined;
  const numeric = Number(body?.code);
  if (Number.isInteger(numeric) && numeric >= 400 && numeric < 600) {
    return fromKind(kindOfStatus(numeric, ctx), { status: numeric, serverText, retryAfterMs, ctx });
  }
  const hint = `${String(body?.code ?? '')} ${String(body?.type ?? '')} ${serverText ?? ''}`;
  return fromKind(guessKindFromText(hint) ?? 'server', { serverText, retryAfterMs, ctx });
}

function kindOfStatus(status: number, ctx: ErrorContext): ModelsLabErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return ctx.operation === 'models' ? 'bad_request' : 'model_not_found';
  if (status === 407) return 'network';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limit';
  if (status >= 500) return 'server';
  return 'bad_request';
}

/** Only the head is read: a huge body (an echoed prompt) must neither cost time nor decide the kind. */
const GUESS_HEAD_CHARS = 2_048;

// Each pattern is linear: no `.*` before an alternation, which backtracks quadratically.
function guessKindFromText(text: string): ModelsLabErrorKind | undefined {
  const head = text.slice(0, GUESS_HEAD_CHARS);
  if (/api[ _-]?key|invalid[ _-]?key|unauthori[sz]ed|authenticat/i.test(head)) return 'auth';
  if (/rate[ _-]?limit|too many requests/i.test(head)) return 'rate_limit';
  if (/(unknown|invalid) model/i.test(head)) return 'model_not_found';
  const model = head.search(/model/i);
  if (model >= 0 && /not[ _-]?found|not available|does not exist|unknown/i.test(head.slice(model))) return 'model_not_found';
  if (/server[ _-]?error|internal|overloaded|unavailable/i.test(head)) return 'server';
  return undefined;
}

interface Facts {
  status?: number;
  serverText?: string;
  retryAfterMs?: number;
  ctx: ErrorContext;
}

/** The human message for each kind of error the server told us about. */
function fromKind(kind: ModelsLabErrorKind, facts: Facts): ModelsLabError {
  const { status, ctx } = facts;
  const said = facts.serverText ? clean(facts.serverText, ctx) : undefined;
  const reason = facts.serverText ? reasonForMessage(facts.serverText, ctx) : undefined;
  const code = status === undefined ? '' : ` (${status})`;
  let message: string;
  switch (kind) {
    case 'auth':
      message =
        status === 403
          ? withReason(`ModelsLab refused this request (403)`, reason, 'Check your plan and credits, or set another key with “ModelsLab: Set API Key”.')
          : withReason(`ModelsLab rejected the API key${code}`, reason, SET_KEY_HINT);
      break;
    case 'rate_limit': {
      const wait = facts.retryAfterMs === undefined ? 'in a moment' : `in ${formatSeconds(facts.retryAfterMs)}`;
      message = reason ? withReason(`ModelsLab rate limited this key${code}`, reason, `Try again ${wait}.`) : `ModelsLab rate limited this key${code}; try again ${wait}.`;
      break;
    }
    case 'model_not_found':
      message = ctx.model
        ? `The model “${clean(ctx.model, ctx)}” is not available on ModelsLab. Pick another model.`
        : `The model is not available on ModelsLab${said ? ` (${said})` : ''}. Pick another model.`;
      break;
    case 'server':
      message = withReason(`ModelsLab had a server error${code}`, reason, 'Try again in a moment.');
      break;
    case 'network':
      message = withReason(`A proxy between you and ModelsLab asked for credentials${code}`, reason, 'Check the http.proxy setting.');
      break;
    case 'timeout':
      message = withReason(`ModelsLab timed out${code}`, reason, 'Try again in a moment.');
      break;
    default:
      message = `ModelsLab could not process the request${code}${said ? `: ${said}` : '.'}`;
      if (ctx.operation === 'models' && status === 404) message = 'ModelsLab does not offer a model list here (404).';
  }
  if (ctx.partialText) message += ` ${PARTIAL_KEPT}`;
  return new ModelsLabError({
    kind,
    message,
    status,
    retryAfterMs: facts.retryAfterMs,
    partialText: ctx.partialText,
    requestId: ctx.requestId,
    detail: said,
  });
}

/** "<what happened>: <server reason>. <what to do>", or without the reason. */
function withReason(what: string, reason: string | undefined, advice: string): string {
  if (!reason) return `${what}. ${advice}`;
  return `${what}: ${reason}${/[.!?…]$/.test(reason) ? '' : '.'} ${advice}`;
}

/** Words that only restate an HTTP status; a reason made of nothing else adds nothing. */
const RESTATES_STATUS =
  /\b(?:internal server error|internal error|server error|bad gateway|service (?:temporarily )?unavailable|gateway time-?out|request time-?out|rate limit(?: exceeded|ed)?|too many requests|(?:please )?slow down|(?:please )?try again(?: later)?|request failed|invalid api key|invalid key|unauthori[sz]ed|forbidden|error)\b/gi;

/** The server's reason for a message: cleaned, shorter than for the log, and only if it tells something. */
function reasonForMessage(serverText: string, ctx: ErrorContext): string | undefined {
  const reason = clean(serverText, ctx, MESSAGE_REASON_CHARS).replace(/\.+$/, '');
  if (!/[a-z0-9]/i.test(reason.replace(RESTATES_STATUS, ''))) return undefined;
  return reason;
}

function serverTextOf(err: APIError): string | undefined {
  const fromBody = serverMessageOf(err.error);
  if (fromBody) return fromBody;
  // Non-JSON bodies end up in the SDK's message as "<status> <text>".
  const prefix = `${err.status} `;
  const text = err.message.startsWith(prefix) ? err.message.slice(prefix.length, prefix.length + SERVER_TEXT_CAP_CHARS) : undefined;
  if (!text || /status code \(no body\)/.test(text) || /^\s*</.test(text)) return undefined; // skip HTML error pages
  return text;
}

// ------------------------------------------------------------ network failures

const TLS_CODES = /^(CERT_|ERR_TLS_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|ERR_SSL_)|_CERT|CERT$/;

function networkError(err: unknown, ctx: ErrorContext): ModelsLabError {
  const codes = causeChain(err).map((e) => (e as { code?: unknown }).code).filter((c): c is string => typeof c === 'string');
  const detail = clean([...new Set(codes)].join(' ') || String((err as Error)?.message ?? err), ctx);
  const has = (...wanted: string[]) => codes.some((c) => wanted.includes(c));
  const advice = 'Check your internet connection or the http.proxy setting.';
  let message: string;
  if (ctx.partialText) return streamDroppedError(ctx, detail);
  if (has('ENOTFOUND', 'EAI_AGAIN')) message = `Could not find the ModelsLab server (DNS lookup failed). ${advice}`;
  else if (has('ECONNREFUSED')) message = `The connection to ModelsLab was refused. Check the base URL, your connection or the http.proxy setting.`;
  else if (codes.some((c) => TLS_CODES.test(c))) {
    message = `The secure connection to ModelsLab failed (certificate problem: ${codes.find((c) => TLS_CODES.test(c))}). If you are behind a corporate proxy, check the http.proxy and http.proxyStrictSSL settings.`;
  } else if (has('ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT')) message = `Connecting to ModelsLab timed out. ${advice}`;
  else if (has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED')) message = `The connection to ModelsLab was closed before the answer started. ${advice}`;
  else if (has('ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN')) message = `The network is unreachable. ${advice}`;
  else message = `Could not reach ModelsLab. ${advice}`;
  return new ModelsLabError({ kind: 'network', message, requestId: ctx.requestId, detail });
}

function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = err;
  while (current && typeof current === 'object' && chain.length < 8 && !chain.includes(current)) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

function isAbortError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}

// ------------------------------------------------------------ helpers

/** A server reason in a notification stays shorter than in the log (`detail`). */
const MESSAGE_REASON_CHARS = 200;

/** Redacts secrets and keeps server text short enough for a notification. */
function clean(text: string, ctx: ErrorContext, maxChars = 300): string {
  const redacted = redactSecrets(text, ctx.secrets ?? []).replace(/\s+/g, ' ').trim();
  return redacted.length > maxChars ? `${redacted.slice(0, maxChars - 3)}…` : redacted;
}

export function formatSeconds(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return `${seconds} s`;
}
