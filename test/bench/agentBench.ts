// 6. The agent: text search over a generated 20,000-file workspace (our search, with VS Code's
// own ripgrep where the machine has it, against the naive way: list every file, read them all,
// scan), and the latency the tool loop adds to each tool round trip.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentTool } from '../../src/agent/agentTool';
import { findRipgrep, searchText, type TextSearchQuery } from '../../src/agent/textSearch';
import { runToolLoop } from '../../src/agent/toolLoop';
import { ModelsLabClient } from '../../src/llm/client';
import { chatRequest } from '../../src/llm/request';
import { startFakeModelsLab } from '../fake-server/server';
import { repoRoot } from '../host/codeServer.mjs';

export interface AgentBench {
  files: number;
  engine: string;
  oursFirst50Ms: number;
  oursWholeMs: number;
  naiveFirst50Ms: number;
  naiveWholeMs: number;
  oursPeakHeapMB: number;
  naivePeakHeapMB: number;
  /** Median per tool round trip: the loop's two requests minus two plain requests. */
  loopAddedMs: number;
}

const FILES = 20_000;
const PATTERN = 'RETRY_AFTER_CAP';
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function generateWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'ml-bench-ws-'));
  const filler = Array.from({ length: 60 }, (_, i) => `export function helper${i}(value: number): number { return value * ${i}; }`).join('\n');
  for (let i = 0; i < FILES; i++) {
    const dir = join(root, 'src', `pkg${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(dir, { recursive: true });
    // One file in 40 mentions the pattern, spread through the tree.
    writeFileSync(join(dir, `file${i}.ts`), i % 40 === 7 ? `${filler}\nexport const ${PATTERN} = ${i};\n` : `${filler}\n`);
  }
  return root;
}

/** The naive search: every file listed, all of them read, then scanned. */
async function naiveSearch(root: string, maxResults: number): Promise<number> {
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else files.push(full);
    }
  };
  await walk(root);
  // All of them in memory, as a findFiles-then-read-each search ends up holding them (read 256
  // at a time: one Promise.all over 20,000 files runs out of file handles).
  const texts: string[] = [];
  for (let i = 0; i < files.length; i += 256) texts.push(...(await Promise.all(files.slice(i, i + 256).map((file) => readFile(file, 'utf8')))));
  let found = 0;
  for (const text of texts) {
    for (const line of text.split('\n')) if (line.includes(PATTERN) && ++found >= maxResults) return found;
  }
  return found;
}

/** Runs `work` and samples the heap meanwhile; returns its time and the heap's peak above where it started. */
async function measured(work: () => Promise<unknown>): Promise<{ ms: number; peakMB: number }> {
  global.gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { ms, peakMB: (peak - base) / 2 ** 20 };
}

export async function benchAgent(): Promise<AgentBench> {
  const root = generateWorkspace();
  try {
    const rg = findRipgrep(join(repoRoot, '.vscode-test', 'code-server', 'node_modules', 'code-server', 'lib', 'vscode'));
    const query = (maxResults: number): TextSearchQuery => ({ roots: [root], pattern: PATTERN, isRegex: false, maxResults, maxFileBytes: 1024 * 1024 });
    // Warm the file cache for both, so neither pays for the first read of the disk.
    await naiveSearch(root, Infinity);
    const oursFirst = await measured(() => searchText(query(50), rg));
    const oursWhole = await measured(() => searchText(query(1_000_000), rg));
    const naiveFirst = await measured(() => naiveSearch(root, 50));
    const naiveWhole = await measured(() => naiveSearch(root, Infinity));
    return {
      files: FILES,
      engine: rg ? 'ripgrep' : 'javascript',
      oursFirst50Ms: oursFirst.ms,
      oursWholeMs: oursWhole.ms,
      naiveFirst50Ms: naiveFirst.ms,
      naiveWholeMs: naiveWhole.ms,
      oursPeakHeapMB: Math.max(oursFirst.peakMB, oursWhole.peakMB),
      naivePeakHeapMB: Math.max(naiveFirst.peakMB, naiveWhole.peakMB),
      loopAddedMs: await loopLatency(),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The loop's cost per tool round trip: one tool call (two requests) against two plain requests. */
async function loopLatency(): Promise<number> {
  const server = await startFakeModelsLab();
  try {
    const client = new ModelsLabClient({ baseUrl: server.url, apiKey: 'bench-key', maxRetries: 0 });
    const request = chatRequest([{ role: 'user', content: 'ping' }], { model: 'Qwen-Qwen2.5-Coder-32B-Instruct', maxTokens: 64 });
    const noop: AgentTool = { readOnly: true, spec: { name: 'noop', description: 'Does nothing', parameters: { type: 'object' } }, run: async () => ({ content: 'ok', summary: 'noop' }) };
    const plain = async () => {
      for await (const chunk of client.stream(request)) void chunk;
    };
    const added: number[] = [];
    for (let i = 0; i < 35; i++) {
      server.enqueue({ text: 'a' }, { text: 'b' });
      let started = performance.now();
      await plain();
      await plain();
      const twoPlain = performance.now() - started;
      server.enqueue({ toolCalls: [{ id: `c${i}`, name: 'noop', arguments: '{}' }], finishReason: 'tool_calls' }, { text: 'b' });
      started = performance.now();
      await runToolLoop({ streamer: client, request, tools: [noop], onEvent: () => undefined });
      const loop = performance.now() - started;
      if (i >= 5) added.push(loop - twoPlain);
    }
    return median(added);
  } finally {
    await server.close();
  }
}
