// npm run eval:completions — an offline quality table for ghost text's post-processing.
// 200 holes cut from real files in node_modules, fake chat-model replies around each true
// middle in the ways chat models fail, the real prompt builder and post-processor. Writes
// test-results/eval-completions.json. Options: --no-stops (skip the server's stop sequences),
// --worst N (clean-up cases listed, default 5; engine-only misses up to 3), --seed N (another corpus and other replies from the same
// files: a held-out set for changes tuned on the default one).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildHoleRequest, completionMode, HOLE_DEFAULTS } from '../../src/completion/holePrompt';
import { cleanCompletion } from '../../src/completion/postProcess';
import { FAILURE_MODES } from './failureModes';
import { buildCorpus, QUOTAS, SEED } from './holeCorpus';
import { printReport, summarise, worstCases } from './report';
import { runEval } from './runEval';

async function main(): Promise<void> {
  const started = Date.now();
  const args = process.argv.slice(2);
  const useStops = !args.includes('--no-stops');
  const worstAt = args.indexOf('--worst');
  const worstCount = worstAt >= 0 ? Number(args[worstAt + 1]) || 5 : 5;
  const seedAt = args.indexOf('--seed');
  const seed = seedAt >= 0 ? Number(args[seedAt + 1]) >>> 0 : SEED;
  const root = path.resolve(__dirname, '../..');

  const holes = buildCorpus(root, seed);
  const { holes: holeResults, cases } = await runEval(
    { buildHoleRequest, completionMode, cleanCompletion, budgets: { prefixChars: HOLE_DEFAULTS.prefixChars, suffixChars: HOLE_DEFAULTS.suffixChars } },
    holes,
    { useStops, seed },
  );
  const summary = summarise(holeResults, cases, FAILURE_MODES);
  const worst = { cleanup: worstCases(cases, worstCount), engine: worstCases(cases, Math.min(3, worstCount), 'engine') };
  console.log(printReport(summary, worst, new Map(holeResults.map((h) => [h.hole.id, h])), useStops));

  const out = path.join(root, 'test-results', 'eval-completions.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const json = {
    seed,
    quotas: QUOTAS,
    useStops,
    budgets: HOLE_DEFAULTS,
    summary,
    holes: holeResults.map(({ hole, ...rest }) => ({ id: hole.id, languageId: hole.languageId, kind: hole.kind, source: hole.source, middle: hole.middle, ...rest })),
    cases,
  };
  fs.writeFileSync(out, JSON.stringify(json, null, 1) + '\n');
  console.log(`\nWrote ${path.relative(root, out)} (${cases.length} cases) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
