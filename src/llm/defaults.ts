// The two defaults every surface and setting shares, defined once.

/** ModelsLab's OpenAI-compatible API. */
export const DEFAULT_BASE_URL = 'https://modelslab.com/api/v7/llm';

/** The coding model the extension uses until the user picks another. */
export const DEFAULT_MODEL = 'Qwen-Qwen2.5-Coder-32B-Instruct';
