// Checks a chat request against ModelsLab's documented ranges before anything is sent. A bad
// setting fails here with a clear message instead of as a vague 400 from the server.
import { invalidParamsError } from './errors';
import type { ChatRequest } from './request';

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);

/** Throws a ModelsLabError of kind 'invalid_params' describing the first problem found. */
export function validateChatRequest(request: ChatRequest): void {
  const { messages } = request;
  const options = { ...request.sampling, maxTokens: request.maxTokens };
  if (typeof request.model !== 'string' || request.model.trim() === '') fail('model must be a non-empty model ID');
  if (!Array.isArray(messages) || messages.length === 0) fail('messages must contain at least one message');
  messages.forEach((message, i) => {
    if (!message || !ROLES.has(message.role)) fail(`messages[${i}].role must be system, user, assistant or tool (got ${show(message?.role)})`);
    if (!Array.isArray(message.parts)) fail(`messages[${i}].parts must be a list`);
  });
  checkRange('temperature', options.temperature, 0, 2);
  checkRange('top_p', options.topP, 0, 1);
  checkRange('presence_penalty', options.presencePenalty, -2, 2);
  checkRange('frequency_penalty', options.frequencyPenalty, -2, 2);
  if (!(Number.isInteger(options.maxTokens) && options.maxTokens >= 1)) {
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
