// provideTokenCount: ModelsLab's count_tokens endpoint when it answers, else our estimate.
// VS Code asks for many counts while it builds a prompt, so answers are remembered.
import type * as vscode from 'vscode';
import type { RequestMessage } from '../llm/request';
import { abortOnCancel } from '../platform/cancellation';
import type { Connection } from '../platform/connection';
import { estimateRequestTokens } from '../llm/tokenCount';

const CACHE_ENTRIES = 500;

export class TokenCounter {
  private readonly cache = new Map<string, number>();

  constructor(private readonly connection: Connection) {}

  async count(model: string, messages: RequestMessage[], token: vscode.CancellationToken): Promise<number> {
    const key = `${model}\u0000${JSON.stringify(messages)}`;
    const known = this.cache.get(key);
    if (known !== undefined) return known;
    const controller = new AbortController();
    const subscription = abortOnCancel(token, controller);
    let tokens: number;
    try {
      const client = await this.connection.client();
      tokens = (await client.countTokens({ model, messages }, controller.signal)).tokens;
    } catch {
      // No key, or cancelled: the estimate is still an answer VS Code can use.
      tokens = estimateRequestTokens(messages);
    } finally {
      subscription.dispose();
    }
    if (controller.signal.aborted) return tokens;
    if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, tokens);
    return tokens;
  }
}
