import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatSession, type SessionEnvironment } from '../../src/chat/chatSession';
import { HistoryStore } from '../../src/history/historyStore';
import { ModelsLabClient } from '../../src/llm/client';
import { noKeyError } from '../../src/llm/errors';
import { noopLogger } from '../../src/llm/logger';
import type { HostToWebview } from '../../src/shared/protocol';
import { startFakeModelsLab, type FakeModelsLab } from '../fake-server/server';
import { ManualTimers } from './llm-helpers';
import { agentStreamer } from '../../src/agent/agentStreamer';
import { EditPlan } from '../../src/agent/editPlan';
import type { AgentTool } from '../../src/agent/agentTool';

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
      // Connect and idle timeouts on a clock that never moves: on a busy machine no real timer ends an answer early.
      client: async () => new ModelsLabClient({ baseUrl: server.url, apiKey: KEY, maxRetries: 0, timers: new ManualTimers() }),
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

  it('refuses a second send while an answer streams, with a terminal requestRefused', async () => {
    // The first answer stalls after a few pieces, so it is certainly still streaming at the second send.
    server.enqueue({ text: 'y'.repeat(400), stallAfterChunks: 5 });
    const session = new ChatSession(environment());
    const first = session.send('r6', 'one');
    await server.waitForRequests(1);
    await session.send('r7', 'two');
    assert.deepEqual(ofType('requestRefused').map((m) => m.requestId), ['r7']);
    assert.deepEqual(ofType('answerStart').map((m) => m.requestId), ['r6']);
    assert.equal(session.cancel(), true);
    await first;
    assert.deepEqual(ofType('answerEnd').map((m) => [m.requestId, m.status]), [['r6', 'stopped']]);
    assert.equal(server.requests.length, 1);
  });

  it('two sends in the same tick cannot both start: the second is refused, never spliced in', async () => {
    server.enqueue({ text: 'only one' });
    const session = new ChatSession(environment());
    // No await between them: the busy check must hold before the session's first await.
    const first = session.send('race-1', 'one');
    const second = session.send('race-2', 'two');
    await Promise.all([first, second]);
    assert.deepEqual(ofType('answerStart').map((m) => m.requestId), ['race-1']);
    assert.deepEqual(ofType('requestRefused').map((m) => m.requestId), ['race-2']);
    assert.deepEqual((await session.current()).messages.map((m) => m.text), ['one', 'only one']);
    assert.equal(server.requests.length, 1);
  });

  it('an attached file that cannot be read ends the request with a terminal message, and the panel is free again', async () => {
    let deleted = true;
    const session = new ChatSession(
      environment({
        takeAttachedContext: async () => {
          if (deleted) throw Object.assign(new Error('ENOENT: no such file or directory, open notes.md'), { code: 'ENOENT' });
          return { labels: [] };
        },
      }),
    );
    await session.send('gone-1', 'summarise the attached file');
    const refused = ofType('requestRefused');
    assert.deepEqual(refused.map((m) => m.requestId), ['gone-1']);
    assert.match(refused[0].text, /no such file/);
    assert.equal(ofType('answerStart').length, 0);
    assert.equal(session.isStreaming, false);
    assert.equal(server.requests.length, 0);
    // The next send works: nothing was left claiming the slot.
    deleted = false;
    server.enqueue({ text: 'fine now' });
    await session.send('gone-2', 'hello again');
    assert.deepEqual(ofType('answerEnd').map((m) => [m.requestId, m.status]), [['gone-2', 'done']]);
  });

  it('an answer cut off at the token limit ends as truncated, and Continue appends to the same answer', async () => {
    server.enqueue({ text: 'function add(a, b) {', finishReason: 'length' }, { text: '\n  return a + b;\n}' });
    const session = new ChatSession(environment());
    await session.send('cut-1', 'write add');
    assert.deepEqual(ofType('answerEnd').map((m) => [m.requestId, m.status]), [['cut-1', 'truncated']]);
    const answer = (await session.current()).messages[1];
    assert.equal(answer.status, 'truncated');
    await session.continueAnswer('cut-2', answer.id);
    const resumed = ofType('answerResume');
    assert.deepEqual(resumed.map((m) => [m.requestId, m.assistantId, m.text]), [['cut-2', answer.id, 'function add(a, b) {']]);
    assert.deepEqual(ofType('answerEnd').map((m) => [m.requestId, m.status]), [['cut-1', 'truncated'], ['cut-2', 'done']]);
    const messages = (await session.current()).messages;
    assert.equal(messages.length, 2, 'no new turn: the same answer grew');
    assert.equal(messages[1].text, 'function add(a, b) {\n  return a + b;\n}');
    assert.equal(messages[1].status, 'done');
    // The model saw its cut-off answer and was asked to go on from there.
    const sent = server.requests[1].body.messages;
    assert.equal(sent.at(-2).content, 'function add(a, b) {');
    assert.match(sent.at(-1).content, /cut off at the token limit/);
    assert.equal(typeof server.requests[1].body.max_tokens, 'number');
  });

  it('leaves out the oldest turns when the conversation outgrows the context window, and says so', async () => {
    const session = new ChatSession(environment({ requestOptions: () => ({ options: { model: 'meta-llama-3-8B-instruct', maxTokens: 1024 }, systemPrompt: '' }) }));
    // meta-llama-3-8B-instruct has an 8k context: three long turns cannot all fit.
    const long = 'x'.repeat(9_000);
    for (const n of [1, 2, 3]) {
      server.enqueue({ text: `answer ${n}` });
      await session.send(`long-${n}`, `${n}: ${long}`);
    }
    const sent = server.requests[2].body.messages as { role: string; content: string }[];
    assert.equal(sent[0].role, 'system');
    assert.ok(sent.at(-1)!.content.startsWith('3: '), 'the latest prompt is always sent');
    assert.ok(!sent.some((m) => m.content.startsWith('1: ')), 'the oldest turn was left out');
    assert.ok(ofType('notice').some((m) => /earlier turns? (was|were) left out/.test(m.text)));
  });

  it('a server that echoes the key in its answer: the key is neither shown nor saved', async () => {
    server.enqueue({ text: `Sent with Authorization: Bearer ${KEY}. Done.`, chunkSize: 3 });
    const session = new ChatSession(environment());
    await session.send('echo-1', 'what header did you get?');
    assert.ok(!streamedText().includes(KEY), 'not in what the panel showed');
    assert.equal(streamedText(), 'Sent with Authorization: Bearer [redacted]. Done.');
    const saved = readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8')).join('\n');
    assert.ok(saved.includes('[redacted]'), 'the answer was saved');
    assert.ok(!saved.includes(KEY), 'not in the history files');
  });

  it('an answer is saved before the panel is told it ended (a window closed right then keeps it)', async () => {
    server.enqueue({ text: 'Saved before shown as done.' });
    let savedAtEnd: string | undefined;
    const session = new ChatSession(
      environment({
        post: (m) => {
          posted.push(m);
          if (m.type === 'answerEnd') savedAtEnd = readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8')).join('\n');
        },
      }),
    );
    await session.send('save-1', 'hello');
    assert.ok(savedAtEnd?.includes('Saved before shown as done.'), 'the conversation file held the answer when answerEnd was posted');
    assert.ok(savedAtEnd?.includes('"status":"done"'));
  });

  it('a view rebuilt mid-answer holds the text so far, and the next delta does not repeat any of it', async () => {
    // Text in pieces, then silence: the batcher (1 s interval here) still holds what came after the first piece.
    server.enqueue({ text: 'aaaaa bbbbb ccccc ddddd', chunkSize: 6, stallAfterChunks: 3, tokensPerSecond: 50 });
    const session = new ChatSession(environment({ deltaIntervalMs: 1_000 }));
    const done = session.send('r-mid', 'go');
    await posting('answerDelta');
    // The 2nd and 3rd pieces reach the session; the batcher holds them for its interval.
    while ((await session.current()).messages[1]?.text !== 'aaaaa bbbbb ccccc ') await new Promise<void>((resolve) => setImmediate(resolve));
    const before = ofType('answerDelta').length;
    const view = await session.view();
    const shown = view.messages[1].text;
    assert.equal(shown, 'aaaaa bbbbb ccccc ');
    assert.equal(ofType('answerDelta').length, before + 1, 'the held text went out before the view was built');
    session.cancel('r-mid');
    await done;
    const after = ofType('answerDelta').slice(before + 1).map((m) => m.text).join('');
    assert.equal(ofType('answerDelta').map((m) => m.text).join(''), 'aaaaa bbbbb ccccc ', 'every piece sent once');
    assert.equal(after, '', 'nothing is sent twice');
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

  describe('Agent mode', () => {
    /** One agent turn over the real client: a read-only tool and an edit tool on an in-memory file. */
    function agentEnvironment(files: Record<string, string>, reviewed: { messageId: string; paths: string[] }[]) {
      const client = new ModelsLabClient({ baseUrl: server.url, apiKey: KEY, maxRetries: 0, timers: new ManualTimers() });
      return environment({
        agentTurn: () => {
          const plan = new EditPlan();
          const tools: AgentTool[] = [
            {
              readOnly: true,
              spec: { name: 'read_file', description: 'Reads a file', parameters: { type: 'object' } },
              run: async (args) => ({ content: files[String(args.path)] ?? 'missing', summary: `Read ${String(args.path)}` }),
            },
            {
              readOnly: false,
              spec: { name: 'replace_in_file', description: 'Edits', parameters: { type: 'object' } },
              run: async (args) => {
                const result = plan.replace(String(args.path), files[String(args.path)], String(args.old_string), String(args.new_string));
                return result.ok ? { content: 'proposed', summary: `Proposed an edit to ${String(args.path)}` } : { content: result.reason, isError: true, summary: 'Edit failed' };
              },
            },
          ];
          return { streamer: agentStreamer({ base: client, tools }), proposedFiles: () => plan.files() };
        },
        reviewAgentEdits: (messageId, planned) => {
          reviewed.push({ messageId, paths: planned.map((f) => f.path) });
          return planned.map((f) => ({ path: f.path, isNew: f.isNew, added: 1, removed: 1, state: 'pending' as const }));
        },
      });
    }

    it('runs the tools, shows each one, hands the proposed edits to the review, and saves it all', async () => {
      server.enqueue(
        { toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"a.ts"}' }], finishReason: 'tool_calls' },
        { text: 'Renaming.', toolCalls: [{ id: 'c2', name: 'replace_in_file', arguments: '{"path":"a.ts","old_string":"foo","new_string":"bar"}' }], finishReason: 'tool_calls' },
        { text: ' Done: foo is now bar.' },
      );
      const reviewed: { messageId: string; paths: string[] }[] = [];
      const session = new ChatSession(agentEnvironment({ 'a.ts': 'export const foo = 1;' }, reviewed));
      await session.send('r1', 'rename foo to bar', undefined, 'agent');

      assert.equal(ofType('answerStart')[0].mode, 'agent');
      assert.deepEqual(
        ofType('answerTool').filter((m) => m.tool.state !== 'running').map((m) => m.tool.summary),
        ['Read a.ts', 'Proposed an edit to a.ts'],
      );
      assert.equal(streamedText(), 'Renaming. Done: foo is now bar.');
      assert.equal(ofType('answerEnd')[0].status, 'done');
      const edits = await posting('answerEdits');
      assert.deepEqual(edits.edits.map((e) => e.path), ['a.ts']);
      assert.deepEqual(reviewed.map((r) => r.paths), [['a.ts']]);
      assert.match(JSON.stringify(server.requests[0].body.messages[0].content), /Agent mode/);

      const saved = await new HistoryStore(dir, () => undefined).load((await session.current()).id);
      const answer = saved?.messages[1];
      assert.equal(answer?.mode, 'agent');
      assert.deepEqual(answer?.tools?.map((t) => [t.summary, t.state]), [['Read a.ts', 'done'], ['Proposed an edit to a.ts', 'done']]);
      // The calls and their results are kept too, compactly.
      assert.deepEqual([answer?.tools?.[0].args, answer?.tools?.[0].result], ['{"path":"a.ts"}', 'export const foo = 1;']);
      assert.deepEqual(answer?.edits?.map((e) => e.path), ['a.ts']);
      assert.equal(answer?.text, 'Renaming. Done: foo is now bar.');
    });

    it('Ask (the default) sends no tools even where Agent is available', async () => {
      server.enqueue({ text: 'Plain.' });
      const session = new ChatSession(agentEnvironment({}, []));
      await session.send('r1', 'hello');
      assert.equal(server.requests[0].body.tools, undefined);
      assert.equal(ofType('answerStart')[0].mode, undefined);
    });
  });
});
