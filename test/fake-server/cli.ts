// Starts the local ModelsLab-compatible server for demos and manual runs:
//   npx tsx test/fake-server/cli.ts [--port N] [--text "..."] [--tps N] [--queue-cap N]
import { DEFAULT_MODEL_IDS, startFakeModelsLab } from './server';

export const DEMO_REPLY = [
  'Here is a small, typed `debounce` helper. It delays calling `fn` until `waitMs` have passed',
  'without another call, which is handy for search boxes and resize handlers.',
  '',
  '```typescript',
  'export function debounce<A extends unknown[]>(fn: (...args: A) => void, waitMs: number) {',
  '  let timer: ReturnType<typeof setTimeout> | undefined;',
  '  return (...args: A): void => {',
  '    clearTimeout(timer);',
  '    timer = setTimeout(() => fn(...args), waitMs);',
  '  };',
  '}',
  '```',
  '',
  '**How it works**',
  '',
  '1. Each call clears the pending timer, so only the last call in a burst survives.',
  '2. The generic `A` keeps the argument types of `fn`, so callers get full type checking.',
  '',
  'Use it like `const onInput = debounce((q: string) => search(q), 300);`.',
].join('\n');

function parseArgs(argv: string[]): { port: number; text: string; tps: number; queueCap: number | null } {
  const options = { port: 0, text: DEMO_REPLY, tps: 40, queueCap: null as number | null };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case '--port':
        options.port = Number(value);
        i++;
        break;
      case '--text':
        options.text = value ?? '';
        i++;
        break;
      case '--tps':
        options.tps = Number(value);
        i++;
        break;
      case '--queue-cap':
        options.queueCap = Number(value);
        i++;
        break;
      case '--help':
        console.log('Usage: tsx test/fake-server/cli.ts [--port N] [--text "..."] [--tps N] [--queue-cap N]');
        process.exit(0);
        break;
      default:
        console.error(`Unknown argument: ${argv[i]}`);
        process.exit(2);
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0) throw new Error('--port must be a non-negative integer');
  if (!Number.isFinite(options.tps) || options.tps < 0) throw new Error('--tps must be a non-negative number');
  if (options.queueCap !== null && (!Number.isInteger(options.queueCap) || options.queueCap < 0)) throw new Error('--queue-cap must be a non-negative integer');
  return options;
}

async function main(): Promise<void> {
  const { port, text, tps, queueCap } = parseArgs(process.argv.slice(2));
  const server = await startFakeModelsLab({ port });
  server.setDefault({ text, tokensPerSecond: tps });
  server.setModels([...DEFAULT_MODEL_IDS]);
  // Like a ModelsLab plan: past N chat requests in flight, 429 with retry_after.
  if (queueCap !== null) server.setQueueCap(queueCap);
  console.log(`ModelsLab-compatible server listening on ${server.url}`);
  console.log(`Base URL for the extension: ${server.url}/api/v7/llm (any API key works)`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
