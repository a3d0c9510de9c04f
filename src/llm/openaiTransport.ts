// The OpenAI-compatible wire format (POST /chat/completions, SSE chat.completion.chunk events
// ending with `data: [DONE]`), as ModelsLab speaks it. Also reads ModelsLab's legacy error body
// {status:"error", message}, which may arrive with HTTP 200 or as an SSE data line.
import { APIError } from 'openai';
import { isLegacyErrorBody } from './errors';
import type { ChatRequest, RequestMessage } from './request';
import { pushText, WireErrorBody, type ChatTransport, type SseEvent, type StreamDecoder, type WireRequest } from './transport';
import type { ChatChunk, TokenUsage, ToolCall } from './types';

interface WireToolCallDelta {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

interface WireChoice {
  delta?: { content?: unknown; tool_calls?: WireToolCallDelta[] };
  message?: { content?: unknown; tool_calls?: { id?: string; function?: { name?: string; arguments?: string } }[] };
  finish_reason?: string | null;
}

interface WireChunk {
  model?: unknown;
  choices?: WireChoice[];
  usage?: WireUsage | null;
  error?: unknown;
}

interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
}

export const openAiTransport: ChatTransport = {
  name: 'openai',
  build: buildOpenAiRequest,
  createDecoder: () => new OpenAiDecoder(),
  decodeBody: decodeCompletionBody,
};

export function buildOpenAiRequest(request: ChatRequest): WireRequest {
  const s = request.sampling ?? {};
  const body: Record<string, unknown> = {
    model: request.model.trim(),
    messages: request.messages.flatMap(toWireMessages),
    max_tokens: request.maxTokens,
    stream: true,
    stream_options: { include_usage: true },
  };
  if (s.temperature !== undefined) body.temperature = s.temperature;
  if (s.topP !== undefined) body.top_p = s.topP;
  if (s.presencePenalty !== undefined) body.presence_penalty = s.presencePenalty;
  if (s.frequencyPenalty !== undefined) body.frequency_penalty = s.frequencyPenalty;
  if (s.stop !== undefined && s.stop.length > 0) body.stop = [...s.stop];
  if (s.seed !== undefined) body.seed = s.seed;
  if (s.responseFormat === 'json_object') body.response_format = { type: 'json_object' };
  if (request.tools?.length) {
    body.tools = request.tools.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } }));
    if (request.toolChoice) body.tool_choice = request.toolChoice;
  }
  return { path: '/chat/completions', body };
}

/**
 * One of our messages as OpenAI messages. Tool results become `role: "tool"` messages whatever
 * role carried them (VS Code's chat puts them in user messages), ahead of any text the message
 * also has; images make the content an array of parts.
 */
function toWireMessages(message: RequestMessage): Record<string, unknown>[] {
  const content: Record<string, unknown>[] = [];
  let text = '';
  const calls: ToolCall[] = [];
  const results: Record<string, unknown>[] = [];
  for (const part of message.parts) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'toolCall') calls.push(part.call);
    else if (part.type === 'toolResult') results.push({ role: 'tool', tool_call_id: part.callId, content: part.content });
    else {
      if (text) content.push({ type: 'text', text });
      text = '';
      content.push({ type: 'image_url', image_url: { url: `data:${part.mimeType};base64,${part.data}` } });
    }
  }
  if (content.length > 0 && text) content.push({ type: 'text', text });
  const body: unknown = content.length > 0 ? content : text;
  if (message.role === 'tool' || (calls.length === 0 && body === '' && results.length > 0)) return results;
  if (calls.length === 0) return [...results, { role: message.role, content: body }];
  return [
    ...results,
    {
      role: message.role,
      content: body === '' ? null : body,
      tool_calls: calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
    },
  ];
}

class OpenAiDecoder implements StreamDecoder {
  done = false;
  finishReason: string | undefined;
  private modelSeen = false;
  /** Tool calls by their stream index, in the order they began. */
  private readonly calls = new Map<number, ToolCall>();

  decode(event: SseEvent, out: ChatChunk[]): void {
    if (this.done) return;
    if (event.data.startsWith('[DONE]')) {
      this.done = true;
      return;
    }
    const chunk = JSON.parse(event.data) as WireChunk; // a SyntaxError is a malformed response
    if (isLegacyErrorBody(chunk)) throw new WireErrorBody(chunk);
    if (chunk.error) throw new APIError(undefined, chunk.error as object, undefined, undefined as unknown as Headers);
    if (!this.modelSeen && typeof chunk.model === 'string' && chunk.model !== '') {
      this.modelSeen = true;
      out.push({ type: 'model', model: chunk.model });
    }
    const choice = chunk.choices?.[0];
    const content = choice?.delta?.content;
    if (typeof content === 'string') pushText(out, content);
    for (const delta of choice?.delta?.tool_calls ?? []) this.addToolCallDelta(delta);
    if (choice?.finish_reason) this.finishReason = choice.finish_reason;
    if (chunk.usage) out.push({ type: 'usage', usage: usageOf(chunk.usage) });
  }

  flush(out: ChatChunk[]): void {
    for (const call of this.calls.values()) out.push({ type: 'toolCall', call });
    this.calls.clear();
  }

  private addToolCallDelta(delta: WireToolCallDelta): void {
    const index = typeof delta.index === 'number' ? delta.index : this.calls.size;
    let call = this.calls.get(index);
    if (!call) {
      call = { id: '', name: '', arguments: '' };
      this.calls.set(index, call);
    }
    if (delta.id) call.id = delta.id;
    if (delta.function?.name) call.name += delta.function.name;
    if (delta.function?.arguments) call.arguments += delta.function.arguments;
  }
}

/** A whole chat.completion body, or an error in either shape. */
function decodeCompletionBody(body: unknown): ChatChunk[] {
  if (isLegacyErrorBody(body)) throw new WireErrorBody(body);
  const record = body as WireChunk | null;
  if (record && typeof record === 'object' && record.error) throw new APIError(undefined, record.error as object, undefined, undefined as unknown as Headers);
  const choice = record?.choices?.[0];
  const content = choice?.message?.content;
  const calls = choice?.message?.tool_calls ?? [];
  if (typeof content !== 'string' && calls.length === 0) throw new SyntaxError('JSON body without choices[0].message.content');
  const out: ChatChunk[] = [];
  if (typeof record?.model === 'string' && record.model !== '') out.push({ type: 'model', model: record.model });
  if (typeof content === 'string') pushText(out, content);
  for (const call of calls) out.push({ type: 'toolCall', call: { id: call.id ?? '', name: call.function?.name ?? '', arguments: call.function?.arguments ?? '' } });
  if (record?.usage) out.push({ type: 'usage', usage: usageOf(record.usage) });
  out.push({ type: 'finish', reason: choice?.finish_reason ?? 'stop' });
  return out;
}

function usageOf(usage: WireUsage): TokenUsage {
  const promptTokens = usage.prompt_tokens ?? 0;
  const completionTokens = usage.completion_tokens ?? 0;
  return { promptTokens, completionTokens, totalTokens: usage.total_tokens ?? promptTokens + completionTokens };
}
