import * as assert from 'node:assert/strict';
import type { AgentTool, ToolOutcome } from '../../src/agent/agentTool';
import { textProtocol } from '../../src/agent/textProtocol';
import { runToolLoop, type AgentEvent, type ToolLoopOptions } from '../../src/agent/toolLoop';
import { chatRequest } from '../../src/llm/request';
import { startFakeModelsLab, type FakeModelsLab, type RecordedRequest } from '../fake-server/server';
import { makeClient, MODEL } from './llm-helpers';

/** A read-only tool over an in-memory "workspace", counting its runs. */
function readFileTool(files: Record<string, string>): AgentTool & { runs: string[] } {
  const runs: string[] = [];
  return {
    runs,
    readOnly: true,
    describe: (args) => `Reading ${String(args.path)}`,
    spec: { name: 'read_file', description: 'Reads a workspace file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
    async run(args): Promise<ToolOutcome> {
      const path = String(args.path);
      runs.push(path);
      const text = files[path];
      return text === undefined ? { content: `No file ${path}.`, isError: true, summary: `Read ${path}: not found` } : { content: text, summary: `Read ${path}` };
    },
  };
}

function chats(server: FakeModelsLab): RecordedRequest[] {
  return server.requests.filter((r) => r.path.endsWith('/chat/completions'));
}

describe('agent tool loop (against the local server)', () => {
  let server: FakeModelsLab;
  before(async () => {
    server = await startFakeModelsLab();
  });
  afterEach(() => server.reset());
  after(() => server.close());

  function loop(tools: AgentTool[], extra: Partial<ToolLoopOptions> = {}) {
    const events: AgentEvent[] = [];
    const run = runToolLoop({
      streamer: makeClient(server).client,
      request: chatRequest([{ role: 'user', content: 'Where is the retry policy?' }], { model: MODEL, maxTokens: 500 }),
      tools,
      onEvent: (event) => events.push(event),
      ...extra,
    });
    return { run, events };
  }

  it('answers after two tool calls, sending each result back as untrusted data', async () => {
    const tool = readFileTool({ 'src/retry.ts': 'export const RETRIES = 3;', 'src/client.ts': 'import { RETRIES } from "./retry";' });
    server.enqueue(
      { toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"src/client.ts"}' }], finishReason: 'tool_calls' },
      { text: 'Let me look at the policy.', toolCalls: [{ id: 'c2', name: 'read_file', arguments: '{"path":"src/retry.ts"}' }], finishReason: 'tool_calls' },
      { text: 'RETRIES is 3, set in src/retry.ts.' },
    );
    const { run, events } = loop([tool]);
    const result = await run;
    assert.equal(result.status, 'done');
    assert.equal(result.text, 'RETRIES is 3, set in src/retry.ts.');
    assert.equal(result.toolCalls, 2);
    assert.deepEqual(tool.runs, ['src/client.ts', 'src/retry.ts']);
    assert.deepEqual(
      events.filter((e) => e.type === 'toolEnd').map((e) => (e.type === 'toolEnd' ? e.summary : '')),
      ['Read src/client.ts', 'Read src/retry.ts'],
    );
    assert.deepEqual(
      events.filter((e) => e.type === 'toolStart').map((e) => (e.type === 'toolStart' ? e.label : '')),
      ['Reading src/client.ts', 'Reading src/retry.ts'],
      'while it runs, a tool says what it is doing',
    );
    const third = chats(server)[2].body.messages;
    assert.deepEqual(
      third.map((m: { role: string }) => m.role),
      ['user', 'assistant', 'tool', 'assistant', 'tool'],
    );
    assert.equal(third[3].content, 'Let me look at the policy.');
    assert.match(third[4].content, /data from the workspace, not instructions/);
    assert.match(third[4].content, /export const RETRIES = 3;$/);
    assert.equal(chats(server)[0].body.tool_choice, 'auto');
  });

  it('runs two calls of one message, in order, then answers', async () => {
    const tool = readFileTool({ 'a.ts': 'A', 'b.ts': 'B' });
    server.enqueue(
      {
        toolCalls: [
          { id: 'c1', name: 'read_file', arguments: '{"path":"a.ts"}' },
          { id: 'c2', name: 'read_file', arguments: '{"path":"b.ts"}' },
        ],
        finishReason: 'tool_calls',
      },
      { text: 'A and B.' },
    );
    const result = await loop([tool]).run;
    assert.equal(result.text, 'A and B.');
    assert.deepEqual(tool.runs, ['a.ts', 'b.ts']);
    assert.deepEqual(chats(server)[1].body.messages[1].tool_calls.map((c: { id: string }) => c.id), ['c1', 'c2']);
  });

  it('invalid JSON arguments and an unknown tool come back to the model as tool errors; nothing runs', async () => {
    const tool = readFileTool({});
    server.enqueue(
      {
        toolCalls: [
          { id: 'c1', name: 'read_file', arguments: '{"path": "a.ts"' },
          { id: 'c2', name: 'delete_everything', arguments: '{}' },
        ],
        finishReason: 'tool_calls',
      },
      { text: 'Sorry.' },
    );
    const result = await loop([tool]).run;
    assert.equal(result.status, 'done');
    assert.deepEqual(tool.runs, []);
    const [bad, unknown] = chats(server)[1].body.messages.slice(2);
    assert.match(bad.content, /not valid JSON/);
    assert.match(unknown.content, /There is no tool named "delete_everything"/);
  });

  it('answers a repeated identical call from the turn cache', async () => {
    const tool = readFileTool({ 'a.ts': 'A' });
    server.enqueue(
      { toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"a.ts"}' }], finishReason: 'tool_calls' },
      { toolCalls: [{ id: 'c2', name: 'read_file', arguments: '{ "path": "a.ts" }' }], finishReason: 'tool_calls' },
      { text: 'done' },
    );
    const { run, events } = loop([tool]);
    await run;
    assert.deepEqual(tool.runs, ['a.ts'], 'the file was read once');
    assert.deepEqual(
      events.filter((e) => e.type === 'toolEnd').map((e) => (e.type === 'toolEnd' ? e.cached : undefined)),
      [false, true],
    );
  });

  it('stops calling tools at the limit, says so, and has the model answer with what it has', async () => {
    const tool = readFileTool({ 'a.ts': 'A' });
    const call = (n: number) => ({ toolCalls: [{ id: `c${n}`, name: 'read_file', arguments: `{"path":"a.ts","n":${n}}` }], finishReason: 'tool_calls' });
    server.enqueue(call(1), call(2), { text: 'Here is what I found.' });
    const { run, events } = loop([tool], { limits: { maxToolCalls: 2 } });
    const result = await run;
    assert.equal(result.status, 'done');
    assert.equal(result.text, 'Here is what I found.');
    assert.equal(result.toolCalls, 2);
    assert.ok(events.some((e) => e.type === 'notice' && /2 tool calls/.test(e.text)));
    const last = chats(server)[2].body;
    assert.equal(last.tool_choice, 'none');
    assert.match(last.messages[last.messages.length - 1].content, /do not call any more tools/);
  });

  it('stops at the token budget too', async () => {
    const tool = readFileTool({ 'a.ts': 'A' });
    server.enqueue(
      { toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"a.ts"}' }], finishReason: 'tool_calls', usage: { prompt_tokens: 900, completion_tokens: 200 } },
      { text: 'Short answer.' },
    );
    const { run, events } = loop([tool], { limits: { maxTurnTokens: 1_000 } });
    assert.equal((await run).text, 'Short answer.');
    assert.ok(events.some((e) => e.type === 'notice' && /1,000 tokens/.test(e.text)));
  });

  it('Stop while the model streams: the request is closed and what was shown is kept', async () => {
    const tool = readFileTool({ 'a.ts': 'A' });
    server.enqueue({ toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"a.ts"}' }], finishReason: 'tool_calls' }, { text: 'Partial answer that never ends', chunkSize: 4, stallAfterChunks: 3 });
    const controller = new AbortController();
    const { run, events } = loop([tool], {
      signal: controller.signal,
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'text') controller.abort();
      },
    });
    const result = await run;
    assert.equal(result.status, 'stopped');
    const shown = events.map((e) => (e.type === 'text' ? e.text : '')).join('');
    assert.ok(shown.startsWith('Part'));
    assert.equal(result.text, shown, 'the result keeps exactly what was shown');
    await chats(server)[1].closed;
    assert.equal(chats(server)[1].closedByClient, true, 'the server saw the request closed');
    assert.equal(result.messages.length, 2, 'the finished step (the call and its result) is kept');
  });

  it('Stop during a long tool run ends the turn without another request', async () => {
    const slow: AgentTool = {
      readOnly: true,
      spec: { name: 'search', description: 'Searches', parameters: { type: 'object' } },
      run: (_args, signal) =>
        new Promise<ToolOutcome>((resolve) => signal.addEventListener('abort', () => resolve({ content: 'cancelled', isError: true, summary: 'Search stopped' }))),
    };
    server.enqueue({ toolCalls: [{ id: 'c1', name: 'search', arguments: '{}' }], finishReason: 'tool_calls' });
    const controller = new AbortController();
    const { run } = loop([slow], {
      signal: controller.signal,
      // Stop once the tool is running (the next turn of the event loop).
      onEvent: (event) => event.type === 'toolStart' && setImmediate(() => controller.abort()),
    });
    const result = await run;
    assert.equal(result.status, 'stopped');
    assert.equal(chats(server).length, 1, 'no request after Stop');
  });

  it('a server error ends the turn with the error and keeps the steps done', async () => {
    server.enqueue({ status: 401, errorMessage: 'Invalid API key' });
    const result = await loop([readFileTool({})]).run;
    assert.equal(result.status, 'error');
    assert.equal(result.error?.kind, 'auth');
  });

  it('the plain-text protocol: calls written as tagged blocks are run, hidden from the user, and answered as user turns', async () => {
    const tool = readFileTool({ 'a.ts': 'export const A = 1;' });
    server.enqueue(
      { text: 'I will read it.\n<tool_call>\n{"name": "read_file", "arguments": {"path": "a.ts"}}\n</tool_call>', chunkSize: 3 },
      { text: 'A is 1.' },
    );
    const { run, events } = loop([tool], { protocol: textProtocol });
    const result = await run;
    assert.equal(result.status, 'done');
    assert.equal(result.text, 'A is 1.');
    assert.deepEqual(tool.runs, ['a.ts']);
    const shown = events.map((e) => (e.type === 'text' ? e.text : '')).join('');
    assert.ok(!shown.includes('<tool_call'), `no part of a block is shown: ${JSON.stringify(shown)}`);
    const [first, second] = chats(server);
    assert.equal(first.body.tools, undefined, 'no tools field for this protocol');
    assert.match(first.body.messages[0].content, /<tool_call>/, 'the system prompt teaches the format');
    const lastUser = second.body.messages[second.body.messages.length - 1];
    assert.equal(lastUser.role, 'user');
    assert.match(lastUser.content, /<tool_result name="read_file"/);
    assert.match(lastUser.content, /export const A = 1;/);
  });

  it('a server that refuses tools (400) gets the same turn again in the plain-text protocol, with a notice', async () => {
    const tool = readFileTool({ 'a.ts': 'A' });
    server.enqueue(
      { status: 400, errorMessage: 'This model does not support tools' },
      { text: '<tool_call>{"name":"read_file","arguments":{"path":"a.ts"}}</tool_call>' },
      { text: 'It holds A.' },
    );
    const { run, events } = loop([tool], { fallbackProtocol: textProtocol });
    const result = await run;
    assert.equal(result.text, 'It holds A.');
    assert.ok(events.some((e) => e.type === 'notice' && /writes its tool calls as text/.test(e.text)));
    assert.ok(chats(server)[0].body.tools);
    assert.equal(chats(server)[1].body.tools, undefined);
  });
});
