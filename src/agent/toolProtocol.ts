// How tool calls travel between the loop and a model. Natively (OpenAI `tools`, streamed
// `tool_calls`, `role: "tool"` results) for models that support it; the plain-text protocol
// (textToolProtocol.ts) implements the same interface for the others.
import type { ChatRequest, RequestMessage, ToolSpec } from '../llm/request';
import type { ToolCall } from '../llm/types';

export interface ToolCallStreamParser {
  /** The part of a text delta to show now. */
  push(text: string): string;
  /** The end of the answer: any text held back, the calls, and calls that could not be read. */
  finish(nativeCalls: ToolCall[]): { text: string; calls: ToolCall[]; errors: string[] };
}

export interface ToolResultForModel {
  call: ToolCall;
  content: string;
  isError?: boolean;
}

export interface ToolProtocol {
  readonly name: 'native' | 'text';
  /** The request for one step; `allowCalls` false once the turn must answer without more calls. */
  prepare(request: ChatRequest, tools: readonly ToolSpec[], allowCalls: boolean): ChatRequest;
  parser(): ToolCallStreamParser;
  /** The model's own step, as it is sent back in the next request. */
  replay(text: string, calls: readonly ToolCall[]): RequestMessage;
  /** The results of the step's calls, and the calls that could not be read. */
  results(results: readonly ToolResultForModel[], unreadable: readonly string[]): RequestMessage[];
}

export const nativeProtocol: ToolProtocol = {
  name: 'native',
  prepare(request, tools, allowCalls) {
    // The tools stay listed even when no more calls are allowed: the messages hold earlier calls.
    return tools.length > 0 ? { ...request, tools: [...tools], toolChoice: allowCalls ? 'auto' : 'none' } : request;
  },
  parser() {
    return { push: (text) => text, finish: (nativeCalls) => ({ text: '', calls: nativeCalls, errors: [] }) };
  },
  replay(text, calls) {
    return { role: 'assistant', parts: [...(text ? [{ type: 'text' as const, text }] : []), ...calls.map((call) => ({ type: 'toolCall' as const, call }))] };
  },
  results(results) {
    return results.map(({ call, content }) => ({ role: 'tool' as const, parts: [{ type: 'toolResult' as const, callId: call.id, content }] }));
  },
};
