// The saved form of a conversation. Plain data, so it can be written as JSON and shown
// in the webview as-is (minus what only the host needs, such as the attached context).
import type { AnswerStatus, ChatMode, ConversationSummary, ConversationView, EditFileView, ErrorView, MessageView, Role, ToolLineView, Usage } from '../shared/protocol';
import type { ColumnView } from '../shared/compareProtocol';
import { isObject, type JsonObject, type MigrationStep } from './migrate';

/** Index N takes a conversation file from format N to N+1; add a step with each schema change. */
export const CONVERSATION_MIGRATIONS: readonly MigrationStep[] = [fromUnversioned];
export const CONVERSATION_FORMAT = CONVERSATION_MIGRATIONS.length;

/** What the chat shows for a conversation opened with `readOnly`. */
export const NEWER_VERSION_NOTICE = 'This conversation was saved by a newer version of ModelsLab Coder; it is read-only here.';

/** Thrown by HistoryStore.save for a conversation a newer version wrote, so its file is never overwritten. */
export class ReadOnlyConversationError extends Error {
  constructor(readonly conversationId: string) {
    super(`${NEWER_VERSION_NOTICE} Update the extension to change it.`);
    this.name = 'ReadOnlyConversationError';
  }
}

export interface StoredMessage {
  id: string;
  role: Role;
  text: string;
  createdAt: number;
  model?: string;
  status?: AnswerStatus;
  usage?: Usage;
  error?: ErrorView;
  contextLabels?: string[];
  /** The context text that was sent with a user message, so a regenerate sends it again. */
  context?: string;
  mode?: ChatMode;
  tools?: ToolLineView[];
  edits?: EditFileView[];
  /** Set on an answer that was a comparison: every model's answer, and which one the user took. */
  comparison?: StoredComparison;
  /** The models that failed before this answer's model took over (fallback). */
  fallbackFrom?: { model: string; reason: string }[];
}

/** One model's answer in a comparison, kept whether or not it was chosen. */
export type StoredAlternative = Omit<ColumnView, 'label' | 'note'> & { note?: string };

export interface StoredComparison {
  answers: StoredAlternative[];
  /** Which answer continues the conversation; unset until the user picks one. */
  chosen?: number;
}

export interface StoredConversation {
  /** CONVERSATION_FORMAT, or a higher one when `readOnly`. */
  format: number;
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  messages: StoredMessage[];
  /** Set on load when a newer version wrote the file: shown, never saved. Not persisted. */
  readOnly?: true;
}

export const UNTITLED = 'New chat';
const TITLE_LENGTH = 60;

export function newConversation(id: string, now = Date.now()): StoredConversation {
  return { format: CONVERSATION_FORMAT, id, title: UNTITLED, createdAt: now, updatedAt: now, messages: [] };
}

/** A title from the first prompt: its first non-empty line, cut at a word boundary. */
export function titleFromPrompt(prompt: string): string {
  const line = prompt.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? UNTITLED;
  if (line.length <= TITLE_LENGTH) return line;
  const cut = line.slice(0, TITLE_LENGTH);
  const space = cut.lastIndexOf(' ');
  return `${(space > 30 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export function toMessageView(message: StoredMessage): MessageView {
  const { context: _context, createdAt: _createdAt, comparison, ...view } = message;
  // The panel needs only who answered; the answers themselves open in the comparison view.
  if (comparison) return { ...view, comparison: { models: comparison.answers.map((a) => a.model), ...(comparison.chosen !== undefined ? { chosen: comparison.chosen } : {}) } };
  return view;
}

export function toConversationView(conversation: StoredConversation): ConversationView {
  return { id: conversation.id, title: conversation.title, messages: conversation.messages.map(toMessageView) };
}

export function summarize(conversation: StoredConversation): ConversationSummary {
  return {
    id: conversation.id,
    title: conversation.title,
    updatedAt: conversation.updatedAt,
    messageCount: conversation.messages.length,
  };
}

/** Checks the shape of a parsed file; anything else is treated as corrupt. */
export function isStoredConversation(value: unknown): value is StoredConversation {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Partial<StoredConversation>;
  return (
    c.format === CONVERSATION_FORMAT &&
    typeof c.id === 'string' &&
    typeof c.title === 'string' &&
    typeof c.updatedAt === 'number' &&
    Array.isArray(c.messages) &&
    c.messages.every((m) => typeof m === 'object' && m !== null && typeof m.id === 'string' && (m.role === 'user' || m.role === 'assistant') && typeof m.text === 'string')
  );
}

/** 0 → 1: files from before `format` existed; the title and timestamps may be missing. */
function fromUnversioned(file: JsonObject): JsonObject {
  const messages = Array.isArray(file.messages) ? file.messages : [];
  const times = messages.map((m) => (isObject(m) ? m.createdAt : undefined)).filter((t): t is number => typeof t === 'number');
  const updatedAt = numberOr(file.updatedAt, times.length ? Math.max(...times) : numberOr(file.createdAt, 0));
  const createdAt = numberOr(file.createdAt, times.length ? Math.min(...times) : updatedAt);
  const prompt = messages.find((m) => isObject(m) && m.role === 'user' && typeof m.text === 'string') as { text: string } | undefined;
  return {
    ...file,
    title: typeof file.title === 'string' ? file.title : titleFromPrompt(prompt?.text ?? ''),
    createdAt,
    updatedAt,
    // Not an array: left as is, so the shape check sets the file aside as corrupt.
    messages: Array.isArray(file.messages) ? file.messages.map((m) => (isObject(m) && typeof m.createdAt !== 'number' ? { ...m, createdAt } : m)) : file.messages,
  };
}

const FINISHED: readonly unknown[] = ['done', 'stopped', 'incomplete', 'error'] satisfies AnswerStatus[];

/** What this version can show of a file a newer one wrote: only fields it understands. */
export function readableNewer(id: string, format: number, file: JsonObject): StoredConversation {
  const messages: StoredMessage[] = [];
  for (const m of Array.isArray(file.messages) ? file.messages : []) {
    // Roles or shapes this version does not know (e.g. tool calls) are skipped, not guessed at.
    if (!isObject(m) || typeof m.id !== 'string' || (m.role !== 'user' && m.role !== 'assistant') || typeof m.text !== 'string') continue;
    messages.push({
      id: m.id,
      role: m.role,
      text: m.text,
      createdAt: numberOr(m.createdAt, 0),
      ...(typeof m.model === 'string' ? { model: m.model } : {}),
      ...(FINISHED.includes(m.status) ? { status: m.status as AnswerStatus } : {}),
    });
  }
  const updatedAt = numberOr(file.updatedAt, 0);
  const title = typeof file.title === 'string' && file.title ? file.title : UNTITLED;
  return { format, id, title, createdAt: numberOr(file.createdAt, updatedAt), updatedAt, messages, readOnly: true };
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** The conversation as Markdown, for export. */
export function conversationToMarkdown(conversation: StoredConversation): string {
  const parts = [`# ${conversation.title}`, ''];
  for (const message of conversation.messages) {
    if (message.role === 'user') {
      parts.push('## You', '');
      if (message.contextLabels?.length) parts.push(`_Context: ${message.contextLabels.join(', ')}_`, '');
    } else {
      parts.push(`## ${message.model ?? 'ModelsLab'}`, '');
    }
    parts.push(message.text, '');
    for (const [index, other] of (message.comparison?.answers ?? []).entries()) {
      if (index === message.comparison?.chosen) continue;
      parts.push(`### Alternative: ${other.model}`, '', other.text || '_(no text)_', '');
    }
    if (message.role === 'assistant' && message.status && message.status !== 'done') {
      parts.push(`_(${message.status === 'stopped' ? 'stopped' : 'incomplete answer'})_`, '');
    }
  }
  return parts.join('\n');
}
