// POST …/v1/messages, ModelsLab's Anthropic-compatible chat endpoint: the same ReplyScripts as
// the OpenAI route, answered with Anthropic's bodies and its event sequence (message_start,
// content_block_start, ping, content_block_delta…, content_block_stop, message_delta,
// message_stop), each as `event: <type>\ndata: <json>\n\n`. server.ts does the routing, the key,
// the queue cap and the script's delay, stall and HTTP error; this file says what is sent.
import { computeUsage, delay, finishReasonOf, replyPieces } from './replyParts';
import type { ReplyScript } from './server';

/** What this reply needs of the exchange server.ts holds. */
export interface AnthropicExchange {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
  readonly requestId: string;
  readonly gone: boolean;
  readonly goneSignal: Promise<void>;
  /** One res.write, waiting under backpressure; false once the client is gone. */
  write(text: string): Promise<boolean>;
  /** Status 200, text/event-stream. */
  startStream(): void;
  end(): void;
  /** Ends the socket mid-body (the script's dropAfterChunks). */
  drop(): void;
  /** Waits `pauseMs`, then resets the socket (resetAfterChunks). */
  reset(pauseMs: number): Promise<void>;
  sendJson(status: number, body: unknown): void;
  /** An HTTP error in the Anthropic shape (see anthropicErrorBody). */
  sendError(script: ReplyScript): void;
}

const STOP_REASONS: Record<string, string> = { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use' };

/** Anthropic's error `type` for an HTTP status. */
export function anthropicErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

/**
 * {type:'error', error:{type, message}}. The script's `retryAfterInBody` goes inside `error`, as
 * the fake's OpenAI-shaped bodies have it (the queue cap's 429 stays ModelsLab's legacy body).
 */
export function anthropicErrorBody(script: ReplyScript, status: number, message: string): Record<string, unknown> {
  const retry = script.retryAfterInBody === undefined ? {} : { retry_after: script.retryAfterInBody };
  return { type: 'error', error: { type: anthropicErrorType(status), message, ...retry } };
}

export function anthropicDefaultMessage(status: number): string | undefined {
  return status === 529 ? 'Overloaded' : undefined;
}

/** Answers a request whose script has no HTTP error (server.ts has handled those). */
export async function answerAnthropic(exchange: AnthropicExchange, script: ReplyScript): Promise<void> {
  const body = exchange.body;
  const model = typeof body?.model === 'string' ? body.model : '';
  const invalid = !model
    ? 'model: Field required'
    : !Array.isArray(body?.messages) || body.messages.length === 0
      ? 'messages: at least one message is required'
      : body.messages.some((m: { role?: unknown }) => m?.role !== 'user' && m?.role !== 'assistant')
        ? 'messages: roles must be "user" or "assistant" (the system prompt is the top-level `system`)'
        : undefined;
  if (invalid) {
    exchange.sendError({ ...script, status: 400, errorMessage: invalid });
    return;
  }
  const pieces = replyPieces(script);
  const usage = computeUsage(script, body.messages, pieces);
  const stopReason = STOP_REASONS[finishReasonOf(script)] ?? finishReasonOf(script);
  const id = `msg_${exchange.requestId}`;
  if (body.stream !== true) {
    const content: object[] = pieces.length > 0 ? [{ type: 'text', text: pieces.join('') }] : [];
    for (const call of script.toolCalls ?? []) content.push({ type: 'tool_use', id: call.id, name: call.name, input: JSON.parse(call.arguments) as unknown });
    const usageField = usage ? { usage: { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens } } : {};
    exchange.sendJson(200, { id, type: 'message', role: 'assistant', model, content, stop_reason: stopReason, stop_sequence: null, ...usageField });
    return;
  }
  await streamAnthropic(exchange, script, { id, model, pieces, stopReason, usage });
}

async function streamAnthropic(
  exchange: AnthropicExchange,
  script: ReplyScript,
  reply: { id: string; model: string; pieces: string[]; stopReason: string; usage: ReturnType<typeof computeUsage> },
): Promise<void> {
  const send = (type: string, data: object) => exchange.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  exchange.startStream();
  const startUsage = reply.usage ? { usage: { input_tokens: reply.usage.prompt_tokens, output_tokens: 1 } } : {};
  const message = { id: reply.id, type: 'message', role: 'assistant', model: reply.model, content: [], stop_reason: null, stop_sequence: null, ...startUsage };
  if (!(await send('message_start', { message }))) return;
  let index = 0;
  if (reply.pieces.length > 0 || !script.toolCalls?.length) {
    if (!(await send('content_block_start', { index, content_block: { type: 'text', text: '' } }))) return;
  }
  if (!(await send('ping', {}))) return;

  /** What the script does before content piece i; true when the reply ends there. */
  const interrupt = async (i: number): Promise<boolean> => {
    if (i === script.dropAfterChunks) {
      exchange.drop();
      return true;
    }
    if (i === script.resetAfterChunks) {
      await exchange.reset(script.resetAfterMs ?? 0);
      return true;
    }
    if (i === script.stallAfterChunks) {
      await exchange.goneSignal;
      return true;
    }
    if (i === script.anthropicErrorAfterChunks) {
      const type = script.anthropicErrorType ?? 'overloaded_error';
      if (await send('error', { error: { type, message: script.errorMessage ?? (type === 'overloaded_error' ? 'Overloaded' : 'Stream error') } })) exchange.end();
      return true;
    }
    if (i === script.malformedAfterChunks) return !(await exchange.write('event: content_block_delta\ndata: {not json\n\n'));
    return false;
  };
  const intervalMs = script.tokensPerSecond ? 1000 / script.tokensPerSecond : 0;
  const start = performance.now();
  for (let i = 0; i < reply.pieces.length; i++) {
    if (await interrupt(i)) return;
    const wait = start + i * intervalMs - performance.now();
    if (wait >= 1) await Promise.race([delay(wait), exchange.goneSignal]);
    else if (i % 64 === 63) await new Promise((resolve) => setImmediate(resolve));
    if (!(await send('content_block_delta', { index, delta: { type: 'text_delta', text: reply.pieces[i] } }))) return;
  }
  if (await interrupt(reply.pieces.length)) return;
  if (reply.pieces.length > 0 || !script.toolCalls?.length) {
    if (!(await send('content_block_stop', { index: index++ }))) return;
  }
  for (const call of script.toolCalls ?? []) {
    if (!(await send('content_block_start', { index, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} } }))) return;
    for (const partial_json of jsonPieces(call.arguments)) {
      if (!(await send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } }))) return;
    }
    if (!(await send('content_block_stop', { index: index++ }))) return;
  }
  const endUsage = reply.usage ? { usage: { output_tokens: reply.usage.completion_tokens } } : {};
  if (!(await send('message_delta', { delta: { stop_reason: reply.stopReason, stop_sequence: null }, ...endUsage }))) return;
  if (!(await send('message_stop', {}))) return;
  exchange.end();
}

/** A tool call's arguments in ~8-character input_json_delta pieces (as the OpenAI route splits them). */
function jsonPieces(args: string): string[] {
  const chars = Array.from(args);
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += 8) pieces.push(chars.slice(i, i + 8).join(''));
  return pieces;
}
