// The eval's table (stdout) and its JSON (test-results/eval-completions.json): overall, then by
// failure mode, language, hole kind and completion mode, the prompt checks, and the worst cases.
import { seedOf } from './prng';
import type { CaseResult, HoleResult } from './runEval';

export interface Row {
  group: string;
  cases: number;
  exactPct: number;
  meanSimilarity: number;
  engineExactPct: number;
  engineMeanSimilarity: number;
}

const round = (x: number, places = 4): number => Math.round(x * 10 ** places) / 10 ** places;

export function row(group: string, cases: readonly CaseResult[]): Row {
  const n = cases.length || 1;
  const sum = (f: (c: CaseResult) => number) => cases.reduce((s, c) => s + f(c), 0);
  return {
    group,
    cases: cases.length,
    exactPct: round((100 * sum((c) => (c.exact ? 1 : 0))) / n, 1),
    meanSimilarity: round(sum((c) => c.similarity) / n),
    engineExactPct: round((100 * sum((c) => (c.engineExact ? 1 : 0))) / n, 1),
    engineMeanSimilarity: round(sum((c) => c.engineSimilarity) / n),
  };
}

/** Rows for each value of `key`, in first-seen order unless `order` gives one. */
export function rowsBy(cases: readonly CaseResult[], key: (c: CaseResult) => string, order?: readonly string[]): Row[] {
  const groups = new Map<string, CaseResult[]>();
  for (const name of order ?? []) groups.set(name, []);
  for (const c of cases) {
    const k = key(c);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(c);
  }
  return [...groups].filter(([, list]) => list.length > 0).map(([name, list]) => row(name, list));
}

/** How a list of worst cases scores: the clean-up alone, or the engine where the clean-up alone was exact. */
export type Scoring = 'cleanup' | 'engine';

const missed = (c: CaseResult, by: Scoring): boolean => (by === 'cleanup' ? !c.exact : c.exact && !c.engineExact);
const score = (c: CaseResult, by: Scoring): number => (by === 'cleanup' ? c.similarity : c.engineSimilarity);

/**
 * The `count` lowest-similarity misses, at most one per failure mode and per hole while others
 * have misses, so the list points at different problems. Ties are broken by a hash of hole and
 * mode (not alphabetically, which would list one language first), the same every run.
 */
export function worstCases(cases: readonly CaseResult[], count: number, by: Scoring = 'cleanup'): CaseResult[] {
  const tie = (c: CaseResult) => seedOf(`${c.holeId}/${c.mode}`);
  const order = (a: CaseResult, b: CaseResult) => score(a, by) - score(b, by) || tie(a) - tie(b);
  const sorted = cases.filter((c) => missed(c, by)).sort(order);
  const picked: CaseResult[] = [];
  const modes = new Set<string>();
  const holes = new Set<string>();
  for (const c of sorted) {
    if (picked.length >= count) break;
    if (!modes.has(c.mode) && !holes.has(c.holeId)) {
      picked.push(c);
      modes.add(c.mode);
      holes.add(c.holeId);
    }
  }
  for (const c of sorted) {
    if (picked.length >= count) break;
    if (!picked.includes(c)) picked.push(c);
  }
  return picked.sort(order);
}

export function promptStats(holes: readonly HoleResult[]) {
  const sizes = holes.map((h) => h.promptChars).sort((a, b) => a - b);
  return {
    holes: holes.length,
    medianPromptChars: sizes[Math.floor(sizes.length / 2)] ?? 0,
    maxPromptChars: sizes[sizes.length - 1] ?? 0,
    overBudget: holes.filter((h) => !h.withinBudget).map((h) => h.hole.id),
    cursorContextLost: holes.filter((h) => !h.cursorContextKept).map((h) => h.hole.id),
    middleOverMaxTokens: holes.filter((h) => h.middleOverMaxTokens).map((h) => h.hole.id),
    maxTokens: holes[0]?.maxTokens ?? 0,
  };
}

function table(title: string, rows: readonly Row[]): string {
  const header = ['', 'cases', 'exact', 'similarity', 'engine exact', 'engine sim.'];
  const cells = rows.map((r) => [r.group, String(r.cases), `${r.exactPct.toFixed(1)}%`, r.meanSimilarity.toFixed(3), `${r.engineExactPct.toFixed(1)}%`, r.engineMeanSimilarity.toFixed(3)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  return [`${title}`, line(header), ...cells.map(line)].join('\n');
}

const show = (text: string, max = 240): string => {
  const s = JSON.stringify(text);
  return s.length > max ? `${s.slice(0, max)}…" (${text.length} chars)` : s;
};

function listCases(out: string[], title: string, cases: readonly CaseResult[], holeById: ReadonlyMap<string, HoleResult>, by: Scoring): void {
  out.push('');
  out.push(cases.length === 0 ? `${title}: none.` : `${title}:`);
  cases.forEach((c, i) => {
    const h = holeById.get(c.holeId)!;
    const s = h.hole.source;
    out.push(`${i + 1}. ${c.holeId} [${c.mode}: ${c.note}] ${h.hole.kind}, ${h.completionMode} mode — ${s.file}:${s.line}:${s.column} (${s.package}@${s.version}, ${s.license}); similarity ${score(c, by).toFixed(3)}`);
    out.push(`   raw:      ${show(c.raw)}`);
    if (c.received !== c.raw) out.push(`   received: ${show(c.received)}`);
    out.push(`   expected: ${show(c.expected)}`);
    if (by === 'cleanup') out.push(`   got:      ${show(c.got)}${c.error ? `  (threw: ${c.error})` : ''}`);
    else out.push(`   engine:   ${show(c.engineGot)}  (the clean-up alone got it right)`);
  });
}

export function printReport(
  summary: ReturnType<typeof summarise>,
  worst: { cleanup: readonly CaseResult[]; engine: readonly CaseResult[] },
  holeById: ReadonlyMap<string, HoleResult>,
  useStops = true,
): string {
  const out: string[] = [];
  const o = summary.overall;
  out.push(`Completion eval: ${summary.prompt.holes} holes, ${o.cases} replies.`);
  out.push(`Overall: exact ${o.exactPct.toFixed(1)}%, mean edit similarity ${o.meanSimilarity.toFixed(3)} (post-processor on the reply ${useStops ? 'as the server sends it, cut at the request\'s stop sequences' : 'as the model wrote it (--no-stops)'})`);
  out.push(`         exact ${o.engineExactPct.toFixed(1)}%, mean edit similarity ${o.engineMeanSimilarity.toFixed(3)} (through CompletionEngine, streamed, line mode stopping once its line has settled)`);
  out.push('');
  out.push(table('By failure mode', summary.byFailureMode));
  out.push('');
  out.push(table('By language', summary.byLanguage));
  out.push('');
  out.push(table('By hole kind', summary.byKind));
  out.push('');
  out.push(table('By completion mode (completionMode of the hole)', summary.byCompletionMode));
  out.push('');
  const p = summary.prompt;
  out.push(`Prompts: median ${p.medianPromptChars} chars, largest ${p.maxPromptChars}; over the prefix+suffix budget: ${p.overBudget.length}; cursor line or next line missing: ${p.cursorContextLost.length}; true middle over maxTokens (${p.maxTokens}, at 3 chars a token): ${p.middleOverMaxTokens.length}`);
  listCases(out, 'Worst cases of the clean-up (lowest similarity, one per failure mode and hole first)', worst.cleanup, holeById, 'cleanup');
  listCases(out, 'Worst cases through the engine only (the clean-up alone was exact)', worst.engine, holeById, 'engine');
  return out.join('\n');
}

export function summarise(holes: readonly HoleResult[], cases: readonly CaseResult[], modeOrder: readonly string[]) {
  const byId = new Map(holes.map((h) => [h.hole.id, h]));
  return {
    overall: row('all', cases),
    byFailureMode: rowsBy(cases, (c) => c.mode, modeOrder),
    byLanguage: rowsBy(cases, (c) => byId.get(c.holeId)!.hole.languageId),
    byKind: rowsBy(cases, (c) => byId.get(c.holeId)!.hole.kind, ['line-rest', 'next-line', 'block-body']),
    byCompletionMode: rowsBy(cases, (c) => byId.get(c.holeId)!.completionMode, ['line', 'block']),
    prompt: promptStats(holes),
  };
}
