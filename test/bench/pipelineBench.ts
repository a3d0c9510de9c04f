// 2. Pipeline overhead: the raw openai SDK vs our client → session → webview messages →
// rendered DOM, against the same local server in the same run. Like VS Code, three processes:
// the server; a host process running both the raw SDK and the extension's own modules (wired
// without VS Code); and the bundled dist/webview.js in Chromium, fed the session's messages
// over IPC. Throughput compares the host totals (answer complete and posted); the time until
// the DOM shows it is reported beside them.
import { fork, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
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
  /** The same host run with nobody rendering: what our code costs without the webview's CPU. */
  hostOnlyFirstTokenMs: number;
  hostOnlyTotalMs: number;
}

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

interface HostProcess {
  run<T>(kind: 'raw' | 'ours', url: string, onWebviewMessage?: (message: HostToWebview) => void): Promise<T>;
  stop(): void;
}

async function startHostProcess(): Promise<HostProcess> {
  const child = fork(join(__dirname, 'pipelineHost.ts'), { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  return {
    run: (kind, url, onWebviewMessage) =>
      new Promise((resolve) => {
        const listener = (message: { kind: string; message?: HostToWebview; result?: unknown }) => {
          if (message.kind === 'webview' && message.message) onWebviewMessage?.(message.message);
          if (message.kind === 'result') {
            child.off('message', listener);
            resolve(message.result as never);
          }
        };
        child.on('message', listener);
        child.send({ kind, url });
      }),
    stop: () => child.kill(),
  };
}

interface RawResult { firstTokenMs: number; totalMs: number; chunks: number }
interface OursResult { firstTokenMs: number; totalMs: number; posted: number; started: number }

const clock = () => performance.timeOrigin + performance.now();

/** Our pipeline: the host process streams; here its messages go into the real webview bundle. */
async function oursRun(host: HostProcess, url: string, page: Page) {
  await page.evaluate(() => {
    const empty = { id: 'bench', title: 'bench', messages: [] };
    window.dispatchEvent(new MessageEvent('message', { data: { type: 'init', hasKey: true, models: [], model: 'Qwen-Qwen2.5-Coder-32B-Instruct', conversation: empty } }));
  });
  // Let the cleared panel settle first, as it would while the user types the prompt.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  let delivery = Promise.resolve();
  let firstInDom = 0;
  const result = await host.run<OursResult>('ours', url, (message) => {
    const isFirstDelta = message.type === 'answerDelta' && firstInDom === 0;
    // Delivered in order, as VS Code's postMessage does.
    delivery = delivery.then(async () => {
      await page.evaluate((m) => window.dispatchEvent(new MessageEvent('message', { data: m })), message);
      if (isFirstDelta) {
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
        firstInDom = clock();
      }
    });
  });
  await delivery;
  // The answer is on screen once the renderer's final frame has run.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  return { ...result, firstTokenInDomMs: firstInDom - result.started, totalDomMs: clock() - result.started };
}

export async function benchPipeline(browser: Browser, pageUrl: string, chunks = 5000, runs = 7): Promise<Pipeline> {
  const server = await startServerProcess(chunks);
  const host = await startHostProcess();
  const page = await browser.newPage();
  await page.goto(pageUrl);
  await page.waitForFunction(() => 'modelslabRenderer' in window);
  try {
    // Warm both paths up (the JIT needs a few runs of each), then alternate so drift on a
    // shared machine hits both equally.
    for (let i = 0; i < 3; i++) {
      await host.run<RawResult>('raw', server.url);
      await oursRun(host, server.url, page);
    }
    const raw: RawResult[] = [];
    const ours: Awaited<ReturnType<typeof oursRun>>[] = [];
    for (let i = 0; i < runs; i++) {
      raw.push(await host.run<RawResult>('raw', server.url));
      ours.push(await oursRun(host, server.url, page));
    }
    const hostOnly: OursResult[] = [];
    for (let i = 0; i < runs; i++) hostOnly.push(await host.run<OursResult>('ours', server.url));
    const rawTotal = median(raw.map((r) => r.totalMs));
    const oursHost = median(ours.map((r) => r.totalMs));
    return {
      chunks: raw[0].chunks,
      runs,
      rawFirstTokenMs: median(raw.map((r) => r.firstTokenMs)),
      oursFirstTokenMs: median(ours.map((r) => r.firstTokenMs)),
      oursFirstTokenInDomMs: median(ours.map((r) => r.firstTokenInDomMs)),
      rawTotalMs: rawTotal,
      oursTotalHostMs: oursHost,
      oursTotalDomMs: median(ours.map((r) => r.totalDomMs)),
      throughputRatio: rawTotal / oursHost,
      messagesPer1000Chunks: (median(ours.map((r) => r.posted)) / raw[0].chunks) * 1000,
      hostOnlyFirstTokenMs: median(hostOnly.map((r) => r.firstTokenMs)),
      hostOnlyTotalMs: median(hostOnly.map((r) => r.totalMs)),
    };
  } finally {
    await page.close();
    host.stop();
    server.stop();
  }
}
