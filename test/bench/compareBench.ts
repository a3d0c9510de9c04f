// A four-model comparison at full speed, through the same three processes as the pipeline
// bench: the server streams four answers of 5,000 chunks at once, the host process runs the
// extension's ComparisonRun over the shared runner and governor, and dist/compare.js renders
// the four columns in Chromium. Measured: the render cost per kilobyte early vs late in the
// answers (flat, or it grows with the text), long tasks, and each column's time to first token
// against a single answer's in the same run.
import type { Browser, Page } from 'playwright-core';
import type { CompareResult, OursResult } from './pipelineHost';
import { startHostProcess, startServerProcess } from './pipelineBench';

export interface CompareBench {
  columns: number;
  runs: number;
  /** Median time to first token of a single chat answer (host, answer posted). */
  singleFirstTokenMs: number;
  /** Per column, the median time to first token in the comparison. */
  columnFirstTokenMs: number[];
  /** The slowest column's median minus the single answer's. */
  worstFirstTokenDeltaMs: number;
  /** Main-thread ms per KB of text rendered, over the first and the last fifth of the text. */
  earlyMsPerKB: number;
  lateMsPerKB: number;
  growth: number;
  longTasksOver50ms: number;
  longestTaskMs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Trace {
  deliveries: { at: number; chars: number; ms: number }[];
  frames: { at: number; ms: number }[];
  longTasks: number[];
}
type CompareWindow = Window & { __frames: { at: number; ms: number }[]; __longTasks: number[]; __compareTrace?: Trace; __compareDone?: Promise<void> };

async function connect(page: Page, eventsUrl: string): Promise<void> {
  await page.evaluate(
    (url) =>
      new Promise<void>((resolve, reject) => {
        const w = window as unknown as CompareWindow;
        const source = new EventSource(url);
        source.onopen = () => resolve();
        source.onerror = () => reject(new Error(`could not connect to ${url}`));
        // VS Code delivers each postMessage as a task of its own; an event stream hands over
        // all the events of one network read in one task. Each is re-posted to its own task.
        const channel = new MessageChannel();
        const queue: { type: string; text?: string }[] = [];
        channel.port1.onmessage = () => {
          const message = queue.shift();
          if (!message) return;
          const started = performance.now();
          window.dispatchEvent(new MessageEvent('message', { data: message }));
          const trace = w.__compareTrace;
          if (trace && message.type === 'delta') trace.deliveries.push({ at: started, chars: message.text?.length ?? 0, ms: performance.now() - started });
        };
        source.onmessage = (event) => {
          queue.push(JSON.parse(event.data as string) as { type: string; text?: string });
          channel.port2.postMessage(null);
        };
      }),
    eventsUrl,
  );
}

export async function benchCompare(browser: Browser, pageUrl: string, columns = 4, runs = 5, chunks = 20_000): Promise<CompareBench> {
  // Long answers, so the host's coalesced deltas (one per column every 32 ms) are many.
  const server = await startServerProcess(chunks);
  // First tokens are timed against answers paced like a fast model (500 tokens/s): at full speed
  // the other columns' floods, not our code, would decide when a column's first token is read.
  const paced = await startServerProcess(100, 500);
  const host = await startHostProcess();
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  try {
    await page.goto(new URL('compare', pageUrl).toString());
    await page.waitForFunction(() => document.getElementById('compare') !== null);
    await connect(page, host.eventsUrl);
    // Warm both paths up, then take turns.
    for (let i = 0; i < 2; i++) {
      await host.run<OursResult>({ kind: 'ours', url: paced.url, toWebview: false });
      await host.run<CompareResult>({ kind: 'compare', url: paced.url, columns, toWebview: false });
    }
    const single: number[] = [];
    const perColumn: number[][] = Array.from({ length: columns }, () => []);
    const traces: Trace[] = [];
    for (let i = 0; i < runs; i++) {
      // First tokens are taken host only, both ways, as the pipeline bench's host-only row:
      // nobody rendering alongside on this 2-core machine.
      single.push((await host.run<OursResult>({ kind: 'ours', url: paced.url, toWebview: false })).firstTokenMs);
      (await host.run<CompareResult>({ kind: 'compare', url: paced.url, columns, toWebview: false })).firstTokenMs.forEach((ms, column) => perColumn[column].push(ms));
      await page.evaluate(() => {
        const w = window as unknown as CompareWindow;
        w.__frames.length = 0;
        w.__longTasks.length = 0;
        w.__compareTrace = { deliveries: [], frames: [], longTasks: [] };
      });
      await host.run<CompareResult>({ kind: 'compare', url: server.url, columns, toWebview: true });
      // The last frames render the end of the answers; then the page is idle.
      const trace = await page.evaluate(
        () =>
          new Promise<Trace>((resolve) =>
            requestAnimationFrame(() =>
              requestIdleCallback(
                () => {
                  const w = window as unknown as CompareWindow;
                  resolve({ deliveries: w.__compareTrace?.deliveries ?? [], frames: [...w.__frames], longTasks: [...w.__longTasks] });
                },
                { timeout: 2000 },
              ),
            ),
          ),
      );
      traces.push(trace);
    }
    // Every delivery and frame is billed to the text received by then; the first and last tenth compared.
    const costs = traces.map((trace) => {
      const total = trace.deliveries.reduce((sum, d) => sum + d.chars, 0);
      const received: { at: number; chars: number }[] = [];
      let sum = 0;
      for (const d of trace.deliveries) received.push({ at: d.at, chars: (sum += d.chars) });
      const charsAt = (at: number) => {
        let chars = 0;
        for (const r of received) if (r.at <= at) chars = r.chars;
        return chars;
      };
      // The answers' ends (each renderer's last full pass) are one-off work, not per chunk.
      const lastDelivery = trace.deliveries.at(-1)?.at ?? 0;
      const work = [...trace.deliveries.map((d) => ({ at: d.at, ms: d.ms })), ...trace.frames.filter((f) => f.at <= lastDelivery)];
      const window = (from: number, to: number) => work.filter((w) => charsAt(w.at) > from && charsAt(w.at) <= to).reduce((s, w) => s + w.ms, 0);
      // Fifths: at full speed a column gets a delta every 32 ms, so a tenth holds few of them.
      const tenth = total / 5;
      if (process.env.BENCH_DEBUG) console.log({ total, deliveries: trace.deliveries.length, frames: trace.frames.length, bigFrames: trace.frames.filter((f) => f.ms > 30).map((f) => [Math.round(f.at - (trace.deliveries[0]?.at ?? 0)), Math.round(f.ms), charsAt(f.at)]), longTasks: trace.longTasks });
      return { early: window(0, tenth) / (tenth / 1024), late: window(total - tenth, total) / (tenth / 1024) };
    });
    const earlyMsPerKB = median(costs.map((c) => c.early));
    const lateMsPerKB = median(costs.map((c) => c.late));
    const columnFirstTokenMs = perColumn.map(median);
    const singleFirstTokenMs = median(single);
    const longTasks = traces.flatMap((t) => t.longTasks);
    return {
      columns,
      runs,
      singleFirstTokenMs,
      columnFirstTokenMs,
      worstFirstTokenDeltaMs: Math.max(...columnFirstTokenMs) - singleFirstTokenMs,
      earlyMsPerKB,
      lateMsPerKB,
      growth: lateMsPerKB / earlyMsPerKB,
      longTasksOver50ms: longTasks.filter((d) => d > 50).length,
      longestTaskMs: Math.max(0, ...longTasks),
    };
  } finally {
    await page.close();
    host.stop();
    server.stop();
    paced.stop();
  }
}
