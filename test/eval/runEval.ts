// Runs the completion pipeline over the corpus: the real prompt builder on each hole, then
// each fake reply cut where the server would cut it (the request's stop sequences), cleaned
// by the real post-processor, and — the way the editor gets it — streamed through the real
// CompletionEngine (which in line mode stops reading once its line has settled).
// The pipeline's functions come in as arguments so this file runs against whatever the
// caller passes.
import { CompletionEngine } from '../../src/completion/completionEngine';
import type { ChatRequest } from '../../src/llm/request';
import type { ChatChunk } from '../../src/llm/types';
import type { HoleContext, HoleShape } from '../../src/completion/types';
import { editSimilarity } from './editDistance';
import { repliesFor, type FailureMode } from './failureModes';
import type { EvalHole } from './holeCorpus';
import { rng, seedOf } from './prng';

export type CompletionMode = 'line' | 'block';

export interface Pipeline {
  buildHoleRequest(hole: HoleContext, options: { model: string; maxTokens?: number }): ChatRequest;
  completionMode(hole: HoleShape): CompletionMode;
  cleanCompletion(raw: string, hole: HoleShape, mode?: CompletionMode): string;
  /** The prompt builder's default budgets, to check its prompts against. */
  budgets: { prefixChars: number; suffixChars: number };
}

export interface HoleResult {
  hole: EvalHole;
  completionMode: CompletionMode;
  promptChars: number;
  /** The prompt minus what the same request with an empty prefix and suffix has: the file's share. */
  fileChars: number;
  withinBudget: boolean;
  /** The text before the cursor on its line and the first line after it are both in the prompt. */
  cursorContextKept: boolean;
  maxTokens: number;
  /** The true middle would not fit in maxTokens at 3 characters a token (what the engine assumes). */
  middleOverMaxTokens: boolean;
}

export interface CaseResult {
  holeId: string;
  mode: FailureMode;
  note: string;
  raw: string;
  /** `raw` cut at the first of the request's stop sequences, as the server sends it. */
  received: string;
  expected: string;
  got: string;
  error?: string;
  exact: boolean;
  similarity: number;
  engineGot: string;
  engineExact: boolean;
  engineSimilarity: number;
}

/** Only trailing spaces and tabs at the very end are forgiven (the editor trims nothing else). */
export const normalise = (text: string): string => text.replace(/[ \t]+$/, '');

/** What an OpenAI-compatible server returns for a `stop` list: the text before the first match. */
export function applyStops(text: string, stops: readonly string[]): string {
  let end = text.length;
  for (const stop of stops) {
    const at = stop ? text.indexOf(stop) : -1;
    if (at >= 0 && at < end) end = at;
  }
  return text.slice(0, end);
}

const textOfRequest = (request: ChatRequest): string =>
  request.messages.map((m) => m.parts.map((p) => (p.type === 'text' ? p.text : '')).join('')).join('\n');

const stopsOf = (request: ChatRequest): string[] => {
  const stop = (request.sampling as { stop?: string | string[] } | undefined)?.stop;
  return stop === undefined ? [] : Array.isArray(stop) ? stop : [stop];
};

/** A streamer that sends `raw` as the server would: cut at the stop sequences, in 4-character chunks. */
function fakeStreamer(raw: string, useStops: boolean) {
  return {
    async *stream(request: ChatRequest): AsyncIterable<ChatChunk> {
      const text = useStops ? applyStops(raw, stopsOf(request)) : raw;
      yield { type: 'model', model: request.model };
      for (let i = 0; i < text.length; i += 4) yield { type: 'text', text: text.slice(i, i + 4) };
      yield { type: 'finish', reason: 'stop' };
    },
  };
}

/** No waiting: the debounce's timer fires on the next microtask. */
const immediateTimers = {
  setTimeout: (callback: () => void) => {
    queueMicrotask(callback);
    return 0;
  },
  clearTimeout: () => {},
};

function checkPrompt(pipeline: Pipeline, hole: EvalHole, context: HoleContext): Omit<HoleResult, 'hole' | 'completionMode'> {
  const request = pipeline.buildHoleRequest(context, { model: 'eval' });
  const empty = pipeline.buildHoleRequest({ ...context, prefix: '', suffix: '' }, { model: 'eval' });
  const text = textOfRequest(request);
  const fileChars = text.length - textOfRequest(empty).length;
  // Slack for the "(only the part around the cursor)" note and a longer marker.
  const withinBudget = fileChars <= pipeline.budgets.prefixChars + pipeline.budgets.suffixChars + 80;
  const before = hole.prefix.slice(hole.prefix.lastIndexOf('\n') + 1);
  const after = hole.suffix.split('\n').find((l, i) => i > 0 || l.trim() !== '') ?? '';
  const cursorContextKept = text.includes(before) && text.includes(after);
  return {
    promptChars: text.length,
    fileChars,
    withinBudget,
    cursorContextKept,
    maxTokens: request.maxTokens,
    middleOverMaxTokens: Math.ceil(hole.middle.length / 3) > request.maxTokens,
  };
}

async function throughEngine(pipeline: Pipeline, context: HoleContext, raw: string, useStops: boolean): Promise<string> {
  const engine = new CompletionEngine({
    streamer: fakeStreamer(raw, useStops),
    buildRequest: pipeline.buildHoleRequest,
    clean: pipeline.cleanCompletion,
    mode: pipeline.completionMode,
    debounce: { baseMs: 0 },
    timers: immediateTimers,
  });
  const text = await engine.complete('eval', context, { model: 'eval' });
  engine.dispose();
  return text ?? '';
}

export async function runEval(pipeline: Pipeline, holes: readonly EvalHole[], options: { useStops?: boolean; seed: number }) {
  const useStops = options.useStops ?? true;
  const holeResults: HoleResult[] = [];
  const cases: CaseResult[] = [];
  for (const hole of holes) {
    const context: HoleContext = { prefix: hole.prefix, suffix: hole.suffix, languageId: hole.languageId, path: hole.source.file, related: [] };
    const shape: HoleShape = { prefix: hole.prefix, suffix: hole.suffix, languageId: hole.languageId };
    const mode = pipeline.completionMode(shape);
    holeResults.push({ hole, completionMode: mode, ...checkPrompt(pipeline, hole, context) });
    const stops = stopsOf(pipeline.buildHoleRequest(context, { model: 'eval' }));
    for (const reply of repliesFor({ ...hole }, rng(seedOf(`replies:${hole.id}`) ^ options.seed))) {
      const received = useStops ? applyStops(reply.raw, stops) : reply.raw;
      let got = '';
      let error: string | undefined;
      try {
        got = pipeline.cleanCompletion(received, shape, mode);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      const engineGot = await throughEngine(pipeline, context, reply.raw, useStops);
      const expected = normalise(hole.middle);
      cases.push({
        holeId: hole.id,
        mode: reply.mode,
        note: reply.note,
        raw: reply.raw,
        received,
        expected: hole.middle,
        got,
        ...(error ? { error } : {}),
        exact: normalise(got) === expected,
        similarity: editSimilarity(normalise(got), expected),
        engineGot,
        engineExact: normalise(engineGot) === expected,
        engineSimilarity: editSimilarity(normalise(engineGot), expected),
      });
    }
  }
  return { holes: holeResults, cases };
}
