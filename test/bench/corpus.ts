// A long, realistic answer (~100 KB): prose, nested lists, tables, quotes and 30+ code
// blocks in several languages. Deterministic, so every run measures the same text.

const SNIPPETS: [string, string][] = [
  ['ts', 'export async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {\n  const response = await fetch(url, { signal });\n  if (!response.ok) {\n    throw new Error(`HTTP ${response.status} for ${url}`);\n  }\n  return (await response.json()) as T;\n}'],
  ['python', 'def chunked(items, size):\n    """Yield successive chunks of `size` from `items`."""\n    for start in range(0, len(items), size):\n        yield items[start:start + size]\n\n\nfor batch in chunked(list(range(10)), 3):\n    print(batch)'],
  ['go', 'func Sum(values []int) (total int) {\n\tfor _, v := range values {\n\t\ttotal += v\n\t}\n\treturn total\n}'],
  ['rust', 'fn parse_port(input: &str) -> Result<u16, String> {\n    input\n        .trim()\n        .parse::<u16>()\n        .map_err(|e| format!("invalid port {input}: {e}"))\n}'],
  ['sql', 'SELECT u.id, u.email, COUNT(o.id) AS orders\nFROM users u\nLEFT JOIN orders o ON o.user_id = u.id\nWHERE u.created_at > NOW() - INTERVAL \'30 days\'\nGROUP BY u.id, u.email\nORDER BY orders DESC\nLIMIT 20;'],
  ['bash', '#!/usr/bin/env bash\nset -euo pipefail\nfor file in src/*.ts; do\n  echo "checking $file"\n  npx eslint "$file"\ndone'],
  ['json', '{\n  "compilerOptions": {\n    "strict": true,\n    "target": "ES2022",\n    "module": "ESNext"\n  },\n  "include": ["src"]\n}'],
  ['java', 'public final class Retry {\n    public static <T> T withRetries(Supplier<T> action, int attempts) {\n        RuntimeException last = null;\n        for (int i = 0; i < attempts; i++) {\n            try { return action.get(); } catch (RuntimeException e) { last = e; }\n        }\n        throw last;\n    }\n}'],
  ['css', '.toolbar {\n  display: flex;\n  gap: 4px;\n  padding: 2px 8px;\n  border-bottom: 1px solid var(--vscode-panel-border);\n}'],
  ['yaml', 'name: ci\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm test'],
];

const PROSE = [
  'The function walks the input once and keeps a running total, so its cost is linear in the number of items.',
  'Note that **empty inputs** are handled explicitly: returning `NaN` silently is a classic source of bugs further down the line.',
  'If you need cancellation, thread an `AbortSignal` through every call that may wait on the network, and check it between steps.',
  'A table of the trade-offs helps when you have to explain the choice to a reviewer who was not part of the discussion.',
  'See [the documentation](https://modelslab.com/docs) for the full list of parameters and their ranges.',
];

function section(i: number): string {
  const [language, code] = SNIPPETS[i % SNIPPETS.length];
  const prose = PROSE.map((_, j) => PROSE[(i + j) % PROSE.length]).join(' ');
  return [
    `## Step ${i + 1}: ${['Parse', 'Validate', 'Transform', 'Persist', 'Report'][i % 5]} the data`,
    '',
    prose,
    '',
    `- First, look at \`input${i}\` and decide what to keep:`,
    `  - keep the fields that are **required**`,
    `  - drop the ones marked _deprecated_ (there are ${i + 2} of them)`,
    `    1. log what was dropped`,
    `    2. count it in the report`,
    `- Then run the code below.`,
    '',
    '```' + language,
    code,
    '```',
    '',
    '| Option | Cost | When to use |',
    '| --- | ---: | --- |',
    `| streaming | O(n) | answers longer than ${i + 1} KB |`,
    '| batch | O(n log n) | small inputs |',
    '| cached | O(1) | repeated reads |',
    '',
    `> Tip ${i + 1}: keep each function small enough to read in one sitting.`,
    '',
    prose,
    '',
  ].join('\n');
}

/** About `targetBytes` of markdown; the default is ~100 KB with well over 30 code blocks. */
export function longAnswer(targetBytes = 100_000): string {
  let text = '# A long answer\n\nHere is a full walk-through.\n\n';
  for (let i = 0; text.length < targetBytes; i++) text += section(i);
  return text;
}

/** A saved conversation of `count` messages (~1 MB at 500), alternating prompts and answers. */
export function longConversation(count = 500): { id: string; title: string; messages: { id: string; role: 'user' | 'assistant'; text: string; model?: string; status?: 'done' }[] } {
  const messages = [];
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) messages.push({ id: `m${i}`, role: 'user' as const, text: `Question ${i / 2 + 1}: how should I handle step ${i}?` });
    else messages.push({ id: `m${i}`, role: 'assistant' as const, text: section(i) + section(i + 1), model: 'Qwen-Qwen2.5-Coder-32B-Instruct', status: 'done' as const });
  }
  return { id: 'bench-conversation', title: 'A long conversation', messages };
}
