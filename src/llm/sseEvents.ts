// The events of a streamed response, one batch per network read.
//
// The SDK's own SSE reader copies the unread rest of its buffer for every event, which is
// quadratic in the size of a read: the moment the client falls behind a fast server, reads
// grow and each costs more, so it falls further behind. It also hands events over one at a
// time through several async generators. Here each read is parsed in one pass by
// eventsource-parser and every event it completed goes up together. What an event means is
// the transport's business.
import { createParser } from 'eventsource-parser';
import type { SseEvent } from './transport';

export async function* sseEventBatches(response: Response): AsyncGenerator<SseEvent[], void, undefined> {
  if (!response.body) throw new SyntaxError('The streaming response had no body.');
  let batch: SseEvent[] = [];
  const parser = createParser({
    onEvent(event) {
      batch.push(event.event === undefined ? { data: event.data } : { event: event.event, data: event.data });
    },
  });
  const decoder = new TextDecoder();
  try {
    for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
      parser.feed(decoder.decode(bytes, { stream: true }));
      if (batch.length > 0) {
        const ready = batch;
        batch = [];
        yield ready;
      }
    }
    parser.feed(decoder.decode());
    if (batch.length > 0) yield batch;
  } catch (err) {
    // As with the SDK, an aborted request just ends the stream; the caller knows why.
    if ((err as { name?: unknown } | null)?.name === 'AbortError') return;
    throw err;
  }
}
