// The shapes the rest of the extension uses to talk to a model, whatever the wire format.

/** A plain text message, as prompts are built. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Sampling options, named for our code; each transport maps them to its wire names. */
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

/** A tool call the model asked for, assembled from the streamed deltas. */
export interface ToolCall {
  id: string;
  name: string;
  /** The arguments as the model wrote them: JSON text, not yet parsed (it may be invalid). */
  arguments: string;
}

/** A tool the agent ran (or is running), as the transcript shows it. */
export interface ToolActivity {
  callId: string;
  name: string;
  /** "Read src/llm/retry.ts, lines 1–80"; the tool's name while it runs. */
  summary: string;
  state: 'running' | 'done' | 'error';
  /** The call's arguments and the start of its result, kept with the answer (compact: see TOOL_RECORD_CHARS). */
  args?: string;
  result?: string;
}

/** How much of a tool call's arguments and result an answer keeps in history. */
export const TOOL_RECORD_CHARS = 600;

/**
 * What a stream yields. A complete answer always ends with exactly one `finish` chunk;
 * anything else (cancel, timeout, drop, error) ends by throwing a ModelsLabError instead.
 */
export type ChatChunk =
  | { type: 'text'; text: string }
  | { type: 'toolCall'; call: ToolCall }
  /** The agent's tool activity (a stream that runs tools itself, not the model's raw calls). */
  | { type: 'tool'; activity: ToolActivity }
  /** Something the user should know about this answer, e.g. a limit the agent reached. */
  | { type: 'notice'; text: string }
  | { type: 'usage'; usage: TokenUsage }
  /** Which model is actually answering, as the server names it (sent once, before the text). */
  | { type: 'model'; model: string }
  /** `reason` is the wire's finish reason: 'stop', 'length' (cut off at the token limit), 'tool_calls'… */
  | { type: 'finish'; reason: string }
  /** A retryable failure before any text: we wait `delayMs` (until `retryAt`, ms since epoch) and try again. */
  | { type: 'retrying'; attempt: number; delayMs: number; reason: string; retryAt: number }
  /**
   * The request waits for a free slot under the account's queue cap; `position` 1 = next. Sent
   * when it starts waiting and as it moves up; 0 = admitted, sending now (no longer waiting).
   */
  | { type: 'queued'; position: number }
  /**
   * The request moved to another model before any text arrived: `from` failed for `reason`
   * ("rate-limited", "unavailable"…) and `to` answers from now on (the request's model id).
   */
  | { type: 'fallback'; from: string; to: string; reason: string };
