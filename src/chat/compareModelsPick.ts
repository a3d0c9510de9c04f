import * as vscode from 'vscode';
import type { ModelInfo } from '../llm/catalogue';
import { MAX_COMPARE_COLUMNS } from '../shared/compareProtocol';

export const MIN_COMPARE_MODELS = 2;

/**
 * The models the next prompt is compared on: picked from the catalogue (2 to 4), shown as a
 * chip in the composer, used by one send and then cleared.
 */
export class CompareSelection implements vscode.Disposable {
  private models: string[] = [];
  private readonly emitter = new vscode.EventEmitter<readonly string[]>();
  readonly onDidChange = this.emitter.event;

  get current(): readonly string[] {
    return this.models;
  }

  set(models: readonly string[]): void {
    this.models = [...models];
    this.emitter.fire(this.models);
  }

  /** The set for one send, which clears it. */
  take(): string[] {
    const models = this.models;
    if (models.length > 0) this.set([]);
    return models;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** A multi-select Quick Pick of the catalogue; resolves with 2–4 model ids, or undefined if dismissed. */
export function pickCompareModels(models: readonly ModelInfo[], preselected: readonly string[]): Promise<string[] | undefined> {
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { id: string }>();
  pick.title = 'Compare Models';
  pick.canSelectMany = true;
  pick.matchOnDetail = true;
  const hint = () => `Pick ${MIN_COMPARE_MODELS} to ${MAX_COMPARE_COLUMNS} models to answer the next prompt side by side (${pick.selectedItems.length} picked)`;
  pick.items = models.map((m) => ({ id: m.id, label: m.label, description: m.label === m.id ? undefined : m.id, ...(m.note ? { detail: m.note } : {}) }));
  pick.placeholder = hint();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: string[] | undefined) => {
      if (settled) return;
      settled = true;
      resolve(value);
      pick.dispose();
    };
    pick.onDidChangeSelection(() => (pick.placeholder = hint()));
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems.map((item) => item.id);
      // Too few or too many: stay open and say so, as a form would.
      if (chosen.length < MIN_COMPARE_MODELS || chosen.length > MAX_COMPARE_COLUMNS) pick.placeholder = `${hint()}: ${chosen.length < MIN_COMPARE_MODELS ? 'pick at least' : 'pick at most'} ${chosen.length < MIN_COMPARE_MODELS ? MIN_COMPARE_MODELS : MAX_COMPARE_COLUMNS}`;
      else finish(chosen);
    });
    pick.onDidHide(() => finish(undefined));
    pick.show();
    // Set once shown: a multi-select Quick Pick ignores a selection made before.
    pick.selectedItems = pick.items.filter((item) => preselected.includes(item.id));
    pick.placeholder = hint();
  });
}
