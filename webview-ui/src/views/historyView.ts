// Saved conversations, shown in place of the chat: open, rename, export or delete each one.
import type { ConversationSummary } from '../../../src/shared/protocol';
import { button, el } from '../dom';
import { formatRelativeDate, pluralize } from '../format';

export interface HistoryCallbacks {
  onBack(): void;
  onOpen(id: string): void;
  onRename(id: string): void;
  onExport(id: string): void;
  onDelete(id: string): void;
}

export class HistoryView {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly back: HTMLButtonElement;

  constructor(
    private readonly doc: Document,
    private readonly callbacks: HistoryCallbacks,
    private readonly now: () => number,
  ) {
    this.back = button(doc, { label: 'Back to chat', icon: 'arrow-left', onClick: () => callbacks.onBack() });
    const heading = el(doc, 'h2', { className: 'ml-history-title', text: 'History', attrs: { id: 'ml-history-title' } });
    this.list = el(doc, 'ul', { className: 'ml-history-list', attrs: { 'aria-labelledby': 'ml-history-title' } });
    this.element = el(doc, 'section', { className: 'ml-history', attrs: { 'aria-labelledby': 'ml-history-title' } }, [
      el(doc, 'div', { className: 'ml-history-header' }, [this.back, heading]),
      this.list,
    ]);
  }

  setItems(items: readonly ConversationSummary[], activeId: string): void {
    if (items.length === 0) {
      this.list.replaceChildren(el(this.doc, 'li', { className: 'ml-history-empty ml-muted', text: 'No saved conversations yet.' }));
      return;
    }
    const now = this.now();
    this.list.replaceChildren(...items.map((item) => this.renderItem(item, item.id === activeId, now)));
  }

  focus(): void {
    const first = this.list.querySelector<HTMLElement>('.ml-history-open');
    (first ?? this.back).focus();
  }

  private renderItem(item: ConversationSummary, active: boolean, now: number): HTMLElement {
    const { doc, callbacks } = this;
    const title = item.title || 'Untitled';
    const open = el(doc, 'button', {
      className: 'ml-history-open',
      attrs: { type: 'button', title: `Open “${title}”`, ...(active ? { 'aria-current': 'true' } : {}) },
    }, [el(doc, 'span', { className: 'ml-history-name', text: title }), active ? el(doc, 'span', { className: 'ml-badge', text: 'Current' }) : null]);
    open.addEventListener('click', () => callbacks.onOpen(item.id));
    const meta = el(doc, 'span', {
      className: 'ml-history-meta',
      text: `${formatRelativeDate(item.updatedAt, now)} · ${pluralize(item.messageCount, 'message')}`,
    });
    const actions = el(doc, 'div', { className: 'ml-history-actions' }, [
      button(doc, { label: `Rename ${title}`, icon: 'edit', onClick: () => callbacks.onRename(item.id) }),
      button(doc, { label: `Export ${title} as Markdown`, icon: 'markdown', onClick: () => callbacks.onExport(item.id) }),
      button(doc, { label: `Delete ${title}`, icon: 'trash', onClick: () => callbacks.onDelete(item.id) }),
    ]);
    return el(doc, 'li', { className: `ml-history-item${active ? ' is-active' : ''}` }, [
      el(doc, 'div', { className: 'ml-history-main' }, [open, meta]),
      actions,
    ]);
  }
}
