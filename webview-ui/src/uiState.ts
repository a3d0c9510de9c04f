// The small UI state that survives the view being hidden and re-created (the webview is not
// retained): the draft, recent prompts and where the user was scrolled. The conversation
// itself always comes from the host.
import type { ChatMode } from '../../src/shared/protocol';
import type { Clock } from './clock';

export interface UiState {
  draft?: string;
  /** Most recent last; ArrowUp in the composer walks back through it. */
  prompts?: string[];
  scroll?: { conversationId: string; fromBottom: number };
  /** Code blocks wrap long lines instead of scrolling sideways. */
  wrapCode?: boolean;
  /** Ask or Agent, as the user last chose. */
  mode?: ChatMode;
}

export interface StateStore {
  getState(): UiState | undefined;
  setState(state: UiState): void;
}

const MAX_PROMPTS = 20;
const SAVE_DELAY_MS = 250;

export class UiStateKeeper {
  private state: UiState;
  private pending: unknown;

  constructor(
    private readonly store: StateStore,
    private readonly clock: Clock,
  ) {
    const saved = store.getState();
    this.state = saved && typeof saved === 'object' ? { ...saved } : {};
  }

  get draft(): string {
    return typeof this.state.draft === 'string' ? this.state.draft : '';
  }

  get prompts(): readonly string[] {
    return Array.isArray(this.state.prompts) ? this.state.prompts : [];
  }

  get mode(): ChatMode {
    return this.state.mode === 'agent' ? 'agent' : 'ask';
  }

  get wrapCode(): boolean {
    return this.state.wrapCode === true;
  }

  get scroll(): UiState['scroll'] {
    return this.state.scroll;
  }

  /** Typing saves often, so drafts and scroll positions are written after a short pause. */
  update(patch: Partial<UiState>, immediately = false): void {
    this.state = { ...this.state, ...patch };
    if (immediately) return this.save();
    if (this.pending === undefined) this.pending = this.clock.setTimeout(() => this.save(), SAVE_DELAY_MS);
  }

  rememberPrompt(text: string): void {
    const prompts = this.prompts.filter((p) => p !== text);
    prompts.push(text);
    this.update({ prompts: prompts.slice(-MAX_PROMPTS), draft: '' }, true);
  }

  private save(): void {
    if (this.pending !== undefined) this.clock.clearTimeout(this.pending);
    this.pending = undefined;
    this.store.setState(this.state);
  }
}
