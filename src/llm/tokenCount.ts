// Token counting for a request: ModelsLab's documented Anthropic-style endpoint,
// POST {base}/v1/messages/count_tokens → {input_tokens}, and a local estimate for when it is
// missing or fails. Images are never sent: each one adds a fixed IMAGE_TOKENS to either count.
import type OpenAI from 'openai';
import { estimateTokens } from '../prompts/contextWindow';
import { isLegacyErrorBody, legacyBodyError, malformedResponseError, ModelsLabError, toModelsLabError, type ErrorContext } from './errors';
import type { RequestMessage } from './request';

export const COUNT_TOKENS_PATH = '/v1/messages/count_tokens';

/** What one image adds to a count (OpenAI's figure for a low-detail image). */
export const IMAGE_TOKENS = 85;

/** The longest wait for the count: a token count must never hold up the chat for long. */
export const COUNT_TOKENS_TIMEOUT_CAP_MS = 5_000;

export interface CountTokensCall {
  sdk: OpenAI;
  apiKey: string;
  model: string;
  messages: readonly RequestMessage[];
  timeoutMs: number;
  requestId: string;
  signal?: AbortSignal;
}

/** The Anthropic-shaped body of a count_tokens request. */
export interface CountTokensBody {
  model: string;
  messages: { role: 'user' | 'assistant'; content: string }[];
  system?: string;
}

/**
 * The server's count for the messages, plus IMAGE_TOKENS per image. Not retried; every failure
 * (cancellation included) is thrown as a ModelsLabError.
 */
export async function countTokensRemote(call: CountTokensCall): Promise<number> {
  const ctx: ErrorContext = { secrets: [call.apiKey], requestId: call.requestId };
  const images = imageCount(call.messages);
  const body = countTokensBody(call.model, call.messages);
  if (body.messages.length === 0) return images * IMAGE_TOKENS; // nothing to count
  let answer: unknown;
  try {
    answer = await call.sdk.post(COUNT_TOKENS_PATH, {
      body,
      signal: call.signal ?? null,
      timeout: call.timeoutMs,
      headers: { 'x-api-key': call.apiKey, 'X-Client-Request-Id': call.requestId },
    });
  } catch (err) {
    throw toModelsLabError(err, ctx);
  }
  if (isLegacyErrorBody(answer)) throw legacyBodyError(answer, ctx);
  const tokens = (answer as { input_tokens?: unknown } | null)?.input_tokens;
  if (typeof tokens !== 'number' || !Number.isFinite(tokens) || tokens < 0) {
    throw malformedResponseError(ctx, 'token count without a non-negative input_tokens number');
  }
  return Math.ceil(tokens) + images * IMAGE_TOKENS;
}

/**
 * Our messages in the endpoint's shape: system messages joined into `system`, tool results as
 * user text, tool calls as assistant text; images left out, and messages left without text too.
 * With only a system prompt, it goes as the one user message (the endpoint wants messages).
 */
export function countTokensBody(model: string, messages: readonly RequestMessage[]): CountTokensBody {
  const system: string[] = [];
  const turns: CountTokensBody['messages'] = [];
  for (const message of messages) {
    const text = plainText(message);
    if (text === '') continue;
    if (message.role === 'system') system.push(text);
    else turns.push({ role: message.role === 'assistant' ? 'assistant' : 'user', content: text });
  }
  if (turns.length === 0) return { model, messages: system.length ? [{ role: 'user', content: system.join('\n\n') }] : [] };
  return { model, messages: turns, ...(system.length ? { system: system.join('\n\n') } : {}) };
}

/** The local estimate: what contextWindow.ts assumes of text, plus IMAGE_TOKENS per image. */
export function estimateRequestTokens(messages: readonly RequestMessage[]): number {
  let total = 0;
  for (const message of messages) total += estimateMessageTokens(message);
  return total;
}

/** One message's share of estimateRequestTokens (e.g. to drop the oldest turns until a request fits). */
export function estimateMessageTokens(message: RequestMessage): number {
  return estimateTokens(plainText(message)) + imageCount([message]) * IMAGE_TOKENS;
}

/** True for an error meaning "this server has no count_tokens endpoint". */
export function isMissingCountEndpoint(err: ModelsLabError): boolean {
  return err.status === 404 || err.status === 405 || err.status === 501;
}

/** A message's text, tool calls (name and arguments) and tool results included; images not. */
function plainText(message: RequestMessage): string {
  const pieces: string[] = [];
  for (const part of message.parts) {
    if (part.type === 'text') pieces.push(part.text);
    else if (part.type === 'toolCall') pieces.push(`${part.call.name} ${part.call.arguments}`);
    else if (part.type === 'toolResult') pieces.push(part.content);
  }
  return pieces.filter((piece) => piece !== '').join('\n');
}

function imageCount(messages: readonly RequestMessage[]): number {
  let images = 0;
  for (const message of messages) for (const part of message.parts) if (part.type === 'image') images++;
  return images;
}
