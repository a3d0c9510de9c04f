// POST …/v1/messages/count_tokens, Anthropic-shaped as ModelsLab documents it. The count is
// deliberately crude (whitespace-separated words in `system` and every message, plus
// COUNT_TOKENS_PER_MESSAGE a message) and unlike the client's local estimate, so a test can
// tell which of the two it got.
import type { ReplyScript } from './server';

export const COUNT_TOKENS_PER_MESSAGE = 3;

export type CountTokensAnswer = { inputTokens: number } | { error: string };

/** The count for a request body, or why the body cannot be counted (a 400). */
export function countTokensOf(body: unknown): CountTokensAnswer {
  const request = (typeof body === 'object' && body !== null ? body : {}) as { model?: unknown; messages?: unknown; system?: unknown };
  if (typeof request.model !== 'string' || request.model === '') return { error: 'The "model" field is required.' };
  if (!Array.isArray(request.messages)) return { error: 'The "messages" field must be an array.' };
  let tokens = wordsIn(request.system);
  for (const message of request.messages) {
    tokens += wordsIn((message as { content?: unknown } | null)?.content) + COUNT_TOKENS_PER_MESSAGE;
  }
  return { inputTokens: tokens };
}

/** Words in a string, or in the text blocks of an array of content blocks ({type:'text', text}). */
function wordsIn(content: unknown): number {
  if (typeof content === 'string') return content.split(/\s+/).filter((word) => word !== '').length;
  if (!Array.isArray(content)) return 0;
  let words = 0;
  for (const block of content) {
    const { type, text } = (block ?? {}) as { type?: unknown; text?: unknown };
    if (type === 'text') words += wordsIn(text);
  }
  return words;
}

/** How count_tokens answers instead of counting: a ReplyScript's error and timing fields, or `body` as a 200 JSON reply. */
export interface CountTokensScript extends ReplyScript {
  body?: unknown;
}
