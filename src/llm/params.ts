// Checks a chat request against ModelsLab's documented ranges before anything is sent, and maps
// our camelCase options to the API's names. A bad setting fails here with a clear message
// instead of as a vague 400 from the server.
import { invalidParamsError } from './errors';
import type { ChatMessage, ChatOptions } from './types';

const ROLES = new Set(['system', 'user', 'assistant']);

/** Throws a ModelsLabError of kind 'invalid_params' describing the first problem found. */
export function validateChatRequest(messages: readonly ChatMessage[], options: ChatOptions): void {
  if (typeof options.model !== 'string' || options.model.trim() === '') fail('model must be a non-empty model ID');
  if (!Array.isArray(messages) || messages.length === 0) fail('messages must contain at least one message');
  messages.forEach((message, i) => {
    if (!message || !ROLES.has(message.role)) fail(`messages[${i}].role must be system, user or assistant (got ${show(message?.role)})`);
    if (typeof message.content !== 'string') fail(`messages[${i}].content must be a string`);
  });
  checkRange('temperature', options.temperature, 0, 2);
  checkRange('top_p', options.topP, 0, 1);
  checkRange('presence_penalty', options.presencePenalty, -2, 2);
  checkRange('frequency_penalty', options.frequencyPenalty, -2, 2);
  if (options.maxTokens !== undefined && !(Number.isInteger(options.maxTokens) && options.maxTokens >= 1)) {
    fail(`max_tokens must be a whole number of at least 1 (got ${show(options.maxTokens)})`);
  }
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) fail(`seed must be an integer (got ${show(options.seed)})`);
  if (options.stop !== undefined) {
    if (!Array.isArray(options.stop) || options.stop.length > 4) fail(`stop takes at most 4 sequences (got ${show(options.stop?.length)})`);
    options.stop.forEach((s, i) => {
      if (typeof s !== 'string' || s === '') fail(`stop[${i}] must be a non-empty string`);
    });
  }
  if (options.responseFormat !== undefined && options.responseFormat !== 'json_object') {
    fail(`responseFormat must be "json_object" (got ${show(options.responseFormat)})`);
  }
}

/** The API request fields (without `stream`), for an already validated request. */
export interface ChatRequestFields {
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  stop?: string[];
  seed?: number;
  response_format?: { type: 'json_object' };
}

export function toRequestFields(messages: readonly ChatMessage[], options: ChatOptions): ChatRequestFields {
  const fields: ChatRequestFields = {
    model: options.model.trim(),
    messages: messages.map(({ role, content }) => ({ role, content })),
  };
  if (options.temperature !== undefined) fields.temperature = options.temperature;
  if (options.topP !== undefined) fields.top_p = options.topP;
  if (options.maxTokens !== undefined) fields.max_tokens = options.maxTokens;
  if (options.presencePenalty !== undefined) fields.presence_penalty = options.presencePenalty;
  if (options.frequencyPenalty !== undefined) fields.frequency_penalty = options.frequencyPenalty;
  if (options.stop !== undefined && options.stop.length > 0) fields.stop = [...options.stop];
  if (options.seed !== undefined) fields.seed = options.seed;
  if (options.responseFormat === 'json_object') fields.response_format = { type: 'json_object' };
  return fields;
}

function checkRange(name: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    fail(`${name} must be between ${min} and ${max} (got ${show(value)})`);
  }
}

function fail(message: string): never {
  throw invalidParamsError(message);
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
