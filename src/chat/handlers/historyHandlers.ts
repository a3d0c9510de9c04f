// Saved conversations: New Chat and History (the view's title-bar actions), and the history
// list's messages: open, rename, delete, export.
import * as vscode from 'vscode';
import { conversationToMarkdown } from '../../history/conversation';
import type { HistoryStore } from '../../history/historyStore';
import type { HostToWebview } from '../../shared/protocol';
import type { ChatSession } from '../chatSession';
import type { HandlerMap } from './handlerMap';

export interface HistoryHandlerDeps {
  session: ChatSession;
  store: HistoryStore;
  post(message: HostToWebview): Thenable<boolean>;
}

type HistoryMessages = 'openConversation' | 'renameConversation' | 'deleteConversation' | 'exportConversation';

/** What the view's title-bar actions do. */
export function historyActions({ session, store, post }: HistoryHandlerDeps) {
  return {
    newChat: async () => void (await post({ type: 'conversation', conversation: await session.newChat() })),
    showHistory: async () => {
      const [items, current] = await Promise.all([store.list(), session.current()]);
      await post({ type: 'historyList', items, activeId: current.id });
    },
  };
}

export function historyHandlers(deps: HistoryHandlerDeps): Pick<HandlerMap, HistoryMessages> {
  const { session, store, post } = deps;
  const postHistory = historyActions(deps).showHistory;
  return {
    openConversation: async ({ id }) => {
      const conversation = await session.open(id);
      if (conversation) await post({ type: 'conversation', conversation });
      else await post({ type: 'notice', level: 'warning', text: 'That conversation could not be opened; it may have been deleted.' });
    },
    renameConversation: async ({ id }) => {
      const conversation = await store.load(id);
      if (!conversation) return;
      const title = await vscode.window.showInputBox({ title: 'Rename conversation', value: conversation.title, validateInput: (v) => (v.trim() ? undefined : 'The name cannot be empty.') });
      if (!title) return;
      await session.rename(id, title);
      await postHistory();
    },
    deleteConversation: async ({ id }) => {
      const conversation = await store.load(id);
      const choice = await vscode.window.showWarningMessage(`Delete the conversation “${conversation?.title ?? id}”?`, { modal: true }, 'Delete');
      if (choice !== 'Delete') return;
      const wasActive = (await session.current()).id === id;
      await session.delete(id);
      if (wasActive) await post({ type: 'conversation', conversation: await session.view() });
      await postHistory();
    },
    exportConversation: async ({ id }) => {
      const conversation = await store.load(id);
      if (!conversation) return;
      const document = await vscode.workspace.openTextDocument({ content: conversationToMarkdown(conversation), language: 'markdown' });
      await vscode.window.showTextDocument(document, { preview: false });
    },
  };
}
