import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeModelsLab } from '../fake-server/server';
import type { AnswerEvent } from '../../src/llm/answerRunner';
import { chatRequest } from '../../src/llm/request';
import { closeAllEditorsDiscardingUntitled, connectToFakeServer, disconnect, extensionApi, setSetting, waitFor } from './harness';

const QWEN = 'Qwen-Qwen2.5-Coder-32B-Instruct';
const DEEPSEEK = 'deepseek-ai-DeepSeek-V3';
const LLAMA = 'meta-llama-Llama-3.3-70B-Instruct-Turbo';

describe('Many models in the real host: the queue governor, fallback, the Anthropic endpoint, comparisons', () => {
  let server: FakeModelsLab;
  before(async () => {
    server = await connectToFakeServer();
  });
  afterEach(async () => {
    for (const key of ['maxConcurrentRequests', 'fallbackModels', 'fallback.rateLimitWaitSeconds', 'protocol']) await setSetting(key, undefined);
    server.reset();
  });
  after(async () => {
    await closeAllEditorsDiscardingUntitled();
    await disconnect(server);
  });

  const chatModels = () => server.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.body.model as string);
  const ask = (model = QWEN) => chatRequest([{ role: 'user', content: 'hi' }], { model, maxTokens: 64 });

  it('modelslab.maxConcurrentRequests caps the requests open at once; the others wait in order, told their place', async () => {
    const api = await extensionApi();
    await setSetting('maxConcurrentRequests', 2);
    assert.equal(api.connection.governor.limit, 2, 'applied without a reload');
    server.setQueueCap(2, 1);
    server.setDefault({ text: 'paced answer', chunkSize: 2, tokensPerSecond: 100 });
    const queued: number[][] = [[], [], [], [], []];
    const outcomes = await Promise.all(
      queued.map((positions, i) => api.runner.run(`gov-${i}`, ask(), (event: AnswerEvent) => event.type === 'queued' && positions.push(event.position))),
    );
    assert.deepEqual(outcomes.map((o) => [o.status, o.text]), Array.from({ length: 5 }, () => ['done', 'paced answer']));
    assert.ok(server.peakChatsInFlight <= 2, `the server saw ${server.peakChatsInFlight} open at once`);
    assert.equal(server.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 5, 'no request was refused by the queue cap and sent again');
    assert.ok(queued.some((p) => p.includes(3)), `the last ones were told their place: ${JSON.stringify(queued)}`);
  });

  it('modelslab.fallbackModels moves a rate-limited request to the next model before any text', async () => {
    const api = await extensionApi();
    await setSetting('fallbackModels', [DEEPSEEK]);
    await setSetting('fallback.rateLimitWaitSeconds', 5);
    server.enqueueFor(QWEN, { status: 429, errorShape: 'legacy', retryAfterInBody: 120 });
    server.enqueueFor(DEEPSEEK, { text: 'from DeepSeek' });
    const events: AnswerEvent[] = [];
    const outcome = await api.runner.run('fallback-1', ask(), (event) => events.push(event));
    assert.equal(outcome.status, 'done');
    assert.equal(outcome.text, 'from DeepSeek');
    assert.deepEqual(outcome.fallback, { to: DEEPSEEK, from: [{ model: QWEN, reason: 'rate-limited' }] });
    assert.deepEqual(chatModels(), [QWEN, DEEPSEEK]);
  });

  it('without fallback models a rate limit is waited out on the same model', async () => {
    const api = await extensionApi();
    server.enqueueFor(QWEN, { status: 429, errorShape: 'legacy', retryAfterInBody: 1 }, { text: 'after the wait' });
    const outcome = await api.runner.run('fallback-2', ask(), () => undefined);
    assert.equal(outcome.text, 'after the wait');
    assert.equal(outcome.fallback, undefined);
    assert.deepEqual(chatModels(), [QWEN, QWEN]);
  });

  it('modelslab.protocol "anthropic" sends every request to /v1/messages with x-api-key', async () => {
    const api = await extensionApi();
    await setSetting('protocol', 'anthropic');
    server.setDefault({ text: 'over messages', usage: { prompt_tokens: 5, completion_tokens: 2 } });
    const outcome = await api.runner.run('anthropic-1', ask(), () => undefined);
    assert.equal(outcome.text, 'over messages');
    assert.deepEqual(outcome.usage, { promptTokens: 5, completionTokens: 2, totalTokens: 7 });
    const request = server.requests.at(-1)!;
    assert.ok(request.path.endsWith('/v1/messages'), request.path);
    assert.equal(request.headers['anthropic-version'], '2023-06-01');
    assert.ok(request.headers['x-api-key']);
  });

  it('a comparison opens its editor-area view, streams every column and keeps the answers for the chat', async () => {
    const api = await extensionApi();
    for (const [model, text] of [[QWEN, 'Qwen: a Map'], [DEEPSEEK, 'DeepSeek: an object'], [LLAMA, 'Llama: a sorted array']]) server.enqueueFor(model, { text });
    await api.session.newChat();
    await api.session.compare('cmp-1', 'Which structure?', [QWEN, DEEPSEEK, LLAMA], api.comparePanel);
    const shown = api.comparePanel.current;
    assert.ok(shown, 'the comparison view shows it');
    assert.deepEqual(shown.columns.map((c) => [c.model, c.status, c.text]), [
      [QWEN, 'done', 'Qwen: a Map'],
      [DEEPSEEK, 'done', 'DeepSeek: an object'],
      [LLAMA, 'done', 'Llama: a sorted array'],
    ]);
    const tab = await waitFor(() => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Compare 3 Models'), 'the comparison tab');
    assert.ok(tab.input instanceof vscode.TabInputWebview);
    const conversation = await api.session.current();
    const answer = conversation.messages.at(-1)!;
    assert.deepEqual(answer.comparison?.answers.map((a) => a.model), [QWEN, DEEPSEEK, LLAMA]);
    const view = await api.session.choose(answer.id, 2);
    assert.equal(view?.messages.at(-1)?.text, 'Llama: a sorted array');
    assert.equal(view?.messages.at(-1)?.model, LLAMA);
  });
});
