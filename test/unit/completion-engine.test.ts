// CompletionEngine against the local ModelsLab server through a real ModelsLabClient: real
// sockets, so an abort must reach the server as a closed connection. Only the debounce runs on
// ManualTimers; the prompt builder and the clean-up are simple stand-ins for holePrompt.ts and
// postProcess.ts.
import * as assert from 'node:assert/strict';
import { CompletionEngine, type BuildHoleRequest, type CleanCompletion, type CompletionEvent, type CompletionMode } from '../../src/completion/completionEngine';
import type { HoleContext } from '../../src/completion/types';
import { ModelsLabError } from '../../src/llm/errors';
import { textPart } from '../../src/llm/request';
import { RequestGovernor } from '../../src/llm/requestGovernor';
import type { ChatStreamer } from '../../src/llm/streamer';
import type { ChatChunk } from '../../src/llm/types';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import { collect, HELLO, makeClient, ManualTimers, MODEL } from './llm-helpers';

const DOC = 'file:///work/src/a.ts';

/** Ghost text's policy, as buildHoleRequest sets it: no retries, short timeouts, no fallback. */
const buildRequest: BuildHoleRequest = (hole, { model, maxTokens }) => ({
  model,
  maxTokens: maxTokens ?? 64,
  messages: [{ role: 'user', parts: [textPart(`${hole.prefix}<FILL>${hole.suffix}`)] }],
  policy: { maxRetries: 0, connectTimeoutMs: 2_000, idleTimeoutMs: 2_000, allowFallback: false },
});

/** Line mode: the first line that is neither blank nor a fence. Block mode: the text, trailing newlines cut. */
const clean: CleanCompletion = (raw, _hole, mode) =>
  mode === 'line' ? (raw.split('\n').find((l) => l.trim() && !l.startsWith('```')) ?? '').trimEnd() : raw.replace(/\n+$/, '');

function hole(prefix: string, suffix = '\n'): HoleContext {
  return { prefix, suffix, languageId: 'typescript', path: 'src/a.ts', related: [] };
}

interface Rig {
  engine: CompletionEngine;
  timers: ManualTimers;
  events: CompletionEvent[];
  /** The next event of this type (or the first one already seen since the last call). */
  next<T extends CompletionEvent['type']>(type: T): Promise<Extract<CompletionEvent, { type: T }>>;
  /** Runs the debounce out. */
  elapse(): void;
  sleeps: number[];
}

function rig(server: FakeModelsLab, options: { mode?: CompletionMode; streamer?: ChatStreamer; governor?: RequestGovernor; maxTokens?: number } = {}): Rig {
  const timers = new ManualTimers();
  const { client, sleeps } = makeClient(server, options.governor ? { governor: options.governor } : {});
  const events: CompletionEvent[] = [];
  const waiting: { type: string; resolve: (e: CompletionEvent) => void }[] = [];
  let seen = 0;
  const engine = new CompletionEngine({
    streamer: options.streamer ?? client,
    buildRequest,
    clean,
    mode: () => options.mode ?? 'block',
    debounce: { baseMs: 100 },
    timers,
    now: timers.monotonicNow,
    ...(options.maxTokens ? { maxTokens: options.maxTokens } : {}),
    onEvent: (event) => {
      events.push(event);
      const index = waiting.findIndex((w) => w.type === event.type);
      if (index >= 0) waiting.splice(index, 1)[0]!.resolve(event);
    },
  });
  return {
    engine,
    timers,
    events,
    sleeps,
    next(type) {
      const already = events.slice(seen).find((e) => e.type === type);
      seen = events.length;
      if (already) return Promise.resolve(already as never);
      return new Promise((resolve) => waiting.push({ type, resolve: resolve as (e: CompletionEvent) => void }));
    },
    elapse: () => timers.advance(engine.debounce.maxMs),
  };
}

describe('CompletionEngine against the local server', () => {
  let server: FakeModelsLab;

  before(async () => {
    server = await startFakeModelsLab();
  });
  afterEach(() => server.reset());
  after(() => server.close());

  it('a burst of keystrokes faster than the debounce sends one request, for the last one', async () => {
    server.enqueue({ text: 'ant x = 1;' });
    const { engine, timers, elapse } = rig(server, { maxTokens: 48 });
    const calls = ['c', 'co', 'con', 'cons'].map((p) => engine.complete(DOC, hole(p), { model: MODEL }));
    // Each newer call ends the older one at once: it resolves undefined without a request.
    assert.deepEqual(await Promise.all(calls.slice(0, 3)), [undefined, undefined, undefined]);
    timers.advance(engine.debounce.delayMs() - 1);
    await Promise.resolve();
    assert.equal(engine.stats.requests, 0, 'nothing is sent before the debounce runs out');
    elapse();
    assert.equal(await calls[3], 'ant x = 1;');
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0]!.body.messages[0].content, 'cons<FILL>\n');
    assert.equal(server.requests[0]!.body.max_tokens, 48);
    assert.deepEqual({ requests: engine.stats.requests, debounced: engine.stats.debounced }, { requests: 1, debounced: 3 });
  });

  it('a call that comes just as the older one’s debounce runs out still supersedes it', async () => {
    server.enqueue({ text: 'newer' });
    const { engine, elapse } = rig(server);
    const older = engine.complete(DOC, hole('a'), { model: MODEL });
    elapse();
    // Same tick: the older call's timer has fired, but it has not sent its request yet.
    const newer = engine.complete(DOC, hole('ab'), { model: MODEL });
    assert.equal(await older, undefined);
    elapse();
    assert.equal(await newer, 'newer');
    assert.equal(server.requests.length, 1);
  });

  it('a call during a slow reply aborts the older request: the server sees the client close it', async () => {
    server.enqueue({ text: 'x'.repeat(400), chunkSize: 4, tokensPerSecond: 20 }, { text: 'second' });
    const { engine, elapse, next } = rig(server);
    const first = engine.complete(DOC, hole('let a = '), { model: MODEL });
    elapse();
    await next('firstText');
    const second = engine.complete(DOC, hole('let a = b'), { model: MODEL });
    const [slow] = await server.waitForRequests(1);
    await slow!.closed;
    assert.equal(slow!.closedByClient, true);
    assert.equal(await first, undefined);
    const aborted = await next('aborted');
    assert.ok(aborted.receivedTokens > 0);
    elapse();
    assert.equal(await second, 'second');
    assert.equal(server.requests.length, 2);
    const stats = engine.stats;
    assert.equal(stats.aborted, 1);
    assert.equal(stats.abortedAfterFirstToken, 1);
    assert.equal(stats.wastedTokens, aborted.receivedTokens);
    assert.ok(stats.completionTokens >= stats.wastedTokens, 'wasted tokens are part of the total');
  });

  it('typing through a suggestion, and backspace, are served from the cache without a request', async () => {
    server.enqueue({ text: 'clamp(v, 0, 1);' });
    const { engine, elapse } = rig(server);
    const asked = engine.complete(DOC, hole('const y = '), { model: MODEL });
    elapse();
    assert.equal(await asked, 'clamp(v, 0, 1);');
    // No elapse() from here on: a call that waited on the debounce would never resolve.
    assert.equal(await engine.complete(DOC, hole('const y = cla'), { model: MODEL }), 'mp(v, 0, 1);');
    assert.equal(await engine.complete(DOC, hole('const y = cl'), { model: MODEL }), 'amp(v, 0, 1);', 'backspace');
    assert.equal(await engine.complete(DOC, hole('const y = '), { model: MODEL }), 'clamp(v, 0, 1);', 'back where it was asked');
    assert.equal(server.requests.length, 1);
    assert.deepEqual({ requests: engine.stats.requests, cacheHits: engine.stats.cacheHits }, { requests: 1, cacheHits: 3 });
  });

  it('a reply that cleans to nothing shows nothing, and is not asked for again at the same place', async () => {
    server.enqueue({ text: '\n\n' });
    const { engine, elapse } = rig(server, { mode: 'line' });
    const asked = engine.complete(DOC, hole('}'), { model: MODEL });
    elapse();
    assert.equal(await asked, undefined);
    assert.equal(await engine.complete(DOC, hole('}'), { model: MODEL }), undefined);
    assert.equal(server.requests.length, 1);
    assert.equal(engine.stats.cacheHits, 1);
  });

  for (const status of [429, 500]) {
    it(`a ${status} is not retried: one request reaches the server, and the call resolves undefined`, async () => {
      // A second script the server would answer, should anything retry.
      server.enqueue({ status, retryAfter: '1' }, { text: 'retried' });
      const { engine, elapse, next, sleeps } = rig(server);
      const asked = engine.complete(DOC, hole('fn('), { model: MODEL });
      elapse();
      assert.equal(await asked, undefined);
      const failed = await next('failed');
      assert.ok(failed.error instanceof ModelsLabError);
      assert.equal(failed.error.status, status);
      assert.equal(server.requests.length, 1);
      assert.deepEqual(sleeps, [], 'no retry was even waited for');
      assert.deepEqual({ failed: engine.stats.failed, aborted: engine.stats.aborted }, { failed: 1, aborted: 0 });
      // A failure is not cached: the same place asks again.
      const again = engine.complete(DOC, hole('fn('), { model: MODEL });
      elapse();
      assert.equal(await again, 'retried');
    });
  }

  it('model errors and a dropped stream resolve undefined without throwing', async () => {
    server.enqueue({ status: 404 }, { legacyErrorAsSse: true, errorMessage: 'Insufficient credits' }, { text: 'abcdefgh', dropAfterChunks: 1 });
    const { engine, elapse } = rig(server);
    for (const prefix of ['a', 'b', 'c']) {
      const asked = engine.complete(DOC, hole(prefix), { model: MODEL });
      elapse();
      assert.equal(await asked, undefined);
    }
    assert.equal(server.requests.length, 3);
    assert.equal(engine.stats.failed, 3);
    assert.equal(engine.stats.aborted, 0, 'a failure is not an abort');
  });

  it("the governor's queued chunks are ignored: the suggestion comes once a slot frees", async () => {
    const governor = new RequestGovernor({ limit: 1 });
    const passed: ChatChunk[] = [];
    let sawQueued!: () => void;
    const queued = new Promise<void>((resolve) => (sawQueued = resolve));
    const { client } = makeClient(server, { governor });
    // A tap between the engine and the client, to know when the request is waiting in line.
    const streamer: ChatStreamer = {
      async *stream(request, signal) {
        for await (const chunk of client.stream(request, signal)) {
          passed.push(chunk);
          if (chunk.type === 'queued') sawQueued();
          yield chunk;
        }
      },
    };
    server.enqueue({ stallBeforeHeaders: true }, { text: 'slot()' });
    const blocker = new AbortController();
    const holding = collect(client.streamChat(HELLO, { model: MODEL }, blocker.signal));
    await server.waitForRequests(1);
    const { engine, elapse } = rig(server, { streamer, governor });
    const asked = engine.complete(DOC, hole('await '), { model: MODEL });
    elapse();
    await queued;
    blocker.abort();
    await holding;
    assert.equal(await asked, 'slot()');
    assert.deepEqual(
      passed.filter((c) => c.type === 'queued'),
      [
        { type: 'queued', position: 1 },
        { type: 'queued', position: 0 },
      ],
    );
  });

  it('line mode stops reading once its line has settled (a line after it changes nothing), and closes the request', async () => {
    // The server would never finish this reply: only our early stop can end it. Nine chunks of
    // three reach "more();\n": the clean-up is "foo(bar);" after that line as after the one before.
    server.enqueue({ text: '\n```ts\nfoo(bar);\nmore();\nand();\n', chunkSize: 3, stallAfterChunks: 9 });
    const { engine, elapse, next } = rig(server, { mode: 'line' });
    const asked = engine.complete(DOC, hole('x = '), { model: MODEL });
    elapse();
    assert.equal(await asked, 'foo(bar);');
    const [request] = await server.waitForRequests(1);
    await request!.closed;
    assert.equal(request!.closedByClient, true);
    assert.equal((await next('done')).stoppedEarly, true);
    assert.deepEqual({ stoppedEarly: engine.stats.stoppedEarly, aborted: engine.stats.aborted }, { stoppedEarly: 1, aborted: 0 });
  });

  it('counts completion tokens from the usage chunk, else estimates them', async () => {
    server.enqueue({ text: 'abc', usage: { prompt_tokens: 5, completion_tokens: 7 } }, { text: 'abcdefghi', usage: null });
    const { engine, elapse } = rig(server);
    for (const prefix of ['a', 'b']) {
      const asked = engine.complete(DOC, hole(prefix), { model: MODEL });
      elapse();
      await asked;
    }
    // 7 from the server, then 9 characters at three a token.
    assert.equal(engine.stats.completionTokens, 7 + 3);
  });

  it("the caller's token ends a call: while it waits (no request) and in flight (the socket closes)", async () => {
    server.enqueue({ stallBeforeHeaders: true });
    const { engine, elapse } = rig(server);
    const waitToken = new AbortController();
    const waiting = engine.complete(DOC, hole('p'), { model: MODEL, token: waitToken.signal });
    waitToken.abort();
    assert.equal(await waiting, undefined);
    assert.equal(engine.stats.requests, 0);

    const flightToken = new AbortController();
    const flying = engine.complete(DOC, hole('q'), { model: MODEL, token: flightToken.signal });
    elapse();
    const [request] = await server.waitForRequests(1);
    flightToken.abort();
    assert.equal(await flying, undefined);
    await request!.closed;
    assert.equal(request!.closedByClient, true);
    assert.deepEqual({ aborted: engine.stats.aborted, abortedAfterFirstToken: engine.stats.abortedAfterFirstToken }, { aborted: 1, abortedAfterFirstToken: 0 });
  });

  it('documents do not supersede each other', async () => {
    server.enqueue({ text: 'one', delayMs: 50 }, { text: 'two', delayMs: 50 });
    const { engine, elapse } = rig(server);
    const a = engine.complete('file:///a.ts', hole('x'), { model: MODEL });
    const b = engine.complete('file:///b.ts', hole('x'), { model: MODEL });
    elapse();
    assert.deepEqual((await Promise.all([a, b])).sort(), ['one', 'two']);
    assert.equal(server.requests.length, 2);
  });

  it('dispose() ends every call; later calls resolve undefined at once', async () => {
    server.enqueue({ stallBeforeHeaders: true });
    const { engine, elapse } = rig(server);
    const flying = engine.complete('file:///a.ts', hole('x'), { model: MODEL });
    elapse();
    const [request] = await server.waitForRequests(1);
    const waiting = engine.complete('file:///b.ts', hole('x'), { model: MODEL });
    engine.dispose();
    assert.deepEqual(await Promise.all([flying, waiting]), [undefined, undefined]);
    await request!.closed;
    assert.equal(request!.closedByClient, true);
    assert.equal(await engine.complete('file:///a.ts', hole('y'), { model: MODEL }), undefined);
    assert.equal(server.requests.length, 1);
  });
});
