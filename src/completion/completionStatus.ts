import * as vscode from 'vscode';

const SNOOZE_MINUTES = [5, 15, 60] as const;

/**
 * Ghost text's status-bar item and its menu: on, off or snoozed, at a glance; a click turns it
 * off or on, or snoozes it for 5, 15 or 60 minutes. The snooze lasts for this window only.
 */
export class CompletionStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('modelslab.completions', vscode.StatusBarAlignment.Right, 99);
  private snoozeEnd: number | undefined;
  private snoozeTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when ghost text is turned on or off, or a snooze starts or ends. */
  readonly onDidChange = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly now: () => number = Date.now) {
    this.item.name = 'ModelsLab Ghost Text';
    this.item.command = 'modelslab.completions.menu';
    this.subscriptions = [
      vscode.commands.registerCommand('modelslab.completions.toggle', () => this.toggle()),
      vscode.commands.registerCommand('modelslab.completions.menu', (choice?: unknown) => this.menu(choice)),
      vscode.workspace.onDidChangeConfiguration((e) => (e.affectsConfiguration('modelslab.completions') || e.affectsConfiguration('editor.inlineSuggest')) && this.render()),
      this.emitter,
    ];
    this.render();
    this.item.show();
  }

  /** When a snooze ends (ms since epoch), if one is on. */
  get snoozedUntil(): number | undefined {
    return this.snoozeEnd !== undefined && this.snoozeEnd > this.now() ? this.snoozeEnd : undefined;
  }

  snooze(minutes: number): void {
    clearTimeout(this.snoozeTimer);
    this.snoozeEnd = this.now() + minutes * 60_000;
    this.snoozeTimer = setTimeout(() => this.wake(), minutes * 60_000);
    this.render();
    this.emitter.fire();
  }

  wake(): void {
    clearTimeout(this.snoozeTimer);
    this.snoozeEnd = undefined;
    this.render();
    this.emitter.fire();
  }

  async toggle(): Promise<void> {
    const config = vscode.workspace.getConfiguration('modelslab.completions');
    await config.update('enabled', !enabled(), vscode.ConfigurationTarget.Global);
    if (this.snoozedUntil) this.wake();
    this.render();
    this.emitter.fire();
  }

  /** The status bar's menu; `choice` ("off", "on", "snooze5", "resume"…) skips it, for tests. */
  private async menu(choice?: unknown): Promise<void> {
    type Item = vscode.QuickPickItem & { run: () => unknown };
    const on = enabled();
    const items: Item[] = [];
    if (this.snoozedUntil) items.push({ label: '$(play) Resume Ghost Text', id: 'resume', run: () => this.wake() } as Item & { id: string });
    items.push(
      on
        ? ({ label: '$(circle-slash) Turn Ghost Text Off', id: 'off', run: () => this.toggle() } as Item & { id: string })
        : ({ label: '$(sparkle) Turn Ghost Text On', id: 'on', run: () => this.toggle() } as Item & { id: string }),
    );
    if (on) for (const minutes of SNOOZE_MINUTES) items.push({ label: `$(clock) Snooze for ${minutes} Minutes`, id: `snooze${minutes}`, run: () => this.snooze(minutes) } as Item & { id: string });
    items.push({ label: '$(gear) Ghost Text Settings', id: 'settings', run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'modelslab.completions') } as Item & { id: string });
    const picked =
      typeof choice === 'string'
        ? items.find((i) => (i as Item & { id: string }).id === choice)
        : await vscode.window.showQuickPick(items, { title: 'ModelsLab Ghost Text', placeHolder: this.describe() });
    await picked?.run();
  }

  private describe(): string {
    if (!enabled()) return 'Ghost text is off.';
    if (!vscode.workspace.getConfiguration('editor').get<boolean>('inlineSuggest.enabled', true)) return 'Ghost text is on, but editor.inlineSuggest.enabled is off.';
    const until = this.snoozedUntil;
    if (until) return `Ghost text is snoozed until ${new Date(until).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}.`;
    return 'Ghost text is on: pause typing to see a suggestion; Tab accepts.';
  }

  private render(): void {
    const until = this.snoozedUntil;
    const off = !enabled() || !vscode.workspace.getConfiguration('editor').get<boolean>('inlineSuggest.enabled', true);
    this.item.text = off ? '$(circle-slash) Ghost' : until ? '$(clock) Ghost' : '$(sparkle) Ghost';
    this.item.tooltip = `${this.describe()} Click for options.`;
    this.item.accessibilityInformation = { label: `ModelsLab ${this.describe()}`, role: 'button' };
  }

  dispose(): void {
    clearTimeout(this.snoozeTimer);
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

function enabled(): boolean {
  return vscode.workspace.getConfiguration('modelslab.completions').get<boolean>('enabled', true);
}
