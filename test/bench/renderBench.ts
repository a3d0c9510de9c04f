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
