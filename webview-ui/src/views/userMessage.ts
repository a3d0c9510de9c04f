// One prompt as the user wrote it: plain text (never parsed as HTML), its context labels,
// and an inline editor to change it and send it again.
import type { MessageView } from '../../../src/shared/protocol';
import { button, codicon, el } from '../dom';

export interface UserMessageDeps {
  doc: Document;
  onResend(messageId: string, text: string): boolean;
}

export class UserMessageView {
  readonly element: HTMLElement;
  readonly id: string;
  private text: string;
  private readonly textEl: HTMLElement;
  private readonly editButton: HTMLButtonElement;
  private editor: HTMLElement | undefined;

  constructor(
    private readonly deps: UserMessageDeps,
    message: MessageView,
  ) {
    const { doc } = deps;
    this.id = message.id;
    this.text = message.text;
    this.textEl = el(doc, 'div', { className: 'ml-user-text', text: message.text });
    this.editButton = button(doc, { label: 'Edit prompt', icon: 'edit', className: 'ml-edit', onClick: () => this.startEditing() });
    const labels = message.contextLabels ?? [];
    const chips = labels.length
      ? el(doc, 'ul', { className: 'ml-msg-chips', attrs: { 'aria-label': 'Attached context' } },
          labels.map((label) => el(doc, 'li', { className: 'ml-chip ml-chip-static', attrs: { title: label } }, [codicon(doc, 'file'), el(doc, 'span', { className: 'ml-chip-label', text: label })])))
      : null;
    this.element = el(doc, 'article', { className: 'ml-msg ml-msg-user', attrs: { 'data-id': message.id, 'aria-label': 'Prompt' } }, [
      el(doc, 'div', { className: 'ml-user-block' }, [this.textEl, chips, el(doc, 'div', { className: 'ml-user-actions' }, [this.editButton])]),
    ]);
  }

  get isEditing(): boolean {
    return this.editor !== undefined;
  }

  setBusy(busy: boolean): void {
    this.editButton.disabled = busy;
  }

  startEditing(): void {
    if (this.editor) return;
    const { doc } = this.deps;
    const textarea = el(doc, 'textarea', { className: 'ml-edit-input', attrs: { 'aria-label': 'Edit prompt text', rows: '3' } });
    textarea.value = this.text;
    const resend = button(doc, { label: 'Resend', icon: 'send', text: 'Resend', className: 'ml-btn-primary', onClick: () => this.resend(textarea.value) });
    const cancel = button(doc, { label: 'Cancel', text: 'Cancel', className: 'ml-btn-secondary', onClick: () => this.stopEditing(true) });
    textarea.addEventListener('keydown', (event) => {
      if (event.isComposing || event.keyCode === 229) return;
      if (event.key === 'Enter' && !event.shiftKey && !event.altKey) {
        event.preventDefault();
        this.resend(textarea.value);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        this.stopEditing(true);
      }
    });
    this.editor = el(doc, 'div', { className: 'ml-user-editor' }, [textarea, el(doc, 'div', { className: 'ml-user-editor-actions' }, [resend, cancel])]);
    this.textEl.hidden = true;
    this.editButton.hidden = true;
    this.textEl.after(this.editor);
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  }

  private resend(text: string): void {
    if (text.trim() === '') return;
    if (!this.deps.onResend(this.id, text)) return;
    // The host replaces this message from answerStart; until then show the new text.
    this.text = text;
    this.textEl.textContent = text;
    this.stopEditing(false);
  }

  private stopEditing(restoreFocus: boolean): void {
    this.editor?.remove();
    this.editor = undefined;
    this.textEl.hidden = false;
    this.editButton.hidden = false;
    if (restoreFocus) this.editButton.focus();
  }

  dispose(): void {
    this.editor = undefined;
  }
}
