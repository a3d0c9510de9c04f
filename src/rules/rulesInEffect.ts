import * as vscode from 'vscode';
import type { RuleView } from '../shared/protocol';
import type { ProjectRules } from './projectRules';

/**
 * The project rules for what the user is working on now: the active editor's file and the
 * files attached with `@`. Kept ready (recomputed when the editor, the attachments or the rule
 * files change), so every prompt can take them without waiting; the chip is told each time.
 */
export class RulesInEffect implements vscode.Disposable {
  private current: { text: string; cut?: string; views: RuleView[] } = { text: '', views: [] };
  private readonly subscriptions: vscode.Disposable[];
  private readonly emitter = new vscode.EventEmitter<RuleView[]>();
  /** The chip's rows changed. */
  readonly onDidChange = this.emitter.event;
  private lastCut: string | undefined;
  private generation = 0;
  /** The refresh in progress (or the last one). */
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly rules: ProjectRules,
    private readonly attached: () => readonly vscode.Uri[],
    attachmentsChanged: vscode.Event<void>,
    private readonly onCut: (notice: string) => void,
  ) {
    const refresh = () => void (this.pending = this.refresh());
    this.subscriptions = [rules.onDidChange(refresh), vscode.window.onDidChangeActiveTextEditor(refresh), attachmentsChanged(refresh), this.emitter];
    refresh();
  }

  /** Resolves once the newest refresh is done: a prompt sent right after a change follows it. */
  async settled(): Promise<void> {
    for (let seen: Promise<void> | undefined; seen !== this.pending; ) {
      seen = this.pending;
      await seen;
    }
  }

  /** The system-prompt section for now ('' when no rule applies). */
  get text(): string {
    return this.current.text;
  }

  get views(): RuleView[] {
    return this.current.views;
  }

  async refresh(): Promise<void> {
    const generation = ++this.generation;
    const editor = vscode.window.activeTextEditor?.document.uri;
    const paths = [...(editor && editor.scheme === 'file' ? [editor] : []), ...this.attached()];
    const [instructions, views] = await Promise.all([this.rules.instructionsFor(paths), this.rules.views(paths)]);
    // A newer refresh started meanwhile: its answer is the one that counts.
    if (generation !== this.generation) return;
    this.current = { ...instructions, views };
    this.emitter.fire(views);
    // The cut is shown once when it appears, as attached context's cut is.
    if (instructions.cut && instructions.cut !== this.lastCut) this.onCut(instructions.cut);
    this.lastCut = instructions.cut;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
