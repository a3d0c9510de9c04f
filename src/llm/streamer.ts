// The one interface through which every surface gets an answer streamed.
import type { ChatRequest } from './request';
import type { ChatChunk } from './types';

export interface ChatStreamer {
  /**
   * Streams the answer to `request`. A complete answer ends with one `finish` chunk; anything
   * else ends by throwing a ModelsLabError (kind 'cancelled' when `signal` aborts) whose
   * `partialText` holds the text received so far.
   */
  stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<ChatChunk>;
}
