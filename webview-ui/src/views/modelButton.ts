// The model picker in the composer's toolbar: a quiet button naming the current model. It opens
// VS Code's own model Quick Pick (the one the status bar opens), not an HTML drop-down.
import type { ModelOption } from '../../../src/shared/protocol';
import { codicon, el } from '../dom';

export class ModelButton {
  readonly element: HTMLButtonElement;
  private readonly name: HTMLElement;
  private labels = new Map<string, string>();
  private current = '';

  constructor(doc: Document, onPick: () => void) {
    this.name = el(doc, 'span', { className: 'ml-model-name' });
    this.element = el(doc, 'button', { className: 'ml-btn ml-model-button', attrs: { type: 'button' } }, [this.name, codicon(doc, 'chevron-down')]);
    this.element.addEventListener('click', () => onPick());
    this.render();
  }

  setModels(models: readonly ModelOption[], selected: string): void {
    this.labels = new Map(models.map((m) => [m.id, m.label || m.id]));
    this.current = selected;
    this.render();
  }

  /** The friendly name of a model id, e.g. "Qwen2.5 Coder 32B", or the id itself. */
  labelFor(model: string): string {
    return this.labels.get(model) || model;
  }

  focus(): void {
    this.element.focus();
  }

  private render(): void {
    const label = this.current ? this.labelFor(this.current) : 'Model';
    this.name.textContent = label;
    this.element.setAttribute('aria-label', `Model: ${label}. Change model`);
    this.element.title = this.current ? `${this.current}: click to pick another model` : 'Pick a model';
  }
}
