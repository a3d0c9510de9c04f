// The events of a streamed response, one batch per network read.
//
// The SDK's own SSE reader copies the unread rest of its buffer for every event, which is
// quadratic in the size of a read: the moment the client falls behind a fast server, reads
// grow and each costs more, so it falls further behind. It also hands events over one at a
// time through several async generators. Here each read is parsed in one pass by
// eventsource-parser and every event it completed goes up together. What an event means is
// the transport's business.
//
// The body is read as fast as it arrives, not when the caller asks for more. A fetch body is a
// web ReadableStream: when the connection fails (a reset), the stream errors and throws away
// the chunks it had received but nobody had read yet. Read lazily, text that came while the
// caller held the previous batch was lost with the reset (and had none been delivered yet, the
// failure would have looked like one before the answer started, and been retried). Read
// eagerly, what reached us is parsed at once and delivered before the failure is thrown.
import { createParser } from 'eventsource-parser';
import type { SseEvent } from './transport';

export async function* sseEventBatches(response: Response): AsyncGenerator<SseEvent[], void, undefined> {
  if (!response.body) throw new SyntaxError('The streaming response had no body.');
  const reader = response.body.getReader();
  let batch: SseEvent[] = [];
  const parser = createParser({
    onEvent(event) {
      batch.push(event.event === undefined ? { data: event.data } : { event: event.event, data: event.data });
    },
  });
  const decoder = new TextDecoder();
  /** Batches read but not yet taken, oldest first. */
  const ready: SseEvent[][] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  /** Wakes the generator when a batch is ready or reading ended. */
  let wake: (() => void) | undefined;
  const settle = () => {
    if (batch.length > 0) {
      ready.push(batch);
      batch = [];
    }
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const readAll = async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
        if (batch.length > 0) settle();
      }
      parser.feed(decoder.decode());
    } catch (err) {
      failure = { error: err };
    } finally {
      ended = true;
      settle();
    }
  };
  void readAll();
  try {
    for (;;) {
      const next = ready.shift();
      if (next) yield next;
      else if (ended) break;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    // The caller stopped early: stop reading too (its abort signal usually has already).
    if (!ended) reader.cancel().catch(() => undefined);
  }
  if (failure) {
    // As with the SDK, an aborted request just ends the stream; the caller knows why.
    if ((failure.error as { name?: unknown } | null)?.name === 'AbortError') return;
    throw failure.error;
  }
}
