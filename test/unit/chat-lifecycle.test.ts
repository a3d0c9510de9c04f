// The request lifecycle as the webview sees it: every request ends with exactly one terminal
// message. One the session starts gets one answerStart and one answerEnd, with its deltas and
// waits in between, whatever way it ends; one the session turns down gets one requestRefused
// and nothing else. Real ModelsLabClient, real local server, real history files; nothing here
// waits on the clock: tests wait for a message the session posted or a request the server saw,
// and retry waits go through an injected sleep.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatSession, type SessionEnvironment } from '../../src/chat/chatSession';
import { HistoryStore } from '../../src/history/historyStore';
import { ModelsLabClient, type ModelsLabClientConfig } from '../../src/llm/client';
import { noKeyError } from '../../src/llm/errors';
import { noopLogger } from '../../src/llm/logger';
import type { AnswerStatus, HostToWebview } from '../../src/shared/protocol';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import { ManualTimers } from './llm-helpers';

const KEY = 'ml-lifecycle-key-0a1b2c3d4e';
type EndStatus = Exclude<AnswerStatus, 'streaming'>;
type Posted<T extends HostToWebview['type']> = Extract<HostToWebview, { type: T }>;

/** A retry wait that lasts until the request is cancelled: the test decides when it is over. */
const waitUntilCancelled = (_ms: number, signal?: AbortSignal) =>
  new Promise<void>((_resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

describe('ChatSession request lifecycle: one terminal message per request', () => {
  let server: FakeModelsLab;
  let posted: HostToWebview[];
  let wakers: Array<() => void>;
  let streaming: boolean[];
  let dir: string;
  let ids: number;

  function session(client: Partial<ModelsLabClientConfig> = {}, overrides: Partial<SessionEnvironment> = {}): ChatSession {
    return new ChatSession({
      post: (message) => {
        posted.push(message);
        for (const wake of wakers.splice(0)) wake();
      },
      client: async () =>
        new ModelsLabClient({
          baseUrl: server.url,
          apiKey: KEY,
          maxRetries: 0,
          // Connect and idle timeouts on a clock that never moves: no real timer can end an answer here.
          timers: new ManualTimers(),
          random: () => 0.5,
          sleep: async () => undefined,
          ...client,
        }),
      requestOptions: () => ({ options: { model: 'Qwen-Qwen2.5-Coder-32B-Instruct' }, systemPrompt: 'Be brief.' }),
      takeAttachedContext: async () => ({ labels: [] }),
      store: new HistoryStore(dir, () => undefined),
      log: noopLogger,
      newId: () => `id${ids++}`,
      deltaIntervalMs: 5,
      onStreamingChange: (value) => streaming.push(value),
      ...overrides,
    });
  }

  /** The messages about one request, in the order they were posted. */
  const about = (requestId: string) => posted.filter((m) => 'requestId' in m && m.requestId === requestId);
  const ofType = <T extends HostToWebview['type']>(type: T, requestId?: string) =>
    posted.filter((m): m is Posted<T> => m.type === type && (requestId === undefined || (m as { requestId?: string }).requestId === requestId));

  /** Resolves when the session has posted a matching message (at once if it already has). */
  async function posting<T extends HostToWebview['type']>(type: T, requestId?: string): Promise<Posted<T>> {
    for (;;) {
      const found = ofType(type, requestId)[0];
      if (found) return found;
      await new Promise<void>((resolve) => wakers.push(resolve));
    }
  }

  const TERMINAL = new Set<HostToWebview['type']>(['answerEnd', 'requestRefused']);

  /** Every request this test made ended with exactly one terminal message, and nothing came after it. */
  function assertEveryRequestEndedOnce(): void {
    const requestIds = new Set(posted.flatMap((m) => ('requestId' in m ? [m.requestId] : [])));
    assert.ok(requestIds.size > 0);
    for (const requestId of requestIds) {
      const messages = about(requestId);
      assert.equal(messages.filter((m) => TERMINAL.has(m.type)).length, 1, `${requestId}: ${messages.map((m) => m.type).join(', ')}`);
      assert.ok(TERMINAL.has(messages.at(-1)!.type), `${requestId}: nothing after the terminal message`);
    }
  }

  /**
   * answerStart first, answerEnd last and only once, deltas and waits in between; what was
   * streamed is what the conversation keeps, with the same status.
   */
  async function assertEndedOnce(chat: ChatSession, requestId: string, status: EndStatus): Promise<Posted<'answerEnd'>> {
    assertEveryRequestEndedOnce();
    const messages = about(requestId);
    assert.equal(ofType('answerStart', requestId).length, 1, `${requestId}: one answerStart`);
    assert.equal(ofType('answerEnd', requestId).length, 1, `${requestId}: one answerEnd`);
    assert.equal(ofType('requestRefused', requestId).length, 0, `${requestId}: not refused`);
    assert.equal(messages[0]?.type, 'answerStart', `${requestId}: answerStart comes first`);
    assert.equal(messages.at(-1)?.type, 'answerEnd', `${requestId}: nothing after answerEnd`);
    const end = ofType('answerEnd', requestId)[0]!;
    assert.equal(end.status, status, `${requestId}: ${JSON.stringify(end.error ?? {})}`);
    const start = ofType('answerStart', requestId)[0]!;
    const stored = (await chat.current()).messages.find((m) => m.id === start.assistantId);
    assert.ok(stored, `${requestId}: the answer is in the conversation`);
    assert.equal(stored.status, status);
    assert.equal(stored.text, ofType('answerDelta', requestId).map((m) => m.text).join(''), `${requestId}: the streamed text is what is kept`);
    assert.equal(chat.isStreaming, false);
    return end;
  }

  before(async () => {
    server = await startFakeModelsLab();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    posted = [];
    wakers = [];
    streaming = [];
    ids = 1;
    dir = mkdtempSync(join(tmpdir(), 'ml-lifecycle-'));
  });

  it('done: the whole answer, then one answerEnd with usage', async () => {
    server.enqueue({ text: 'A complete answer.', chunkSize: 3, usage: { prompt_tokens: 9, completion_tokens: 5 } });
    const chat = session();
    await chat.send('r1', 'hi');
    const end = await assertEndedOnce(chat, 'r1', 'done');
    assert.equal(end.error, undefined);
    assert.deepEqual(end.usage, { promptTokens: 9, completionTokens: 5, totalTokens: 14 });
    assert.equal(ofType('answerDelta', 'r1').map((m) => m.text).join(''), 'A complete answer.');
    assert.deepEqual(streaming, [true, false]);
  });

  it('cut off at the token limit: one answerEnd, status truncated', async () => {
    server.enqueue({ text: 'function add(a, b) {', finishReason: 'length' });
    const chat = session();
    await chat.send('r1', 'write add');
    const end = await assertEndedOnce(chat, 'r1', 'truncated');
    assert.equal(end.error, undefined);
  });

  it('done after a retry: the wait is announced inside the lifecycle, still one answerEnd', async () => {
    server.enqueue({ status: 503 }, { text: 'Second time lucky.' });
    const chat = session({ maxRetries: 1 });
    await chat.send('r1', 'hi');
    await assertEndedOnce(chat, 'r1', 'done');
    assert.deepEqual(about('r1').map((m) => m.type).filter((t, i, all) => t !== all[i - 1]), ['answerStart', 'answerWaiting', 'answerDelta', 'answerEnd']);
    assert.equal(server.requests.length, 2);
  });

  it('stopped after the first delta: one answerEnd, the text shown so far kept, the socket closed', async () => {
    // Ten pieces, then the server holds the connection open: only the cancel can end this answer.
    server.enqueue({ text: 'z'.repeat(400), chunkSize: 4, stallAfterChunks: 10 });
    const chat = session();
    const answering = chat.send('r1', 'long please');
    const [request] = await server.waitForRequests(1);
    await posting('answerDelta', 'r1');
    assert.equal(chat.cancel('r1'), true);
    // A second cancel (a double click on Stop) changes nothing.
    chat.cancel('r1');
    await answering;
    const end = await assertEndedOnce(chat, 'r1', 'stopped');
    assert.equal(end.error, undefined);
    const kept = ofType('answerDelta', 'r1').map((m) => m.text).join('');
    assert.ok(kept.length > 0 && kept.length <= 40, `${kept.length} characters kept`);
    await request!.closed;
    assert.equal(request!.closedByClient, true);
    assert.equal(chat.cancel('r1'), false, 'nothing left to cancel');
    assert.deepEqual(streaming, [true, false]);
  });

  it('stopped before the server answered: one answerEnd, no text', async () => {
    server.enqueue({ stallBeforeHeaders: true });
    const chat = session();
    const answering = chat.send('r1', 'hi');
    const [request] = await server.waitForRequests(1);
    assert.equal(chat.cancel('r1'), true);
    await answering;
    await assertEndedOnce(chat, 'r1', 'stopped');
    assert.equal(ofType('answerDelta', 'r1').length, 0);
    await request!.closed;
    assert.equal(request!.closedByClient, true);
  });

  it('stopped during a retry wait: one answerEnd, and no second request', async () => {
    server.setDefault({ status: 503 });
    const chat = session({ maxRetries: 3, sleep: waitUntilCancelled });
    const answering = chat.send('r1', 'hi');
    await posting('answerWaiting', 'r1');
    assert.equal(chat.cancel('r1'), true);
    await answering;
    await assertEndedOnce(chat, 'r1', 'stopped');
    assert.equal(server.requests.length, 1);
  });

  it('an error before any text: one answerEnd with status error and the error', async () => {
    server.enqueue({ status: 500 });
    const chat = session();
    await chat.send('r1', 'hi');
    const end = await assertEndedOnce(chat, 'r1', 'error');
    assert.equal(end.error?.kind, 'server');
    assert.equal(ofType('answerDelta', 'r1').length, 0);
  });

  it('no client (no key): one answerEnd with status error', async () => {
    const chat = session({}, { client: () => Promise.reject(noKeyError()) });
    await chat.send('r1', 'hi');
    const end = await assertEndedOnce(chat, 'r1', 'error');
    assert.equal(end.error?.kind, 'no_key');
    assert.equal(server.requests.length, 0);
  });

  for (const [what, script, kind] of [
    ['the connection drops', { text: 'partial answer, then trouble', chunkSize: 4, dropAfterChunks: 3 }, 'stream_dropped'],
    ['a chunk is malformed', { text: 'partial answer, then trouble', chunkSize: 4, malformedAfterChunks: 3 }, 'malformed_response'],
  ] as const) {
    it(`an error after partial text (${what}): one answerEnd, status incomplete, the text kept`, async () => {
      server.enqueue(script);
      const chat = session();
      await chat.send('r1', 'hi');
      const end = await assertEndedOnce(chat, 'r1', 'incomplete');
      assert.equal(end.error?.kind, kind);
      assert.equal(end.error?.action, 'retry');
      assert.equal(ofType('answerDelta', 'r1').map((m) => m.text).join(''), 'partial answ');
      // It is saved that way too.
      const saved = await new HistoryStore(dir, () => undefined).load((await chat.current()).id);
      assert.deepEqual(
        saved?.messages.map((m) => [m.role, m.text, m.status]),
        [
          ['user', 'hi', undefined],
          ['assistant', 'partial answ', 'incomplete'],
        ],
      );
    });
  }

  it('a regenerate with no prompt to answer is refused: one requestRefused, nothing else', async () => {
    const chat = session();
    await chat.regenerate('r1');
    assertEveryRequestEndedOnce();
    assert.deepEqual(about('r1').map((m) => m.type), ['requestRefused']);
    assert.match(ofType('requestRefused', 'r1')[0]!.text, /no prompt/);
    assert.equal(server.requests.length, 0);
    assert.equal(chat.isStreaming, false);
    assert.notEqual(streaming.at(-1), true, 'the panel is not left busy');
  });

  it('a second send (or regenerate, or edit) while busy is refused: one requestRefused each, no answerStart, no answerEnd', async () => {
    server.enqueue({ text: 'y'.repeat(400), chunkSize: 4, stallAfterChunks: 5 }, { text: 'Next one.' });
    const chat = session();
    const first = chat.send('r1', 'one');
    await server.waitForRequests(1);
    const userId = ofType('answerStart', 'r1')[0]!.userMessage.id;

    await chat.send('r2', 'two');
    await chat.regenerate('r3');
    await chat.editAndResend('r4', userId, 'one, edited');
    for (const refused of ['r2', 'r3', 'r4']) {
      assert.deepEqual(about(refused).map((m) => m.type), ['requestRefused'], `${refused} is refused and nothing else`);
      const { level, text } = ofType('requestRefused', refused)[0]!;
      assert.equal(level, 'info');
      assert.match(text, /still streaming/);
    }
    assert.equal(chat.isStreaming, true, 'the first answer is untouched');
    assert.equal(chat.cancel('r2'), false, 'a refused request cannot cancel the running one');

    assert.equal(chat.cancel('r1'), true);
    await first;
    await assertEndedOnce(chat, 'r1', 'stopped');
    assert.equal(server.requests.length, 1);

    // Once it has ended, the session takes the next request.
    await chat.send('r5', 'two');
    await assertEndedOnce(chat, 'r5', 'done');
    assert.deepEqual(
      posted.filter((m) => m.type === 'answerStart' || m.type === 'answerEnd').map((m) => `${m.type}:${(m as { requestId: string }).requestId}`),
      ['answerStart:r1', 'answerEnd:r1', 'answerStart:r5', 'answerEnd:r5'],
    );
    assert.deepEqual(streaming, [true, false, true, false]);
  });
});
