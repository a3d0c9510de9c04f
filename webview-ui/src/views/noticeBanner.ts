// Dismissible notices from the host (info / warning / error) at the top of the conversation.
import { button, codicon, el } from '../dom';

export type NoticeLevel = 'info' | 'warning' | 'error';

const MAX_NOTICES = 3;
const ICONS: Record<NoticeLevel, string> = { info: 'info', warning: 'warning', error: 'error' };

export class NoticeBanner {
  readonly element: HTMLElement;

  constructor(private readonly doc: Document) {
    this.element = el(doc, 'div', { className: 'ml-notices' });
  }

  show(level: NoticeLevel, text: string): void {
    // The same notice twice (e.g. a repeated click) is shown once, as the newest.
    for (const existing of Array.from(this.element.children)) if (existing.getAttribute('data-text') === text) existing.remove();
    const notice = el(this.doc, 'div', {
      className: `ml-notice ml-notice-${level}`,
      attrs: { role: level === 'error' ? 'alert' : 'status', 'data-text': text },
    });
    const dismiss = button(this.doc, { label: 'Dismiss notice', icon: 'close', className: 'ml-notice-dismiss', onClick: () => notice.remove() });
    notice.append(codicon(this.doc, ICONS[level]), el(this.doc, 'span', { className: 'ml-notice-text', text }), dismiss);
    this.element.append(notice);
    while (this.element.children.length > MAX_NOTICES) this.element.firstElementChild?.remove();
  }

  clear(): void {
    this.element.replaceChildren();
  }
}
