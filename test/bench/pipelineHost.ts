// The host side of the pipeline benchmark, in its own process like VS Code's extension host:
// it runs the raw openai SDK and our client → session alternately against the same server.
// The session's webview messages go straight to the page over a local event stream, as the
// host's postMessage goes to the webview (serialised, over IPC), without the benchmark's own
// process relaying them.
import { mkdtempSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { ChatSession } from '../../src/chat/chatSession';
import { HistoryStore } from '../../src/history/historyStore';
import { ModelsLabClient } from '../../src/llm/client';
import { noopLogger } from '../../src/llm/logger';

const MODEL = 'Qwen-Qwen2.5-Coder-32B-Instruct';
/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
const clock = () => performance.timeOrigin + performance.now();
const send = (message: unknown) => new Promise<void>((resolve) => process.send?.(message, () => resolve()));

export type HostCommand = { kind: 'raw'; url: string } | { kind: 'ours'; url: string; toWebview: boolean };
export interface RawResult { firstTokenMs: number; totalMs: number; chunks: number }
export interface OursResult { firstTokenMs: number; totalMs: number; posted: number; started: number }

/** The page connects here with EventSource; one connection, kept for the whole benchmark. */
let webview: ServerResponse | undefined;
const events = createServer((_request, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'access-control-allow-origin': '*' });
  res.write(': connected\n\n');
  webview = res;
});

async function rawRun(url: string): Promise<RawResult> {
  const sdk = new OpenAI({ baseURL: url, apiKey: 'bench-key', maxRetries: 0 });
  const started = clock();
  let firstTokenMs = 0;
  let chunks = 0;
  const stream = await sdk.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'go' }], stream: true, stream_options: { include_usage: true } });
  for await (const chunk of stream) {
    if (chunk.choices[0]?.delta?.content) {
      if (chunks === 0) firstTokenMs = clock() - started;
      chunks++;
    }
  }
  return { firstTokenMs, totalMs: clock() - started, chunks };
}

async function oursRun(url: string, toWebview: boolean): Promise<OursResult> {
  if (toWebview && !webview) throw new Error('the page has not connected to the event stream');
  const client = new ModelsLabClient({ baseUrl: url, apiKey: 'bench-key' });
  let ids = 0;
  let started = 0;
  let firstTokenMs = 0;
  let totalMs = 0;
  let posted = 0;
  const session = new ChatSession({
    post: (message) => {
      posted++;
      if (toWebview) webview?.write(`data: ${JSON.stringify(message)}\n\n`);
      if (message.type === 'answerDelta' && firstTokenMs === 0) firstTokenMs = clock() - started;
      if (message.type === 'answerEnd') totalMs = clock() - started;
    },
    client: async () => client,
    requestOptions: () => ({ options: { model: MODEL }, systemPrompt: '' }),
    takeAttachedContext: async () => ({ labels: [] }),
    store: new HistoryStore(mkdtempSync(join(tmpdir(), 'ml-bench-')), () => undefined),
    log: noopLogger,
    newId: () => `b${ids++}`,
  });
  // The panel loads the saved conversation when it opens, before the user can type.
  await session.view();
  started = clock();
  await session.send('bench', 'go');
  return { firstTokenMs, totalMs, posted, started };
}

process.on('message', async (command: HostCommand) => {
  // Each run starts from a collected heap, so one path's garbage is not billed to the other.
  (globalThis as { gc?: () => void }).gc?.();
  const result = command.kind === 'raw' ? await rawRun(command.url) : await oursRun(command.url, command.toWebview);
  await send({ kind: 'result', result });
});
events.listen(0, '127.0.0.1', () => {
  process.send?.({ kind: 'ready', eventsUrl: `http://127.0.0.1:${(events.address() as AddressInfo).port}/` });
});
