// 2. Pipeline overhead: the raw openai SDK vs our client → session → webview messages →
// rendered DOM, against the same local server in the same run. The host side runs in plain
// Node (the same modules as the extension, wired without VS Code); the webview side is the
// bundled dist/webview.js in Chromium, fed the messages the session posts.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import type { Browser, Page } from 'playwright-core';
import { ChatSession } from '../../src/chat/chatSession';
import { HistoryStore } from '../../src/history/historyStore';
import { ModelsLabClient } from '../../src/llm/client';
import { noopLogger } from '../../src/llm/logger';
import type { HostToWebview } from '../../src/shared/protocol';

export interface Pipeline {
  chunks: number;
  runs: number;
  rawFirstTokenMs: number;
  oursFirstTokenMs: number;
  oursFirstTokenInDomMs: number;
  rawTotalMs: number;
  oursTotalHostMs: number;
  oursTotalDomMs: number;
  throughputRatio: number;
  messagesPer1000Chunks: number;
}

const MODEL = 'Qwen-Qwen2.5-Coder-32B-Instruct';
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function startServerProcess(chunks: number): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'serveChunks.ts')], {
    env: { ...process.env, BENCH_CHUNKS: String(chunks) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (data: Buffer) => resolve(data.toString().trim()));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

async function rawRun(url: string): Promise<{ firstTokenMs: number; totalMs: number; chunks: number }> {
  const sdk = new OpenAI({ baseURL: url, apiKey: 'bench-key', maxRetries: 0 });
  const started = performance.now();
  let firstTokenMs = 0;
  let chunks = 0;
  const stream = await sdk.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'go' }], stream: true, stream_options: { include_usage: true } });
  for await (const chunk of stream) {
    if (chunk.choices[0]?.delta?.content) {
      if (chunks === 0) firstTokenMs = performance.now() - started;
      chunks++;
    }
  }
  return { firstTokenMs, totalMs: performance.now() - started, chunks };
}

async function oursRun(url: string, page: Page): Promise<{ firstTokenMs: number; firstTokenInDomMs: number; totalHostMs: number; totalDomMs: number; posted: number }> {
  await page.evaluate(() => {
    const empty = { id: 'bench', title: 'bench', messages: [] };
    window.dispatchEvent(new MessageEvent('message', { data: { type: 'init', hasKey: true, models: [], model: 'Qwen-Qwen2.5-Coder-32B-Instruct', conversation: empty } }));
  });
  const client = new ModelsLabClient({ baseUrl: url, apiKey: 'bench-key' });
  let delivery = Promise.resolve();
  let posted = 0;
  let firstTokenMs = 0;
  let firstTokenInDomMs = 0;
  let ids = 0;
  const started = performance.now();
  const session = new ChatSession({
    post: (message: HostToWebview) => {
      posted++;
      const isFirstDelta = message.type === 'answerDelta' && firstTokenMs === 0;
      if (isFirstDelta) firstTokenMs = performance.now() - started;
      // Delivered in order, as VS Code's postMessage does; the session does not wait for it.
      delivery = delivery.then(async () => {
        await page.evaluate((m) => window.dispatchEvent(new MessageEvent('message', { data: m })), message);
        if (isFirstDelta) {
          await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
          firstTokenInDomMs = performance.now() - started;
        }
      });
    },
    client: async () => client,
    requestOptions: () => ({ options: { model: MODEL }, systemPrompt: '' }),
    takeAttachedContext: async () => ({ labels: [] }),
    store: new HistoryStore(mkdtempSync(join(tmpdir(), 'ml-bench-')), () => undefined),
    log: noopLogger,
    newId: () => `b${ids++}`,
  });
  await session.send('bench', 'go');
  const totalHostMs = performance.now() - started;
  await delivery;
  // The answer is on screen once the renderer's final frame has run.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  return { firstTokenMs, firstTokenInDomMs, totalHostMs, totalDomMs: performance.now() - started, posted };
}

export async function benchPipeline(browser: Browser, pageUrl: string, chunks = 5000, runs = 5): Promise<Pipeline> {
  const server = await startServerProcess(chunks);
  const page = await browser.newPage();
  await page.goto(pageUrl);
  await page.waitForFunction(() => 'modelslabRenderer' in window);
  try {
    // One warm-up of each, then alternate so drift on a shared machine hits both equally.
    await rawRun(server.url);
    await oursRun(server.url, page);
    const raw: Awaited<ReturnType<typeof rawRun>>[] = [];
    const ours: Awaited<ReturnType<typeof oursRun>>[] = [];
    for (let i = 0; i < runs; i++) {
      raw.push(await rawRun(server.url));
      ours.push(await oursRun(server.url, page));
    }
    const rawTotal = median(raw.map((r) => r.totalMs));
    const oursDom = median(ours.map((r) => r.totalDomMs));
    const oursPosted = median(ours.map((r) => r.posted));
    return {
      chunks: raw[0].chunks,
      runs,
      rawFirstTokenMs: median(raw.map((r) => r.firstTokenMs)),
      oursFirstTokenMs: median(ours.map((r) => r.firstTokenMs)),
      oursFirstTokenInDomMs: median(ours.map((r) => r.firstTokenInDomMs)),
      rawTotalMs: rawTotal,
      oursTotalHostMs: median(ours.map((r) => r.totalHostMs)),
      oursTotalDomMs: oursDom,
      throughputRatio: rawTotal / oursDom,
      messagesPer1000Chunks: (oursPosted / raw[0].chunks) * 1000,
    };
  } finally {
    await page.close();
    server.stop();
  }
}
