// The chunks of a streaming chat response, one batch per network read.
//
// The SDK's own SSE reader copies the unread rest of its buffer for every event, which is
// quadratic in the size of a read: the moment the client falls behind a fast server, reads
// grow and each costs more, so it falls further behind. It also hands events over one at a
// time through several async generators. Here each read is parsed in one pass by
// eventsource-parser and everything it completed goes up together. Events mean what they
// mean to the SDK: `[DONE]` ends the answer, `{"error":…}` is an APIError, and malformed JSON
// throws the SyntaxError that becomes `malformed_response`.
import { createParser } from 'eventsource-parser';
import type OpenAI from 'openai';
import { APIError } from 'openai';

type ApiChunk = OpenAI.Chat.Completions.ChatCompletionChunk;

export async function* sseChunkBatches(response: Response): AsyncGenerator<ApiChunk[], void, undefined> {
  if (!response.body) throw new SyntaxError('The streaming response had no body.');
  let batch: ApiChunk[] = [];
  let finished = false;
  let failure: { error: unknown } | undefined;
  const parser = createParser({
    onEvent(event) {
      if (finished || failure) return;
      if (event.data.startsWith('[DONE]')) {
        finished = true;
        return;
      }
      let data: unknown;
      try {
        data = JSON.parse(event.data);
      } catch (error) {
        failure = { error };
        return;
      }
      const error = (data as { error?: unknown } | null)?.error;
      if (error) failure = { error: new APIError(undefined, error as object, undefined, response.headers) };
      else batch.push(data as ApiChunk);
    },
  });
  const decoder = new TextDecoder();
  /** After each feed: what it completed goes up, and only then a failure (what came before it is still part of the answer). */
  function* handOver(): Generator<ApiChunk[], void, undefined> {
    if (batch.length > 0) {
      const ready = batch;
      batch = [];
      yield ready;
    }
    if (failure) throw failure.error;
  }
  try {
    for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
      parser.feed(decoder.decode(bytes, { stream: true }));
      yield* handOver();
    }
    parser.feed(decoder.decode());
    yield* handOver();
  } catch (err) {
    // As with the SDK, an aborted request just ends the stream; the caller knows why.
    if ((err as { name?: unknown } | null)?.name === 'AbortError') return;
    throw err;
  }
}
