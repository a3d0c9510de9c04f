// Messages about comparing models: pick the models, send the prompt to them, open a saved
// comparison, and take one answer to continue with.
import * as vscode from 'vscode';
import { modelLabel } from '../../llm/catalogue';
import type { Connection } from '../../platform/connection';
import type { ModelSelection } from '../../platform/modelSelection';
import type { HostToWebview, ModelOption } from '../../shared/protocol';
import type { ChatSession } from '../chatSession';
import { pickCompareModels, type CompareSelection } from '../compareModelsPick';
import type { ComparePanel } from '../comparePanel';
import type { HandlerMap, MessageOf } from './handlerMap';

export interface CompareDeps {
  session: ChatSession;
  connection: Connection;
  models: ModelSelection;
  selection: CompareSelection;
  panel: ComparePanel;
  post(message: HostToWebview): Thenable<boolean>;
}

/** The set as the composer's chip shows it. */
export function compareSetMessage(models: readonly string[]): HostToWebview {
  return { type: 'compareSet', models: models.map((id): ModelOption => ({ id, label: modelLabel(id) })) };
}

/** Opens the picker (or takes `models` as given, for /compare and tests); true when a set was chosen. */
export async function chooseCompareModels(deps: Pick<CompareDeps, 'connection' | 'models' | 'selection'>, models?: readonly string[]): Promise<boolean> {
  const chosen = models ?? (await pickCompareModels(await deps.connection.models(), deps.selection.current.length ? deps.selection.current : [deps.models.current()]));
  if (!chosen) return false;
  deps.selection.set(chosen);
  return true;
}

/** The user took answer `column`: it continues the chat, with its model from now on. */
export async function useComparedAnswer(deps: Pick<CompareDeps, 'session' | 'models' | 'panel' | 'post'>, messageId: string, column: number): Promise<void> {
  const conversation = await deps.session.choose(messageId, column);
  if (!conversation) {
    void vscode.window.showWarningMessage('ModelsLab: that answer can no longer be chosen (it has no text, or the conversation moved on).');
    return;
  }
  const chosen = conversation.messages.find((m) => m.id === messageId);
  if (chosen?.model) await deps.models.choose(chosen.model);
  deps.panel.markChosen(messageId, column);
  await deps.post({ type: 'conversation', conversation });
  await vscode.commands.executeCommand('modelslab.chatView.focus');
}

type CompareMessages = 'pickCompareModels' | 'openComparison' | 'retryWithModel';

export function compareHandlers(deps: CompareDeps, ensureKey: (requestId: string) => Promise<boolean>): Pick<HandlerMap, CompareMessages> {
  return {
    pickCompareModels: async (m) => {
      if (m.clear) deps.selection.set([]);
      else await chooseCompareModels(deps);
      await vscode.commands.executeCommand('modelslab.chatView.focus');
    },
    openComparison: async (m) => {
      const saved = await deps.session.savedComparison(m.messageId);
      if (saved) deps.panel.reopen(saved.message, saved.prompt, saved.canChoose);
    },
    retryWithModel: async (m: MessageOf<'retryWithModel'>) => {
      if (await ensureKey(m.requestId)) await deps.session.retryWithModel(m.requestId, m.model);
    },
  };
}

/** Send, unless models are set for a comparison: then the prompt goes to all of them. */
export function sendOrCompare(deps: CompareDeps) {
  return (m: MessageOf<'send'>, model?: string): Promise<void> => {
    const models = deps.selection.take();
    if (models.length >= 2) return deps.session.compare(m.requestId, m.text, models, deps.panel);
    return deps.session.send(m.requestId, m.text, undefined, m.mode, model);
  };
}
