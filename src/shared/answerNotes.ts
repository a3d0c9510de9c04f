// The words for what happens to a request before its answer: waiting for a slot, moving to
// another model. One wording for the panel, the comparison view, progress notifications and
// @modelslab. Shared by host and webview, so no vscode and no DOM.

/** 1st, 2nd, 3rd, 4th… 11th, 12th, 13th, 21st. */
export function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** "Waiting for a free slot (2nd in line)": the request is queued under the account's cap. */
export function queuedText(position: number): string {
  return `Waiting for a free slot (${ordinal(position)} in line)`;
}

/** "Answered by DeepSeek V3 — Qwen2.5 Coder 32B was rate-limited" (labels, not ids). */
export function fallbackText(toLabel: string, fromLabel: string, reason: string): string {
  return `Answered by ${toLabel} — ${fromLabel} was ${reason}`;
}
