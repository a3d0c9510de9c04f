// Messages that reach into the editor and the outside: code-block actions, attachments, links.
import * as vscode from 'vscode';
import type { Logger } from '../../llm/logger';
import type { ProposedEdits } from '../../workspace/proposedEdits';
import type { AgentReview } from '../../workspace/agentReview';
import { runCodeBlockAction } from '../codeBlockActions';
import type { ContextAttachments } from '../contextAttachments';
import type { HandlerMap } from './handlerMap';

export interface WorkspaceHandlerDeps {
  attachments: ContextAttachments;
  proposals: ProposedEdits;
  agentReview: AgentReview;
  log: Logger;
}

type WorkspaceMessages = 'codeBlock' | 'removeContext' | 'attachFile' | 'openLink' | 'reviewEdits';

export function workspaceHandlers({ attachments, proposals, agentReview, log }: WorkspaceHandlerDeps): Pick<HandlerMap, WorkspaceMessages> {
  return {
    reviewEdits: (m) => agentReview.act(m.messageId, m.action, m.path),
    codeBlock: async (m) => void (await runCodeBlockAction(m.action, m.code, m.language, proposals)),
    removeContext: (m) => attachments.remove(m.id),
    attachFile: () => attachments.pickFile(),
    openLink: (m) => openExternalLink(m.href, log),
  };
}

/** Only http(s) links leave the editor, and only through VS Code. */
export async function openExternalLink(href: string, log: Logger): Promise<void> {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(href, true);
  } catch {
    log.warn('Refused to open a malformed link from the chat.');
    return;
  }
  if (uri.scheme !== 'http' && uri.scheme !== 'https') {
    log.warn(`Refused to open a ${uri.scheme}: link from the chat; only http and https links are opened.`);
    return;
  }
  await vscode.env.openExternal(uri);
}
