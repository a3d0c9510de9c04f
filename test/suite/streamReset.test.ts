// A connection reset (TCP RST) mid-answer, through the extension's real connection: VS Code's
// patched fetch in this extension host, the SDK, our SSE reader and the retry policy.
import * as assert from 'node:assert/strict';
import type { FakeModelsLab, RecordedRequest, ReplyScript } from '../fake-server/server';
import type { ModelsLabError } from '../../src/llm/errors';
import type { ChatChunk } from '../../src/llm/types';
import { connectToFakeServer, disconnect, extensionApi } from './harness';

const PARTIAL = 'Héllo wörld — “';
/** A role chunk, five small text events (3 characters each), 400 ms of quiet, then an RST. */
const RESET_SCRIPT: ReplyScript = { text: PARTIAL, chunkSize: 3, resetAfterChunks: 5, resetAfterMs: 400 };

interface Streamed {
  chunks: ChatChunk[];
  text: string;
  error: ModelsLabError | undefined;
}

/** Streams one request through the extension's connection; `onText` may hold the stream (await) before the next chunk is asked for. */
async function streamOnce(prompt: string, onText?: (text: string) => Promise<void>): Promise<Streamed> {
  const { connection } = await extensionApi();
  const result: Streamed = { chunks: [], text: '', error: undefined };
  try {
    for await (const chunk of connection.stream(connection.buildRequest([{ role: 'user', content: prompt }]))) {
      result.chunks.push(chunk);
      if (chunk.type !== 'text') continue;
      result.text += chunk.text;
      await onText?.(chunk.text);
    }
  } catch (err) {
    // The suite bundles its own copy of the error class, so it is matched on its fields.
    result.error = err as ModelsLabError;
  }
  return result;
}

function chatRequests(server: FakeModelsLab): RecordedRequest[] {
  return server.requests.filter((r) => r.path.endsWith('/chat/completions'));
}

/** One turn of the event loop with its I/O poll: a reset that reached this process is then handled. */
function afterPoll(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

describe('A connection reset mid-answer in the real host', () => {
  let server: FakeModelsLab;
  before(async () => {
    server = await connectToFakeServer();
  });
  beforeEach(() => server.reset());
  after(async () => {
    await disconnect(server);
  });

  it('keeps the text that arrived: stream_dropped with it as partialText, no retry, and the next request is answered', async () => {
    server.enqueue(RESET_SCRIPT, { text: 'The next answer.' });
    const dropped = await streamOnce('explain');
    assert.equal(dropped.text, PARTIAL, 'the text that arrived was delivered');
    assert.equal(dropped.error?.kind, 'stream_dropped', `the error: ${dropped.error?.kind}: ${dropped.error?.message}`);
    assert.equal(dropped.error?.partialText, PARTIAL);
    assert.ok(!dropped.chunks.some((c) => c.type === 'retrying'), 'text already delivered is never retried');
    assert.ok(!dropped.chunks.some((c) => c.type === 'finish'), 'never presented as complete');
    const [record] = chatRequests(server);
    assert.equal(chatRequests(server).length, 1);
    await record!.closed;
    assert.equal(record!.closedByClient, false, 'the server reset the connection');

    const next = await streamOnce('and then?');
    assert.equal(next.error, undefined, `the next request failed: ${next.error?.message}`);
    assert.equal(next.text, 'The next answer.');
    assert.ok(next.chunks.some((c) => c.type === 'finish'));
    assert.equal(chatRequests(server).length, 2);
  });

  it('keeps text that arrived while the first piece was still held, when the reset lands before the next is asked for', async () => {
    // Paced, so the five text events come in separate reads; the consumer holds the first one
    // until the server has reset the connection and this host has handled the reset.
    server.enqueue({ ...RESET_SCRIPT, tokensPerSecond: 50 });
    let held = false;
    const dropped = await streamOnce('explain', async () => {
      if (held) return;
      held = true;
      const [record] = chatRequests(server);
      await record!.closed;
      await afterPoll();
    });
    assert.ok(held);
    assert.equal(dropped.text, PARTIAL, 'every piece that reached the host was delivered');
    assert.equal(dropped.error?.kind, 'stream_dropped', `the error: ${dropped.error?.kind}: ${dropped.error?.message}`);
    assert.equal(dropped.error?.partialText, PARTIAL);
    assert.equal(chatRequests(server).length, 1, 'not retried');
  });
});
