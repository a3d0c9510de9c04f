// The agent's turn: the model answers or asks for tools; we run the tools and send the
// results back, until it answers. A runner around the one streamer, not a second client.
// Bounded: a number of tool calls and a token budget per turn, each with a notice when hit;
// an identical call is answered from the turn's cache; Stop ends it at any point.
import { toModelsLabError, type ModelsLabError } from '../llm/errors';
import type { ChatRequest, RequestMessage } from '../llm/request';
import type { ChatStreamer } from '../llm/streamer';
import type { ToolCall } from '../llm/types';
import { asUntrustedData, parseToolArguments, type AgentTool, type ToolOutcome } from './agentTool';
import { nativeProtocol, type ToolProtocol } from './toolProtocol';

export type AgentEvent =
  | { type: 'text'; text: string }
  | { type: 'toolStart'; callId: string; name: string; args: string; label: string }
  | { type: 'toolEnd'; callId: string; name: string; summary: string; isError: boolean; cached: boolean; args: string; result: string }
  /** Something the user should know: a limit was reached, the protocol changed. */
  | { type: 'notice'; text: string }
  | { type: 'retrying'; reason: string; retryAt: number }
  /** The request waits for a free slot (1 = next; 0 = sending now). */
  | { type: 'queued'; position: number }
  /** The streamer moved the request to another model before any text; the rest of the turn stays on `to`. */
  | { type: 'fallback'; from: string; to: string; reason: string };

export interface ToolLoopLimits {
  /** Tool calls per turn; past it the model must answer with what it has. */
  maxToolCalls: number;
  /** Tokens (prompt + answer, summed over the turn's requests). */
  maxTurnTokens: number;
}

export const DEFAULT_LIMITS: ToolLoopLimits = { maxToolCalls: 25, maxTurnTokens: 200_000 };

export interface ToolLoopOptions {
  streamer: ChatStreamer;
  /** The model, the conversation so far (ending with the user's prompt), the answer limit. */
  request: ChatRequest;
  tools: readonly AgentTool[];
  protocol?: ToolProtocol;
  /** Used when the server refuses `tools`: the plain-text protocol. */
  fallbackProtocol?: ToolProtocol;
  limits?: Partial<ToolLoopLimits>;
  signal?: AbortSignal;
  onEvent: (event: AgentEvent) => void;
}

export interface ToolLoopResult {
  status: 'done' | 'stopped' | 'error';
  /** The final answer's text (what the user reads after the tool lines). */
  text: string;
  /** Every message the turn added after the prompt: assistant turns with their calls, and the results. */
  messages: RequestMessage[];
  toolCalls: number;
  error?: ModelsLabError;
}

const LIMIT_NOTE = 'Answer now with what you have found; do not call any more tools.';

export async function runToolLoop(options: ToolLoopOptions): Promise<ToolLoopResult> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const tools = new Map(options.tools.map((tool) => [tool.spec.name, tool]));
  const cache = new Map<string, ToolOutcome>();
  const added: RequestMessage[] = [];
  let protocol = options.protocol ?? nativeProtocol;
  let toolCalls = 0;
  let tokens = 0;
  let allowTools = true;
  let text = '';
  // After a fallback the turn stays on the model that answered: going back would meet the same failure each step.
  let model = options.request.model;

  for (;;) {
    const request = protocol.prepare({ ...options.request, model, messages: [...options.request.messages, ...added] }, options.tools.map((t) => t.spec), allowTools);
    const parser = protocol.parser();
    const nativeCalls: ToolCall[] = [];
    text = '';
    try {
      for await (const chunk of options.streamer.stream(request, options.signal)) {
        if (chunk.type === 'text') {
          const shown = parser.push(chunk.text);
          text += shown;
          if (shown) options.onEvent({ type: 'text', text: shown });
        } else if (chunk.type === 'toolCall') nativeCalls.push(chunk.call);
        else if (chunk.type === 'usage') tokens += chunk.usage.totalTokens;
        else if (chunk.type === 'retrying') options.onEvent({ type: 'retrying', reason: chunk.reason, retryAt: chunk.retryAt });
        else if (chunk.type === 'queued') options.onEvent({ type: 'queued', position: chunk.position });
        else if (chunk.type === 'fallback') {
          model = chunk.to;
          options.onEvent({ type: 'fallback', from: chunk.from, to: chunk.to, reason: chunk.reason });
        }
      }
    } catch (err) {
      const error = toModelsLabError(err);
      if (error.kind === 'cancelled') return { status: 'stopped', text, messages: added, toolCalls };
      // A server that does not take `tools`: the same turn again, with the calls written as text.
      if (error.kind === 'bad_request' && /tool/i.test(error.message) && options.fallbackProtocol && protocol !== options.fallbackProtocol && added.length === 0) {
        protocol = options.fallbackProtocol;
        options.onEvent({ type: 'notice', text: `${request.model} does not take tools through the API, so the agent writes its tool calls as text.` });
        continue;
      }
      return { status: 'error', text, messages: added, toolCalls, error };
    }
    const rest = parser.finish(nativeCalls);
    if (rest.text) {
      text += rest.text;
      options.onEvent({ type: 'text', text: rest.text });
    }
    if (rest.calls.length === 0 && rest.errors.length === 0) return { status: 'done', text, messages: added, toolCalls };
    // Past a limit the model was told to answer; calls it still makes are not run.
    if (!allowTools) return { status: 'done', text, messages: added, toolCalls };

    added.push(protocol.replay(text, rest.calls));
    const results: { call: ToolCall; outcome: ToolOutcome }[] = [];
    for (const call of rest.calls) {
      if (options.signal?.aborted) return { status: 'stopped', text, messages: added, toolCalls };
      toolCalls++;
      results.push({ call, outcome: await runCall(call, tools, cache, options) });
    }
    added.push(...protocol.results(results.map(({ call, outcome }) => ({ call, content: outcome.isError ? outcome.content : asUntrustedData(outcome.content), isError: outcome.isError })), rest.errors));
    if (options.signal?.aborted) return { status: 'stopped', text, messages: added, toolCalls };

    const overCalls = toolCalls >= limits.maxToolCalls;
    const overTokens = tokens >= limits.maxTurnTokens;
    if (allowTools && (overCalls || overTokens)) {
      allowTools = false;
      options.onEvent({
        type: 'notice',
        text: overCalls
          ? `The agent used its ${limits.maxToolCalls} tool calls for this turn (modelslab.agent.maxToolCalls), so it answers with what it found.`
          : `The agent used its ${limits.maxTurnTokens.toLocaleString()} tokens for this turn, so it answers with what it found.`,
      });
      added.push({ role: 'user', parts: [{ type: 'text', text: LIMIT_NOTE }] });
    }
  }
}

async function runCall(call: ToolCall, tools: Map<string, AgentTool>, cache: Map<string, ToolOutcome>, options: ToolLoopOptions): Promise<ToolOutcome> {
  const tool = tools.get(call.name);
  const parsed = parseToolArguments(call.arguments);
  options.onEvent({ type: 'toolStart', callId: call.id, name: call.name, args: call.arguments, label: (parsed.ok && tool?.describe?.(parsed.args)) || call.name });
  const end = (outcome: ToolOutcome, cached = false) => {
    options.onEvent({ type: 'toolEnd', callId: call.id, name: call.name, summary: outcome.summary, isError: outcome.isError === true, cached, args: call.arguments, result: outcome.content });
    return outcome;
  };
  if (!tool) return end({ content: `There is no tool named "${call.name}". The tools are: ${[...tools.keys()].join(', ')}.`, isError: true, summary: `Unknown tool ${call.name}` });
  if (!parsed.ok) return end({ content: `${call.name}: ${parsed.reason}`, isError: true, summary: `${call.name}: invalid arguments` });
  const key = `${call.name}\u0000${JSON.stringify(parsed.args)}`;
  const known = cache.get(key);
  if (known) return end(known, true);
  let outcome: ToolOutcome;
  try {
    outcome = await tool.run(parsed.args, options.signal ?? new AbortController().signal);
  } catch (err) {
    outcome = { content: `${call.name} failed: ${(err as Error).message}`, isError: true, summary: `${call.name} failed` };
  }
  // Edits are not repeated from the cache: the second may apply to what the first proposed.
  if (tool.readOnly && !outcome.isError) cache.set(key, outcome);
  return end(outcome);
}
