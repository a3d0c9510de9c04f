// Shared helpers for the llm-*.test.ts files. It holds no tests; it is named *.test.ts only
// because that is the file pattern this part of the repo owns.
import { ModelsLabClient, type ModelsLabClientConfig } from '../../src/llm/client';
import { ModelsLabError } from '../../src/llm/errors';
import type { Logger } from '../../src/llm/logger';
import type { ChatChunk, ChatMessage, ChatOptions } from '../../src/llm/types';
import type { FakeModelsLab } from '../fake-server/server';

export const KEY = 'ml-secret-key-5f3a9c';
export const MODEL = 'Qwen-Qwen2.5-Coder-32B-Instruct';
export const HELLO: ChatMessage[] = [{ role: 'user', content: 'Say hello' }];

export interface Outcome {
  chunks: ChatChunk[];
  text: string;
  error?: ModelsLabError;
}

/** Runs a stream to its end and returns what came out, including the error if it threw. */
export async function collect(stream: AsyncIterable<ChatChunk>): Promise<Outcome> {
  const chunks: ChatChunk[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk);
  } catch (err) {
    if (!(err instanceof ModelsLabError)) throw err;
    return { chunks, text: textOf(chunks), error: err };
  }
  return { chunks, text: textOf(chunks) };
}

export function textOf(chunks: ChatChunk[]): string {
  return chunks.map((c) => (c.type === 'text' ? c.text : '')).join('');
}

/** A logger that keeps every line, to assert on (and to check that the key never shows up). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const write =
    (level: string) =>
    (message: string, ...args: unknown[]) =>
      void lines.push([level, message, ...args.map(String)].join(' '));
  return { lines, trace: write('trace'), debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

export interface TestClient {
  client: ModelsLabClient;
  sleeps: number[];
  logger: ReturnType<typeof memoryLogger>;
}

/** A client against the fake server whose retry waits are recorded instead of slept. */
export function makeClient(server: FakeModelsLab, config: Partial<ModelsLabClientConfig> = {}): TestClient {
  const sleeps: number[] = [];
  const logger = memoryLogger();
  const client = new ModelsLabClient({
    baseUrl: `${server.url}/api/v7/llm`,
    apiKey: KEY,
    connectTimeoutMs: 2_000,
    idleTimeoutMs: 2_000,
    logger,
    random: () => 0.5,
    sleep: async (ms, signal) => {
      sleeps.push(ms);
      if (signal?.aborted) throw signal.reason;
    },
    ...config,
  });
  return { client, sleeps, logger };
}

export function chat(client: ModelsLabClient, options: Partial<ChatOptions> = {}, signal?: AbortSignal): Promise<Outcome> {
  return collect(client.streamChat(HELLO, { model: MODEL, ...options }, signal));
}

/** Timers that fire only when the test advances its clock: idle and connect timeouts without waiting. */
export class ManualTimers {
  private time = 0;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();
  /** How many callbacks have run. */
  fired = 0;

  monotonicNow = (): number => this.time;

  setTimeout = (callback: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.pending.set(id, { at: this.time + ms, callback });
    return id;
  };

  clearTimeout = (handle: unknown): void => {
    this.pending.delete(handle as number);
  };

  /** Moves the clock on by `ms`, running each timer that falls due, in order. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.time = due[1].at;
      this.fired++;
      due[1].callback();
    }
    this.time = until;
  }

  /**
   * Moves the clock on in steps of `stepMs`, letting sockets and promises run between steps, until
   * `promise` settles. Stops once the clock reaches `limitMs`, so a timer that never fires fails
   * the test instead of hanging it. Returns whether the promise settled.
   */
  async advanceUntilSettled(promise: Promise<unknown>, stepMs = 10, limitMs = 10_000): Promise<boolean> {
    let settled = false;
    void promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((resolve) => setImmediate(resolve));
    while (!settled && this.time < limitMs) {
      this.advance(stepMs);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return settled;
  }
}
