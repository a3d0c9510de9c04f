// The saved form of a conversation. Plain data, so it can be written as JSON and shown
// in the webview as-is (minus what only the host needs, such as the attached context).
import type { AnswerStatus, ConversationSummary, ConversationView, ErrorView, MessageView, Role, Usage } from '../shared/protocol';

export const CONVERSATION_FORMAT = 1;

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
}

export interface StoredConversation {
  format: typeof CONVERSATION_FORMAT;
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  messages: StoredMessage[];
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
  const { context: _context, createdAt: _createdAt, ...view } = message;
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
    if (message.role === 'assistant' && message.status && message.status !== 'done') {
      parts.push(`_(${message.status === 'stopped' ? 'stopped' : 'incomplete answer'})_`, '');
    }
  }
  return parts.join('\n');
}
