// Which models the user can pick: the documented ModelsLab models, plus what the model list
// returns (a bonus: see modelList.ts), plus IDs the user added in settings.
import { DEFAULT_MODEL } from './defaults';
import { noopLogger, type Logger } from './logger';

export interface ModelInfo {
  id: string;
  label: string;
  /** Why a model may not work, e.g. "not listed by the server". */
  note?: string;
}

export { DEFAULT_MODEL };

/** The documented model IDs, the coding model first. */
export const BUILT_IN_MODELS: readonly ModelInfo[] = [
  { id: DEFAULT_MODEL, label: 'Qwen2.5 Coder 32B' },
  { id: 'Qwen-Qwen2.5-72B-Instruct-Turbo', label: 'Qwen2.5 72B Turbo' },
  { id: 'deepseek-ai-DeepSeek-V3', label: 'DeepSeek V3' },
  { id: 'deepseek-ai-DeepSeek-R1-Distill-Llama-70B', label: 'DeepSeek R1 Distill Llama 70B' },
  { id: 'meta-llama-Llama-3.3-70B-Instruct-Turbo', label: 'Llama 3.3 70B Turbo' },
  { id: 'meta-llama-3-8B-instruct', label: 'Llama 3 8B' },
  { id: 'gemini-2.0-flash-001', label: 'Gemini 2.0 Flash' },
  { id: 'gemini-2.5-pro', label: 'Gemini 2.5 Pro' },
  { id: 'mistralai-Mistral-Small-24B-Instruct-2501', label: 'Mistral Small 24B' },
  { id: 'mistralai-Mixtral-8x7B-Instruct-v0.1', label: 'Mixtral 8x7B' },
  { id: 'Qwen/Qwen2.5-VL-72B-Instruct-together', label: 'Qwen2.5 VL 72B' },
];

/**
 * One key for both id styles ModelsLab uses for the same model, `Qwen/Qwen2.5-VL-72B-Instruct-together`
 * and `Qwen-Qwen2.5-VL-72B-Instruct-together`.
 */
export function modelKey(id: string): string {
  return id.trim().replace(/\//g, '-');
}

const BUILT_IN_LABELS = new Map(BUILT_IN_MODELS.map((model) => [modelKey(model.id), model.label]));

/** The label of a built-in model (in either id style), or the ID itself. */
export function modelLabel(id: string): string {
  return BUILT_IN_LABELS.get(modelKey(id)) ?? id;
}

/** What the catalogue needs from the client (ModelsLabClient fits). */
export interface ModelLister {
  listModels(signal?: AbortSignal): Promise<string[]>;
}

export interface ModelCatalogueOptions {
  /** How long a failed model-list call is remembered before trying again. Default 60 s. */
  failureTtlMs?: number;
  now?: () => number;
  logger?: Logger;
  /** Called when a model-list call answers with other models than the one before it. */
  onChange?: () => void;
}

/** Shown beside a model the live list did not report: it may not work for this key. */
export const NOT_LISTED = 'not listed by the server';

/**
 * What the picker offers. Without a live list: the built-ins, then the user's IDs. With one: the
 * server's models first (what this key can really use), then the user's IDs and the built-ins it
 * did not report, each marked. No blanks, and no duplicates even across the two id styles (a
 * model keeps the built-in or the user's spelling).
 */
export function mergeModels(serverIds: readonly string[], userIds: readonly string[]): ModelInfo[] {
  const spelling = new Map<string, string>();
  for (const id of [...BUILT_IN_MODELS.map((m) => m.id), ...userIds]) {
    const clean = typeof id === 'string' ? id.trim() : '';
    if (clean && !spelling.has(modelKey(clean))) spelling.set(modelKey(clean), clean);
  }
  const seen = new Set<string>();
  const result: ModelInfo[] = [];
  const add = (id: string, note?: string) => {
    const clean = typeof id === 'string' ? id.trim() : '';
    if (!clean || seen.has(modelKey(clean))) return;
    seen.add(modelKey(clean));
    const kept = spelling.get(modelKey(clean)) ?? clean;
    result.push(note ? { id: kept, label: modelLabel(kept), note } : { id: kept, label: modelLabel(kept) });
  };
  const live = serverIds.filter((id) => typeof id === 'string' && id.trim() !== '');
  for (const id of live) add(id);
  const note = live.length > 0 ? NOT_LISTED : undefined;
  for (const id of userIds) add(id, note);
  for (const model of BUILT_IN_MODELS) add(model.id, note);
  // Without a live list, the documented models lead and the user's follow.
  if (!note) result.sort((a, b) => rank(a.id) - rank(b.id));
  return result;
}

/** Built-ins in their documented order, then everything else in the order it came. */
function rank(id: string): number {
  const index = BUILT_IN_MODELS.findIndex((m) => modelKey(m.id) === modelKey(id));
  return index < 0 ? BUILT_IN_MODELS.length : index;
}

export class ModelCatalogue {
  private serverIds: Promise<readonly string[]> | undefined;
  private failedAt: number | undefined;
  private readonly failureTtlMs: number;
  private readonly now: () => number;
  private readonly logger: Logger;
  /** The last list a call gave (joined), to tell a change; undefined before the first. */
  private lastIds: string | undefined;

  /** `source` may be a getter, so a new client (new key) is picked up after invalidate(). */
  constructor(
    private readonly source: ModelLister | (() => ModelLister | undefined),
    options: ModelCatalogueOptions = {},
  ) {
    this.failureTtlMs = options.failureTtlMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? noopLogger;
    this.onChange = options.onChange ?? (() => undefined);
  }

  private readonly onChange: () => void;

  /** The models to offer. Never fails: without a model list it is the built-in list plus `userIds`. */
  async getModels(userIds: readonly string[] = []): Promise<ModelInfo[]> {
    return mergeModels(await this.fetchServerIds(), userIds);
  }

  /** Forget the cached list, e.g. after the key or the base URL changed. */
  invalidate(): void {
    this.serverIds = undefined;
    this.failedAt = undefined;
  }

  private fetchServerIds(): Promise<readonly string[]> {
    if (this.serverIds && this.failedAt !== undefined && this.now() - this.failedAt >= this.failureTtlMs) this.invalidate();
    if (!this.serverIds) {
      const lister = typeof this.source === 'function' ? this.source() : this.source;
      if (!lister) return Promise.resolve([]);
      // Shared by concurrent callers: one request per session (or per failure window).
      this.serverIds = lister
        .listModels()
        .catch((err: unknown) => {
          // Without a key there was no request: do not hold that against the next call.
          if ((err as { kind?: unknown })?.kind === 'no_key') this.serverIds = undefined;
          else this.failedAt = this.now();
          this.logger.warn(`Model list unavailable, using the built-in list: ${err instanceof Error ? err.message : String(err)}`);
          return [];
        })
        .then((ids) => {
          const joined = ids.join('\n');
          const changed = this.lastIds !== undefined && this.lastIds !== joined;
          this.lastIds = joined;
          // Whoever showed the earlier list (VS Code's model picker) should ask again.
          if (changed) this.onChange();
          return ids;
        });
    }
    return this.serverIds;
  }
}
