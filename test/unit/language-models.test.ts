import * as assert from 'node:assert/strict';
import { fitToInputWindow } from '../../src/languageModels/requestBudget';
import { toChatModelInformation } from '../../src/languageModels/modelInformation';
import { capabilitiesFor, familyOf } from '../../src/llm/modelCapabilities';
import type { RequestMessage } from '../../src/llm/request';

const user = (text: string): RequestMessage => ({ role: 'user', parts: [{ type: 'text', text }] });
const assistant = (text: string): RequestMessage => ({ role: 'assistant', parts: [{ type: 'text', text }] });

describe('VS Code chat models: what the picker shows', () => {
  it('gives each model its name, family, window and output limit, and says which cannot call tools', () => {
    const coder = toChatModelInformation({ id: 'Qwen-Qwen2.5-Coder-32B-Instruct', label: 'Qwen2.5 Coder 32B' });
    assert.deepEqual(
      { name: coder.name, family: coder.family, maxInputTokens: coder.maxInputTokens, maxOutputTokens: coder.maxOutputTokens, capabilities: coder.capabilities },
      { name: 'Qwen2.5 Coder 32B', family: 'qwen', maxInputTokens: 32_768 - 8_192, maxOutputTokens: 8_192, capabilities: { toolCalling: true, imageInput: false } },
    );
    const r1 = toChatModelInformation({ id: 'deepseek-ai-DeepSeek-R1-Distill-Llama-70B', label: 'DeepSeek R1 Distill Llama 70B', note: 'not listed by the server' });
    assert.equal(r1.capabilities.toolCalling, false);
    assert.match(r1.tooltip ?? '', /not listed by the server/);
    assert.match(r1.tooltip ?? '', /no tool calling/);
  });

  it('knows tool and image support by family, in both id styles, and guesses for unknown ids', () => {
    assert.deepEqual(capabilitiesFor('Qwen/Qwen2.5-VL-72B-Instruct-together'), { toolCalling: false, imageInput: true });
    assert.deepEqual(capabilitiesFor('gemini-2.5-pro'), { toolCalling: true, imageInput: true });
    assert.deepEqual(capabilitiesFor('meta-llama-3-8B-instruct'), { toolCalling: false, imageInput: false });
    assert.deepEqual(capabilitiesFor('meta-llama-Llama-3.3-70B-Instruct-Turbo'), { toolCalling: true, imageInput: false });
    assert.deepEqual(capabilitiesFor('mistralai-Mixtral-8x7B-Instruct-v0.1'), { toolCalling: false, imageInput: false });
    assert.deepEqual(capabilitiesFor('some-new-model'), { toolCalling: false, imageInput: false });
    assert.deepEqual(['Qwen/Qwen3-Coder', 'deepseek-ai-DeepSeek-V3', 'mistralai-Mixtral-8x7B', 'acme-7b'].map(familyOf), ['qwen', 'deepseek', 'mistral', 'acme']);
  });
});

describe('VS Code chat models: the request budget', () => {
  it('keeps a request that fits as it is', () => {
    const messages = [user('hello'), assistant('hi'), user('how are you')];
    assert.deepEqual(fitToInputWindow(messages, 1_000), { messages, omittedTurns: 0 });
  });

  it('refuses an empty list (or one with only a system prompt) instead of sending it', () => {
    assert.deepEqual(fitToInputWindow([], 1_000), { empty: true });
    assert.deepEqual(fitToInputWindow([{ role: 'system', parts: [{ type: 'text', text: 'be brief' }] }], 1_000), { empty: true });
  });

  it('drops the oldest whole turns, keeping the system prompt and the latest prompt', () => {
    const system: RequestMessage = { role: 'system', parts: [{ type: 'text', text: 'rules' }] };
    const old = 'x'.repeat(3_000);
    const messages = [system, user(old), assistant(old), user(old), assistant(old), user('latest question')];
    // About 1,000 tokens a message: one turn must go for 2,500 to fit, both for 1,200.
    assert.deepEqual(fitToInputWindow(messages, 2_500), { messages: [system, user(old), assistant(old), user('latest question')], omittedTurns: 1 });
    assert.deepEqual(fitToInputWindow(messages, 1_200), { messages: [system, user('latest question')], omittedTurns: 2 });
  });

  it('never separates a tool call from its result', () => {
    const call: RequestMessage = { role: 'assistant', parts: [{ type: 'toolCall', call: { id: 'c1', name: 'read', arguments: '{}' } }] };
    const result: RequestMessage = { role: 'user', parts: [{ type: 'toolResult', callId: 'c1', content: 'y'.repeat(6_000) }] };
    const fitted = fitToInputWindow([user('read it'), call, result, assistant('done'), user('next')], 100);
    assert.ok('messages' in fitted);
    assert.deepEqual(fitted.messages, [user('next')], 'the whole first turn went, call and result together');
  });

  it('reports a latest turn that cannot fit, with its size, instead of a 400 loop', () => {
    const fitted = fitToInputWindow([user('old'), assistant('ok'), user('z'.repeat(30_000))], 1_000);
    assert.ok('tooLarge' in fitted);
    assert.equal(fitted.tooLarge.budget, 1_000);
    assert.ok(fitted.tooLarge.tokens > 10_000);
  });
});
