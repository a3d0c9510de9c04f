// The plain-text tool protocol (textToolProtocol.ts) as a ToolProtocol for the loop: for
// models without native tool support, and for servers that refuse `tools`.
import type { RequestMessage } from '../llm/request';
import { toolProtocolPrompt } from './textToolPrompt';
import { assistantMessageWithCalls, TEXT_PROTOCOL_STOP, ToolCallParser, toolResultMessage } from './textToolProtocol';
import type { ToolProtocol } from './toolProtocol';

export const textProtocol: ToolProtocol = {
  name: 'text',
  prepare(request, tools) {
    const section = toolProtocolPrompt(tools);
    if (!section) return request;
    const [first, ...rest] = request.messages;
    // The tools are described in the system prompt; no `tools` field goes to the server.
    const messages: RequestMessage[] =
      first?.role === 'system' ? [{ role: 'system', parts: [...first.parts, { type: 'text', text: `\n\n${section}` }] }, ...rest] : [{ role: 'system', parts: [{ type: 'text', text: section }] }, ...request.messages];
    const stop = [...(request.sampling?.stop ?? []), ...TEXT_PROTOCOL_STOP].slice(0, 4);
    return { ...request, messages, tools: undefined, toolChoice: undefined, sampling: { ...request.sampling, stop } };
  },
  parser() {
    const parser = new ToolCallParser();
    return { push: (text) => parser.push(text).text, finish: () => parser.finish() };
  },
  replay(text, calls) {
    return assistantMessageWithCalls(text, calls);
  },
  results(results, unreadable) {
    const message = results.length > 0 ? toolResultMessage(results) : { role: 'user' as const, parts: [] };
    if (unreadable.length > 0) {
      message.parts.push({ type: 'text', text: `\n\nSome tool calls could not be read:\n${unreadable.map((e) => `- ${e}`).join('\n')}\nWrite them again in the exact format.` });
    }
    return [message];
  },
};
