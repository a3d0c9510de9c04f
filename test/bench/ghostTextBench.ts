// Ghost text in a scripted typing session, with the real engine, prompt builder, post-processor
// and client against the local server, on real timers: a person types a file at 40 ms a key
// (faster than the debounce), pauses at the end of most lines, sometimes starts typing again
// while a suggestion is still on its way, and types through the suggestions shown. The server's
// "model" suggests the next characters of the true file, so typing through them is the usual case.
import { CompletionEngine } from '../../src/completion/completionEngine';
import { buildHoleRequest, completionMode } from '../../src/completion/holePrompt';
import { cleanCompletion } from '../../src/completion/postProcess';
import type { HoleContext } from '../../src/completion/types';
import { ModelsLabClient } from '../../src/llm/client';
import type { ChatStreamer } from '../../src/llm/streamer';
import { startFakeModelsLab } from '../fake-server/server';

export interface GhostTextBench {
  keystrokes: number;
  pauses: number;
  /** Keystroke → request handed to the client, minus the debounce wait, p95 (ms). */
  addedP95Ms: number;
  addedMedianMs: number;
  requests: number;
  requestsPer100Chars: number;
  /** Requests sent while the user typed faster than the debounce (should be none). */
  requestsWhileTyping: number;
  /** The most requests any one pause caused. */
  maxRequestsPerPause: number;
  /** Keystrokes that typed the next character of a shown suggestion, and how many of them the cache served. */
  typeThroughKeystrokes: number;
  typeThroughHits: number;
  /** Tokens received by requests aborted after their first token ÷ all completion tokens. */
  wastedShare: number;
  /** The engine's synchronous work per keystroke (what blocks the extension host's thread), p95 (ms). */
  syncP95Ms: number;
}

const FILE = [
  'export interface Point { x: number; y: number }',
  '',
  'export function distance(a: Point, b: Point): number {',
  '  const dx = a.x - b.x;',
  '  const dy = a.y - b.y;',
  '  return Math.sqrt(dx * dx + dy * dy);',
  '}',
  '',
  'export function midpoint(a: Point, b: Point): Point {',
  '  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };',
  '}',
  '',
  'export function translate(p: Point, dx: number, dy: number): Point {',
  '  return { x: p.x + dx, y: p.y + dy };',
  '}',
  '',
].join('\n');

const KEY_MS = 40;
const DEBOUNCE_MS = 250;
/** What the "model" suggests: the rest of the current line. */
const suggestionAt = (offset: number) => FILE.slice(offset, FILE.indexOf('\n', offset) === -1 ? FILE.length : FILE.indexOf('\n', offset));

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function benchGhostText(): Promise<GhostTextBench> {
  const server = await startFakeModelsLab();
  const client = new ModelsLabClient({ baseUrl: server.url, apiKey: 'bench-key' });
  let cursor = 0;
  let typing = false;
  let requestsWhileTyping = 0;
  let requestsThisPause = 0;
  let maxRequestsPerPause = 0;
  let lastKeystrokeAt = 0;
  let lastDelay = 0;
  const added: number[] = [];
  // The "model" answers with the rest of the line at the cursor, paced like a fast model.
  const streamer: ChatStreamer = {
    stream(request, signal) {
      added.push(performance.now() - lastKeystrokeAt - lastDelay);
      if (typing) requestsWhileTyping++;
      requestsThisPause++;
      server.enqueue({ text: suggestionAt(cursor) || '\n', chunkSize: 4, tokensPerSecond: 150 });
      return client.stream(request, signal);
    },
  };
  const engine = new CompletionEngine({ streamer, buildRequest: buildHoleRequest, clean: cleanCompletion, mode: completionMode, debounce: { baseMs: DEBOUNCE_MS } });
  const hole = (): HoleContext => ({ prefix: FILE.slice(0, cursor), suffix: '', languageId: 'typescript', path: 'src/geometry.ts', related: [] });
  let shown: string | undefined;
  let typeThroughKeystrokes = 0;
  let typeThroughHits = 0;
  const sync: number[] = [];
  let keystrokes = 0;
  let pauses = 0;
  try {
    // Warm up the client's connection and the code paths.
    await engine.complete('warm', hole(), { model: 'Qwen-Qwen2.5-Coder-32B-Instruct' });
    engine.resetStats();
    engine.cache.clear();
    server.reset();
    added.length = 0;
    let line = 0;
    while (cursor < FILE.length) {
      const ch = FILE[cursor];
      const throughSuggestion = shown !== undefined && shown.startsWith(ch);
      cursor++;
      keystrokes++;
      typing = true;
      const hitsBefore = engine.stats.cacheHits;
      lastKeystrokeAt = performance.now();
      const started = performance.now();
      const pending = engine.complete('doc', hole(), { model: 'Qwen-Qwen2.5-Coder-32B-Instruct' });
      sync.push(performance.now() - started);
      lastDelay = engine.debounce.delayMs();
      void pending.then((text) => (shown = text));
      if (throughSuggestion) {
        typeThroughKeystrokes++;
        await Promise.resolve();
        if (engine.stats.cacheHits > hitsBefore) typeThroughHits++;
      }
      shown = throughSuggestion ? shown?.slice(1) : undefined;
      if (ch === '\n') {
        line++;
        // Most lines end with a pause that lets a suggestion arrive; every fourth, typing resumes
        // while it is on its way (its tokens are then wasted).
        typing = false;
        maxRequestsPerPause = Math.max(maxRequestsPerPause, requestsThisPause);
        requestsThisPause = 0;
        pauses++;
        await sleep(line % 4 === 0 ? lastDelay + 30 : 900);
        maxRequestsPerPause = Math.max(maxRequestsPerPause, requestsThisPause);
        requestsThisPause = 0;
      } else {
        await sleep(KEY_MS);
      }
    }
    const stats = engine.stats;
    return {
      keystrokes,
      pauses,
      addedP95Ms: percentile(added, 0.95),
      addedMedianMs: percentile(added, 0.5),
      requests: stats.requests,
      requestsPer100Chars: (stats.requests / keystrokes) * 100,
      requestsWhileTyping,
      maxRequestsPerPause,
      typeThroughKeystrokes,
      typeThroughHits,
      wastedShare: stats.completionTokens > 0 ? stats.wastedTokens / stats.completionTokens : 0,
      syncP95Ms: percentile(sync, 0.95),
    };
  } finally {
    engine.dispose();
    await server.close();
  }
}
