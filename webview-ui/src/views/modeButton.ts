// Ask or Agent, next to the model picker: Ask answers from what is attached; Agent may read the
// workspace with tools and propose edits for review. The choice is kept with the panel's state.
import type { ChatMode } from '../../../src/shared/protocol';
import { codicon, el } from '../dom';

const LOOK: Record<ChatMode, { text: string; icon: string; other: string; title: string }> = {
  ask: { text: 'Ask', icon: 'comment-discussion', other: 'Agent', title: 'Ask: answers from your prompt and what you attach. Click for Agent mode.' },
  agent: { text: 'Agent', icon: 'tools', other: 'Ask', title: 'Agent: reads the workspace with tools and proposes edits you review. Click for Ask mode.' },
};

export class ModeButton {
  readonly element: HTMLButtonElement;
  private readonly name: HTMLElement;
  private readonly icon: HTMLElement;

  constructor(
    doc: Document,
    private mode: ChatMode,
    private readonly onChange: (mode: ChatMode) => void,
  ) {
    this.name = el(doc, 'span', { className: 'ml-mode-name' });
    this.icon = codicon(doc, 'comment-discussion');
    this.element = el(doc, 'button', { className: 'ml-btn ml-mode-button', attrs: { type: 'button' } }, [this.icon, this.name]);
    this.element.addEventListener('click', () => this.set(this.mode === 'ask' ? 'agent' : 'ask'));
    this.render();
  }

  get value(): ChatMode {
    return this.mode;
  }

  private set(mode: ChatMode): void {
    this.mode = mode;
    this.render();
    this.onChange(mode);
  }

  private render(): void {
    const look = LOOK[this.mode];
    this.name.textContent = look.text;
    this.icon.className = `codicon codicon-${look.icon}`;
    this.element.setAttribute('aria-label', `Mode: ${look.text}. Switch to ${look.other}`);
    this.element.title = look.title;
    this.element.classList.toggle('is-agent', this.mode === 'agent');
  }
}
