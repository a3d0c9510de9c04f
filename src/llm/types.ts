// The shapes the rest of the extension uses to talk to the ModelsLab client.

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Request options, named for our code; params.ts maps them to the API's snake_case names. */
export interface ChatOptions {
  model: string;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  stop?: string[];
  seed?: number;
  responseFormat?: 'json_object';
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/**
 * What streamChat yields. A complete answer always ends with exactly one `finish` chunk;
 * anything else (cancel, timeout, drop, error) ends by throwing a ModelsLabError instead.
 */
export type ChatChunk =
  | { type: 'text'; text: string }
  | { type: 'usage'; usage: TokenUsage }
  | { type: 'finish'; reason: string }
  /** A retryable failure before any text: we wait `delayMs` (until `retryAt`, ms since epoch) and try again. */
  | { type: 'retrying'; attempt: number; delayMs: number; reason: string; retryAt: number };
