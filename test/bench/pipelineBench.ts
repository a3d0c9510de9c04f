// 2. Pipeline overhead: the raw openai SDK vs our client → session → webview messages →
// rendered DOM, against the same local server in the same run. Like VS Code, three processes:
// the server; a host process running both the raw SDK and the extension's own modules (wired
// without VS Code); and the bundled dist/webview.js in Chromium, which receives the session's
// messages straight from the host process over an event stream. Throughput compares the host
// totals (answer complete and posted); the time until the DOM shows it is reported beside them.
// benchAnthropicHost runs the host side over the Anthropic-compatible endpoint, without the
// browser: our client alone (the row's measure) and through the session, against a plain
// fetch + SSE baseline.
import { fork, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import type { HostCommand, OursResult, RawResult } from './pipelineHost';

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

export interface AnthropicPipeline {
  chunks: number;
  runs: number;
  rawFirstTokenMs: number;
  clientFirstTokenMs: number;
  sessionFirstTokenMs: number;
  rawTotalMs: number;
  /** Our client's stream alone, every chunk taken. */
  clientTotalMs: number;
  /** Client → session, answer posted (host only, as benchPipeline's hostOnly). */
  sessionTotalMs: number;
  /** raw ÷ client: above 1 means ours is faster. */
  clientThroughputRatio: number;
  /** raw ÷ session. */
  sessionThroughputRatio: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function startServerProcess(chunks: number, tokensPerSecond?: number): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'serveChunks.ts')], {
    env: { ...process.env, BENCH_CHUNKS: String(chunks), ...(tokensPerSecond ? { BENCH_TPS: String(tokensPerSecond) } : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (data: Buffer) => resolve(data.toString().trim()));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

export interface HostProcess {
  /** Where the page subscribes to the session's webview messages. */
  eventsUrl: string;
  run<T>(command: HostCommand): Promise<T>;
  stop(): void;
}

export async function startHostProcess(): Promise<HostProcess> {
  const child = fork(join(__dirname, 'pipelineHost.ts'), { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const eventsUrl = await new Promise<string>((resolve) => child.once('message', (message: { eventsUrl: string }) => resolve(message.eventsUrl)));
  return {
    eventsUrl,
    run: (command) =>
      new Promise((resolve) => {
        child.once('message', (message: { result: unknown }) => resolve(message.result as never));
        child.send(command);
      }),
    stop: () => child.kill(),
  };
}

interface PageRun {
  firstInDom: number;
  firstSeen: boolean;
  done(at: number): void;
}
type BenchWindow = Window & { __pipelineRun?: PageRun; __pipelineDone?: Promise<{ firstInDom: number; end: number }> };

/** The page dispatches each event as the message VS Code would deliver, and times what it shows. */
async function connectPage(page: Page, eventsUrl: string): Promise<void> {
  await page.evaluate(
    (url) =>
      new Promise<void>((resolve, reject) => {
        const w = window as BenchWindow;
        const now = () => performance.timeOrigin + performance.now();
        const source = new EventSource(url);
        source.onopen = () => resolve();
        source.onerror = () => reject(new Error(`could not connect to ${url}`));
        source.onmessage = (event) => {
          const message = JSON.parse(event.data as string) as { type: string };
          window.dispatchEvent(new MessageEvent('message', { data: message }));
          const run = w.__pipelineRun;
          if (!run) return;
          if (message.type === 'answerDelta' && !run.firstSeen) {
            run.firstSeen = true;
            requestAnimationFrame(() => (run.firstInDom = now()));
          }
          // The answer is on screen once the renderer's final frame has run.
          if (message.type === 'answerEnd') requestAnimationFrame(() => setTimeout(() => run.done(now()), 0));
        };
      }),
    eventsUrl,
  );
}

/** Our pipeline: the host process streams, the page renders what it posts. */
async function oursRun(host: HostProcess, url: string, page: Page, cdp: CDPSession) {
  await page.evaluate(() => {
    const empty = { id: 'bench', title: 'bench', messages: [] };
    window.dispatchEvent(new MessageEvent('message', { data: { type: 'init', hasKey: true, models: [], model: 'Qwen-Qwen2.5-Coder-32B-Instruct', conversation: empty } }));
    const w = window as BenchWindow;
    w.__pipelineDone = new Promise((resolve) => {
      const run: PageRun = { firstInDom: 0, firstSeen: false, done: (end) => resolve({ firstInDom: run.firstInDom, end }) };
      w.__pipelineRun = run;
    });
  });
  // Collect the previous answer's DOM now rather than in the middle of this run (as the host
  // process collects before each run), and let the cleared panel settle, as it would while
  // the user types the prompt.
  await cdp.send('HeapProfiler.collectGarbage');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  // The page's wait for the answer starts before the run, so no DevTools traffic reaches the
  // page while it is timed (CDP handles calls in order: once the second returns, the first
  // is waiting in the page).
  const shown = page.evaluate(() => (window as BenchWindow).__pipelineDone!);
  await page.evaluate(() => 0);
  const result = await host.run<OursResult>({ kind: 'ours', url, toWebview: true });
  const { firstInDom, end } = await shown;
  // Whatever the page does after the answer (measuring heights, collecting garbage) finishes
  // before the next run starts, so it is not billed to that run.
  await page.evaluate(() => new Promise((r) => requestIdleCallback(r, { timeout: 1000 })));
  return { ...result, firstTokenInDomMs: firstInDom - result.started, totalDomMs: end - result.started };
}

export async function benchPipeline(browser: Browser, pageUrl: string, chunks = 5000, runs = 25): Promise<Pipeline> {
  const server = await startServerProcess(chunks);
  const host = await startHostProcess();
  const page = await browser.newPage();
  await page.goto(pageUrl);
  await page.waitForFunction(() => 'modelslabRenderer' in window);
  await connectPage(page, host.eventsUrl);
  const cdp = await page.context().newCDPSession(page);
  try {
    // Warm every path up (the JIT needs a few runs of each), then take turns so drift on a
    // shared machine hits them all equally.
    const rawCommand = { kind: 'raw', url: server.url } as const;
    const hostOnlyCommand = { kind: 'ours', url: server.url, toWebview: false } as const;
    for (let i = 0; i < 3; i++) {
      await host.run<RawResult>(rawCommand);
      await oursRun(host, server.url, page, cdp);
      await host.run<OursResult>(hostOnlyCommand);
    }
    const raw: RawResult[] = [];
    const ours: Awaited<ReturnType<typeof oursRun>>[] = [];
    const hostOnly: OursResult[] = [];
    for (let i = 0; i < runs; i++) {
      raw.push(await host.run<RawResult>(rawCommand));
      ours.push(await oursRun(host, server.url, page, cdp));
      hostOnly.push(await host.run<OursResult>(hostOnlyCommand));
    }
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

/**
 * The Anthropic-compatible endpoint, host only: fetch + an SSE parser reading the same
 * …/v1/messages events, against our client (protocol 'anthropic') alone and through the chat
 * session. Needs no browser:
 *   npx tsx -e "require('./test/bench/pipelineBench.ts').benchAnthropicHost().then(console.log)"
 */
export async function benchAnthropicHost(chunks = 5000, runs = 25): Promise<AnthropicPipeline> {
  const server = await startServerProcess(chunks);
  const host = await startHostProcess();
  try {
    const commands: HostCommand[] = [
      { kind: 'rawAnthropic', url: server.url },
      { kind: 'client', url: server.url, protocol: 'anthropic' },
      { kind: 'ours', url: server.url, toWebview: false, protocol: 'anthropic' },
    ];
    // Warm every path up, then take turns, as benchPipeline does.
    for (let i = 0; i < 3; i++) for (const command of commands) await host.run(command);
    const results: { firstTokenMs: number; totalMs: number }[][] = commands.map(() => []);
    for (let i = 0; i < runs; i++) {
      for (const [n, command] of commands.entries()) results[n].push(await host.run(command));
    }
    const [raw, client, session] = results.map((r) => ({ first: median(r.map((x) => x.firstTokenMs)), total: median(r.map((x) => x.totalMs)) }));
    const read = (results[0][0] as RawResult).chunks;
    if (read !== chunks) throw new Error(`the baseline read ${read} text deltas, not ${chunks}`);
    return {
      chunks,
      runs,
      rawFirstTokenMs: raw.first,
      clientFirstTokenMs: client.first,
      sessionFirstTokenMs: session.first,
      rawTotalMs: raw.total,
      clientTotalMs: client.total,
      sessionTotalMs: session.total,
      clientThroughputRatio: raw.total / client.total,
      sessionThroughputRatio: raw.total / session.total,
    };
  } finally {
    host.stop();
    server.stop();
  }
}
