// The answer runner every surface uses: each run ends with exactly one `end` event, whatever
// happened. Real client, real local server.
import * as assert from 'node:assert/strict';
import { AnswerRunner, type AnswerEvent } from '../../src/llm/answerRunner';
import { chatRequest } from '../../src/llm/request';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import { HELLO, makeClient, MODEL } from './llm-helpers';

describe('AnswerRunner', () => {
  let server: FakeModelsLab;
  before(async () => {
    server = await startFakeModelsLab();
  });
  afterEach(() => server.reset());
  after(() => server.close());

  const request = chatRequest(HELLO, { model: MODEL, maxTokens: 100 });
  function runner() {
    return new AnswerRunner(makeClient(server, { maxRetries: 0 }).client);
  }
  function recorder() {
    const events: AnswerEvent[] = [];
    return { events, listener: (e: AnswerEvent) => void events.push(e), ends: () => events.filter((e) => e.type === 'end') };
  }

  it('a complete answer: text events, then one end with status done, usage and the model', async () => {
    server.enqueue({ text: 'All good.', usage: { prompt_tokens: 3, completion_tokens: 2 } });
    const { events, listener, ends } = recorder();
    const outcome = await runner().run('a1', request, listener);
    assert.equal(outcome.status, 'done');
    assert.equal(outcome.text, 'All good.');
    assert.equal(outcome.model, MODEL);
    assert.equal(outcome.usage?.totalTokens, 5);
    assert.equal(ends().length, 1);
    assert.equal(events.at(-1)?.type, 'end');
  });

  it('finish_reason length ends as truncated, text kept', async () => {
    server.enqueue({ text: 'half an ans', finishReason: 'length' });
    const outcome = await runner().run('a2', request, () => undefined);
    assert.deepEqual([outcome.status, outcome.text, outcome.finishReason], ['truncated', 'half an ans', 'length']);
  });

  it('a failure before any text ends as error; after some text as incomplete, with the text', async () => {
    server.enqueue({ status: 400, errorMessage: 'bad' }, { text: 'abcdefgh', chunkSize: 2, dropAfterChunks: 2 });
    const r = runner();
    const failed = await r.run('a3', request, () => undefined);
    assert.equal(failed.status, 'error');
    assert.equal((failed.error as { kind?: string }).kind, 'bad_request');
    const broken = await r.run('a4', request, () => undefined);
    assert.equal(broken.status, 'incomplete');
    assert.equal(broken.text, 'abcd');
  });

  it('work that builds the request may fail: it still ends with one end event', async () => {
    const { listener, ends } = recorder();
    const outcome = await runner().run('a5', async () => {
      throw new Error('the attached file is gone');
    }, listener);
    assert.equal(outcome.status, 'error');
    assert.equal(ends().length, 1);
    assert.equal(server.requests.length, 0);
  });

  it('claims the slot before returning, counts running answers, and cancel stops the one named', async () => {
    server.enqueue({ text: 'x'.repeat(100), stallAfterChunks: 2 }, { text: 'y'.repeat(100), stallAfterChunks: 2 });
    const r = runner();
    const counts: number[] = [];
    r.onCountChange((n) => counts.push(n));
    const { events, listener } = recorder();
    const first = r.run('b1', request, listener);
    assert.throws(() => r.run('b1', request, listener), /already running/);
    const second = r.run('b2', request, () => undefined);
    assert.equal(r.count, 2);
    await server.waitForRequests(2);
    while (!events.some((e) => e.type === 'text')) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(r.cancel('b1'), true);
    assert.equal((await first).status, 'stopped');
    assert.equal(r.isRunning('b2'), true);
    assert.equal(r.cancel(), true);
    assert.equal((await second).status, 'stopped');
    assert.deepEqual(counts, [1, 2, 1, 0]);
    await server.requests[0]!.closed;
    assert.equal(server.requests[0]!.closedByClient, true);
  });

  it("a listener that throws cannot skip the end event", async () => {
    server.enqueue({ text: 'fine' });
    let ended = false;
    const outcome = await runner().run('c1', request, (e) => {
      if (e.type === 'end') ended = true;
      throw new Error('presentation bug');
    });
    assert.equal(outcome.status, 'done');
    assert.equal(ended, true);
  });
});
