// The Anthropic-compatible wire format (POST /v1/messages, SSE events message_start …
// message_stop), which ModelsLab also serves. The key goes in `x-api-key` (the SDK adds it as a
// Bearer token as well; ModelsLab takes either).
//
// Mapping choices, where the two formats differ:
// - system messages become the top-level `system` (joined with blank lines); the other messages
//   alternate user/assistant, consecutive same-role messages merged into one.
// - tool results (a `tool` message, or toolResult parts in any message) are `tool_result`
//   blocks in a user message, first in its content, as Anthropic requires.
// - a tool call's arguments must be an object: invalid JSON (or JSON that is not an object) is
//   sent as {"_invalid_arguments": "<the text>"}, so the model sees what it wrote when the tool
//   result tells it the call failed; empty arguments are {}.
// - temperature is clamped to Anthropic's 0–1; presence/frequency penalty and seed have no
//   Anthropic field and are not sent; json_object becomes an instruction in the system prompt.
import { APIError } from 'openai';
import { isLegacyErrorBody } from './errors';
import type { ChatRequest, ContentPart, RequestMessage } from './request';
import { pushText, WireErrorBody, type ChatTransport, type SseEvent, type StreamDecoder, type WireRequest } from './transport';
import type { ChatChunk, ToolCall } from './types';

export const ANTHROPIC_VERSION = '2023-06-01';

/** Appended to the system prompt for responseFormat json_object (Anthropic has no such field). */
export const JSON_OBJECT_INSTRUCTION = 'Respond with a single valid JSON object and nothing else: no prose, no code fences.';

type Block = Record<string, unknown>;
interface WireMessage {
  role: 'user' | 'assistant';
  content: Block[];
}

export function anthropicTransport(apiKey: string): ChatTransport {
  return {
    name: 'anthropic',
    build: (request) => buildAnthropicRequest(request, apiKey),
    createDecoder: () => new AnthropicDecoder(),
    decodeBody: decodeMessageBody,
  };
}

export function buildAnthropicRequest(request: ChatRequest, apiKey: string): WireRequest {
  const s = request.sampling ?? {};
  const systemTexts = request.messages.filter((m) => m.role === 'system').map(textOfParts).filter((t) => t !== '');
  if (s.responseFormat === 'json_object') systemTexts.push(JSON_OBJECT_INSTRUCTION);
  const body: Record<string, unknown> = {
    model: request.model.trim(),
    max_tokens: request.maxTokens,
    messages: toWireMessages(request.messages),
    stream: true,
  };
  if (systemTexts.length > 0) body.system = systemTexts.join('\n\n');
  if (s.temperature !== undefined) body.temperature = Math.min(1, s.temperature);
  if (s.topP !== undefined) body.top_p = s.topP;
  if (s.stop !== undefined && s.stop.length > 0) body.stop_sequences = [...s.stop];
  if (request.tools?.length) {
    body.tools = request.tools.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.parameters }));
    if (request.toolChoice) body.tool_choice = { type: request.toolChoice === 'required' ? 'any' : request.toolChoice };
  }
  return { path: '/v1/messages', body, headers: { 'x-api-key': apiKey, 'anthropic-version': ANTHROPIC_VERSION } };
}

function textOfParts(message: RequestMessage): string {
  return message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** Our non-system messages as alternating user/assistant messages (content as blocks while merging). */
function toWireMessages(messages: readonly RequestMessage[]): { role: WireMessage['role']; content: string | Block[] }[] {
  const out: WireMessage[] = [];
  const add = (role: WireMessage['role'], content: Block[]) => {
    if (content.length === 0) return;
    const last = out[out.length - 1];
    if (last?.role === role) last.content.push(...content);
    else out.push({ role, content });
  };
  for (const message of messages) {
    if (message.role === 'system') continue;
    const results = message.parts.filter((p) => p.type === 'toolResult').map(toBlock);
    const rest = contentBlocks(message.parts.filter((p) => p.type !== 'toolResult'));
    if (message.role === 'assistant') {
      // A result answers an earlier call, so it goes before what this message says.
      add('user', results);
      add('assistant', rest);
    } else {
      add('user', [...results, ...rest]);
    }
  }
  return out.map(({ role, content }) => {
    const blocks = role === 'user' ? resultsFirst(content) : content;
    // Plain text as a string: the form every Anthropic-compatible server reads.
    const only = blocks.length === 1 ? blocks[0] : undefined;
    return { role, content: only?.type === 'text' ? (only.text as string) : blocks };
  });
}

/** One message's parts as blocks: adjacent text joined (as the OpenAI transport does), blank text dropped (Anthropic refuses it). */
function contentBlocks(parts: readonly ContentPart[]): Block[] {
  const blocks: Block[] = [];
  let text = '';
  const flushText = () => {
    if (text.trim() !== '') blocks.push({ type: 'text', text });
    text = '';
  };
  for (const part of parts) {
    if (part.type === 'text') text += part.text;
    else {
      flushText();
      blocks.push(toBlock(part));
    }
  }
  flushText();
  return blocks;
}

/** Merging can put a tool_result after text; Anthropic wants them at the start of the message. */
function resultsFirst(content: Block[]): Block[] {
  return [...content.filter((b) => b.type === 'tool_result'), ...content.filter((b) => b.type !== 'tool_result')];
}

function toBlock(part: ContentPart): Block {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'toolCall':
      return { type: 'tool_use', id: part.call.id, name: part.call.name, input: toolInput(part.call.arguments) };
    case 'toolResult':
      return { type: 'tool_result', tool_use_id: part.callId, content: part.content };
    case 'image':
      return { type: 'image', source: { type: 'base64', media_type: part.mimeType, data: part.data } };
  }
}

/** `input` must be an object; see the header for what invalid arguments become. */
export function toolInput(args: string): Record<string, unknown> {
  if (args.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(args);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through: kept as text
  }
  return { _invalid_arguments: args };
}

// ------------------------------------------------------------ responses

const STOP_REASONS: Record<string, string> = { end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', tool_use: 'tool_calls' };

/** Anthropic's error types as the HTTP status the same error has; errors.ts maps the status to a kind. */
const ERROR_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

interface WireUsage {
  input_tokens?: number;
  output_tokens?: number;
}

interface WireEvent {
  type?: string;
  index?: number;
  message?: { model?: unknown; usage?: WireUsage };
  content_block?: { type?: string; id?: string; name?: string; text?: string; input?: unknown };
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string | null };
  usage?: WireUsage;
  error?: unknown;
}

/** An Anthropic error body {type:'error', error:{type, message}} as the APIError the rest of the client reads. */
function anthropicError(error: unknown): APIError {
  const type = (error as { type?: unknown } | null)?.type;
  const status = typeof type === 'string' ? ERROR_STATUS[type] : undefined;
  return new APIError(status, (error ?? {}) as object, undefined, new Headers());
}

function isErrorBody(body: unknown): body is { type: 'error'; error?: unknown } {
  return typeof body === 'object' && body !== null && (body as { type?: unknown }).type === 'error';
}

/** Which kind a streamed content block is; tool_use blocks assemble a call. */
type OpenBlock = { kind: 'text' } | { kind: 'tool'; call: ToolCall; input: unknown };

class AnthropicDecoder implements StreamDecoder {
  done = false;
  finishReason: string | undefined;
  private modelSeen = false;
  private inputTokens = 0;
  private readonly blocks = new Map<number, OpenBlock>();
  /** Finished tool calls, held until flush like the OpenAI decoder's. */
  private readonly calls: ToolCall[] = [];

  decode(event: SseEvent, out: ChatChunk[]): void {
    if (this.done) return;
    const data = JSON.parse(event.data) as WireEvent; // a SyntaxError is a malformed response
    if (isLegacyErrorBody(data)) throw new WireErrorBody(data);
    switch (data.type ?? event.event) {
      case 'message_start':
        if (!this.modelSeen && typeof data.message?.model === 'string' && data.message.model !== '') {
          this.modelSeen = true;
          out.push({ type: 'model', model: data.message.model });
        }
        this.inputTokens = data.message?.usage?.input_tokens ?? 0;
        return;
      case 'content_block_start':
        this.startBlock(data, out);
        return;
      case 'content_block_delta':
        this.addDelta(data, out);
        return;
      case 'content_block_stop':
        this.stopBlock(data.index ?? 0);
        return;
      case 'message_delta':
        if (data.delta?.stop_reason) this.finishReason = STOP_REASONS[data.delta.stop_reason] ?? data.delta.stop_reason;
        if (data.usage?.output_tokens !== undefined) {
          const promptTokens = data.usage.input_tokens ?? this.inputTokens;
          const completionTokens = data.usage.output_tokens;
          out.push({ type: 'usage', usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens } });
        }
        return;
      case 'message_stop':
        this.done = true;
        return;
      case 'error':
        throw anthropicError(data.error);
      default:
        return; // ping, and event types added after this was written
    }
  }

  flush(out: ChatChunk[]): void {
    // A tool block the stream never closed is still a call (as OpenAI's are, without any close).
    for (const index of [...this.blocks.keys()]) this.stopBlock(index);
    for (const call of this.calls) out.push({ type: 'toolCall', call });
    this.calls.length = 0;
  }

  private startBlock(data: WireEvent, out: ChatChunk[]): void {
    const block = data.content_block;
    const index = data.index ?? this.blocks.size;
    if (block?.type === 'tool_use') {
      this.blocks.set(index, { kind: 'tool', call: { id: block.id ?? '', name: block.name ?? '', arguments: '' }, input: block.input });
    } else if (block?.type === 'text') {
      this.blocks.set(index, { kind: 'text' });
      if (typeof block.text === 'string') pushText(out, block.text);
    }
  }

  private addDelta(data: WireEvent, out: ChatChunk[]): void {
    const delta = data.delta;
    if (delta?.type === 'text_delta' && typeof delta.text === 'string') pushText(out, delta.text);
    else if (delta?.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
      const block = this.blocks.get(data.index ?? 0);
      if (block?.kind === 'tool') block.call.arguments += delta.partial_json;
    }
    // thinking_delta, signature_delta: no chunk of ours carries them.
  }

  private stopBlock(index: number): void {
    const block = this.blocks.get(index);
    this.blocks.delete(index);
    if (block?.kind !== 'tool') return;
    // No input_json_delta at all: the input came whole with the block's start.
    if (block.call.arguments === '') block.call.arguments = JSON.stringify(block.input ?? {});
    this.calls.push(block.call);
  }
}

interface WireMessageBody {
  content?: { type?: string; text?: unknown; id?: string; name?: string; input?: unknown }[];
  model?: unknown;
  stop_reason?: string | null;
  usage?: WireUsage;
  error?: unknown;
}

/** A whole message (a server that ignored stream:true), or an error body in any of the shapes. */
function decodeMessageBody(body: unknown): ChatChunk[] {
  if (isLegacyErrorBody(body)) throw new WireErrorBody(body);
  if (isErrorBody(body)) throw anthropicError(body.error);
  const record = body as WireMessageBody | null;
  if (record && typeof record === 'object' && record.error) throw new APIError(undefined, record.error as object, undefined, undefined as unknown as Headers);
  if (!Array.isArray(record?.content)) throw new SyntaxError('JSON body without a content array');
  const out: ChatChunk[] = [];
  if (typeof record.model === 'string' && record.model !== '') out.push({ type: 'model', model: record.model });
  const calls: ChatChunk[] = [];
  for (const block of record.content) {
    // ModelsLab's own example omits `type` on text blocks.
    if ((block?.type === 'text' || block?.type === undefined) && typeof block?.text === 'string') pushText(out, block.text);
    else if (block?.type === 'tool_use') calls.push({ type: 'toolCall', call: { id: block.id ?? '', name: block.name ?? '', arguments: JSON.stringify(block.input ?? {}) } });
  }
  out.push(...calls);
  const usage = record.usage;
  if (usage && (usage.input_tokens !== undefined || usage.output_tokens !== undefined)) {
    const promptTokens = usage.input_tokens ?? 0;
    const completionTokens = usage.output_tokens ?? 0;
    out.push({ type: 'usage', usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens } });
  }
  const reason = record.stop_reason ? (STOP_REASONS[record.stop_reason] ?? record.stop_reason) : 'stop';
  out.push({ type: 'finish', reason });
  return out;
}
