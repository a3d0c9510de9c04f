// What the local server says and how: reply pieces, usage, error bodies and small HTTP helpers.
import type * as http from 'node:http';
import type { ReplyScript, ScriptedToolCall } from './server';

export const DEFAULT_REPLY_TEXT = 'Hello from the local ModelsLab server.';

const FILLER = 'lorem ipsum dolor sit amet consectetur adipiscing elit ';

export type Usage = { prompt_tokens: number; completion_tokens: number; total_tokens: number };

export function replyPieces(script: ReplyScript): string[] {
  const size = Math.max(1, script.chunkSize ?? 4);
  if (script.chunks !== undefined) {
    const pieces: string[] = [];
    for (let i = 0; i < script.chunks; i++) {
      let piece = '';
      for (let j = 0; j < size; j++) piece += FILLER[(i * size + j) % FILLER.length];
      pieces.push(piece);
    }
    return pieces;
  }
  // Split by code points so emoji and other astral characters are never cut in half.
  const chars = Array.from(script.text ?? (script.toolCalls?.length ? '' : DEFAULT_REPLY_TEXT));
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(''));
  return pieces;
}

/** Characters of a tool call's arguments per streamed delta. */
const ARGUMENT_PIECE = 8;

/** The `delta` objects that stream these tool calls, OpenAI style. */
export function toolCallDeltas(calls: readonly ScriptedToolCall[]): object[] {
  const deltas: object[] = [];
  calls.forEach((call, index) => {
    deltas.push({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] });
    const chars = Array.from(call.arguments);
    for (let i = 0; i < chars.length; i += ARGUMENT_PIECE) {
      deltas.push({ tool_calls: [{ index, function: { arguments: chars.slice(i, i + ARGUMENT_PIECE).join('') } }] });
    }
  });
  return deltas;
}

/** The assistant message of a non-stream reply. */
export function completionMessage(script: ReplyScript, pieces: string[]): object {
  const content = pieces.join('');
  if (!script.toolCalls?.length) return { role: 'assistant', content };
  const tool_calls = script.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
  return { role: 'assistant', content: content === '' ? null : content, tool_calls };
}

export function finishReasonOf(script: ReplyScript): string {
  return script.finishReason ?? (script.toolCalls?.length ? 'tool_calls' : 'stop');
}

export function hasField(body: unknown, name: string): boolean {
  return typeof body === 'object' && body !== null && Object.hasOwn(body, name);
}

export function computeUsage(script: ReplyScript, messages: unknown[], pieces: string[]): Usage | null {
  if (script.usage === null) return null;
  if (script.usage) {
    const { prompt_tokens, completion_tokens } = script.usage;
    return { prompt_tokens, completion_tokens, total_tokens: script.usage.total_tokens ?? prompt_tokens + completion_tokens };
  }
  const promptChars = messages.reduce<number>(
    (sum, m) => sum + (typeof (m as { content?: unknown })?.content === 'string' ? (m as { content: string }).content.length : 0),
    0,
  );
  const prompt_tokens = Math.max(1, Math.ceil(promptChars / 4));
  const completion_tokens = pieces.length;
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}

export function defaultErrorMessage(status: number): string {
  switch (status) {
    case 200: return 'Request failed.';
    case 400: return 'Invalid request.';
    case 401: return 'Invalid API key.';
    case 403: return 'This API key is not allowed to use this resource.';
    case 404: return 'The requested model does not exist.';
    case 429: return 'Rate limit exceeded. Please slow down.';
    default: return status >= 500 ? 'Internal server error.' : `Request failed with status ${status}.`;
  }
}

/** The `type` and `code` of an OpenAI-style error body for this status. */
export function errorTypeAndCode(status: number): { type: string; code: string } {
  if (status === 401) return { type: 'authentication_error', code: 'invalid_api_key' };
  if (status === 403) return { type: 'permission_error', code: 'forbidden' };
  if (status === 404) return { type: 'not_found_error', code: 'model_not_found' };
  if (status === 429) return { type: 'rate_limit_error', code: 'rate_limit_exceeded' };
  if (status >= 500) return { type: 'server_error', code: 'server_error' };
  return { type: 'invalid_request_error', code: 'invalid_request' };
}

/** An error body in either shape, with `retry_after` and the `messege` spelling when the script asks. */
export function errorBody(script: ReplyScript, status: number, message: string): Record<string, unknown> {
  const retry = script.retryAfterInBody === undefined ? {} : { retry_after: script.retryAfterInBody };
  if (script.errorShape === 'legacy') return { status: 'error', [script.legacyMessageField ?? 'message']: message, ...retry };
  return { error: { message, ...errorTypeAndCode(status), ...retry } };
}

/** The documented body of ModelsLab's per-account queue cap (HTTP 429). */
export function queueCapBody(limit: number, retryAfterSeconds: number): Record<string, unknown> {
  return { status: 'error', message: `Rate limit exceeded. Maximum ${limit} queued requests allowed.`, retry_after: retryAfterSeconds };
}

export function bearerToken(header: string | undefined): string {
  const match = /^Bearer\s+(.*)$/i.exec(header ?? '');
  return match?.[1]?.trim() ?? '';
}

/** A header's value as one trimmed string ('' when absent). */
export function headerText(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

export function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
