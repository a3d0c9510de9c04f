// Attached context (selections, files) is cut to a budget, never silently: the caller gets
// a notice to show.

/** Roughly 12k tokens of code; models' context windows vary, and the answer needs room too. */
export const DEFAULT_CONTEXT_BUDGET_CHARS = 48_000;

export interface BudgetedText {
  text: string;
  truncated: boolean;
  originalLength: number;
  /** A notice for the user, set when the text was cut. */
  notice?: string;
}

export function cutToBudget(text: string, budgetChars: number, label: string): BudgetedText {
  if (text.length <= budgetChars) return { text, truncated: false, originalLength: text.length };
  // Cut at a line boundary so the model never sees half a line.
  const head = text.slice(0, budgetChars);
  const lastNewline = head.lastIndexOf('\n');
  const kept = lastNewline > budgetChars * 0.5 ? head.slice(0, lastNewline + 1) : head;
  return {
    text: kept,
    truncated: true,
    originalLength: text.length,
    notice: `${label} was cut to ${formatSize(kept.length)} of ${formatSize(text.length)} to fit the context budget.`,
  };
}

export function formatSize(chars: number): string {
  if (chars < 1024) return `${chars} characters`;
  return `${(chars / 1024).toFixed(chars < 10 * 1024 ? 1 : 0)} KB`;
}
