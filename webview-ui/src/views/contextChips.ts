// The context attached to the next prompt, shown as chips above the composer.
import type { ContextChip } from '../../../src/shared/protocol';
import { button, codicon, el } from '../dom';

export class ContextChips {
  readonly element: HTMLElement;
  private readonly row: HTMLElement;
  private readonly notes: HTMLElement;

  constructor(
    private readonly doc: Document,
    private readonly onRemove: (id: string) => void,
  ) {
    this.row = el(doc, 'ul', { className: 'ml-chips', attrs: { 'aria-label': 'Attached context' } });
    this.notes = el(doc, 'div', { className: 'ml-chip-notes' });
    this.element = el(doc, 'div', { className: 'ml-context' }, [this.row, this.notes]);
    this.element.hidden = true;
  }

  setChips(chips: readonly ContextChip[]): void {
    this.row.replaceChildren(...chips.map((chip) => this.renderChip(chip)));
    // The truncation notice is visible text, not only a tooltip: the model sees less than the user thinks.
    this.notes.replaceChildren(
      ...chips
        .filter((chip) => chip.truncatedNotice)
        .map((chip) =>
          el(this.doc, 'p', { className: 'ml-chip-note' }, [codicon(this.doc, 'warning'), el(this.doc, 'span', { text: `${chip.label}: ${chip.truncatedNotice}` })]),
        ),
    );
    this.element.hidden = chips.length === 0;
  }

  private renderChip(chip: ContextChip): HTMLElement {
    const label = el(this.doc, 'span', { className: 'ml-chip-label', text: chip.label });
    const kind = chip.kind === 'selection' ? 'Selection' : 'File';
    const remove = button(this.doc, { label: `Remove ${chip.label}`, icon: 'close', className: 'ml-chip-remove', onClick: () => this.onRemove(chip.id) });
    return el(
      this.doc,
      'li',
      { className: `ml-chip${chip.truncatedNotice ? ' is-truncated' : ''}`, attrs: { title: `${kind}: ${chip.label}${chip.truncatedNotice ? ` (${chip.truncatedNotice})` : ''}` } },
      [codicon(this.doc, chip.kind === 'selection' ? 'selection' : 'file'), label, remove],
    );
  }
}
