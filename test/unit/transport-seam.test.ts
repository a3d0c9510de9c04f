// The transport seam: a second wire format plugs into the client with no change outside its own
// definition, and gets everything the guarded stream gives every transport (one finish or a
// throw with the partial text, retries before any text, cancel that closes the socket).
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ModelsLabClient } from '../../src/llm/client';
import { chatRequest } from '../../src/llm/request';
import { pushText, type ChatTransport, type SseEvent, type StreamDecoder } from '../../src/llm/transport';
import type { ChatChunk } from '../../src/llm/types';
import { collect } from './llm-helpers';

/** A made-up wire format: POST /v9/generate {prompt, limit}; events `token` {t}, `end` {why}. */
const tokenTransport: ChatTransport = {
  name: 'tokens',
  build: (request) => ({
    path: '/v9/generate',
    body: { engine: request.model, limit: request.maxTokens, prompt: request.messages.map((m) => m.parts.map((p) => (p.type === 'text' ? p.text : '')).join('')).join('\n') },
  }),
  createDecoder(): StreamDecoder {
    const state: { done: boolean; finishReason: string | undefined } = { done: false, finishReason: undefined };
    return {
      get done() {
        return state.done;
      },
      get finishReason() {
        return state.finishReason;
      },
      decode(event: SseEvent, out: ChatChunk[]) {
        const data = JSON.parse(event.data) as { t?: string; why?: string };
        if (event.event === 'token' && data.t) pushText(out, data.t);
        if (event.event === 'end') {
          state.finishReason = data.why === 'max' ? 'length' : 'stop';
          state.done = true;
        }
      },
      flush() {},
    };
  },
  decodeBody: () => {
    throw new SyntaxError('the token format always streams');
  },
};

interface Exchange {
  body: Record<string, unknown>;
  closed: Promise<boolean>;
}

/** Real HTTP on 127.0.0.1 speaking the made-up format, scripted per request. */
async function tokenServer(script: (res: http.ServerResponse, n: number) => void) {
  const exchanges: Exchange[] = [];
  let seen: (() => void) | undefined;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      let finished!: (byClient: boolean) => void;
      const closed = new Promise<boolean>((resolve) => (finished = resolve));
      res.on('close', () => finished(!res.writableFinished));
      exchanges.push({ body: JSON.parse(raw), closed });
      seen?.();
      script(res, exchanges.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    exchanges,
    seen: () => new Promise<void>((resolve) => (seen = resolve)),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const sse = (res: http.ServerResponse) => res.writeHead(200, { 'content-type': 'text/event-stream' });
const event = (name: string, data: object) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
const client = (url: string) => new ModelsLabClient({ baseUrl: url, apiKey: 'seam-key-123456', transport: tokenTransport, random: () => 0, sleep: async () => undefined });
const ask = chatRequest([{ role: 'user', content: 'hi' }], { model: 'engine-1', maxTokens: 64 });

describe('a second transport through the same guarded stream', () => {
  it('streams its own format into the same chunks, ending with one finish', async () => {
    const server = await tokenServer((res) => {
      sse(res);
      res.end(event('token', { t: 'Hel' }) + event('token', { t: 'lo' }) + event('end', { why: 'max' }));
    });
    try {
      const { chunks, error } = await collect(client(server.url).stream(ask));
      assert.equal(error, undefined);
      assert.equal(chunks.filter((c) => c.type === 'text').map((c) => (c.type === 'text' ? c.text : '')).join(''), 'Hello');
      assert.deepEqual(chunks.at(-1), { type: 'finish', reason: 'length' });
      assert.deepEqual(server.exchanges[0].body, { engine: 'engine-1', limit: 64, prompt: 'hi' });
    } finally {
      await server.close();
    }
  });

  it('is retried by the shared policy when it fails before any text', async () => {
    const server = await tokenServer((res, n) => {
      if (n === 1 || n === 3) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'busy' } }));
        return;
      }
      sse(res);
      res.end(event('token', { t: 'ok' }) + event('end', {}));
    });
    try {
      const { chunks, error } = await collect(client(server.url).stream(ask));
      assert.equal(error, undefined);
      assert.equal(chunks.filter((c) => c.type === 'retrying').length, 1);
      assert.equal(server.exchanges.length, 2);
      // A request's own policy wins over the client's: no retries means the 503 is the answer.
      const once = await collect(client(server.url).stream({ ...ask, policy: { maxRetries: 0 } }));
      assert.equal(once.error?.kind, 'server');
      assert.equal(server.exchanges.length, 3);
    } finally {
      await server.close();
    }
  });

  it('keeps the partial text when its stream breaks off, and cancel closes the socket', async () => {
    const server = await tokenServer((res, n) => {
      sse(res);
      res.write(event('token', { t: 'half' }));
      if (n === 1) res.socket?.end(); // dropped mid-answer; the second request just stays open
    });
    try {
      const dropped = await collect(client(server.url).stream(ask));
      assert.equal(dropped.error?.kind, 'stream_dropped');
      assert.equal(dropped.error?.partialText, 'half');

      const controller = new AbortController();
      const stream = client(server.url).stream(ask, controller.signal)[Symbol.asyncIterator]();
      const first = await stream.next();
      assert.deepEqual(first.value, { type: 'text', text: 'half' });
      controller.abort();
      await assert.rejects(stream.next(), (err: Error & { kind?: string }) => err.kind === 'cancelled');
      assert.equal(await server.exchanges[1].closed, true, 'the server saw the client close the connection');
    } finally {
      await server.close();
    }
  });
});
