// The toolbar at the top: model picker, New Chat and History.
import type { ModelOption } from '../../../src/shared/protocol';
import { button, el } from '../dom';

export interface HeaderCallbacks {
  onSelectModel(model: string): void;
  onNewChat(): void;
  onShowHistory(): void;
}

export class Header {
  readonly element: HTMLElement;
  private readonly select: HTMLSelectElement;
  private labels = new Map<string, string>();

  constructor(
    private readonly doc: Document,
    callbacks: HeaderCallbacks,
  ) {
    this.select = el(doc, 'select', { className: 'ml-model-select', attrs: { 'aria-label': 'Model', title: 'Model' } });
    this.select.addEventListener('change', () => callbacks.onSelectModel(this.select.value));
    const picker = el(doc, 'div', { className: 'ml-model-picker' }, [this.select]);
    const actions = el(doc, 'div', { className: 'ml-header-actions' }, [
      button(doc, { label: 'New Chat', icon: 'add', onClick: () => callbacks.onNewChat() }),
      button(doc, { label: 'History', icon: 'history', onClick: () => callbacks.onShowHistory() }),
    ]);
    this.element = el(doc, 'header', { className: 'ml-header', attrs: { 'aria-label': 'Chat toolbar' } }, [picker, actions]);
  }

  setModels(models: readonly ModelOption[], selected: string): void {
    this.labels = new Map(models.map((m) => [m.id, m.label]));
    const options = models.map((m) => el(this.doc, 'option', { text: m.label || m.id, attrs: { value: m.id } }));
    // A configured model the catalogue does not know is still shown (and stays selected).
    if (selected && !this.labels.has(selected)) options.unshift(el(this.doc, 'option', { text: selected, attrs: { value: selected } }));
    this.select.replaceChildren(...options);
    this.select.value = selected;
  }

  /** The friendly name of a model id, e.g. "Qwen2.5-Coder-32B", or the id itself. */
  labelFor(model: string): string {
    return this.labels.get(model) || model;
  }

  focusModelPicker(): void {
    this.select.focus();
  }
}
