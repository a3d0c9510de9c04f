// The prompt box docked at the bottom: a growing textarea with Send/Stop inside its right
// edge and an "Attach file" button. It only reports intent; the app decides what to post.
import type { SlashCommandView } from '../../../src/shared/protocol';
import { button, el, setButtonIcon, setButtonLabel } from '../dom';
import { PromptRecall } from './promptRecall';
import { actionAt, runsAtOnce, SlashMenu } from './slashMenu';

export interface ComposerCallbacks {
  /** Returns true when the prompt was sent (the box is then cleared). */
  onSend(text: string): boolean;
  onStop(): void;
  onAttach(): void;
  onDraftChange(text: string): void;
  /** A slash command that acts at once (/new, /compare) was picked or sent. */
  onSlashAction(name: string): void;
}

export class Composer {
  readonly element: HTMLElement;
  /** Where the app shows the conversation's token total, next to the buttons. */
  readonly statusSlot: HTMLElement;
  /** Where the app puts tools of its own (the model picker), after Attach. */
  readonly toolsSlot: HTMLElement;
  private readonly textarea: HTMLTextAreaElement;
  private readonly grow: HTMLElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly recall: PromptRecall;
  private readonly slash: SlashMenu;
  private busy = false;

  constructor(
    doc: Document,
    private readonly callbacks: ComposerCallbacks,
    prompts: () => readonly string[],
    draft = '',
  ) {
    this.recall = new PromptRecall(prompts);
    this.textarea = el(doc, 'textarea', {
      className: 'ml-textarea',
      attrs: { 'aria-label': 'Ask ModelsLab', placeholder: 'Ask ModelsLab (@ to attach a file)', rows: '1' },
    });
    // The CSS grid trick: a hidden copy of the text sizes the box, so no inline styles are needed.
    this.grow = el(doc, 'div', { className: 'ml-grow' }, [this.textarea]);
    this.sendButton = button(doc, { label: 'Send', icon: 'send', className: 'ml-send', onClick: () => this.onSendClick() });
    const attach = button(doc, { label: 'Attach file', icon: 'mention', onClick: () => callbacks.onAttach() });
    this.statusSlot = el(doc, 'span', { className: 'ml-composer-status' });
    this.toolsSlot = el(doc, 'span', { className: 'ml-composer-tools' });
    const toolbar = el(doc, 'div', { className: 'ml-composer-toolbar', attrs: { role: 'toolbar', 'aria-label': 'Prompt tools' } }, [attach, this.toolsSlot, this.statusSlot, this.sendButton]);
    this.slash = new SlashMenu(doc, this.textarea, (command) => this.pickSlash(command));
    this.element = el(doc, 'div', { className: 'ml-composer' }, [this.slash.element, el(doc, 'div', { className: 'ml-input-box' }, [this.grow, toolbar])]);

    this.textarea.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.textarea.addEventListener('input', (event) => this.onInput(event));
    this.setValue(draft);
  }

  get value(): string {
    return this.textarea.value;
  }

  get input(): HTMLTextAreaElement {
    return this.textarea;
  }

  /** The commands "/" completes: the host's built-ins and prompt files. */
  setSlashCommands(commands: readonly SlashCommandView[]): void {
    this.slash.setCommands(commands);
  }

  /** While an answer streams, Send becomes Stop; the text typed meanwhile stays in the box. */
  setBusy(busy: boolean): void {
    this.busy = busy;
    setButtonIcon(this.sendButton, busy ? 'debug-stop' : 'send');
    setButtonLabel(this.sendButton, busy ? 'Stop' : 'Send');
    this.sendButton.classList.toggle('is-stop', busy);
    this.updateSendEnabled();
  }

  focus(text?: string): void {
    if (text !== undefined) {
      this.setValue(text);
      this.callbacks.onDraftChange(text);
    }
    this.textarea.focus();
    const end = this.textarea.value.length;
    this.textarea.setSelectionRange(end, end);
  }

  private setValue(text: string): void {
    this.textarea.value = text;
    this.syncSize();
  }

  private syncSize(): void {
    this.grow.dataset.value = this.textarea.value;
    this.updateSendEnabled();
  }

  private updateSendEnabled(): void {
    this.sendButton.disabled = !this.busy && this.textarea.value.trim() === '';
  }

  private onSendClick(): void {
    if (this.busy) this.callbacks.onStop();
    else this.submit();
    this.textarea.focus();
  }

  private submit(): void {
    const text = this.textarea.value;
    // "/compare" typed out in full acts as picked from the list; what follows it stays in the box.
    const action = actionAt(text, this.slash.list);
    if (action) return this.runSlash(action.command.name, action.rest);
    if (this.busy || text.trim() === '') return;
    if (!this.callbacks.onSend(text)) return;
    this.recall.reset();
    this.setValue('');
  }

  private onKeyDown(event: KeyboardEvent): void {
    // keyCode 229 is what some browsers report for keys that belong to an IME composition.
    if (event.isComposing || event.keyCode === 229) return;
    if (this.slash.handleKey(event)) return;
    const plain = !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey;
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey) {
      event.preventDefault();
      this.submit();
    } else if (event.key === 'Escape' && this.busy) {
      event.preventDefault();
      this.callbacks.onStop();
    } else if (event.key === 'ArrowUp' && plain) {
      const { value, selectionStart, selectionEnd } = this.textarea;
      if (!this.recall.wantsOlder(value, selectionStart, selectionEnd)) return;
      const older = this.recall.older(value);
      if (older !== undefined) this.showRecalled(event, older);
    } else if (event.key === 'ArrowDown' && plain) {
      if (!this.recall.wantsNewer(this.textarea.value)) return;
      const newer = this.recall.newer(this.textarea.value);
      if (newer !== undefined) this.showRecalled(event, newer);
    }
  }

  private showRecalled(event: KeyboardEvent, text: string): void {
    event.preventDefault();
    this.replaceText(text);
  }

  private onInput(event: Event): void {
    const data = (event as InputEvent).data;
    if (data === '@' && !(event as InputEvent).isComposing && this.takeMentionTrigger()) this.callbacks.onAttach();
    this.syncSize();
    this.callbacks.onDraftChange(this.textarea.value);
    this.slash.update();
  }

  /** From the list: /new and /compare act now; anything else is written out for the user to finish. */
  private pickSlash(command: SlashCommandView): void {
    this.slash.close();
    if (runsAtOnce(command)) return this.runSlash(command.name, '');
    this.replaceText(`/${command.name} `);
  }

  private runSlash(name: string, rest: string): void {
    this.slash.close();
    this.replaceText(rest);
    this.callbacks.onSlashAction(name);
  }

  private replaceText(text: string): void {
    this.setValue(text);
    this.textarea.setSelectionRange(text.length, text.length);
    this.callbacks.onDraftChange(text);
  }

  /** An "@" typed at the start or after whitespace asks for a file; the "@" itself goes. */
  private takeMentionTrigger(): boolean {
    const { value, selectionStart } = this.textarea;
    const at = selectionStart - 1;
    if (at < 0 || value[at] !== '@') return false;
    if (at > 0 && !/\s/.test(value[at - 1])) return false;
    this.textarea.value = value.slice(0, at) + value.slice(selectionStart);
    this.textarea.setSelectionRange(at, at);
    return true;
  }
}
