// What each known model can take in and give out, so requests fit before they are sent. The
// API lists ids only (no context size), so these come from the models' published limits, kept
// a little under them; unknown ids get a conservative default.

export interface ModelLimits {
  /** Tokens the model reads and writes in one request. */
  contextTokens: number;
  /** The most tokens one answer may have. */
  maxOutputTokens: number;
}

export const UNKNOWN_MODEL_LIMITS: ModelLimits = { contextTokens: 16_384, maxOutputTokens: 4_096 };

const KNOWN: Record<string, ModelLimits> = {
  'qwen-qwen2.5-coder-32b-instruct': { contextTokens: 32_768, maxOutputTokens: 8_192 },
  'qwen-qwen2.5-72b-instruct-turbo': { contextTokens: 32_768, maxOutputTokens: 8_192 },
  'qwen-qwen2.5-vl-72b-instruct-together': { contextTokens: 32_768, maxOutputTokens: 8_192 },
  'deepseek-ai-deepseek-v3': { contextTokens: 65_536, maxOutputTokens: 8_192 },
  'deepseek-ai-deepseek-r1-distill-llama-70b': { contextTokens: 32_768, maxOutputTokens: 8_192 },
  'meta-llama-llama-3.3-70b-instruct-turbo': { contextTokens: 131_072, maxOutputTokens: 8_192 },
  'meta-llama-3-8b-instruct': { contextTokens: 8_192, maxOutputTokens: 4_096 },
  'gemini-2.0-flash-001': { contextTokens: 1_048_576, maxOutputTokens: 8_192 },
  'gemini-2.5-pro': { contextTokens: 1_048_576, maxOutputTokens: 65_536 },
  'mistralai-mistral-small-24b-instruct-2501': { contextTokens: 32_768, maxOutputTokens: 8_192 },
  'mistralai-mixtral-8x7b-instruct-v0.1': { contextTokens: 32_768, maxOutputTokens: 4_096 },
};

/** Both id styles ("Qwen/Qwen2.5-…" and "Qwen-Qwen2.5-…") and any case name the same model. */
function key(modelId: string): string {
  return modelId.trim().toLowerCase().replace(/\//g, '-');
}

export function limitsFor(modelId: string): ModelLimits {
  return KNOWN[key(modelId)] ?? UNKNOWN_MODEL_LIMITS;
}

/** The answer limit to send: what the user asked for, but never more than the model gives. */
export function outputTokensFor(modelId: string, wanted: number): number {
  return Math.max(1, Math.min(wanted, limitsFor(modelId).maxOutputTokens));
}
