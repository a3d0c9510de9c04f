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
    this.list.addEventListener('keydown', (event) => this.onKeyDown(event));
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

  /** Up and Down move between conversations, Home and End to the first and last. */
  private onKeyDown(event: KeyboardEvent): void {
    const rows = Array.from(this.list.querySelectorAll<HTMLElement>('.ml-history-open'));
    const at = rows.findIndex((row) => row.closest('li')?.contains(this.doc.activeElement));
    if (rows.length === 0 || at < 0) return;
    const next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    rows[Math.max(0, Math.min(rows.length - 1, next))].focus();
  }

  private renderItem(item: ConversationSummary, active: boolean, now: number): HTMLElement {
    const { doc, callbacks } = this;
    const title = item.title || 'Untitled';
    const open = el(doc, 'button', {
      className: 'ml-history-open',
      attrs: { type: 'button', title: `Open “${title}”`, ...(active ? { 'aria-current': 'true' } : {}) },
    }, [el(doc, 'span', { className: 'ml-history-name', text: title })]);
    open.addEventListener('click', () => callbacks.onOpen(item.id));
    // "Current" is said in the quiet second line, so the title keeps the whole first one.
    const when = `${formatRelativeDate(item.updatedAt, now)} · ${pluralize(item.messageCount, 'message')}`;
    const meta = el(doc, 'span', { className: 'ml-history-meta', text: active ? `Current · ${when}` : when });
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
