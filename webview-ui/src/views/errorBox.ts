// The error inside an assistant message: what went wrong and the one action that fixes it.
import type { ErrorView } from '../../../src/shared/protocol';
import { startCountdown, type Clock } from '../clock';
import { button, codicon, el } from '../dom';

export interface ErrorActions {
  setApiKey(): void;
  retry(): void;
  selectModel(): void;
  /** Answer the last prompt again with another model. */
  retryWith(model: string): void;
}

export class ErrorBox {
  readonly element: HTMLElement;
  private stopCountdown: (() => void) | undefined;
  private readonly action: HTMLButtonElement | undefined;
  /** "Retry with <next model>", offered when an answer broke off after text and a fallback model is set. */
  private readonly retryOther: HTMLButtonElement | undefined;

  constructor(doc: Document, error: ErrorView, clock: Clock, actions: ErrorActions) {
    this.element = el(doc, 'div', { className: 'ml-error', attrs: { role: 'alert' } }, [
      codicon(doc, 'error'),
      el(doc, 'span', { className: 'ml-error-text', text: error.message }),
    ]);
    const action = this.createAction(doc, error, actions);
    this.action = action;
    const other = error.retryModel;
    if (other) {
      const label = `Retry with ${other.label}`;
      this.retryOther = button(doc, { label, icon: 'arrow-swap', text: label, className: 'ml-retry-other', onClick: () => actions.retryWith(other.id) });
    }
    if (!action) {
      if (this.retryOther) this.element.append(this.retryOther);
      return;
    }
    this.element.append(action);
    if (this.retryOther) this.element.append(this.retryOther);
    if (error.action === 'retry' && error.retryAt !== undefined) this.holdRetry(action, error.retryAt, clock);
  }

  /** Disables Retry until a rate limit's retryAt, showing "Retry in 12 s". */
  private holdRetry(action: HTMLButtonElement, retryAt: number, clock: Clock): void {
    const text = action.querySelector('span:not(.codicon)');
    // Inside an alert, a label that changes every second would be read out every second; the
    // button's name stays "Retry" (aria-label) and its disabled state says the rest.
    text?.setAttribute('aria-hidden', 'true');
    this.stopCountdown = startCountdown(
      clock,
      retryAt,
      (seconds) => {
        action.disabled = true;
        if (text) text.textContent = `Retry in ${seconds} s`;
        action.title = `Rate limited: retry in ${seconds} s`;
      },
      () => {
        action.disabled = false;
        if (text) text.textContent = 'Retry';
        action.title = 'Retry';
      },
    );
  }

  private createAction(doc: Document, error: ErrorView, actions: ErrorActions): HTMLButtonElement | undefined {
    switch (error.action) {
      case 'setApiKey':
        return button(doc, { label: 'Set API Key', icon: 'key', text: 'Set API Key', onClick: () => actions.setApiKey() });
      case 'retry':
        return button(doc, { label: 'Retry', icon: 'refresh', text: 'Retry', onClick: () => actions.retry() });
      case 'selectModel':
        return button(doc, { label: 'Select Model', icon: 'chevron-down', text: 'Select Model', onClick: () => actions.selectModel() });
      default:
        // 'openSettings' and unknown actions: the message says what to change.
        return undefined;
    }
  }

  /** Whether its action is Retry (the footer then leaves out Regenerate). */
  get offersRetry(): boolean {
    return this.action?.getAttribute('aria-label') === 'Retry';
  }

  /**
   * Only the last answer's error offers its action: "Retry" answers the latest prompt again,
   * so on an older message it would retry the wrong thing.
   */
  setActive(active: boolean): void {
    if (this.action) this.action.hidden = !active;
    if (this.retryOther) this.retryOther.hidden = !active;
  }

  dispose(): void {
    this.stopCountdown?.();
    this.stopCountdown = undefined;
  }
}
