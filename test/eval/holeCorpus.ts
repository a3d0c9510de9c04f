// The eval's 200 holes: files from node_modules chosen by a seeded PRNG (packages taken in
// turn, so one big package cannot fill a language), each hole recorded with where it came
// from. Same node_modules (package-lock.json), same holes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cutRandomHole, kindsFor, type HoleKind } from './holeCutter';
import { rng, seedOf } from './prng';
import { listSourceFiles, packageOf, rejectReason, type EvalLanguage, type PackageInfo, type SourceFile } from './sourceFiles';

export interface HoleSource {
  package: string;
  version: string;
  license: string;
  /** Relative to the repository root. */
  file: string;
  /** 1-based line and column of the cursor. */
  line: number;
  column: number;
}

export interface EvalHole {
  id: string;
  languageId: EvalLanguage;
  kind: HoleKind;
  source: HoleSource;
  prefix: string;
  middle: string;
  suffix: string;
}

/** Holes per language; 200 in all. Languages with few files get several holes per file. */
export const QUOTAS: Record<EvalLanguage, number> = {
  typescript: 42,
  javascript: 42,
  css: 22,
  json: 26,
  markdown: 26,
  python: 10,
  shellscript: 10,
  yaml: 14,
  html: 8,
};

/** The default seed. Another (`--seed N`) gives a different corpus from the same files: a held-out set. */
export const SEED = 20_261_130;

interface Candidate extends SourceFile {
  pkg: PackageInfo;
}

/** Files of one language in the order the eval tries them: packages shuffled, then one file from each in turn. */
function tryOrder(files: readonly Candidate[], languageId: string, seed: number): Candidate[] {
  const random = rng(seedOf(`files:${languageId}`) ^ seed);
  const byPackage = new Map<string, Candidate[]>();
  for (const file of files) {
    const key = `${file.pkg.name}@${file.pkg.version}`;
    if (!byPackage.has(key)) byPackage.set(key, []);
    byPackage.get(key)!.push(file);
  }
  const queues = random.shuffle([...byPackage.keys()].sort()).map((key) => random.shuffle(byPackage.get(key)!));
  const order: Candidate[] = [];
  for (let round = 0; order.length < files.length; round++) for (const queue of queues) if (round < queue.length) order.push(queue[round]);
  return order;
}

export function buildCorpus(root: string, seed = SEED): EvalHole[] {
  const cache = new Map<string, PackageInfo | undefined>();
  const byLanguage = new Map<EvalLanguage, Candidate[]>();
  for (const file of listSourceFiles(root)) {
    const pkg = packageOf(root, file.path, cache);
    if (!pkg || !pkg.license || /UNLICENSED|SEE LICENSE/i.test(pkg.license)) continue; // only files whose package names an open licence
    if (!byLanguage.has(file.languageId)) byLanguage.set(file.languageId, []);
    byLanguage.get(file.languageId)!.push({ ...file, pkg });
  }

  const holes: EvalHole[] = [];
  for (const languageId of Object.keys(QUOTAS) as EvalLanguage[]) {
    const quota = QUOTAS[languageId];
    const order = tryOrder(byLanguage.get(languageId) ?? [], languageId, seed);
    const texts = new Map<string, string | undefined>();
    const taken = new Map<string, Set<number>>();
    const perKind = new Map<HoleKind, number>(kindsFor(languageId).map((k) => [k, 0]));
    let got = 0;
    // Pass 1 takes one hole per usable file; later passes a further hole from each, until the
    // quota is met or a pass finds nothing new.
    for (let pass = 0, before = -1; got < quota && got > before && pass < 20; pass++) {
      before = got;
      for (const file of order) {
        if (got >= quota) break;
        if (!texts.has(file.path)) {
          const text = fs.readFileSync(path.join(root, file.path), 'utf8').replace(/\r\n?/g, '\n');
          texts.set(file.path, rejectReason(text) ? undefined : text);
        }
        const text = texts.get(file.path);
        if (text === undefined) continue;
        const lines = taken.get(file.path) ?? new Set<number>();
        const random = rng(seedOf(`${file.path}#${pass}`) ^ seed);
        // The kind furthest behind its share first (ties in a PRNG order), then the others.
        const kinds = random.shuffle([...perKind.keys()]).sort((a, b) => perKind.get(a)! - perKind.get(b)!);
        const cut = cutRandomHole(text, languageId, random, lines, kinds);
        if (!cut) continue;
        perKind.set(cut.kind, perKind.get(cut.kind)! + 1);
        lines.add(cut.line);
        taken.set(file.path, lines);
        got++;
        holes.push({
          id: `${languageId}-${String(got).padStart(2, '0')}`,
          languageId,
          kind: cut.kind,
          source: { package: file.pkg.name, version: file.pkg.version, license: file.pkg.license, file: file.path, line: cut.line + 1, column: cut.column + 1 },
          prefix: cut.prefix,
          middle: cut.middle,
          suffix: cut.suffix,
        });
      }
    }
  }
  return holes;
}
