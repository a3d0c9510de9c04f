import * as vscode from 'vscode';
import { ModelsLabClient } from '../llm/client';
import { ModelCatalogue, modelLabel, type ModelInfo } from '../llm/catalogue';
import { FallbackStreamer, modelChain } from '../llm/fallbackStreamer';
import { RequestGovernor } from '../llm/requestGovernor';
import { noKeyError } from '../llm/errors';
import type { Logger } from '../llm/logger';
import { outputTokensFor } from '../llm/modelLimits';
import { chatRequest, type ChatRequest } from '../llm/request';
import type { ChatStreamer } from '../llm/streamer';
import type { ChatChunk, ChatMessage, ChatOptions } from '../llm/types';
import type { ApiKeyStore } from './apiKeyStore';
import type { ModelSelection } from './modelSelection';
import { onSettingsChanged, readSettings, type Settings } from './settings';

/**
 * The host's link to ModelsLab: builds the client from the current settings and key, and
 * rebuilds it when either changes, so changes apply without a reload. As a ChatStreamer it
 * streams each request with the client current at that moment.
 */
export class Connection implements ChatStreamer, vscode.Disposable {
  private cached: { client: ModelsLabClient; fingerprint: string } | undefined;
  readonly catalogue: ModelCatalogue;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires when the key or the settings changed. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly catalogueEmitter = new vscode.EventEmitter<void>();
  /** One queue for every request of this window: chat, comparisons, editor actions, VS Code's chat. */
  readonly governor = new RequestGovernor({ limit: readSettings().maxConcurrentRequests });
  /** Every answer goes through here: the current client, with the user's fallback models. */
  private readonly fallback: ChatStreamer = new FallbackStreamer(
    { stream: (request, signal) => this.direct(request, signal) },
    {
      fallbackModels: () => readSettings().fallbackModels,
      rateLimitWaitMs: () => readSettings().fallbackRateLimitWaitMs,
      firstTokenTimeoutMs: () => readSettings().fallbackFirstTokenTimeoutMs,
      label: modelLabel,
    },
  );
  /** Fires when the server's model list came back different from the time before. */
  readonly onDidChangeCatalogue = this.catalogueEmitter.event;

  constructor(
    private readonly keys: ApiKeyStore,
    private readonly selection: ModelSelection,
    private readonly log: Logger,
  ) {
    this.catalogue = new ModelCatalogue(() => this.cached?.client, { logger: log, onChange: () => this.catalogueEmitter.fire() });
    const reset = () => {
      this.cached = undefined;
      this.governor.setLimit(readSettings().maxConcurrentRequests);
      this.catalogue.invalidate();
      this.changeEmitter.fire();
    };
    this.disposables.push(onSettingsChanged(reset), keys.onDidChange(reset), this.changeEmitter, this.catalogueEmitter);
  }

  settings(): Settings {
    return { ...readSettings(), model: this.selection.current() };
  }

  /** A client for the current key and settings; rejects with a 'no_key' ModelsLabError without a key. */
  async client(): Promise<ModelsLabClient> {
    const key = await this.keys.get();
    if (!key) throw noKeyError();
    const settings = readSettings();
    // The key is part of the fingerprint only in memory; it is never logged or stored.
    const fingerprint = [settings.baseUrl, settings.connectTimeoutMs, settings.idleTimeoutMs, settings.protocol, key.key].join('\u0000');
    if (this.cached?.fingerprint !== fingerprint) {
      this.cached = {
        fingerprint,
        client: new ModelsLabClient({
          baseUrl: settings.baseUrl,
          apiKey: key.key,
          connectTimeoutMs: settings.connectTimeoutMs,
          idleTimeoutMs: settings.idleTimeoutMs,
          protocol: settings.protocol,
          governor: this.governor,
          logger: this.log,
        }),
      };
    }
    return this.cached.client;
  }

  /** Streams with the current client, moving to the fallback models when the request allows it. */
  stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<ChatChunk> {
    return this.fallback.stream(request, signal);
  }

  /** The next model after `model` in the user's fallback list (offered as "Retry with …"). */
  nextModel(model: string): { id: string; label: string } | undefined {
    const next = modelChain(model, readSettings().fallbackModels)[1];
    return next ? { id: next, label: modelLabel(next) } : undefined;
  }

  private async *direct(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatChunk> {
    yield* (await this.client()).stream(request, signal);
  }

  /** A request for plain messages with the current model and settings; `maxTokens` overrides the setting, both capped to the model. */
  buildRequest(messages: ChatMessage[], maxTokens?: number): ChatRequest {
    const { options } = this.requestOptions();
    return chatRequest(messages, { ...options, maxTokens: outputTokensFor(options.model, maxTokens ?? options.maxTokens ?? 4096) });
  }

  async verifyKey(signal?: AbortSignal): Promise<void> {
    await (await this.client()).verifyKey(signal);
  }

  /** The model catalogue: the API's list when it has one, else the built-ins, plus the user's IDs. */
  async models(): Promise<ModelInfo[]> {
    const settings = readSettings();
    // The catalogue asks the current client; without a key it offers the built-in list.
    await this.client().catch(() => undefined);
    const models = await this.catalogue.getModels(settings.extraModels);
    const current = this.selection.current();
    return models.some((m) => m.id === current) ? models : [{ id: current, label: current }, ...models];
  }

  /** Extra standing instructions (the project rules in effect), added after the user's system prompt. */
  private instructions: () => string = () => '';

  setInstructions(provider: () => string): void {
    this.instructions = provider;
  }

  requestOptions(): { options: ChatOptions; systemPrompt: string } {
    const settings = readSettings();
    const rules = this.instructions();
    return {
      options: { model: this.selection.current(), temperature: settings.temperature, maxTokens: settings.maxTokens },
      // The rules after the user's own instructions: every surface's prompt takes both from here.
      systemPrompt: [settings.systemPrompt, rules].filter((part) => part.trim() !== '').join('\n\n'),
    };
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
