// What a model can do beyond text, for VS Code's model picker and agent mode. ModelsLab's
// model list gives ids only and its docs do not say which models take tools, so these come
// from the models' own documentation, with a guess by name for ids we do not know.

export interface ModelCapabilities {
  /** Can it call tools (OpenAI function calling)? VS Code's agent mode needs this. */
  toolCalling: boolean;
  /** Does it read images in a message? */
  imageInput: boolean;
}

/** Families whose instruction-tuned models call tools. */
const TOOL_FAMILIES = /qwen2\.5|qwen3|deepseek-v3|llama-3\.[13]-|gemini|mistral-(?:small|large|medium)|gpt-|claude/i;
/** Known without tool support: reasoning distills, small or old models. */
const NO_TOOLS = /r1|distill|llama-3-8b|mixtral|-vl-/i;
const VISION = /-vl-|vision|gemini|gpt-4o|claude/i;

export function capabilitiesFor(modelId: string): ModelCapabilities {
  const id = modelId.replace(/\//g, '-');
  return { toolCalling: TOOL_FAMILIES.test(id) && !NO_TOOLS.test(id), imageInput: VISION.test(id) };
}

/** The family VS Code groups a model under: "qwen", "deepseek", "llama"… or the id's first word. */
export function familyOf(modelId: string): string {
  const id = modelId.toLowerCase();
  for (const family of ['qwen', 'deepseek', 'llama', 'gemini', 'mistral', 'mixtral', 'gpt', 'claude']) {
    if (id.includes(family)) return family === 'mixtral' ? 'mistral' : family;
  }
  return id.split(/[-/_.]/, 1)[0] || id;
}
