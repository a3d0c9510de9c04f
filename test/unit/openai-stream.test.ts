import * as assert from 'node:assert/strict';
import { APIError } from 'openai';
import { openAiTransport } from '../../src/llm/openaiTransport';
import { sseEventBatches } from '../../src/llm/sseEvents';
import type { ChatChunk } from '../../src/llm/types';

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

/** Reads the response as the guarded stream does: per network read, every event through one decoder. */
async function decodeAll(response: Response) {
  const decoder = openAiTransport.createDecoder();
  const batches: ChatChunk[][] = [];
  let error: unknown;
  try {
    for await (const events of sseEventBatches(response)) {
      const out: ChatChunk[] = [];
      try {
        for (const e of events) decoder.decode(e, out);
      } finally {
        if (out.length) batches.push(out);
      }
    }
    const tail: ChatChunk[] = [];
    decoder.flush(tail);
    if (tail.length) batches.push(tail);
  } catch (err) {
    error = err;
  }
  return { batches, error, decoder };
}

/** The text of each batch (the decoder joins a read's text into one chunk). */
async function batchesOf(response: Response) {
  const { batches, error } = await decodeAll(response);
  return { batches: batches.map((b) => b.flatMap((c) => (c.type === 'text' ? [c.text] : []))).filter((b) => b.length), error };
}

describe('OpenAI-compatible stream decoding', () => {
  it('hands over everything one read completed as one text chunk', async () => {
    const { batches, error } = await batchesOf(responseOf([event('a') + event('b') + event('c'), event('d')]));
    assert.equal(error, undefined);
    assert.deepEqual(batches, [['abc'], ['d']]);
  });

  it('assembles streamed tool-call deltas into whole calls, in the order they began', async () => {
    const delta = (tool_calls: object[], finish: string | null = null) => `data: ${JSON.stringify({ model: 'm-1', choices: [{ index: 0, delta: { tool_calls }, finish_reason: finish }] })}\n\n`;
    const reads = [
      delta([{ index: 0, id: 'call_a', type: 'function', function: { name: 'read_file', arguments: '' } }]),
      delta([{ index: 0, function: { arguments: '{"path":' } }]) + delta([{ index: 1, id: 'call_b', type: 'function', function: { name: 'list', arguments: '{}' } }]),
      delta([{ index: 0, function: { arguments: '"a.ts"}' } }], 'tool_calls') + 'data: [DONE]\n\n',
    ];
    const { batches, error, decoder } = await decodeAll(responseOf(reads));
    assert.equal(error, undefined);
    const chunks = batches.flat();
    assert.deepEqual(chunks.filter((c) => c.type === 'model'), [{ type: 'model', model: 'm-1' }], 'the answering model is reported once');
    assert.deepEqual(
      chunks.filter((c) => c.type === 'toolCall').map((c) => (c.type === 'toolCall' ? c.call : undefined)),
      [
        { id: 'call_a', name: 'read_file', arguments: '{"path":"a.ts"}' },
        { id: 'call_b', name: 'list', arguments: '{}' },
      ],
    );
    assert.equal(decoder.finishReason, 'tool_calls');
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
    assert.equal(batches.flat().join(''), 'né✓');
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
