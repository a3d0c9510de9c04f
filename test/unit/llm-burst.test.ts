// A burst of 40 answers at once, as a comparison plus editor actions plus the agent can make,
// against a server with ModelsLab's per-account queue cap (5) and some 429s of its own. With the
// governor the window never has more than 5 requests open, nothing hangs, and every answer is whole.
import * as assert from 'node:assert/strict';
import { AnswerRunner, type AnswerEvent, type AnswerOutcome } from '../../src/llm/answerRunner';
import { ModelsLabError } from '../../src/llm/errors';
import { chatRequest } from '../../src/llm/request';
import { RequestGovernor } from '../../src/llm/requestGovernor';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import { HELLO, makeClient, MODEL } from './llm-helpers';

const ANSWERS = 40;
const CAP = 5;
const SCRIPTED_429S = 6;
/** 20 pieces of 38 characters. */
const TEXT = Array.from({ length: 20 }, (_, i) => `piece ${String(i).padStart(2, '0')} of a whole answer, in order.\n`).join('');

describe('A burst of 40 answers against the queue cap', () => {
  let server: FakeModelsLab;
  before(async () => {
    server = await startFakeModelsLab();
  });
  afterEach(() => server.reset());
  after(() => server.close());

  /** The cap, six 429s of the server's own first (retry_after 1 s, in the body), then whole answers. */
  function script() {
    server.setQueueCap(CAP, 1);
    for (let i = 0; i < SCRIPTED_429S; i++) {
      server.enqueue({ status: 429, errorShape: 'legacy', retryAfterInBody: 1, errorMessage: 'Rate limit exceeded. Maximum 5 queued requests allowed.' });
    }
    // Streamed at 200 pieces a second (0.1 s an answer), as a model does, so answers overlap at the server.
    server.setDefault({ text: TEXT, chunkSize: 38, tokensPerSecond: 200 });
  }

  /** Runs the burst through one AnswerRunner; resolves when every answer has ended. */
  async function burst(runner: AnswerRunner) {
    const events: AnswerEvent[] = [];
    const request = chatRequest(HELLO, { model: MODEL, maxTokens: 1000 });
    const outcomes: AnswerOutcome[] = await Promise.all(
      Array.from({ length: ANSWERS }, (_, i) => runner.run(`burst-${i}`, request, (event) => events.push(event))),
    );
    return { outcomes, events };
  }

  it('with a governor of 5: never more than 5 open, no queue-cap 429, every answer whole, and waiters told their place', async () => {
    script();
    const governor = new RequestGovernor({ limit: CAP });
    // maxRetries is generous so a request that meets several of the scripted 429s still ends done.
    const { client, sleeps } = makeClient(server, { governor, maxRetries: 10 });
    const { outcomes, events } = await burst(new AnswerRunner(client));

    assert.deepEqual(
      outcomes.map((o) => o.status),
      outcomes.map(() => 'done'),
      outcomes.map((o) => (o.error as Error | undefined)?.message ?? '').join('\n'),
    );
    for (const outcome of outcomes) assert.equal(outcome.text, TEXT, `${outcome.answerId} is whole`);
    assert.equal(events.filter((e) => e.type === 'end').length, ANSWERS, 'one end per answer');
    assert.ok(server.peakChatsInFlight <= CAP, `peak ${server.peakChatsInFlight}`);
    assert.equal(server.peakChatsInFlight, CAP, 'all the slots were used');
    // Each scripted 429 costs one retry; the cap itself never answered a request of ours.
    assert.equal(server.requests.length, ANSWERS + SCRIPTED_429S);
    assert.deepEqual(sleeps, Array.from({ length: SCRIPTED_429S }, () => 1000), 'the body’s retry_after, honoured');
    const queued = events.filter((e) => e.type === 'queued');
    assert.ok(queued.length > 0, 'some answers waited for a slot');
    assert.ok(
      queued.some((e) => e.position === ANSWERS - CAP),
      'the last in line was told its place',
    );
    assert.deepEqual([governor.inFlight, governor.waiting], [0, 0]);
  });

  it('without a governor the same burst runs into the cap: many 429s, each answer done or a clear rate-limit error', async () => {
    script();
    const { client } = makeClient(server, { maxRetries: 3 });
    const { outcomes } = await burst(new AnswerRunner(client));
    assert.ok(server.requests.length > ANSWERS + SCRIPTED_429S, `${server.requests.length} requests: the cap refused some`);
    for (const outcome of outcomes) {
      if (outcome.status === 'done') assert.equal(outcome.text, TEXT);
      else {
        assert.equal(outcome.status, 'error');
        assert.ok(outcome.error instanceof ModelsLabError && outcome.error.kind === 'rate_limit');
        assert.match(outcome.error.message, /rate limited this key \(429\).*Try again in 1 s/);
      }
    }
  });
});
