import * as assert from 'node:assert/strict';
import { APIError } from 'openai';
import { sseChunkBatches } from '../../src/llm/sseChunks';

/** A real fetch Response whose body arrives in exactly these reads. */
function responseOf(reads: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const read of reads) controller.enqueue(encoder.encode(read));
      controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

const event = (content: string) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;
const contents = (batch: { choices: { delta?: { content?: string | null } }[] }[]) => batch.map((c) => c.choices[0]?.delta?.content);

async function batchesOf(response: Response) {
  const batches: string[][] = [];
  let error: unknown;
  try {
    for await (const batch of sseChunkBatches(response)) batches.push(contents(batch) as string[]);
  } catch (err) {
    error = err;
  }
  return { batches, error };
}

describe('sseChunkBatches', () => {
  it('hands over everything one read completed as one batch', async () => {
    const { batches, error } = await batchesOf(responseOf([event('a') + event('b') + event('c'), event('d')]));
    assert.equal(error, undefined);
    assert.deepEqual(batches, [['a', 'b', 'c'], ['d']]);
  });

  it('joins an event split across reads, even inside a multi-byte character', async () => {
    const whole = event('né') + event('✓');
    const bytes = new TextEncoder().encode(whole);
    const cut = whole.indexOf('é') + 1; // the byte offset falls inside 'é' (two bytes)
    const response = new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes.slice(0, cut));
          controller.enqueue(bytes.slice(cut, cut + 7));
          controller.enqueue(bytes.slice(cut + 7));
          controller.close();
        },
      }),
    );
    const { batches, error } = await batchesOf(response);
    assert.equal(error, undefined);
    assert.deepEqual(batches.flat(), ['né', '✓']);
  });

  it('accepts CRLF line endings, comments and keep-alives', async () => {
    const crlf = event('x').replace(/\n/g, '\r\n');
    const { batches } = await batchesOf(responseOf([': keep-alive\n\n', crlf, 'event: message\n' + event('y')]));
    assert.deepEqual(batches.flat(), ['x', 'y']);
  });

  it('stops at [DONE] and ignores anything after it', async () => {
    const { batches, error } = await batchesOf(responseOf([event('a') + 'data: [DONE]\n\n' + event('late')]));
    assert.equal(error, undefined);
    assert.deepEqual(batches, [['a']]);
  });

  it('an {"error":…} event is an APIError, after the chunks before it', async () => {
    const failing = `data: ${JSON.stringify({ error: { message: 'Model overloaded', code: 503 } })}\n\n`;
    const { batches, error } = await batchesOf(responseOf([event('a') + failing + event('never')]));
    assert.deepEqual(batches, [['a']]);
    assert.ok(error instanceof APIError);
    assert.match((error as APIError).message, /Model overloaded/);
  });

  it('malformed JSON throws a SyntaxError, after the chunks before it', async () => {
    const { batches, error } = await batchesOf(responseOf([event('a'), 'data: {not json\n\n']));
    assert.deepEqual(batches, [['a']]);
    assert.ok(error instanceof SyntaxError);
  });

  it('a stream that breaks off throws the reader error', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(event('a')));
        controller.error(new TypeError('terminated'));
      },
    });
    const { batches, error } = await batchesOf(new Response(body));
    assert.deepEqual(batches.flat(), []);
    assert.ok(error instanceof TypeError);
  });

  it('an aborted body ends quietly (the caller knows it aborted)', async () => {
    const abort = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(abort);
      },
    });
    const { batches, error } = await batchesOf(new Response(body));
    assert.deepEqual(batches, []);
    assert.equal(error, undefined);
  });
});
