// The host side of the pipeline benchmark, in its own process like VS Code's extension host:
// it runs a baseline (the raw openai SDK; for the Anthropic endpoint, plain fetch and an SSE
// parser) and our client → session alternately against the same server.
// The session's webview messages go straight to the page over a local event stream, as the
// host's postMessage goes to the webview (serialised, over IPC), without the benchmark's own
// process relaying them.
import { mkdtempSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createParser } from 'eventsource-parser';
import OpenAI from 'openai';
import { ChatSession } from '../../src/chat/chatSession';
import { HistoryStore } from '../../src/history/historyStore';
import { ModelsLabClient } from '../../src/llm/client';
import { noopLogger } from '../../src/llm/logger';
import { chatRequest } from '../../src/llm/request';
import { AnswerRunner } from '../../src/llm/answerRunner';
import { RequestGovernor } from '../../src/llm/requestGovernor';
import { ComparisonRun } from '../../src/chat/comparisonRun';

const MODEL = 'Qwen-Qwen2.5-Coder-32B-Instruct';
/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
const clock = () => performance.timeOrigin + performance.now();
const send = (message: unknown) => new Promise<void>((resolve) => process.send?.(message, () => resolve()));

export type HostCommand =
  | { kind: 'raw'; url: string }
  | { kind: 'rawAnthropic'; url: string }
  /** Our client alone, every chunk taken, no session: the transport's own cost. */
  | { kind: 'client'; url: string; protocol: 'openai' | 'anthropic' }
  | { kind: 'ours'; url: string; toWebview: boolean; protocol?: 'openai' | 'anthropic' }
  /** One prompt to `columns` models at once (the comparison view's host side), its messages to the page. */
  | { kind: 'compare'; url: string; columns: number; toWebview: boolean };
export interface CompareResult { firstTokenMs: number[]; totalMs: number; posted: number }
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

/**
 * The Anthropic endpoint's baseline (there is no Anthropic SDK here): fetch, the SSE parser our
 * client uses too, each event's JSON parsed and its text deltas counted. Nothing more.
 */
async function rawAnthropicRun(url: string): Promise<RawResult> {
  const started = clock();
  let firstTokenMs = 0;
  let chunks = 0;
  const response = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'bench-key', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: MODEL, max_tokens: 4096, stream: true, messages: [{ role: 'user', content: 'go' }] }),
  });
  const parser = createParser({
    onEvent(event) {
      const data = JSON.parse(event.data) as { type?: string; delta?: { type?: string; text?: string } };
      if (data.type === 'content_block_delta' && data.delta?.type === 'text_delta' && data.delta.text) {
        if (chunks === 0) firstTokenMs = clock() - started;
        chunks++;
      }
    },
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  for (let read = await reader.read(); !read.done; read = await reader.read()) parser.feed(decoder.decode(read.value, { stream: true }));
  return { firstTokenMs, totalMs: clock() - started, chunks };
}

async function clientRun(url: string, protocol: 'openai' | 'anthropic'): Promise<RawResult> {
  const client = new ModelsLabClient({ baseUrl: url, apiKey: 'bench-key', protocol });
  const started = clock();
  let firstTokenMs = 0;
  let chunks = 0;
  for await (const chunk of client.stream(chatRequest([{ role: 'user', content: 'go' }], { model: MODEL }))) {
    if (chunk.type !== 'text') continue;
    if (chunks === 0) firstTokenMs = clock() - started;
    chunks++;
  }
  return { firstTokenMs, totalMs: clock() - started, chunks };
}

async function oursRun(url: string, toWebview: boolean, protocol: 'openai' | 'anthropic' = 'openai'): Promise<OursResult> {
  if (toWebview && !webview) throw new Error('the page has not connected to the event stream');
  const client = new ModelsLabClient({ baseUrl: url, apiKey: 'bench-key', protocol });
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

/** A comparison as the extension runs one: the shared runner, one governor, a column per model. */
async function compareRun(url: string, columns: number, toWebview: boolean): Promise<CompareResult> {
  if (toWebview && !webview) throw new Error('the page has not connected to the event stream');
  const client = new ModelsLabClient({ baseUrl: url, apiKey: 'bench-key', governor: new RequestGovernor({ limit: 5 }) });
  const runner = new AnswerRunner(client);
  const firstTokenMs: number[] = Array.from({ length: columns }, () => 0);
  let posted = 0;
  const requests = Array.from({ length: columns }, () => chatRequest([{ role: 'user', content: 'go' }], { model: MODEL }));
  const started = clock();
  const run = new ComparisonRun(runner, 'bench', requests, (message) => {
    posted++;
    if (message.type === 'delta' && firstTokenMs[message.column] === 0) firstTokenMs[message.column] = clock() - started;
    if (toWebview) webview?.write(`data: ${JSON.stringify(message)}\n\n`);
  });
  // What the view is told first when it opens.
  if (toWebview) webview?.write(`data: ${JSON.stringify({ type: 'init', comparison: { messageId: 'bench', prompt: 'go', canChoose: true, columns: run.columns } })}\n\n`);
  await run.done;
  const totalMs = clock() - started;
  if (toWebview) webview?.write(`data: ${JSON.stringify({ type: 'benchEnd' })}\n\n`);
  return { firstTokenMs, totalMs, posted };
}

process.on('message', async (command: HostCommand) => {
  // Each run starts from a collected heap, so one path's garbage is not billed to the other.
  (globalThis as { gc?: () => void }).gc?.();
  const result =
    command.kind === 'raw'
      ? await rawRun(command.url)
      : command.kind === 'rawAnthropic'
        ? await rawAnthropicRun(command.url)
        : command.kind === 'client'
          ? await clientRun(command.url, command.protocol)
          : command.kind === 'compare'
            ? await compareRun(command.url, command.columns, command.toWebview)
            : await oursRun(command.url, command.toWebview, command.protocol);
  await send({ kind: 'result', result });
});
events.listen(0, '127.0.0.1', () => {
  process.send?.({ kind: 'ready', eventsUrl: `http://127.0.0.1:${(events.address() as AddressInfo).port}/` });
});
