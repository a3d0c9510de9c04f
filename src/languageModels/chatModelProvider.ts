// ModelsLab's models in VS Code's own chat (and for any extension through vscode.lm): a
// LanguageModelChatProvider over the same streamer as our panel. The key never leaves us;
// a consumer gets model objects, not the key.
import * as vscode from 'vscode';
import { ModelsLabError } from '../llm/errors';
import type { ChatRequest } from '../llm/request';
import { abortOnCancel } from '../platform/cancellation';
import type { Connection } from '../platform/connection';
import { describeError } from '../platform/errorMessages';
import { toRequestMessages, toToolSpecs } from './messageMapping';
import { toChatModelInformation, type ChatModelInformation } from './modelInformation';
import { fitToInputWindow } from './requestBudget';
import { TokenCounter } from './tokenCounter';

export const VENDOR = 'modelslab';

export class ModelsLabChatModelProvider implements vscode.LanguageModelChatProvider<ChatModelInformation>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private readonly tokens: TokenCounter;

  constructor(
    private readonly connection: Connection,
    private readonly hasKey: () => Promise<boolean>,
  ) {
    this.tokens = new TokenCounter(connection);
    // A new key or base URL can mean another catalogue, as can a model list that answers
    // differently (e.g. after failing): VS Code then asks again.
    this.subscriptions = [connection.onDidChange(() => this.changed.fire()), connection.onDidChangeCatalogue(() => this.changed.fire()), this.changed];
  }

  /**
   * Has VS Code read the models now. Registering alone does not: its picker stays empty until
   * the first request, which then fails ("Language model unavailable") for want of a model.
   */
  announceModels(): void {
    this.changed.fire();
  }

  async provideLanguageModelChatInformation(options: vscode.PrepareLanguageModelChatModelOptions, token: vscode.CancellationToken): Promise<ChatModelInformation[]> {
    if (!(await this.hasKey())) {
      // Silent: VS Code is only looking. Otherwise the user asked for ModelsLab's models: ask for the key.
      if (options.silent || token.isCancellationRequested) return [];
      await vscode.commands.executeCommand('modelslab.setApiKey');
      if (!(await this.hasKey())) return [];
    }
    const models = await this.connection.models();
    return models.map(toChatModelInformation);
  }

  async provideLanguageModelChatResponse(
    model: ChatModelInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const request = this.buildRequest(model, messages, options);
    const controller = new AbortController();
    const subscription = abortOnCancel(token, controller);
    try {
      for await (const chunk of this.connection.stream(request, controller.signal)) {
        if (chunk.type === 'text') progress.report(new vscode.LanguageModelTextPart(chunk.text));
        else if (chunk.type === 'toolCall') progress.report(new vscode.LanguageModelToolCallPart(chunk.call.id, chunk.call.name, parseArguments(model, chunk.call.name, chunk.call.arguments)));
      }
    } catch (err) {
      if (err instanceof ModelsLabError && err.kind === 'cancelled') return;
      throw toLanguageModelError(err, model);
    } finally {
      subscription.dispose();
    }
  }

  provideTokenCount(model: ChatModelInformation, text: string | vscode.LanguageModelChatRequestMessage, token: vscode.CancellationToken): Promise<number> {
    const messages = typeof text === 'string' ? [{ role: 'user' as const, parts: [{ type: 'text' as const, text }] }] : toRequestMessages([text]);
    return this.tokens.count(model.id, messages, token);
  }

  private buildRequest(model: ChatModelInformation, messages: readonly vscode.LanguageModelChatRequestMessage[], options: vscode.ProvideLanguageModelChatResponseOptions): ChatRequest {
    const fitted = fitToInputWindow(toRequestMessages(messages), model.maxInputTokens);
    if ('empty' in fitted) throw new Error('ModelsLab: the request has no message to answer. Type a prompt and send it again.');
    if ('tooLarge' in fitted) {
      const { tokens, budget } = fitted.tooLarge;
      throw new Error(
        `ModelsLab: the latest message is about ${tokens.toLocaleString()} tokens, more than ${model.name} can read (${budget.toLocaleString()}). Attach less context, or pick a model with a larger window.`,
      );
    }
    const wanted = typeof options.modelOptions?.maxTokens === 'number' ? options.modelOptions.maxTokens : undefined;
    const base = this.connection.buildRequest([], wanted);
    const tools = toToolSpecs(options.tools);
    return {
      ...base,
      model: model.id,
      // The settings' answer limit, capped to this model (not to the panel's model).
      maxTokens: Math.min(base.maxTokens, model.maxOutputTokens),
      messages: fitted.messages,
      // VS Code's caller chose this model by name: another model answering would be a different
      // LanguageModelChat than the one it asked. The queue governor still applies.
      policy: { ...base.policy, allowFallback: false },
      ...(tools ? { tools, toolChoice: options.toolMode === vscode.LanguageModelChatToolMode.Required ? 'required' : 'auto' } : {}),
    };
  }

  dispose(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
  }
}

function parseArguments(model: ChatModelInformation, tool: string, text: string): object {
  if (!text.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {
    // Reported below.
  }
  throw new Error(`ModelsLab: ${model.name} called the tool "${tool}" with arguments that are not a JSON object. Try again, or pick a model that supports tools.`);
}

/** Our error as VS Code's chat shows it: what happened and what to do. */
function toLanguageModelError(err: unknown, model: ChatModelInformation): Error {
  const view = describeError(err);
  if (err instanceof ModelsLabError) {
    switch (err.kind) {
      case 'no_key':
      case 'auth':
        return vscode.LanguageModelError.NoPermissions(`${view.message} Run “ModelsLab: Set API Key”.`);
      case 'model_not_found':
        return vscode.LanguageModelError.NotFound(`ModelsLab does not offer the model "${model.id}" (${err.message}). Pick another model in the model picker.`);
    }
  }
  return new Error(view.message);
}
