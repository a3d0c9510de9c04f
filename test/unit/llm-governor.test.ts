// The request governor: how many requests a window has open at ModelsLab at once. First the
// governor alone, then through the client against the local server, where a slot is one HTTP attempt.
import * as assert from 'node:assert/strict';
import { ModelsLabError } from '../../src/llm/errors';
import { queueForSlot, RequestGovernor, type Release } from '../../src/llm/requestGovernor';
import { chatRequest, type ChatRequest } from '../../src/llm/request';
import type { ChatChunk } from '../../src/llm/types';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import { collect, HELLO, makeClient, ManualTimers, MODEL } from './llm-helpers';

/** Lets queued promise callbacks run (no clock involved). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Starts a stream the server stalls after its first chunk, and returns once its answer has begun (it holds a slot). */
async function holdSlot(stream: (r: ChatRequest, s?: AbortSignal) => AsyncIterable<ChatChunk>, request: ChatRequest) {
  const stop = new AbortController();
  const iterator = stream(request, stop.signal)[Symbol.asyncIterator]();
  const first = await iterator.next();
  assert.equal(first.done, false);
  return {
    /** Stops it and returns how it ended. */
    stop: () => {
      stop.abort();
      return collect({ [Symbol.asyncIterator]: () => iterator });
    },
  };
}

/** Resolves once `n` requests wait in the governor's line (polled per event-loop turn, no clock). */
function untilWaiting(governor: RequestGovernor, n: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const check = () => (governor.waiting === n ? resolve() : setImmediate(check));
    check();
  });
}

/** A waiter whose grant and positions the test can watch. */
function waiter(governor: RequestGovernor, name: string, granted: string[], signal?: AbortSignal) {
  const positions: number[] = [];
  let release: Release | undefined;
  let error: unknown;
  const done = governor.acquire(signal, (p) => positions.push(p)).then(
    (r) => {
      release = r;
      granted.push(name);
    },
    (e: unknown) => void (error = e),
  );
  return {
    positions,
    done,
    release: () => release?.(),
    get granted(): boolean {
      return release !== undefined;
    },
    get error(): unknown {
      return error;
    },
  };
}

describe('RequestGovernor', () => {
  it('admits up to the limit at once, then serves waiters first come, first served, telling each its place', async () => {
    const governor = new RequestGovernor({ limit: 2 });
    const order: string[] = [];
    const a = waiter(governor, 'a', order);
    const b = waiter(governor, 'b', order);
    const c = waiter(governor, 'c', order);
    const d = waiter(governor, 'd', order);
    const e = waiter(governor, 'e', order);
    await settle();
    assert.deepEqual(order, ['a', 'b']);
    assert.deepEqual([a.positions, b.positions], [[], []], 'no wait, no position');
    assert.deepEqual([governor.inFlight, governor.waiting], [2, 3]);
    b.release();
    await settle();
    a.release();
    await settle();
    c.release();
    await settle();
    d.release();
    await settle();
    assert.deepEqual(order, ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(c.positions, [1]);
    assert.deepEqual(d.positions, [2, 1]);
    assert.deepEqual(e.positions, [3, 2, 1]);
    e.release();
    assert.deepEqual([governor.inFlight, governor.waiting], [0, 0]);
  });

  it('an abort while waiting removes the waiter with the cancelled error, moves those behind up, and frees no slot', async () => {
    const governor = new RequestGovernor({ limit: 1 });
    const order: string[] = [];
    const a = waiter(governor, 'a', order);
    const stop = new AbortController();
    const b = waiter(governor, 'b', order, stop.signal);
    const c = waiter(governor, 'c', order);
    await settle();
    stop.abort();
    await b.done;
    assert.ok(b.error instanceof ModelsLabError && b.error.kind === 'cancelled');
    assert.deepEqual(c.positions, [2, 1]);
    assert.deepEqual([governor.inFlight, governor.waiting], [1, 1], 'a still holds the only slot');
    assert.equal(c.granted, false);
    a.release();
    await c.done;
    assert.deepEqual(order, ['a', 'c']);
  });

  it('an already aborted signal is refused without taking a slot', async () => {
    const governor = new RequestGovernor({ limit: 1 });
    const stop = new AbortController();
    stop.abort();
    await assert.rejects(governor.acquire(stop.signal), (e: unknown) => e instanceof ModelsLabError && e.kind === 'cancelled');
    assert.equal(governor.inFlight, 0);
  });

  it('caps the wait: after maxWaitMs the waiter fails with a message saying what to do', async () => {
    const timers = new ManualTimers();
    const governor = new RequestGovernor({ limit: 2, timers });
    const order: string[] = [];
    const a = waiter(governor, 'a', order);
    const b = waiter(governor, 'b', order);
    const c = waiter(governor, 'c', order);
    await settle();
    timers.advance(119_999);
    await settle();
    assert.equal(governor.waiting, 1, 'still waiting just before the cap');
    timers.advance(1);
    await c.done;
    const error = c.error;
    assert.ok(error instanceof ModelsLabError);
    assert.equal(error.kind, 'timeout');
    assert.equal(
      error.message,
      '2 requests were already running; this one waited 2 minutes for a free slot. Stop an answer or raise modelslab.maxConcurrentRequests if your plan allows more.',
    );
    assert.deepEqual([governor.inFlight, governor.waiting], [2, 0]);
    a.release();
    b.release();
    assert.equal(governor.inFlight, 0);
  });

  it('raising the limit admits waiters at once; lowering it waits for slots to come back', async () => {
    const governor = new RequestGovernor({ limit: 1 });
    const order: string[] = [];
    const a = waiter(governor, 'a', order);
    const b = waiter(governor, 'b', order);
    const c = waiter(governor, 'c', order);
    const d = waiter(governor, 'd', order);
    await settle();
    governor.setLimit(3);
    await settle();
    assert.deepEqual(order, ['a', 'b', 'c']);
    assert.deepEqual(d.positions, [3, 1]);
    governor.setLimit(1);
    a.release();
    b.release();
    await settle();
    assert.equal(d.granted, false, 'c still holds the one slot');
    c.release();
    await d.done;
    assert.deepEqual(order, ['a', 'b', 'c', 'd']);
  });

  it('releasing twice is harmless: the second call frees nobody else’s slot', async () => {
    const governor = new RequestGovernor({ limit: 1 });
    const order: string[] = [];
    const a = waiter(governor, 'a', order);
    await settle();
    a.release();
    const b = waiter(governor, 'b', order);
    const c = waiter(governor, 'c', order);
    await settle();
    a.release();
    await settle();
    assert.deepEqual(order, ['a', 'b'], 'c waits: b holds the slot');
    assert.deepEqual([governor.inFlight, governor.waiting], [1, 1]);
    b.release();
    await c.done;
    c.release();
    assert.equal(governor.inFlight, 0);
  });

  describe('queueForSlot (the stream form)', () => {
    it('yields the place in line, then position 0 once admitted, and returns the release', async () => {
      const governor = new RequestGovernor({ limit: 1 });
      const holder = await governor.acquire();
      const wait = queueForSlot(governor);
      assert.deepEqual((await wait.next()).value, { type: 'queued', position: 1 });
      const admitted = wait.next();
      holder();
      assert.deepEqual((await admitted).value, { type: 'queued', position: 0 });
      const end = await wait.next();
      assert.equal(end.done, true);
      assert.equal(governor.inFlight, 1);
      (end.value as Release)();
      assert.equal(governor.inFlight, 0);
    });

    it('no wait, no queued chunks', async () => {
      const governor = new RequestGovernor({ limit: 1 });
      const wait = queueForSlot(governor);
      const first = await wait.next();
      assert.equal(first.done, true);
      (first.value as Release)();
    });

    it('closing it while it waits leaves the line; closing it after admission gives the slot back', async () => {
      const governor = new RequestGovernor({ limit: 1 });
      const holder = await governor.acquire();
      const early = queueForSlot(governor);
      await early.next();
      await early.return(undefined as unknown as Release);
      assert.equal(governor.waiting, 0);

      const late = queueForSlot(governor);
      await late.next(); // position 1
      holder();
      assert.deepEqual((await late.next()).value, { type: 'queued', position: 0 });
      assert.equal(governor.inFlight, 1, 'admitted, held while the caller holds the chunk');
      await late.return(undefined as unknown as Release);
      assert.equal(governor.inFlight, 0);
    });
  });
});

describe('A client with a governor, against the local server', () => {
  let server: FakeModelsLab;
  before(async () => {
    server = await startFakeModelsLab();
  });
  afterEach(() => server.reset());
  after(() => server.close());

  const OTHER = 'deepseek-ai-DeepSeek-V3';
  const request = (model = MODEL) => chatRequest(HELLO, { model, maxTokens: 100 });

  it('a request waiting out a 429 holds no slot: another request runs during its backoff sleep', async () => {
    const governor = new RequestGovernor({ limit: 1 });
    let wake!: () => void;
    const sleeping = new Promise<void>((resolve) => (wake = resolve));
    let sleepStarted!: () => void;
    const slept = new Promise<void>((resolve) => (sleepStarted = resolve));
    const sleeps: number[] = [];
    const sleep = (ms: number) => {
      sleeps.push(ms);
      sleepStarted();
      return sleeping;
    };
    const { client } = makeClient(server, { governor, sleep });
    server.enqueueFor(MODEL, { status: 429, errorShape: 'legacy', retryAfterInBody: 1, errorMessage: 'Rate limit exceeded. Maximum 1 queued requests allowed.' });
    server.enqueueFor(OTHER, { text: 'I ran while the other one slept.' });
    const first = collect(client.stream(request(MODEL)));
    await slept;
    assert.equal(governor.inFlight, 0, 'the slot went back before the sleep');
    const second = await collect(client.stream(request(OTHER)));
    assert.equal(second.error, undefined);
    assert.equal(second.text, 'I ran while the other one slept.');
    assert.ok(!second.chunks.some((c) => c.type === 'queued'), 'it never had to wait');
    wake();
    const outcome = await first;
    assert.equal(outcome.error, undefined);
    assert.deepEqual(sleeps, [1000], 'the body’s retry_after was honoured');
    assert.deepEqual(server.requests.map((r) => r.body.model), [MODEL, OTHER, MODEL]);
    assert.equal(server.peakChatsInFlight, 1);
    assert.equal(governor.inFlight, 0);
  });

  it('a queued request yields its place, then is retried after a 429 (queued chunks are not answer text)', async () => {
    const governor = new RequestGovernor({ limit: 1 });
    const { client, sleeps } = makeClient(server, { governor });
    server.enqueueFor(MODEL, { text: 'holding the slot', chunkSize: 4, stallAfterChunks: 1 });
    server.enqueueFor(OTHER, { status: 429, retryAfterInBody: 2 }, { text: 'second' });
    const holder = await holdSlot(client.stream.bind(client), request(MODEL));
    const waiting = collect(client.stream(request(OTHER)));
    await untilWaiting(governor, 1);
    assert.equal((await holder.stop()).error?.kind, 'cancelled');
    const outcome = await waiting;
    assert.equal(outcome.error, undefined);
    assert.equal(outcome.text, 'second');
    const kinds = outcome.chunks.map((c) => (c.type === 'queued' ? `queued ${c.position}` : c.type));
    assert.deepEqual(kinds.slice(0, 3), ['queued 1', 'queued 0', 'retrying']);
    assert.deepEqual(sleeps, [2000]);
  });

  it('the connect clock starts only once the slot is ours', async () => {
    const timers = new ManualTimers();
    const governor = new RequestGovernor({ limit: 1 });
    const { client } = makeClient(server, { governor, timers, connectTimeoutMs: 100, idleTimeoutMs: 60_000 });
    server.enqueueFor(MODEL, { text: 'holding', chunkSize: 4, stallAfterChunks: 1 });
    server.enqueueFor(OTHER, { text: 'in time' });
    const holder = await holdSlot(client.stream.bind(client), request(MODEL));
    const waiting = collect(client.stream(request(OTHER)));
    await untilWaiting(governor, 1);
    timers.advance(1_000); // ten connect timeouts, spent in the line
    assert.equal((await holder.stop()).error?.kind, 'cancelled');
    const outcome = await waiting;
    assert.equal(outcome.error, undefined, 'not a connect timeout');
    assert.equal(outcome.text, 'in time');
  });

  it('a request stopped while it waits sends nothing', async () => {
    const governor = new RequestGovernor({ limit: 1 });
    const { client } = makeClient(server, { governor });
    server.enqueueFor(MODEL, { text: 'holding', chunkSize: 4, stallAfterChunks: 1 });
    const holder = await holdSlot(client.stream.bind(client), request(MODEL));
    const stop = new AbortController();
    const waiting = collect(client.stream(request(OTHER), stop.signal));
    await untilWaiting(governor, 1);
    stop.abort();
    const outcome = await waiting;
    assert.equal(outcome.error?.kind, 'cancelled');
    assert.deepEqual(outcome.chunks, [{ type: 'queued', position: 1 }]);
    await holder.stop();
    assert.equal(server.requests.length, 1, 'the stopped request never reached the server');
    assert.deepEqual([governor.inFlight, governor.waiting], [0, 0]);
  });
});
