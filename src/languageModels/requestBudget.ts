// Fits the messages VS Code's chat sends into the model's input window. Past it the server
// answers 400 on every turn, so the oldest turns are left out instead; a turn is a user
// prompt and everything after it up to the next prompt, so a tool call never loses its result.
import type { RequestMessage } from '../llm/request';
import { estimateMessageTokens } from '../llm/tokenCount';

export type Budgeted = { messages: RequestMessage[]; omittedTurns: number } | { tooLarge: { tokens: number; budget: number } } | { empty: true };

/** A user message with text of its own (not only tool results) starts a turn. */
function startsTurn(message: RequestMessage): boolean {
  return message.role === 'user' && message.parts.some((part) => part.type === 'text' || part.type === 'image');
}

export function fitToInputWindow(messages: readonly RequestMessage[], budgetTokens: number): Budgeted {
  if (!messages.some((m) => m.role !== 'system' && m.parts.length > 0)) return { empty: true };
  const sizes = messages.map(estimateMessageTokens);
  let total = sizes.reduce((sum, n) => sum + n, 0);
  if (total <= budgetTokens) return { messages: [...messages], omittedTurns: 0 };

  const leading = messages.findIndex((m) => m.role !== 'system');
  let lastTurn = messages.length - 1;
  while (lastTurn >= 0 && !startsTurn(messages[lastTurn])) lastTurn--;
  let start = leading;
  let omittedTurns = 0;
  // Drop whole turns from the oldest while over budget; the latest turn always stays.
  while (total > budgetTokens && start < lastTurn) {
    let end = start + 1;
    while (end < lastTurn && !startsTurn(messages[end])) end++;
    for (let i = start; i < end; i++) total -= sizes[i];
    start = end;
    omittedTurns++;
  }
  if (total > budgetTokens) return { tooLarge: { tokens: total, budget: budgetTokens } };
  return { messages: [...messages.slice(0, leading), ...messages.slice(start)], omittedTurns };
}
