// The agent as a ChatStreamer: a request goes in, the tool loop runs around the real
// streamer, and out comes one stream like any other (text, tool activity, notices, one
// finish or a throw), so the panel's runner, presenter and history need no second path.
import { cancelledError, ModelsLabError, toModelsLabError } from '../llm/errors';
import type { ChatRequest } from '../llm/request';
import type { ChatStreamer } from '../llm/streamer';
import { TOOL_RECORD_CHARS, type ChatChunk } from '../llm/types';
import type { AgentTool } from './agentTool';
import { AGENT_INSTRUCTIONS } from './agentPrompt';
import type { PlannedFile } from './editPlan';
import { runToolLoop, type AgentEvent, type ToolLoopLimits } from './toolLoop';
import type { ToolProtocol } from './toolProtocol';

/** One Agent-mode answer: its streamer, and the edits it proposed once it has ended. */
export interface AgentTurn {
  streamer: ChatStreamer;
  proposedFiles(): PlannedFile[];
  /** The answer has ended: questions still open count as "no". */
  end?(): void;
}

export interface AgentStreamerOptions {
  base: ChatStreamer;
  tools: readonly AgentTool[];
  protocol?: ToolProtocol;
  fallbackProtocol?: ToolProtocol;
  limits?: Partial<ToolLoopLimits>;
}

export function agentStreamer(options: AgentStreamerOptions): ChatStreamer {
  return {
    stream: (request, signal) => streamTurn(options, request, signal),
  };
}

async function* streamTurn(options: AgentStreamerOptions, request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatChunk> {
  // The loop reports through a callback; a queue turns that into this stream's chunks.
  const queue: ChatChunk[] = [];
  let wake: (() => void) | undefined;
  const push = (chunk: ChatChunk) => {
    queue.push(chunk);
    wake?.();
  };
  const onEvent = (event: AgentEvent) => {
    switch (event.type) {
      case 'text':
        push({ type: 'text', text: event.text });
        break;
      case 'toolStart':
        push({ type: 'tool', activity: { callId: event.callId, name: event.name, summary: event.label, state: 'running' } });
        break;
      case 'toolEnd':
        push({
          type: 'tool',
          activity: { callId: event.callId, name: event.name, summary: event.summary, state: event.isError ? 'error' : 'done', args: compact(event.args), result: compact(event.result) },
        });
        break;
      case 'notice':
        push({ type: 'notice', text: event.text });
        break;
      case 'retrying':
        push({ type: 'retrying', attempt: 1, delayMs: Math.max(0, event.retryAt - Date.now()), reason: event.reason, retryAt: event.retryAt });
        break;
      case 'queued':
        push({ type: 'queued', position: event.position });
        break;
      case 'fallback':
        push({ type: 'fallback', from: event.from, to: event.to, reason: event.reason });
        break;
    }
  };
  let finished = false;
  const result = runToolLoop({ ...options, streamer: options.base, request: withAgentInstructions(request), signal, onEvent }).finally(() => {
    finished = true;
    wake?.();
  });
  let text = '';
  for (;;) {
    while (queue.length > 0) {
      const chunk = queue.shift() as ChatChunk;
      if (chunk.type === 'text') text += chunk.text;
      yield chunk;
    }
    if (finished) break;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
  const outcome = await result;
  if (outcome.status === 'done') {
    yield { type: 'finish', reason: 'stop' };
    return;
  }
  if (outcome.status === 'stopped') throw cancelledError();
  const error = outcome.error ?? toModelsLabError(new Error('The agent stopped without an answer.'));
  // What the user saw stays theirs: the partial text is part of the error, as for any stream.
  throw text && error.partialText === undefined ? new ModelsLabError({ ...error, message: error.message, partialText: text }) : error;
}

/** The agent's instructions join the system prompt (or become one). */
function withAgentInstructions(request: ChatRequest): ChatRequest {
  const [first, ...rest] = request.messages;
  const messages: ChatRequest['messages'] =
    first?.role === 'system'
      ? [{ role: 'system', parts: [...first.parts, { type: 'text', text: `\n\n${AGENT_INSTRUCTIONS}` }] }, ...rest]
      : [{ role: 'system', parts: [{ type: 'text', text: AGENT_INSTRUCTIONS }] }, ...request.messages];
  return { ...request, messages };
}

/** A call's arguments or result as the answer keeps it: the start, and how much was left out. */
function compact(text: string): string {
  return text.length <= TOOL_RECORD_CHARS ? text : `${text.slice(0, TOOL_RECORD_CHARS)}… [${(text.length - TOOL_RECORD_CHARS).toLocaleString()} more characters]`;
}
