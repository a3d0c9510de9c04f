// One request type for every surface and every transport: the model, messages made of
// content parts, optional tools, and the policy this caller wants (ghost text wants no
// retries and short timeouts; the chat wants the opposite).
import type { ChatMessage, ChatOptions, ToolCall } from './types';

export type ContentPart =
  | { type: 'text'; text: string }
  /** An assistant's request to call a tool. */
  | { type: 'toolCall'; call: ToolCall }
  /** What a tool returned, answering the call with `callId`. */
  | { type: 'toolResult'; callId: string; content: string }
  /** An image the user attached (e.g. a screenshot pasted into VS Code's chat), base64. */
  | { type: 'image'; mimeType: string; data: string };

export interface RequestMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  parts: ContentPart[];
}

export interface ToolSpec {
  name: string;
  description: string;
  /** A JSON Schema object for the arguments. */
  parameters: Record<string, unknown>;
}

export interface RequestPolicy {
  /** Retries after the first attempt, only before any text arrived. */
  maxRetries: number;
  /** Longest wait for the response headers. */
  connectTimeoutMs: number;
  /** Longest silence before the first chunk and between chunks. */
  idleTimeoutMs: number;
  /** May a decorator move this request to another model when this one fails before any text? */
  allowFallback: boolean;
  /**
   * A rate limit asking for a longer wait than this is not waited out: the 429 surfaces at once
   * (so a fallback can move to another model). Unset: waits are capped only by the retry policy.
   */
  maxRetryWaitMs?: number;
}

export const DEFAULT_POLICY: RequestPolicy = { maxRetries: 3, connectTimeoutMs: 30_000, idleTimeoutMs: 60_000, allowFallback: true };

/** Sent when a caller names no limit. ModelsLab's own default is only 1000 tokens. */
export const DEFAULT_MAX_TOKENS = 4096;

export interface ChatRequest {
  model: string;
  messages: RequestMessage[];
  /** Always sent: an answer cut at a limit we did not choose would look complete. */
  maxTokens: number;
  sampling?: Omit<ChatOptions, 'model' | 'maxTokens'>;
  tools?: ToolSpec[];
  toolChoice?: 'auto' | 'none' | 'required';
  /** Overrides of the client's policy for this request. */
  policy?: Partial<RequestPolicy>;
}

export function textPart(text: string): ContentPart {
  return { type: 'text', text };
}

/** A request from plain text messages and the options the settings give. */
export function chatRequest(messages: readonly ChatMessage[], options: ChatOptions, policy?: Partial<RequestPolicy>): ChatRequest {
  const { model, maxTokens, ...sampling } = options;
  return {
    model,
    messages: messages.map((m) => ({ role: m.role, parts: [textPart(m.content)] })),
    maxTokens: maxTokens ?? DEFAULT_MAX_TOKENS,
    sampling,
    ...(policy ? { policy } : {}),
  };
}

/** The text of a message's text parts, joined. */
export function textOf(message: RequestMessage): string {
  let text = '';
  for (const part of message.parts) if (part.type === 'text') text += part.text;
  return text;
}
