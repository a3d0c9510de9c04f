// The seam between the guarded stream and a wire protocol. A transport builds the HTTP request
// for a ChatRequest and decodes what comes back into our chunks; it never sends anything, owns
// no timer and never retries (guardedStream.ts does that for every transport alike).
import type { ChatRequest } from './request';
import type { ChatChunk } from './types';

export interface WireRequest {
  /** Relative to the base URL, e.g. "/chat/completions". */
  path: string;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** One server-sent event. */
export interface SseEvent {
  event?: string;
  data: string;
}

/** Decodes one streamed response. Stateful: tool calls are assembled across events. */
export interface StreamDecoder {
  /**
   * Appends the chunks of one event to `out` (text, toolCall, usage, model; never finish).
   * Throws for an error event (a ModelsLabError, an APIError or a SyntaxError).
   */
  decode(event: SseEvent, out: ChatChunk[]): void;
  /** The wire said the answer is over (e.g. `[DONE]`); later events are ignored. */
  readonly done: boolean;
  /** The finish reason seen so far. */
  readonly finishReason: string | undefined;
  /** Appends what was held back until the end (assembled tool calls). */
  flush(out: ChatChunk[]): void;
}

export interface ChatTransport {
  /** For logs, e.g. "openai". */
  readonly name: string;
  build(request: ChatRequest): WireRequest;
  createDecoder(): StreamDecoder;
  /** A whole JSON body (a server that ignored streaming, or an error with HTTP 200) → chunks, ending with finish. */
  decodeBody(body: unknown): ChatChunk[];
}

/** An error body that arrived inside a 200 response; the guarded stream turns it into a ModelsLabError with its context. */
export class WireErrorBody extends Error {
  constructor(readonly body: unknown) {
    super('error body');
    this.name = 'WireErrorBody';
  }
}

/** Adds text to `out`, joining it to a text chunk just before it (one chunk per network read). */
export function pushText(out: ChatChunk[], text: string): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last?.type === 'text') last.text += text;
  else out.push({ type: 'text', text });
}
