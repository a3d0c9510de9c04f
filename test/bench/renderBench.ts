// 1. Streaming render scaling, and 4. long conversations: the bundled webview in Chromium.
import type { Browser, Page } from 'playwright-core';
import { longAnswer, longConversation } from './corpus';

export interface RenderScaling {
  chunks: number;
  textBytes: number;
  perChunkMsAt2KB: number;
  perChunkMsAt100KB: number;
  growth: number;
  incrementalTotalMs: number;
  naiveTotalMsEstimated: number;
  naiveSampleStride: number;
  speedup: number;
  longTasksOver50ms: number;
  longestTaskMs: number;
  identicalToOneShot: boolean;
}

async function freshPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
  await page.goto(url);
  await page.waitForFunction(() => 'modelslabRenderer' in window && 'modelslabNaive' in window);
  // As in the panel, where a person reads or types before the first answer arrives.
  await page.waitForTimeout(1500);
  return page;
}

export async function benchRenderScaling(browser: Browser, url: string): Promise<RenderScaling> {
  const page = await freshPage(browser, url);
  const text = longAnswer(100_000);
  const result = await page.evaluate(async (text) => {
    type Renderer = { append(t: string): void; flush(): void; finish(): void };
    const w = window as unknown as {
      modelslabRenderer: { StreamingMarkdownRenderer: new (el: HTMLElement, o: object) => Renderer; renderMarkdownToElement(t: string, el: HTMLElement): void };
      modelslabNaive: { naiveRender(el: HTMLElement, t: string): void };
      __longTasks: number[];
    };
    const host = document.getElementById('bench') as HTMLElement;
    const streamed = document.createElement('div');
    host.append(streamed);
    // Flush on every chunk: the worst case (the app coalesces to one render per frame).
    const renderer = new w.modelslabRenderer.StreamingMarkdownRenderer(streamed, { scheduleFrame: () => undefined });
    const costs: number[] = [];
    const lengths: number[] = [];
    // A task boundary without setTimeout's 4 ms clamp: messages from the host arrive as tasks.
    const channel = new MessageChannel();
    const nextTask = () => new Promise<void>((resolve) => {
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(null);
    });
    w.__longTasks.length = 0;
    for (let i = 0; i < text.length; i += 4) {
      const started = performance.now();
      renderer.append(text.slice(i, i + 4));
      renderer.flush();
      costs.push(performance.now() - started);
      lengths.push(i + 4);
      // Each chunk is its own task, as when the app renders once per message or frame.
      await nextTask();
    }
    const finishStarted = performance.now();
    renderer.finish();
    const finishMs = performance.now() - finishStarted;
    costs.push(finishMs);
    const slowest = costs.slice(0, -1).reduce((best, cost, k) => (cost > best.cost ? { cost, at: lengths[k] } : best), { cost: 0, at: 0 });
    await new Promise((r) => setTimeout(r, 50));
    const longTasks = [...w.__longTasks];

    const oneShot = document.createElement('div');
    w.modelslabRenderer.renderMarkdownToElement(text, oneShot);
    const identical = oneShot.innerHTML === streamed.innerHTML;

    const mean = (from: number, to: number) => {
      const picked = costs.filter((_, k) => lengths[k] >= from && lengths[k] < to);
      return picked.reduce((a, b) => a + b, 0) / Math.max(1, picked.length);
    };
    // The naive baseline re-renders everything per chunk; timing all 25,000 renders would take
    // many minutes, so every stride-th one is timed and stands for its stride.
    const stride = 125;
    const naiveHost = document.createElement('div');
    host.append(naiveHost);
    let naiveTotal = 0;
    for (let i = 0; i < text.length; i += 4 * stride) {
      const started = performance.now();
      w.modelslabNaive.naiveRender(naiveHost, text.slice(0, i + 4));
      naiveTotal += (performance.now() - started) * stride;
      await new Promise((r) => setTimeout(r, 0));
    }
    return {
      chunks: Math.ceil(text.length / 4),
      textBytes: text.length,
      perChunkMsAt2KB: mean(1500, 2500),
      perChunkMsAt100KB: mean(text.length - 1000, text.length + 4),
      incrementalTotalMs: costs.reduce((a, b) => a + b, 0),
      naiveTotalMsEstimated: naiveTotal,
      naiveSampleStride: stride,
      longTasks,
      identicalToOneShot: identical,
      finishMs,
      slowest,
    };
  }, text);
  if (process.env.BENCH_DEBUG) console.log({ finishMs: result.finishMs, slowest: result.slowest, longTasks: result.longTasks });
  await page.close();
  return {
    chunks: result.chunks,
    textBytes: result.textBytes,
    perChunkMsAt2KB: result.perChunkMsAt2KB,
    perChunkMsAt100KB: result.perChunkMsAt100KB,
    growth: result.perChunkMsAt100KB / result.perChunkMsAt2KB,
    incrementalTotalMs: result.incrementalTotalMs,
    naiveTotalMsEstimated: result.naiveTotalMsEstimated,
    naiveSampleStride: result.naiveSampleStride,
    speedup: result.naiveTotalMsEstimated / result.incrementalTotalMs,
    longTasksOver50ms: result.longTasks.filter((d: number) => d > 50).length,
    longestTaskMs: Math.max(0, ...result.longTasks),
    identicalToOneShot: result.identicalToOneShot,
  };
}

export interface LongConversation {
  messages: number;
  conversationBytes: number;
  firstPaintMs: number;
  heapMB: number;
  scrollFrames: number;
  scrollP95FrameMs: number;
  scrollWorstFrameMs: number;
  renderedBodiesAtOpen: number;
  heapAfterCycle1MB: number;
  heapAfterCycle20MB: number;
}

async function heapUsedMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  return usedSize / (1024 * 1024);
}

export async function benchLongConversation(browser: Browser, url: string): Promise<LongConversation> {
  const conversation = longConversation(500);
  const page = await freshPage(browser, url);
  const init = { type: 'init', hasKey: true, models: [{ id: 'Qwen-Qwen2.5-Coder-32B-Instruct', label: 'Qwen2.5 Coder 32B' }], model: 'Qwen-Qwen2.5-Coder-32B-Instruct', conversation };
  const open = await page.evaluate(async (init) => {
    const started = performance.now();
    window.dispatchEvent(new MessageEvent('message', { data: init }));
    // First paint: the frame after the conversation was inserted has been produced.
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const firstPaintMs = performance.now() - started;
    const bodies = document.querySelectorAll('article.ml-msg-assistant .ml-code').length;
    return { firstPaintMs, renderedCodeBlocks: bodies };
  }, init);
  const heapMB = await heapUsedMB(page);
  const scroll = await page.evaluate(async () => {
    const log = document.querySelector('[role="log"]') as HTMLElement;
    const frames: number[] = [];
    let last = performance.now();
    while (log.scrollTop > 0) {
      log.scrollTop = Math.max(0, log.scrollTop - 600);
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      frames.push(now - last);
      last = now;
      if (frames.length > 5000) break;
    }
    frames.sort((a, b) => a - b);
    return { frames: frames.length, p95: frames[Math.floor(frames.length * 0.95)] ?? 0, worst: frames[frames.length - 1] ?? 0 };
  });
  // Opening and closing conversations 20 times must not grow the heap.
  const empty = { ...conversation, id: 'empty', messages: [] };
  let heapAfterCycle1 = 0;
  for (let cycle = 1; cycle <= 20; cycle++) {
    await page.evaluate(async ([a, b]) => {
      window.dispatchEvent(new MessageEvent('message', { data: { type: 'conversation', conversation: b } }));
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      window.dispatchEvent(new MessageEvent('message', { data: { type: 'conversation', conversation: a } }));
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    }, [{ ...conversation, id: `c${cycle}` }, empty]);
    if (cycle === 1) heapAfterCycle1 = await heapUsedMB(page);
  }
  const heapAfterCycle20 = await heapUsedMB(page);
  await page.close();
  return {
    messages: conversation.messages.length,
    conversationBytes: JSON.stringify(conversation).length,
    firstPaintMs: open.firstPaintMs,
    heapMB,
    scrollFrames: scroll.frames,
    scrollP95FrameMs: scroll.p95,
    scrollWorstFrameMs: scroll.worst,
    renderedBodiesAtOpen: open.renderedCodeBlocks,
    heapAfterCycle1MB: heapAfterCycle1,
    heapAfterCycle20MB: heapAfterCycle20,
  };
}

export interface HostileCase {
  name: string;
  bytes: number;
  /** Hostile ÷ the same amount of plain prose, rendered in one go (a saved message). */
  oneShotRatio: number;
  /** The same, streamed in chunks, one per frame (main-thread time, not wall time). */
  streamedRatio: number;
  oneShotMs: number;
  proseOneShotMs: number;
  streamedMs: number;
  proseStreamedMs: number;
  /** Longest task while this input was rendered (one-shot or streamed). */
  longestTaskMs: number;
}

export interface HostileOutput {
  cases: HostileCase[];
  worstRatio: number;
  worstCase: string;
  longestTaskMs: number;
  longestTaskCase: string;
}

/**
 * 5. Hostile model output (the inputs of test/unit/render-hostile.test.ts): each rendered by
 * the bundle's renderer in one go and streamed, against the same amount of plain prose in the
 * same page. Plain prose is ordinary paragraphs of 16,000 characters (a single paragraph over
 * the renderer's 32,000-character inline budget is itself shown as plain text, which would
 * make the baseline the cheap fallback); over 1 MB it is timed on 1 MB and scaled, as prose
 * renders in time linear in its size. Times include layout (the container is measured).
 */
export async function benchHostile(browser: Browser, url: string): Promise<HostileOutput> {
  // Made in the page (the list is ~100 MB), by index: see `make` below. Each in a fresh page,
  // so one input's garbage (100 MB of it) is not collected during the next one's timing.
  const names = ['5,000-deep blockquote', '10,000-deep list (~100 MB)', '1 MB line in a js block', '120 KB of a*_', '2,000 × 50 table', 'long mix'];
  const cases: HostileCase[] = [];
  for (const [index, name] of names.entries()) {
    const page = await freshPage(browser, url);
    const measured = await page.evaluate(async ({ index, sample, chunks }) => {
      type Renderer = { append(t: string): void; finish(): void };
      const w = window as unknown as {
        modelslabRenderer: {
          StreamingMarkdownRenderer: new (el: HTMLElement, o: object) => Renderer;
          renderMarkdownToElement(t: string, el: HTMLElement): void;
        };
        __longTaskEntries: { start: number; duration: number }[];
      };
      const nestedList = (depth: number, text = 'x') => Array.from({ length: depth }, (_, i) => `${' '.repeat(2 * i)}- ${text}`).join('\n');
      const table = (rows: number, columns: number) => {
        const cells = (make: (c: number) => string) => `|${Array.from({ length: columns }, (_, c) => ` ${make(c)} `).join('|')}|`;
        const lines = [cells((c) => `h${c}`), cells(() => '---')];
        for (let r = 0; r < rows; r++) lines.push(cells((c) => `${r}.${c}`));
        return lines.join('\n');
      };
      const mix = () => {
        const parts: string[] = [];
        for (let i = 0; i < 4; i++) {
          parts.push(
            `## Part ${i}\n\nSome **normal** text with \`code\` and a [link](https://example.com/${i}).\n`,
            '> '.repeat(800) + 'deep quote\n',
            nestedList(150, 'item') + '\n',
            'a*_'.repeat(2000) + '\n',
            'a._'.repeat(3000) + '\n',
            '*a '.repeat(1500) + 'a* '.repeat(1500) + '\n',
            '```ts\n' + 'let a = 1; '.repeat(3000) + '\n```\n',
            table(300, 40) + '\n',
            '<div>'.repeat(3000) + 'x\n',
            '- '.repeat(100) + 'lists nested on one line\n',
          );
        }
        return parts.join('\n');
      };
      const make = [
        () => '> '.repeat(5000) + 'x',
        () => nestedList(10_000),
        () => '```js\n' + 'var a=1;function f(b){return b+a}f(2);'.repeat(27_000).slice(0, 1_000_000) + '\n```\n',
        () => 'a*_'.repeat(40_000),
        () => table(2000, 50),
        mix,
      ][index];
      const text = make();
      const words = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ';
      const paragraph = words.repeat(Math.ceil(16_000 / words.length)).slice(0, 15_998) + '\n\n';
      const proseSize = Math.min(text.length, sample);
      const prose = paragraph.repeat(Math.ceil(proseSize / paragraph.length)).slice(0, proseSize);
      const scale = text.length / proseSize;

      const host = document.getElementById('bench') as HTMLElement;
      const { StreamingMarkdownRenderer, renderMarkdownToElement } = w.modelslabRenderer;
      const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      // Each render is a task of its own (as a message from the host is), so a long task is
      // one render, not this script's sequence of them.
      const channel = new MessageChannel();
      const nextTask = () => new Promise<void>((resolve) => {
        channel.port1.onmessage = () => resolve();
        channel.port2.postMessage(null);
      });
      const windows: [number, number][] = [];
      const oneShot = (markdown: string, hostile: boolean) => {
        const el = document.createElement('div');
        host.append(el);
        const started = performance.now();
        renderMarkdownToElement(markdown, el);
        void el.offsetHeight;
        const ended = performance.now();
        if (hostile) windows.push([started, ended]);
        el.remove();
        return ended - started;
      };
      // Chunks arrive one per frame; the renderer schedules its own frames (requestAnimationFrame).
      const streamed = async (markdown: string, hostile: boolean) => {
        const el = document.createElement('div');
        host.append(el);
        let busy = 0;
        const timed = (run: () => void) => {
          const started = performance.now();
          run();
          void el.offsetHeight;
          const ended = performance.now();
          busy += ended - started;
          if (hostile) windows.push([started, ended]);
        };
        const renderer = new StreamingMarkdownRenderer(el, { scheduleFrame: (cb: () => void) => requestAnimationFrame(() => timed(cb)) });
        const size = Math.ceil(markdown.length / chunks);
        for (let at = 0; at < markdown.length; at += size) {
          timed(() => renderer.append(markdown.slice(at, at + size)));
          await nextFrame();
        }
        await nextTask();
        timed(() => renderer.finish());
        el.remove();
        return busy;
      };

      const inOwnTask = async (run: () => number) => {
        await nextTask();
        return run();
      };
      const best = (times: number[]) => Math.min(...times);
      await inOwnTask(() => oneShot(prose, false));
      await inOwnTask(() => oneShot(text, true));
      const proseOneShotMs = best([await inOwnTask(() => oneShot(prose, false)), await inOwnTask(() => oneShot(prose, false))]) * scale;
      const oneShotMs = best([await inOwnTask(() => oneShot(text, true)), await inOwnTask(() => oneShot(text, true))]);
      const proseStreamedMs = best([await streamed(prose, false), await streamed(prose, false)]) * scale;
      const streamedMs = best([await streamed(text, true), await streamed(text, true)]);
      await new Promise((resolve) => setTimeout(resolve, 100)); // long-task entries arrive late
      const during = w.__longTaskEntries.filter((e) => windows.some(([from, to]) => e.start + e.duration >= from && e.start <= to));
      return {
        bytes: text.length,
        oneShotMs,
        proseOneShotMs,
        streamedMs,
        proseStreamedMs,
        longestTaskMs: Math.max(0, ...during.map((e) => e.duration)),
      };
    }, { index, sample: 1_000_000, chunks: 48 });
    await page.close();
    cases.push({
      name,
      ...measured,
      oneShotRatio: measured.oneShotMs / measured.proseOneShotMs,
      streamedRatio: measured.streamedMs / measured.proseStreamedMs,
    });
  }
  const worst = cases.reduce((a, b) => (Math.max(b.oneShotRatio, b.streamedRatio) > Math.max(a.oneShotRatio, a.streamedRatio) ? b : a));
  const slowest = cases.reduce((a, b) => (b.longestTaskMs > a.longestTaskMs ? b : a));
  if (process.env.BENCH_DEBUG) console.table(cases);
  return {
    cases,
    worstRatio: Math.max(worst.oneShotRatio, worst.streamedRatio),
    worstCase: worst.name,
    longestTaskMs: slowest.longestTaskMs,
    longestTaskCase: slowest.name,
  };
}
