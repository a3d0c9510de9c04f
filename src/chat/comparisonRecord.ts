// What a comparison leaves in the conversation: every model's answer, and, once the user picks
// one, that answer as the conversation's own (its text and model continue the chat).
import type { AnswerRunner } from '../llm/answerRunner';
import type { ChatRequest } from '../llm/request';
import type { StoredComparison, StoredMessage } from '../history/conversation';
import type { ColumnView } from '../shared/compareProtocol';
import type { ComparisonRun } from './comparisonRun';

/** Where a comparison streams: the host's comparison view. */
export interface ComparisonSurface {
  start(comparison: { messageId: string; prompt: string; requestId: string; requests: ChatRequest[]; runner: AnswerRunner }): ComparisonRun;
}

/** The columns as history keeps them (labels are derived again when shown). */
export function comparisonRecord(columns: readonly ColumnView[]): StoredComparison {
  return { answers: columns.map(({ label: _label, ...answer }) => ({ ...answer })) };
}

/**
 * Makes answer `column` the message's own. False when there is no such answer or it has no
 * text to continue from. Choosing again (another column) is allowed while it is the last answer.
 */
export function chooseAlternative(message: StoredMessage, column: number): boolean {
  const answer = message.comparison?.answers[column];
  if (!message.comparison || !answer || !answer.text) return false;
  message.comparison.chosen = column;
  message.text = answer.text;
  message.model = answer.model;
  message.status = answer.status === 'waiting' || answer.status === 'queued' || answer.status === 'streaming' ? 'incomplete' : answer.status;
  if (answer.usage) message.usage = answer.usage;
  else delete message.usage;
  if (answer.error) message.error = answer.error;
  else delete message.error;
  return true;
}
