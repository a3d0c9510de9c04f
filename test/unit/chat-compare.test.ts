import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatSession, type SessionEnvironment } from '../../src/chat/chatSession';
import { ComparisonRun } from '../../src/chat/comparisonRun';
import type { ComparisonSurface } from '../../src/chat/comparisonRecord';
import { HistoryStore } from '../../src/history/historyStore';
import { AnswerRunner } from '../../src/llm/answerRunner';
import { ModelsLabClient } from '../../src/llm/client';
import { noopLogger } from '../../src/llm/logger';
import type { HostToCompare } from '../../src/shared/compareProtocol';
import type { HostToWebview } from '../../src/shared/protocol';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import { ManualTimers } from './llm-helpers';

const KEY = 'ml-unit-key-compare-123456';
const QWEN = 'Qwen-Qwen2.5-Coder-32B-Instruct';
const DEEPSEEK = 'deepseek-ai-DeepSeek-V3';
const LLAMA = 'meta-llama-Llama-3.3-70B-Instruct-Turbo';

describe('Comparing models (real client, local ModelsLab server, real history files)', () => {
  let server: FakeModelsLab;
  let posted: HostToWebview[];
  let shown: HostToCompare[];
  let dir: string;
  let ids: number;
  let lastRun: ComparisonRun | undefined;

  const client = () => new ModelsLabClient({ baseUrl: server.url, apiKey: KEY, maxRetries: 0, timers: new ManualTimers() });
  const surface: ComparisonSurface = {
    start: ({ requestId, requests, runner }) => (lastRun = new ComparisonRun(runner, requestId, requests, show, undefined, 5)),
  };
  let shownWaiters: (() => void)[] = [];
  function show(message: HostToCompare): void {
    shown.push(message);
    for (const wake of shownWaiters.splice(0)) wake();
  }
  /** Resolves once the comparison view has been told something that makes `ready` true. */
  async function until(ready: () => boolean): Promise<void> {
    while (!ready()) await new Promise<void>((resolve) => shownWaiters.push(resolve));
  }
  function environment(): SessionEnvironment {
    return {
      post: (m) => posted.push(m),
      client: async () => client(),
      requestOptions: () => ({ options: { model: QWEN, temperature: 0.2, maxTokens: 512 }, systemPrompt: 'Be brief.' }),
      takeAttachedContext: async () => ({ labels: [] }),
      store: new HistoryStore(dir, () => undefined),
      log: noopLogger,
      newId: () => `id${ids++}`,
      deltaIntervalMs: 5,
    };
  }
  const textOf = (column: number) => shown.filter((m): m is Extract<HostToCompare, { type: 'delta' }> => m.type === 'delta' && m.column === column).map((m) => m.text).join('');

  before(async () => (server = await startFakeModelsLab()));
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    posted = [];
    shown = [];
    shownWaiters = [];
    ids = 1;
    lastRun = undefined;
    dir = mkdtempSync(join(tmpdir(), 'ml-compare-'));
  });

  it('sends one prompt to three models, streams each column with its figures, and keeps every answer', async () => {
    server.enqueueFor(QWEN, { text: 'Qwen says use a Map.', usage: { prompt_tokens: 30, completion_tokens: 6, total_tokens: 36 } });
    server.enqueueFor(DEEPSEEK, { text: 'DeepSeek says use a Set.', usage: { prompt_tokens: 30, completion_tokens: 7, total_tokens: 37 } });
    server.enqueueFor(LLAMA, { text: 'Llama is cut', finishReason: 'length' });
    const session = new ChatSession(environment());
    await session.compare('r1', 'Which collection?', [QWEN, DEEPSEEK, LLAMA], surface);

    const models = server.requests.map((r) => r.body.model).sort();
    assert.deepEqual(models, [QWEN, DEEPSEEK, LLAMA].sort(), 'the server saw each model once');
    for (const request of server.requests) assert.equal(request.body.messages.at(-1).content, 'Which collection?');
    assert.equal(textOf(0), 'Qwen says use a Map.');
    assert.equal(textOf(1), 'DeepSeek says use a Set.');
    const columns = lastRun!.columns;
    assert.deepEqual(columns.map((c) => c.status), ['done', 'done', 'truncated']);
    assert.deepEqual(columns[1].usage, { promptTokens: 30, completionTokens: 7, totalTokens: 37 });
    for (const c of columns) assert.equal(typeof c.firstTokenMs, 'number', `${c.model} has a first-token time`);
    assert.ok(columns.every((c) => typeof c.tokensPerSecond === 'number' || c.firstTokenMs === undefined));

    const start = posted.find((m): m is Extract<HostToWebview, { type: 'answerStart' }> => m.type === 'answerStart');
    assert.deepEqual(start?.comparison, [QWEN, DEEPSEEK, LLAMA]);
    assert.deepEqual(posted.at(-1), { type: 'answerEnd', requestId: 'r1', status: 'done' });

    const saved = await new HistoryStore(dir, () => undefined).load((await session.current()).id);
    const answer = saved!.messages[1];
    assert.equal(answer.text, '', 'nothing is the answer until the user picks one');
    assert.deepEqual(answer.comparison?.answers.map((a) => [a.model, a.text, a.status]), [
      [QWEN, 'Qwen says use a Map.', 'done'],
      [DEEPSEEK, 'DeepSeek says use a Set.', 'done'],
      [LLAMA, 'Llama is cut', 'truncated'],
    ]);
  });

  it('Use this answer makes that answer and its model the conversation’s; the next prompt sends it as history', async () => {
    server.enqueueFor(QWEN, { text: 'Qwen answer.' });
    server.enqueueFor(DEEPSEEK, { text: 'DeepSeek answer.' });
    const session = new ChatSession(environment());
    await session.compare('r1', 'Pick one', [QWEN, DEEPSEEK], surface);
    const assistantId = (await session.current()).messages[1].id;
    const view = await session.choose(assistantId, 1);
    assert.equal(view?.messages[1].text, 'DeepSeek answer.');
    assert.equal(view?.messages[1].model, DEEPSEEK);
    assert.deepEqual(view?.messages[1].comparison, { models: [QWEN, DEEPSEEK], chosen: 1 });

    const reloaded = await new HistoryStore(dir, () => undefined).load((await session.current()).id);
    assert.equal(reloaded?.messages[1].comparison?.chosen, 1);
    assert.equal(reloaded?.messages[1].comparison?.answers[0].text, 'Qwen answer.', 'the other answer stays as an alternative');

    server.enqueue({ text: 'Follow-up.' });
    await session.send('r2', 'And then?');
    const followUp = server.requests.at(-1)!.body.messages as { role: string; content: string }[];
    assert.deepEqual(followUp.slice(-3).map((m) => [m.role, m.content]), [
      ['user', 'Pick one'],
      ['assistant', 'DeepSeek answer.'],
      ['user', 'And then?'],
    ]);
  });

  it('an unpicked comparison is left out of the next prompt’s history rather than sent empty', async () => {
    server.enqueueFor(QWEN, { text: 'A' });
    server.enqueueFor(DEEPSEEK, { text: 'B' });
    const session = new ChatSession(environment());
    await session.compare('r1', 'First', [QWEN, DEEPSEEK], surface);
    server.enqueue({ text: 'ok' });
    await session.send('r2', 'Second');
    const sent = server.requests.at(-1)!.body.messages as { role: string; content: string }[];
    assert.equal(sent.some((m) => m.role === 'assistant' && m.content === ''), false);
  });

  it('Stop stops every column and the server sees each connection close; one column can be stopped alone', async () => {
    server.enqueueFor(QWEN, { stallAfterChunks: 1, text: 'slow qwen text' });
    server.enqueueFor(DEEPSEEK, { stallAfterChunks: 1, text: 'slow deepseek text' });
    server.enqueueFor(LLAMA, { stallAfterChunks: 1, text: 'slow llama text' });
    const session = new ChatSession(environment());
    const done = session.compare('r1', 'Go', [QWEN, DEEPSEEK, LLAMA], surface);
    await server.waitForRequests(3);
    // Every column has its first chunk before anything is stopped.
    await until(() => lastRun !== undefined && lastRun.columns.every((c) => c.status === 'streaming'));
    const run = lastRun!;
    run.stop(1);
    const stoppedOne = server.requests.find((r) => r.body.model === DEEPSEEK)!;
    await stoppedOne.closed;
    assert.equal(stoppedOne.closedByClient, true);
    assert.equal(run.columns[0].status, 'streaming', 'the others go on');
    assert.equal(session.cancel('r1'), true);
    await done;
    for (const r of server.requests) {
      await r.closed;
      assert.equal(r.closedByClient, true);
    }
    assert.deepEqual(run.columns.map((c) => c.status), ['stopped', 'stopped', 'stopped']);
    assert.deepEqual(run.columns.map((c) => c.text.length > 0), [true, true, true], 'text so far is kept');
  });

  it('a column that fails shows its error while the others finish', async () => {
    server.enqueueFor(QWEN, { text: 'fine' });
    server.enqueueFor(DEEPSEEK, { status: 404, errorMessage: 'Model deepseek-ai-DeepSeek-V3 not found' });
    const runner = new AnswerRunner(client());
    const run = new ComparisonRun(runner, 'c', [QWEN, DEEPSEEK].map((model) => ({ model, messages: [{ role: 'user' as const, parts: [{ type: 'text' as const, text: 'hi' }] }], maxTokens: 50 })), (m) => shown.push(m));
    const outcomes = await run.done;
    assert.deepEqual(outcomes.map((o) => o.status), ['done', 'error']);
    assert.equal(run.columns[1].error?.kind, 'model_not_found');
    assert.equal(run.columns[1].status, 'error');
  });
});

describe('ComparisonRun snapshot (a view opening mid-stream)', () => {
  it('holds only the text already sent as deltas, so the next delta never repeats what the view was given', async () => {
    const { ComparisonRun } = await import('../../src/chat/comparisonRun');
    const sent: HostToCompare[] = [];
    let release: (() => void) | undefined;
    let secondTaken: (() => void) | undefined;
    const taken = new Promise<void>((resolve) => (secondTaken = resolve));
    let finish: (() => void) | undefined;
    const streamer = {
      async *stream() {
        yield { type: 'text' as const, text: 'first ' };
        await new Promise<void>((resolve) => (release = resolve));
        yield { type: 'text' as const, text: 'second' };
        secondTaken?.();
        await new Promise<void>((resolve) => (finish = resolve));
        yield { type: 'finish' as const, reason: 'stop' };
      },
    };
    const run = new ComparisonRun(new AnswerRunner(streamer), 'snap', [{ model: QWEN, messages: [], maxTokens: 10 }], (m) => sent.push(m), undefined, 60_000);
    while (!release) await new Promise((r) => setImmediate(r));
    // 'first ' was sent at once (a batcher's first text goes out immediately); then 'second' waits in the batcher.
    release();
    await taken;
    while (!finish) await new Promise((r) => setImmediate(r));
    assert.equal(run.columns[0].text, 'first second', 'the column has all the text');
    const snapshot = run.snapshot();
    assert.equal(snapshot[0].text, 'first ', 'only what was sent');
    finish();
    await run.done;
    const deltasAfter = sent.filter((m): m is Extract<HostToCompare, { type: 'delta' }> => m.type === 'delta').map((m) => m.text);
    assert.equal(snapshot[0].text + deltasAfter.slice(1).join(''), 'first second', 'snapshot + later deltas = the text, once');
  });
});
