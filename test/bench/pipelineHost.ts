// The host side of the pipeline benchmark, in its own process like VS Code's extension host:
// it runs the raw openai SDK and our client → session alternately against the same server and
// sends the session's webview messages to the parent over IPC (as the host does to the webview).
import { mkdtempSync } from 'node:fs';
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

async function rawRun(url: string) {
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

async function oursRun(url: string) {
  const client = new ModelsLabClient({ baseUrl: url, apiKey: 'bench-key' });
  let ids = 0;
  let started = 0;
  let firstTokenMs = 0;
  let totalMs = 0;
  let posted = 0;
  const session = new ChatSession({
    post: (message) => {
      posted++;
      if (message.type === 'answerDelta' && firstTokenMs === 0) firstTokenMs = clock() - started;
      if (message.type === 'answerEnd') totalMs = clock() - started;
      process.send?.({ kind: 'webview', message, at: clock() });
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

process.on('message', async (command: { kind: 'raw' | 'ours'; url: string }) => {
  // Each run starts from a collected heap, so one path's garbage is not billed to the other.
  (globalThis as { gc?: () => void }).gc?.();
  const result = command.kind === 'raw' ? await rawRun(command.url) : await oursRun(command.url);
  await send({ kind: 'result', result });
});
process.send?.({ kind: 'ready' });
