import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatSession, type SessionEnvironment } from '../../src/chat/chatSession';
import { HistoryStore } from '../../src/history/historyStore';
import { ModelsLabClient } from '../../src/llm/client';
import { noKeyError } from '../../src/llm/errors';
import { noopLogger } from '../../src/llm/logger';
import type { HostToWebview } from '../../src/shared/protocol';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';

const KEY = 'ml-unit-key-abcdef123456';

describe('ChatSession (real client, local ModelsLab server, real history files)', () => {
  let server: FakeModelsLab;
  let posted: HostToWebview[];
  let postWaiters: Array<() => void>;
  let dir: string;
  let ids: number;

  function environment(overrides: Partial<SessionEnvironment> = {}): SessionEnvironment {
    return {
      post: (m) => {
        posted.push(m);
        for (const wake of postWaiters.splice(0)) wake();
      },
      client: async () => new ModelsLabClient({ baseUrl: server.url, apiKey: KEY, maxRetries: 0, connectTimeoutMs: 2000, idleTimeoutMs: 2000 }),
      requestOptions: () => ({ options: { model: 'Qwen-Qwen2.5-Coder-32B-Instruct', temperature: 0.2, maxTokens: 512 }, systemPrompt: 'Be brief.' }),
      takeAttachedContext: async () => ({ labels: [] }),
      store: new HistoryStore(dir, () => undefined),
      log: noopLogger,
      newId: () => `id${ids++}`,
      deltaIntervalMs: 10,
      ...overrides,
    };
  }
  const ofType = <T extends HostToWebview['type']>(type: T) => posted.filter((m): m is Extract<HostToWebview, { type: T }> => m.type === type);
  const streamedText = () => ofType('answerDelta').map((m) => m.text).join('');
  /** Resolves once the session has posted a message of this type (at once if it already has). */
  async function posting<T extends HostToWebview['type']>(type: T): Promise<Extract<HostToWebview, { type: T }>> {
    for (;;) {
      const found = ofType(type)[0];
      if (found) return found;
      await new Promise<void>((resolve) => postWaiters.push(resolve));
    }
  }

  before(async () => {
    server = await startFakeModelsLab();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    posted = [];
    postWaiters = [];
    ids = 1;
    dir = mkdtempSync(join(tmpdir(), 'ml-session-'));
  });

  it('streams an answer as coalesced deltas, records usage, and saves the conversation', async () => {
    const text = 'The function averages numbers. '.repeat(40);
    server.enqueue({ text, chunkSize: 3, usage: { prompt_tokens: 50, completion_tokens: 400, total_tokens: 450 } });
    const env = environment({ takeAttachedContext: async () => ({ text: 'Context from math.ts', labels: ['math.ts:1-7'] }) });
    const session = new ChatSession(env);
    await session.send('r1', 'What does average do?');

    const start = ofType('answerStart')[0];
    assert.equal(start.requestId, 'r1');
    assert.equal(start.replaceFromIndex, 0);
    assert.deepEqual(start.userMessage.contextLabels, ['math.ts:1-7']);
    assert.equal(streamedText(), text);
    const chunks = Math.ceil(text.length / 3);
    assert.ok(ofType('answerDelta').length < chunks / 4, `${ofType('answerDelta').length} messages for ${chunks} chunks`);
    assert.deepEqual(ofType('answerEnd')[0], { type: 'answerEnd', requestId: 'r1', status: 'done', usage: { promptTokens: 50, completionTokens: 400, totalTokens: 450 } });

    const body = server.requests[0].body;
    assert.equal(body.messages[0].role, 'system');
    assert.match(body.messages[0].content, /Be brief\.$/);
    assert.equal(body.messages[1].content, 'Context from math.ts\n\nWhat does average do?');

    const saved = await new HistoryStore(dir, () => undefined).load((await session.current()).id);
    assert.equal(saved?.title, 'What does average do?');
    assert.equal(saved?.messages[1].text, text);
    assert.equal(saved?.messages[1].status, 'done');
  });

  it('stop aborts the request: the server sees the socket close and the partial answer is kept as stopped', async () => {
    // Ten pieces, then the server holds the connection open: the answer cannot end by itself.
    server.enqueue({ text: 'x'.repeat(4000), chunkSize: 4, stallAfterChunks: 10 });
    const session = new ChatSession(environment());
    const answering = session.send('r2', 'long please');
    const [request] = await server.waitForRequests(1);
    await posting('answerDelta');
    assert.equal(session.cancel('r2'), true);
    await answering;
    await request.closed;
    assert.equal(request.closedByClient, true);
    const end = ofType('answerEnd')[0];
    assert.equal(end.status, 'stopped');
    assert.equal(end.error, undefined);
    const kept = (await session.current()).messages[1];
    assert.equal(kept.status, 'stopped');
    assert.ok(kept.text.length > 0 && kept.text.length <= 40, `${kept.text.length} characters kept`);
    assert.equal(kept.text, streamedText(), 'what was shown is what is kept');
  });

  it('a dropped stream keeps the partial text, marked incomplete with a Retry action', async () => {
    server.enqueue({ text: 'partial answer that will be cut off', chunkSize: 5, dropAfterChunks: 3 });
    const session = new ChatSession(environment());
    await session.send('r3', 'hi');
    const end = ofType('answerEnd')[0];
    assert.equal(end.status, 'incomplete');
    assert.equal(end.error?.action, 'retry');
    assert.equal(streamedText(), 'partial answer ');
    assert.equal((await session.current()).messages[1].text, 'partial answer ');
  });

  it('a 401 ends with an error that offers Set API Key and never mentions the key', async () => {
    server.enqueue({ status: 401, errorMessage: `Invalid key ${KEY}` });
    const session = new ChatSession(environment());
    await session.send('r4', 'hi');
    const end = ofType('answerEnd')[0];
    assert.equal(end.status, 'error');
    assert.equal(end.error?.action, 'setApiKey');
    assert.ok(!JSON.stringify(posted).includes(KEY), 'the key reached the webview');
  });

  it('without a key the answer fails with the no_key message, not a stack trace', async () => {
    const session = new ChatSession(environment({ client: async () => Promise.reject(noKeyError()) }));
    await session.send('r5', 'hi');
    const end = ofType('answerEnd')[0];
    assert.equal(end.error?.kind, 'no_key');
    assert.equal(end.error?.action, 'setApiKey');
    assert.equal(server.requests.length, 0);
  });

  it('regenerate replaces the last answer; edit-and-resend drops later turns', async () => {
    const session = new ChatSession(environment());
    server.enqueue({ text: 'first' }, { text: 'second' }, { text: 'third' }, { text: 'edited' });
    await session.send('a', 'one');
    await session.send('b', 'two');
    await session.regenerate('c');
    let messages = (await session.current()).messages;
    assert.deepEqual(messages.map((m) => m.text), ['one', 'first', 'two', 'third']);
    assert.equal(ofType('answerStart')[2].replaceFromIndex, 2);

    await session.editAndResend('d', messages[0].id, 'one, edited');
    messages = (await session.current()).messages;
    assert.deepEqual(messages.map((m) => m.text), ['one, edited', 'edited']);
    assert.equal(ofType('answerStart')[3].replaceFromIndex, 0);
    const lastBody = server.requests[3].body;
    assert.deepEqual(lastBody.messages.slice(1), [{ role: 'user', content: 'one, edited' }]);
  });

  it('refuses a second send while an answer streams, with a notice', async () => {
    // The first answer stalls after a few pieces, so it is certainly still streaming at the second send.
    server.enqueue({ text: 'y'.repeat(400), stallAfterChunks: 5 });
    const session = new ChatSession(environment());
    const first = session.send('r6', 'one');
    await server.waitForRequests(1);
    await session.send('r7', 'two');
    assert.equal(ofType('notice').length, 1);
    assert.deepEqual(ofType('answerStart').map((m) => m.requestId), ['r6']);
    assert.equal(session.cancel(), true);
    await first;
    assert.deepEqual(ofType('answerEnd').map((m) => [m.requestId, m.status]), [['r6', 'stopped']]);
    assert.equal(server.requests.length, 1);
  });

  it('new chat, open and delete move between saved conversations', async () => {
    const session = new ChatSession(environment());
    server.enqueue({ text: 'answer A' }, { text: 'answer B' });
    await session.send('a', 'topic A');
    const firstId = (await session.current()).id;
    const fresh = await session.newChat();
    assert.equal(fresh.messages.length, 0);
    await session.send('b', 'topic B');
    const reopened = await session.open(firstId);
    assert.deepEqual(reopened?.messages.map((m) => m.text), ['topic A', 'answer A']);
    await session.delete(firstId);
    assert.equal((await session.current()).messages.length, 0);
    const summaries = await new HistoryStore(dir, () => undefined).list();
    assert.deepEqual(summaries.map((s) => s.title), ['topic B']);
  });
});
