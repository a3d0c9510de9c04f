// The models the next prompt will be compared on, as a chip above the composer, and the
// composer's button that picks them.
import type { ModelOption } from '../../../src/shared/protocol';
import { button, codicon, el } from '../dom';

export class CompareChip {
  readonly element: HTMLElement;
  private readonly names: HTMLElement;

  constructor(doc: Document, onEdit: () => void, onClear: () => void) {
    this.names = el(doc, 'span', { className: 'ml-chip-label' });
    const edit = el(doc, 'button', { className: 'ml-compare-edit', attrs: { type: 'button', title: 'Change the models to compare', 'aria-label': 'Change the models to compare' } }, [codicon(doc, 'split-horizontal'), this.names]);
    edit.addEventListener('click', onEdit);
    const clear = button(doc, { label: 'Stop comparing: answer with one model', icon: 'close', className: 'ml-chip-remove', onClick: onClear });
    this.element = el(doc, 'div', { className: 'ml-compare-chip', attrs: { role: 'group', 'aria-label': 'Models to compare' } }, [edit, clear]);
    this.element.hidden = true;
  }

  set(models: readonly ModelOption[]): void {
    this.element.hidden = models.length === 0;
    const names = models.map((m) => m.label).join(' · ');
    this.names.textContent = `Compare: ${names}`;
    this.element.querySelector('.ml-compare-edit')?.setAttribute('aria-label', `Next prompt compares ${models.length} models: ${names}. Change the models`);
  }
}

/** The composer's "Compare models…" button. */
export function compareButton(doc: Document, onClick: () => void): HTMLButtonElement {
  return button(doc, { label: 'Compare models…', icon: 'split-horizontal', className: 'ml-compare-button', onClick });
}
