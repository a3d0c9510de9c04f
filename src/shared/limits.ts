// Limits that the host enforces and the webview shows before sending, defined once.

/** The longest prompt (or other free text) a webview message may carry. */
export const MAX_PROMPT_CHARS = 200_000;
