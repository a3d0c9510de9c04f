// Keeps a conversation inside the model's context window. Past it, every request would fail
// with a 400 until New Chat, so the oldest turns are left out instead: the system prompt and
// the latest prompt (with its attached context) always stay.
import type { ChatMessage } from '../llm/types';

/** Code tokenises densely; three characters a token errs on the side of fitting. */
const CHARS_PER_TOKEN = 3;
/** Per-message overhead (role markers and separators) in tokens. */
const MESSAGE_OVERHEAD_TOKENS = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN) + MESSAGE_OVERHEAD_TOKENS;
}

export interface FittedMessages {
  messages: ChatMessage[];
  /** How many earlier prompts (each with its answer) were left out. */
  omittedTurns: number;
}

/**
 * Drops the oldest turns (a user prompt and the answers after it) until the estimate fits in
 * `inputBudgetTokens`. Messages are [system, …turns, latest user prompt].
 */
export function fitToContext(messages: readonly ChatMessage[], inputBudgetTokens: number): FittedMessages {
  const [system, ...rest] = messages;
  if (!system || rest.length <= 1) return { messages: [...messages], omittedTurns: 0 };
  let total = messages.reduce((sum, m) => sum + estimateTokens(m.content), 0);
  let start = 0;
  let omittedTurns = 0;
  // Never drop the latest prompt: stop while it is the only message left after the system prompt.
  while (total > inputBudgetTokens && start < rest.length - 1) {
    total -= estimateTokens(rest[start].content);
    start++;
    // A turn is a user prompt plus what answered it: drop the answers with their prompt.
    while (start < rest.length - 1 && rest[start].role !== 'user') {
      total -= estimateTokens(rest[start].content);
      start++;
    }
    omittedTurns++;
  }
  return { messages: [system, ...rest.slice(start)], omittedTurns };
}
